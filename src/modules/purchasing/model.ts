import { sql } from '../../platform/db/index.js';
import { Decimal, dec } from '../../platform/decimal.js';
import { defineSignable } from '../../platform/esign/index.js';
import { defineMachine } from '../../platform/statemachine/index.js';
import { PO_STATUSES, type PoStatus, PURCHASING_EVENTS, PURCHASING_PERMISSIONS } from './contract.js';

/** Statuses in which goods are received against an order. */
export const RECEIVABLE_STATUSES: readonly PoStatus[] = ['sent', 'partially_received'];

/**
 * What an approval signature covers: the supplier, site, currency and every line. Any change to
 * them after approval shows the signature as no longer valid.
 */
export const purchaseOrderSignable = defineSignable({
  entity: 'purchase_orders',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT po.number, po.supplier_id AS "supplierId", po.site_id AS "siteId", po.currency,
              coalesce((SELECT json_agg(json_build_object('lineNo', l.line_no, 'itemId', l.item_id, 'quantity', l.quantity::text,
                         'unit', l.unit, 'unitPrice', l.unit_price::text, 'dueDate', l.due_date::text,
                         'overReceiptTolerancePct', l.over_receipt_tolerance_pct::text) ORDER BY l.line_no)
                          FROM purchase_order_lines l WHERE l.po_id = po.id), '[]') AS lines
         FROM purchase_orders po WHERE po.id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'approved' ? PURCHASING_PERMISSIONS.signApproved : undefined),
});

/**
 * draft → approved (signed) → sent → partially_received → received → closed, or cancelled
 * before anything is received. Receiving moves the order by itself (statusAfterReceipt).
 */
export const purchaseOrderLifecycle = defineMachine<PoStatus, { id: string; createdById: string | null }>({
  entity: 'purchase_orders',
  states: PO_STATUSES,
  transitions: [
    {
      name: 'approve',
      from: ['draft'],
      to: 'approved',
      // Segregation of duties: whoever created the order cannot approve it.
      signature: { meaning: 'approved', duties: [{ rule: 'notCreator', persons: (po) => [po.createdById] }] },
      event: PURCHASING_EVENTS.approved,
    },
    { name: 'send', from: ['approved'], to: 'sent', event: PURCHASING_EVENTS.sent },
    { name: 'receive in part', from: ['sent'], to: 'partially_received', event: PURCHASING_EVENTS.partiallyReceived },
    { name: 'receive in full', from: ['sent', 'partially_received'], to: 'received', event: PURCHASING_EVENTS.received },
    { name: 'close', from: ['partially_received', 'received'], to: 'closed', event: PURCHASING_EVENTS.closed },
    { name: 'cancel', from: ['draft', 'approved', 'sent'], to: 'cancelled', reasonRequired: true, event: PURCHASING_EVENTS.cancelled },
  ],
});

/** Lines (items, quantities, prices, dates) change only while the order is a draft. */
export const isPoEditable = (po: { status: PoStatus }): boolean => po.status === 'draft';

export interface LineQuantities {
  quantity: string;
  receivedQuantity: string;
  overReceiptTolerancePct: string;
}

/** The most that may still be received on a line: ordered plus tolerance, less what came. */
export function openToReceive(line: LineQuantities): Decimal {
  const ceiling = dec(line.quantity).mul(new Decimal(100).add(dec(line.overReceiptTolerancePct)).div(100));
  return Decimal.max(ceiling.sub(dec(line.receivedQuantity)), 0);
}

/** Every line has its ordered quantity in: the order is received, else partially received. */
export function statusAfterReceipt(
  lines: readonly Pick<LineQuantities, 'quantity' | 'receivedQuantity'>[],
): 'received' | 'partially_received' {
  return lines.every((l) => dec(l.receivedQuantity).gte(dec(l.quantity))) ? 'received' : 'partially_received';
}

/** On-time share in percent, two decimals; null when there is nothing to measure. */
export function onTimePercent(onTime: number, total: number): string | null {
  if (total === 0) return null;
  return new Decimal(onTime).mul(100).div(total).toDecimalPlaces(2).toFixed(2);
}
