import type { Tx } from '../../platform/db/index.js';
import { listSignatures } from '../../platform/esign/index.js';
import { type PrintableRecord, signatureEntries, textKey } from '../../platform/pdf/index.js';
import { getPurchaseOrder } from './orders.js';
import { nameBook, orderView } from './views.js';

const k = textKey;
const named = (n: { code: string; name: string }): string => `${n.code} ${n.name}`;

/** The purchase order as a printable record (Part 11 §11.10(b)): header, every line, its approval signatures. */
export async function purchaseOrderRecord(tx: Tx, id: string): Promise<PrintableRecord> {
  const po = await orderView(nameBook(tx), await getPurchaseOrder(tx, id));
  const signatures = await listSignatures(tx, 'purchase_orders', id);
  return {
    recordType: k('purchasing.print.order'),
    number: po.number,
    recordId: po.id,
    status: k(`purchasing.orderStatuses.${po.status}`),
    siteId: po.siteId,
    fields: [
      { label: k('purchasing.orders.supplier'), value: named(po.supplier) },
      { label: k('purchasing.orders.site'), value: named(po.site) },
      { label: k('purchasing.orders.currency'), value: po.currency },
      { label: k('purchasing.orders.total'), value: { decimal: po.total, unit: po.currency } },
      { label: k('purchasing.orders.createdAt'), value: { dateTime: po.createdAt } },
      { label: k('purchasing.orders.createdBy'), value: po.createdBy?.name ?? null },
    ],
    sections: [
      {
        heading: k('purchasing.lines.title'),
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: '#', width: 0.4 },
              { label: k('purchasing.lines.item'), width: 2.6 },
              { label: k('purchasing.lines.ordered'), width: 1.3, align: 'right' },
              { label: k('purchasing.lines.unitPriceShort'), width: 1.2, align: 'right' },
              { label: k('purchasing.lines.dueDate'), width: 1.7 },
              { label: k('purchasing.lines.toleranceShort'), width: 0.9, align: 'right' },
              { label: k('purchasing.lines.received'), width: 1.2, align: 'right' },
              { label: k('purchasing.lines.total'), width: 1.4, align: 'right' },
            ],
            rows: po.lines.map((l) => [
              String(l.lineNo),
              named(l.item),
              { decimal: l.quantity, unit: l.unit },
              { decimal: l.unitPrice },
              { date: l.dueDate },
              { decimal: l.overReceiptTolerancePct, unit: '%' },
              { decimal: l.receivedQuantity, unit: l.unit },
              { decimal: l.lineTotal, unit: po.currency },
            ]),
          },
        ],
      },
      ...(po.notes ? [{ heading: k('purchasing.orders.notes'), blocks: [{ kind: 'paragraph' as const, text: po.notes }] }] : []),
    ],
    signatures: signatureEntries(signatures),
  };
}
