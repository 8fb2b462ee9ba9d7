import { sql, type Tx } from '../../platform/db/index.js';
import { decText } from '../../platform/decimal.js';
import { onceByKey } from '../../platform/memo.js';
import { getSite } from '../../platform/tenancy/index.js';
import { getLot, type LotStatus } from '../inventory/index.js';
import { getItem, getSupplier } from '../masterdata/index.js';
import { openToReceive } from './model.js';
import type { PoLine, PurchaseOrder } from './orders.js';
import type { Receipt } from './receiving.js';

/**
 * Orders and receipts as people read them: beside each id the code and name of the supplier,
 * site, item and lot it points at, looked up through the owning modules' services once per
 * response (a page of orders names the same supplier and items many times).
 */
export interface Named {
  code: string;
  name: string;
}

export interface OrderLineView extends PoLine {
  item: Named & { baseUnit: string };
  /** What may still be received: ordered plus tolerance, less what came. */
  openQuantity: string;
}

export interface OrderView extends Omit<PurchaseOrder, 'lines'> {
  supplier: Named;
  site: Named;
  lines: OrderLineView[];
}

export interface ReceiptView extends Receipt {
  poNumber: string;
  lineNo: number;
  supplier: Named;
  item: Named;
  site: Named;
  lot: { number: string; status: LotStatus };
}

/** Memoised look-ups for one response. */
export function nameBook(tx: Tx) {
  const once = onceByKey();
  return {
    supplier: (id: string) => once(`supplier:${id}`, async () => pick(await getSupplier(tx, id))),
    site: (id: string) => once(`site:${id}`, async () => pick(await getSite(tx, id))),
    item: (id: string) =>
      once(`item:${id}`, async () => {
        const item = await getItem(tx, id);
        return { code: item.code, name: item.name, baseUnit: item.baseUnit };
      }),
    lot: (id: string) =>
      once(`lot:${id}`, async () => {
        const lot = await getLot(tx, id);
        return { number: lot.number, status: lot.status };
      }),
  };
}
export type NameBook = ReturnType<typeof nameBook>;

const pick = ({ code, name }: Named): Named => ({ code, name });

export async function orderView(book: NameBook, po: PurchaseOrder): Promise<OrderView> {
  const lines: OrderLineView[] = [];
  for (const line of po.lines) lines.push({ ...line, item: await book.item(line.itemId), openQuantity: decText(openToReceive(line)) });
  return { ...po, supplier: await book.supplier(po.supplierId), site: await book.site(po.siteId), lines };
}

export async function receiptView(tx: Tx, book: NameBook, receipt: Receipt): Promise<ReceiptView> {
  const { rows } = await tx.query<{ poNumber: string; lineNo: number }>(
    sql`SELECT po.number AS "poNumber", l.line_no AS "lineNo"
       FROM purchase_order_lines l JOIN purchase_orders po ON po.id = l.po_id WHERE l.id = ${receipt.poLineId}`,
  );
  return {
    ...receipt,
    ...rows[0]!,
    supplier: await book.supplier(receipt.supplierId),
    item: pickItem(await book.item(receipt.itemId)),
    site: await book.site(receipt.siteId),
    lot: await book.lot(receipt.lotId),
  };
}

const pickItem = ({ code, name }: Named): Named => ({ code, name });

/** A receipt as the screens read it, named on its own (one response). */
export function describeReceipt(tx: Tx, receipt: Receipt): Promise<ReceiptView> {
  return receiptView(tx, nameBook(tx), receipt);
}
