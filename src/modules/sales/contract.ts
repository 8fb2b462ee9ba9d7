import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { DecimalString, Id, Nullable } from '../../platform/schema.js';

/**
 * Sales' contract: order statuses, licence kinds, permissions and the events of orders and
 * shipments. The server and the web app both build on it.
 */

/** Sales order status: one tuple types the database check, the API schema and the UI. */
export const SO_STATUSES = ['draft', 'confirmed', 'partially_shipped', 'shipped', 'closed', 'cancelled'] as const;
export type SoStatus = (typeof SO_STATUSES)[number];

/** Orders goods may be picked and shipped against. */
export const SHIPPABLE_STATUSES = ['confirmed', 'partially_shipped'] as const satisfies readonly SoStatus[];

/** China's 医疗器械经营许可证 (distribution licence, class III), 经营备案 (filing, class II), a hospital's licence, or another. */
export const LICENCE_KINDS = ['distribution_licence', 'distribution_filing', 'hospital_licence', 'other'] as const;
export type LicenceKind = (typeof LICENCE_KINDS)[number];

/** The lists whose values the screens name, by their catalog prefix. */
export const SALES_VOCABULARY = {
  'sales.orderStatuses': SO_STATUSES,
  'sales.licenceKinds': LICENCE_KINDS,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'sales:read', description: 'See sales orders, shipments, sales records and customer licences' },
  order: { name: 'sales:order', description: 'Create, change, confirm, close and cancel sales orders' },
  licence: { name: 'sales:licence', description: "Record customers' licences and whether a customer needs one" },
  ship: { name: 'sales:shipment.ship', description: 'Pick, pack and ship the exact lots and serials of an order' },
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
});
