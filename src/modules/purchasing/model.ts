import { Decimal, dec } from '../../platform/decimal.js';
import { Conflict } from '../../platform/errors.js';

/** Purchase order status: one tuple types the database check, the API schema and the UI. */
export const PO_STATUSES = ['draft', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled'] as const;
export type PoStatus = (typeof PO_STATUSES)[number];

/**
 * The purchase order state machine. Receiving moves sent → partially_received → received by
 * itself (see statusAfterReceipt); people approve (by signature), send, close and cancel.
 */
export const PO_TRANSITIONS = {
  approve: { from: ['draft'], to: 'approved', signature: 'approved' },
  send: { from: ['approved'], to: 'sent' },
  receivePart: { from: ['sent', 'partially_received'], to: 'partially_received' },
  receiveAll: { from: ['sent', 'partially_received'], to: 'received' },
  close: { from: ['partially_received', 'received'], to: 'closed' },
  cancel: { from: ['draft', 'approved', 'sent'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly PoStatus[]; to: PoStatus; signature?: string }>;
export type PoTransition = keyof typeof PO_TRANSITIONS;

/** The status a transition leads to, or a 409 naming what is possible from here. */
export function transitionPo(po: { number: string; status: PoStatus }, transition: PoTransition): PoStatus {
  const step = PO_TRANSITIONS[transition];
  if ((step.from as readonly PoStatus[]).includes(po.status)) return step.to;
  const possible = (Object.keys(PO_TRANSITIONS) as PoTransition[]).filter((t) =>
    (PO_TRANSITIONS[t].from as readonly PoStatus[]).includes(po.status),
  );
  throw new Conflict(`purchase order ${po.number} is ${po.status}: cannot ${transition} (possible: ${possible.join(', ') || 'none'})`, {
    code: 'error.state.illegalTransition',
    params: { number: po.number, status: po.status, transition, allowed: possible.join(', ') },
  });
}

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

/** Whether every line has its ordered quantity in: the order is then received, else partially. */
export function statusAfterReceipt(lines: readonly Pick<LineQuantities, 'quantity' | 'receivedQuantity'>[]): 'receiveAll' | 'receivePart' {
  return lines.every((l) => dec(l.receivedQuantity).gte(dec(l.quantity))) ? 'receiveAll' : 'receivePart';
}

/** On-time share in percent, two decimals; null when there is nothing to measure. */
export function onTimePercent(onTime: number, total: number): string | null {
  if (total === 0) return null;
  return new Decimal(onTime).mul(100).div(total).toDecimalPlaces(2).toFixed(2);
}
