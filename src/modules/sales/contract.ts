import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { DecimalString, Id, Nullable } from '../../platform/schema.js';

/**
 * Sales' contract: order and return statuses, licence kinds, disposition kinds, permissions and the
 * events of orders, shipments and customers' returns. The server and the web app both build on it.
 */

/** Sales order status: one tuple types the database check, the API schema and the UI. */
export const SO_STATUSES = ['draft', 'confirmed', 'partially_shipped', 'shipped', 'closed', 'cancelled'] as const;
export type SoStatus = (typeof SO_STATUSES)[number];

/** Orders goods may be picked and shipped against. */
export const SHIPPABLE_STATUSES = ['confirmed', 'partially_shipped'] as const satisfies readonly SoStatus[];

/** China's 医疗器械经营许可证 (distribution licence, class III), 经营备案 (filing, class II), a hospital's licence, or another. */
export const LICENCE_KINDS = ['distribution_licence', 'distribution_filing', 'hospital_licence', 'other'] as const;
export type LicenceKind = (typeof LICENCE_KINDS)[number];

/**
 * A customer's return (RMA): authorised against a shipment, received back into quarantine (in part
 * or in full), every received quantity dispositioned, closed; cancelled only before anything came back.
 */
export const RETURN_STATUSES = ['authorised', 'partially_received', 'received', 'dispositioned', 'closed', 'cancelled'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** Returns goods may still arrive against. */
export const RECEIVABLE_RETURN_STATUSES = ['authorised', 'partially_received'] as const satisfies readonly ReturnStatus[];

/** Returns whose received goods may be dispositioned. */
export const DISPOSITIONABLE_RETURN_STATUSES = ['partially_received', 'received'] as const satisfies readonly ReturnStatus[];

/** What quality decides for returned goods: back into released stock, scrapped, or into a nonconformance. */
export const RETURN_DISPOSITIONS = ['restock', 'scrap', 'ncr'] as const;
export type ReturnDisposition = (typeof RETURN_DISPOSITIONS)[number];

/** The lists whose values the screens name, by their catalog prefix. */
export const SALES_VOCABULARY = {
  'sales.orderStatuses': SO_STATUSES,
  'sales.licenceKinds': LICENCE_KINDS,
  'sales.returnStatuses': RETURN_STATUSES,
  'sales.returnDispositions': RETURN_DISPOSITIONS,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'sales:read', description: 'See sales orders, shipments, sales records and customer licences' },
  order: { name: 'sales:order', description: 'Create, change, confirm, close and cancel sales orders' },
  licence: { name: 'sales:licence', description: "Record customers' licences and whether a customer needs one" },
  ship: { name: 'sales:shipment.ship', description: 'Pick, pack and ship the exact lots and serials of an order' },
  returnAuthorise: {
    name: 'sales:return.authorise',
    description: "Authorise a customer's return against a shipment, close it once dispositioned, cancel it before anything came back",
  },
  returnReceive: { name: 'sales:return.receive', description: 'Receive the lots and serials of a customer return into quarantine' },
  signReturnDisposition: {
    name: 'sales:sign.returnDisposition',
    description: 'Disposition returned goods by e-signature: restock (meaning released), scrap or a nonconformance (meaning approved)',
  },
});
export const SALES_PERMISSIONS = permissions.names;
export const SALES_PERMISSION_LIST = permissions.list;

const OrderStep = Type.Object({
  number: Type.String(),
  customerId: Id,
  from: Type.Enum(SO_STATUSES),
  to: Type.Enum(SO_STATUSES),
  signatureId: Nullable(Id),
});
const orderStep = (verb: string, when: string) =>
  ({ type: `sales.order.${verb}`, aggregate: 'sales.order', when, data: OrderStep }) as const;

export const ShipmentShipped = Type.Object({
  shipmentId: Id,
  number: Type.String(),
  orderId: Id,
  customerId: Id,
  shipToId: Id,
  lotCount: Type.Integer({ minimum: 1 }),
  quantity: DecimalString(),
});
export type ShipmentShipped = Static<typeof ShipmentShipped>;

const ReturnLot = Type.Object({ lineNo: Type.Integer({ minimum: 1 }), lotId: Id, quantity: DecimalString() });

export const ReturnAuthorised = Type.Object({
  returnId: Id,
  number: Type.String(),
  shipmentId: Id,
  customerId: Id,
  lines: Type.Array(ReturnLot),
});

export const ReturnReceived = Type.Object({
  returnId: Id,
  number: Type.String(),
  from: Type.Enum(RETURN_STATUSES),
  to: Type.Enum(RETURN_STATUSES),
  locationId: Id,
  lines: Type.Array(ReturnLot),
});

export const ReturnDispositioned = Type.Object({
  returnId: Id,
  number: Type.String(),
  from: Type.Enum(RETURN_STATUSES),
  to: Type.Enum(RETURN_STATUSES),
  dispositions: Type.Array(
    Type.Object({
      dispositionId: Id,
      lineNo: Type.Integer({ minimum: 1 }),
      lotId: Id,
      kind: Type.Enum(RETURN_DISPOSITIONS),
      quantity: DecimalString(),
      nonconformanceId: Nullable(Id),
    }),
  ),
});

const ReturnStep = Type.Object({
  returnId: Id,
  number: Type.String(),
  from: Type.Enum(RETURN_STATUSES),
  to: Type.Enum(RETURN_STATUSES),
  signatureId: Nullable(Id),
});

/** Domain events sales publishes. */
export const SALES_EVENTS = defineEvents({
  confirmed: orderStep('confirmed', 'a sales order is confirmed (the customer licensed for every line)'),
  partiallyShipped: orderStep('partiallyShipped', 'a first part of the order is shipped'),
  shipped: orderStep('shipped', 'every line of the order is shipped'),
  closed: orderStep('closed', 'the order is closed'),
  cancelled: orderStep('cancelled', 'the order is cancelled before anything ships (with a reason)'),
  shipmentShipped: {
    type: 'sales.shipment.shipped',
    aggregate: 'sales.shipment',
    when: 'a shipment leaves: its lots and serials are out of stock and in the sales records',
    data: ShipmentShipped,
  },
  returnAuthorised: {
    type: 'sales.return.authorised',
    aggregate: 'sales.return',
    when: "a customer's return is authorised for exact lots and serials of a shipment",
    data: ReturnAuthorised,
  },
  returnReceived: {
    type: 'sales.return.received',
    aggregate: 'sales.return',
    when: 'returned lots and serials are received back into quarantine (in part or in full)',
    data: ReturnReceived,
  },
  returnDispositioned: {
    type: 'sales.return.dispositioned',
    aggregate: 'sales.return',
    when: 'quality signs what becomes of received quantities: restocked, scrapped or taken into a nonconformance',
    data: ReturnDispositioned,
  },
  returnClosed: {
    type: 'sales.return.closed',
    aggregate: 'sales.return',
    when: 'a return is closed: every quantity received is dispositioned',
    data: ReturnStep,
  },
  returnCancelled: {
    type: 'sales.return.cancelled',
    aggregate: 'sales.return',
    when: 'a return is cancelled, with a reason, before anything came back',
    data: ReturnStep,
  },
});

const Quantity = DecimalString();
const Time = Type.String({ format: 'date-time' });

/** What of a shipment line's lot or serial may still be returned: shipped less what open and closed returns authorised. */
export const ReturnableLotSchema = Type.Object({
  shipmentLineNo: Type.Integer({ minimum: 1 }),
  itemId: Id,
  lotId: Id,
  lotKind: Type.Enum(['lot', 'serial']),
  lotNumber: Type.String(),
  shipped: Quantity,
  authorised: Quantity,
  returnable: Quantity,
});
export type ReturnableLot = Static<typeof ReturnableLotSchema>;

export const ReturnLineSchema = Type.Object({
  id: Id,
  lineNo: Type.Integer({ minimum: 1 }),
  shipmentLineNo: Type.Integer({ minimum: 1 }),
  itemId: Id,
  lotId: Id,
  lotKind: Type.Enum(['lot', 'serial']),
  lotNumber: Type.String(),
  authorisedQuantity: Quantity,
  receivedQuantity: Quantity,
  dispositionedQuantity: Quantity,
  /** Authorised and not yet received. */
  toReceive: Quantity,
  /** Received and not yet dispositioned. */
  toDisposition: Quantity,
  quarantineLocationId: Nullable(Id),
  receivedBy: Nullable(Type.String()),
  receivedAt: Nullable(Time),
});
export type ReturnLine = Static<typeof ReturnLineSchema>;

export const ReturnDispositionSchema = Type.Object({
  id: Id,
  lineNo: Type.Integer({ minimum: 1 }),
  returnLineNo: Type.Integer({ minimum: 1 }),
  lotId: Id,
  lotNumber: Type.String(),
  kind: Type.Enum(RETURN_DISPOSITIONS),
  quantity: Quantity,
  restockLocationId: Nullable(Id),
  justification: Type.String(),
  nonconformanceId: Nullable(Id),
  ncrNumber: Nullable(Type.String()),
  decidedBy: Type.String(),
  decidedAt: Time,
});
export type ReturnDispositionRow = Static<typeof ReturnDispositionSchema>;

export const ReturnSummarySchema = Type.Object({
  id: Id,
  number: Type.String({ examples: ['RMA-2026-00001'] }),
  shipmentId: Id,
  shipmentNumber: Type.String(),
  orderId: Id,
  orderNumber: Type.String(),
  customerId: Id,
  customer: Type.Object({ code: Type.String(), name: Type.String() }),
  siteId: Id,
  reason: Type.String(),
  status: Type.Enum(RETURN_STATUSES),
  cancelReason: Nullable(Type.String()),
  authorisedQuantity: Quantity,
  receivedQuantity: Quantity,
  dispositionedQuantity: Quantity,
  /** The lot and serial numbers of the return, in line order. */
  lotNumbers: Type.Array(Type.String()),
  version: Type.Integer(),
  createdBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  createdAt: Time,
  closedAt: Nullable(Time),
});
export type ReturnSummary = Static<typeof ReturnSummarySchema>;

export const ReturnDetailSchema = Type.Object({
  ...ReturnSummarySchema.properties,
  lines: Type.Array(ReturnLineSchema),
  dispositions: Type.Array(ReturnDispositionSchema),
  allowedTransitions: Type.Array(Type.Enum(RETURN_STATUSES)),
});
export type ReturnDetail = Static<typeof ReturnDetailSchema>;
