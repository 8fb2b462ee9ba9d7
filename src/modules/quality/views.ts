import type { Tx } from '../../platform/db/index.js';
import { onceByKey } from '../../platform/memo.js';
import { getLot, type LotStatus } from '../inventory/index.js';
import { getItem, getSupplier } from '../masterdata/index.js';
import { getReceipt } from '../purchasing/index.js';
import type { InspectionPlanSummary } from './plans.js';

/**
 * Inspections and plans as people read them: beside each id the code and name of the item and
 * supplier, the lot's number and status and the receipt's number, looked up through the owning
 * modules' services once per response.
 */
export interface Named {
  code: string;
  name: string;
}

export interface InspectionNames {
  item: Named;
  supplier: Named;
  lot: { number: string; status: LotStatus; supplierLot: string | null };
  receipt: { number: string; poId: string };
}

export function nameBook(tx: Tx) {
  const once = onceByKey();
  return {
    item: (id: string) => once(`item:${id}`, async () => named(await getItem(tx, id))),
    supplier: (id: string) => once(`supplier:${id}`, async () => named(await getSupplier(tx, id))),
    lot: (id: string) =>
      once(`lot:${id}`, async () => {
        const lot = await getLot(tx, id);
        return { number: lot.number, status: lot.status, supplierLot: lot.supplierLot };
      }),
    receipt: (id: string) =>
      once(`receipt:${id}`, async () => {
        const receipt = await getReceipt(tx, id);
        return { number: receipt.number, poId: receipt.poId };
      }),
  };
}
export type NameBook = ReturnType<typeof nameBook>;

const named = ({ code, name }: Named): Named => ({ code, name });

export async function inspectionNames(
  book: NameBook,
  i: { itemId: string; supplierId: string; lotId: string; receiptId: string },
): Promise<InspectionNames> {
  return {
    item: await book.item(i.itemId),
    supplier: await book.supplier(i.supplierId),
    lot: await book.lot(i.lotId),
    receipt: await book.receipt(i.receiptId),
  };
}

export async function planView<P extends Pick<InspectionPlanSummary, 'itemId'>>(book: NameBook, plan: P): Promise<P & { item: Named }> {
  return { ...plan, item: await book.item(plan.itemId) };
}

/** An inspection as the screens read it, named on its own (one response). */
export async function describeInspection<I extends { itemId: string; supplierId: string; lotId: string; receiptId: string }>(
  tx: Tx,
  inspection: I,
): Promise<I & InspectionNames> {
  return { ...inspection, ...(await inspectionNames(nameBook(tx), inspection)) };
}
