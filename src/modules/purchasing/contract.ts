import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { DecimalString, Id, Nullable } from '../../platform/schema.js';

/**
 * Purchasing's contract: order statuses, permissions and the events of orders and receipts.
 * The server and the web app both build on it.
 */

/** Purchase order status: one tuple types the database check, the API schema and the UI. */
export const PO_STATUSES = ['draft', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled'] as const;
export type PoStatus = (typeof PO_STATUSES)[number];

/** The lists whose values the screens name, by their catalog prefix. */
export const PURCHASING_VOCABULARY = { 'purchasing.orderStatuses': PO_STATUSES } as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'purchasing:read', description: 'See purchase orders, receipts, certificates and supplier delivery performance' },
  write: { name: 'purchasing:write', description: 'Create and change draft purchase orders; send, close and cancel orders' },
  receive: { name: 'purchasing:receive', description: 'Receive goods against purchase orders into quarantine and attach certificates' },
  signApproved: { name: 'purchasing:sign.approved', description: 'Approve purchase orders by e-signature (meaning approved)' },
});
export const PURCHASING_PERMISSIONS = permissions.names;
export const PURCHASING_PERMISSION_LIST = permissions.list;

const OrderStep = Type.Object({
  number: Type.String(),
  supplierId: Id,
  from: Type.Enum(PO_STATUSES),
  to: Type.Enum(PO_STATUSES),
  signatureId: Nullable(Id),
});
const orderStep = (verb: string, when: string) =>
  ({ type: `purchasing.po.${verb}`, aggregate: 'purchasing.po', when, data: OrderStep }) as const;

/** Goods received against an order line: one lot (or serials) in quarantine. */
export const ReceiptPosted = Type.Object({
  receiptId: Id,
  number: Type.String(),
  poId: Id,
  lotId: Id,
  itemId: Id,
  supplierId: Id,
  quantity: DecimalString({ description: "in the item's base unit, as the lot holds it" }),
});
export type ReceiptPosted = Static<typeof ReceiptPosted>;

/** Domain events purchasing publishes; `purchasing.receipt.posted` starts incoming inspection. */
export const PURCHASING_EVENTS = defineEvents({
  approved: orderStep('approved', 'a purchase order is approved (signed, not by its creator)'),
  sent: orderStep('sent', 'an approved order is sent to the supplier'),
  partiallyReceived: orderStep('partiallyReceived', 'a first part of the order is received'),
  received: orderStep('received', 'every line of the order is received'),
  closed: orderStep('closed', 'the order is closed'),
  cancelled: orderStep('cancelled', 'the order is cancelled before anything is received (with a reason)'),
  receiptPosted: {
    type: 'purchasing.receipt.posted',
    aggregate: 'purchasing.receipt',
    when: 'goods received against an order line (starts the incoming inspection)',
    data: ReceiptPosted,
  },
});
