import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { ActorRef, DecimalString, Id, IsoDate, Nullable } from '../../platform/schema.js';

/**
 * Inventory's contract: lots and serials, their statuses, the stock ledger's movements and
 * balances as the API answers them, its permissions and the events it publishes. The server
 * types its rows and routes from it; the web app imports it.
 */

/** Lot (and serial) status: one tuple types the database check, the API schema and the UI. */
export const LOT_STATUSES = ['quarantine', 'released', 'on_hold', 'rejected', 'consumed', 'shipped', 'expired'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const LOT_KINDS = ['lot', 'serial'] as const;
export type LotKind = (typeof LOT_KINDS)[number];

export const MOVEMENT_TYPES = ['receipt', 'transfer', 'issue', 'return', 'production_output', 'scrap', 'adjustment', 'shipment'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** The lists whose values the screens name, by their catalog prefix. */
export const INVENTORY_VOCABULARY = {
  'inventory.lotStatuses': LOT_STATUSES,
  'inventory.lotKinds': LOT_KINDS,
  'inventory.movementTypes': MOVEMENT_TYPES,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'inventory:read', description: 'See lots, serials, stock on hand and movements' },
  move: { name: 'inventory:move', description: 'Receive, transfer and issue stock' },
  hold: { name: 'inventory:hold', description: 'Put lots on hold and lift holds, with a reason' },
  adjust: { name: 'inventory:adjust', description: 'Book inventory adjustments (signed, meaning verified)' },
  signReleased: { name: 'inventory:sign.released', description: 'Release lots by e-signature (meaning released)' },
  signRejected: { name: 'inventory:sign.rejected', description: 'Reject lots by e-signature (meaning rejected)' },
});
export const INVENTORY_PERMISSIONS = permissions.names;
export const INVENTORY_PERMISSION_LIST = permissions.list;

export const LotStatusSchema = Type.Enum(LOT_STATUSES);
export const MovementTypeSchema = Type.Enum(MOVEMENT_TYPES);

export const Lot = Type.Object({
  id: Id,
  itemId: Id,
  itemRevisionId: Nullable(Id),
  kind: Type.Enum(LOT_KINDS),
  number: Type.String({ description: 'LOT-2026-00042, or the serial number of a serial' }),
  status: LotStatusSchema,
  holdReason: Nullable(Type.String()),
  supplierId: Nullable(Id),
  supplierLot: Nullable(Type.String()),
  manufacturedOn: Nullable(IsoDate),
  expiresOn: Nullable(IsoDate),
  onHand: DecimalString({ description: 'on hand over all locations, base unit' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Lot = Static<typeof Lot>;

export const Reference = Type.Object(
  {
    type: Type.String({ pattern: '^[a-z][a-z0-9_.]{0,59}$', description: 'e.g. purchase_order, work_order, sales_order' }),
    id: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type Reference = Static<typeof Reference>;

/**
 * The record a ledger row was written for, as a typed link (never free text): another module's
 * record — a purchase receipt today; work orders, shipments and returns as those modules arrive —
 * or one of inventory's own operations (then `id` is the operation id its rows share). Each kind
 * is also in the database's check on `stock_movements.source_kind` (migrations 0076, 0077, 0111); a module
 * adding a kind adds it to both.
 */
export const SOURCE_KINDS = [
  'purchase_receipt',
  'stock_receipt',
  'stock_issue',
  'transfer',
  'stock_adjustment',
  'opening_balance',
  'nonconformance',
  'shipment',
  'customer_return',
  'work_order',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A link to the source record: kind, id and, when the record has lines, the line (e.g. the order line a receipt received). */
export const SourceLink = Type.Object(
  {
    kind: Type.Enum(SOURCE_KINDS),
    id: Id,
    line: Type.Optional(Type.Integer({ minimum: 1, description: 'the line of the record, when it has lines' })),
  },
  { additionalProperties: false },
);
export type SourceLink = Static<typeof SourceLink>;

/** The link as the ledger answers it: `line` is null for a record without lines. */
export const MovementSource = Type.Object({ kind: Type.Enum(SOURCE_KINDS), id: Id, line: Nullable(Type.Integer({ minimum: 1 })) });
export type MovementSource = Static<typeof MovementSource>;

export const Movement = Type.Object({
  id: Id,
  operationId: Id,
  movementType: MovementTypeSchema,
  itemId: Id,
  lotId: Nullable(Id),
  quantity: DecimalString(),
  fromLocationId: Nullable(Id),
  toLocationId: Nullable(Id),
  /** A reference a person typed (an outside document's number), shown as written. */
  reference: Nullable(Reference),
  /** The record the movement was written for (null on rows written before the links were kept and not derivable). */
  source: Nullable(MovementSource),
  reason: Nullable(Type.String()),
  actor: ActorRef,
  createdAt: Type.String({ format: 'date-time' }),
});
export type Movement = Static<typeof Movement>;

export const StatusChange = Type.Object({
  id: Id,
  fromStatus: LotStatusSchema,
  toStatus: LotStatusSchema,
  reason: Nullable(Type.String()),
  signatureId: Nullable(Id),
  actor: ActorRef,
  changedAt: Type.String({ format: 'date-time' }),
});
export type StatusChange = Static<typeof StatusChange>;

export const Balance = Type.Object({
  itemId: Id,
  lotId: Nullable(Id),
  lotNumber: Nullable(Type.String()),
  lotStatus: Nullable(LotStatusSchema),
  expiresOn: Nullable(IsoDate),
  locationId: Id,
  siteId: Id,
  quantity: DecimalString(),
});
export type Balance = Static<typeof Balance>;

/** A lot's status step, as each `inventory.lot.*` event carries it. */
export const LotStatusChanged = Type.Object({
  lotId: Id,
  itemId: Id,
  number: Type.String(),
  from: LotStatusSchema,
  to: LotStatusSchema,
  reason: Nullable(Type.String()),
  signatureId: Nullable(Id),
});
export type LotStatusChanged = Static<typeof LotStatusChanged>;

/** Lots created by a receipt or taken over at go-live: thousands of serials are one event. */
export const StockReceived = Type.Object({
  operationId: Id,
  itemId: Id,
  locationId: Id,
  movementType: MovementTypeSchema,
  quantity: DecimalString(),
  lots: Type.Array(Type.Object({ id: Id, number: Type.String() })),
});
export type StockReceived = Static<typeof StockReceived>;

export const StockMoved = Type.Object({
  operationId: Id,
  movementType: MovementTypeSchema,
  itemId: Id,
  lotId: Nullable(Id),
  quantity: DecimalString(),
  fromLocationId: Nullable(Id),
  toLocationId: Nullable(Id),
});
export type StockMoved = Static<typeof StockMoved>;

/** A shipment's lots leaving stock: thousands of serials are one event; the shipping record lists them. */
export const StockShipped = Type.Object({
  operationId: Id,
  source: MovementSource,
  lotCount: Type.Integer({ minimum: 1 }),
  quantity: DecimalString(),
});
export type StockShipped = Static<typeof StockShipped>;

/** Genealogy written when a work order reports output: every lot consumed by it linked to every lot it produced. */
export const LotsLinked = Type.Object({
  operationId: Id,
  workOrderId: Id,
  parents: Type.Integer({ minimum: 0 }),
  children: Type.Integer({ minimum: 1 }),
  links: Type.Integer({ minimum: 0 }),
});
export type LotsLinked = Static<typeof LotsLinked>;

/** The kinds of genealogy link; one today: a consumed lot went into a produced one. */
export const LOT_LINK_KINDS = ['consumed_into'] as const;
export type LotLinkKind = (typeof LOT_LINK_KINDS)[number];

/** Trace directions: forward = where used (what a lot went into), backward = made from. */
export const TRACE_DIRECTIONS = ['forward', 'backward'] as const;
export type TraceDirection = (typeof TRACE_DIRECTIONS)[number];

/** One lot reached by a trace: how far from the start, and the lot and work order it was reached through. */
export const TracedLot = Type.Object({
  lotId: Id,
  number: Type.String(),
  kind: Type.Enum(LOT_KINDS),
  itemId: Id,
  itemCode: Type.String(),
  itemName: Type.String(),
  status: LotStatusSchema,
  depth: Type.Integer({ minimum: 1 }),
  viaLotId: Id,
  workOrderId: Id,
  workOrderNumber: Type.Optional(Type.String({ description: 'the work order that made the link, by number' })),
  supplier: Type.Optional(
    Type.Object({ id: Id, code: Type.String(), name: Type.String() }, { description: 'the supplier the lot was received from' }),
  ),
  supplierLot: Type.Optional(Type.String({ description: "the supplier's own lot number" })),
});
export type TracedLot = Static<typeof TracedLot>;

export const Trace = Type.Object({
  lotId: Id,
  direction: Type.Enum(TRACE_DIRECTIONS),
  maxDepth: Type.Integer(),
  lots: Type.Array(TracedLot),
  truncated: Type.Boolean({ description: 'more lots were reached than the limit returns' }),
});
export type Trace = Static<typeof Trace>;

/**
 * A trace as the tree it was walked as: the lots reached through each lot (the start lot's
 * under its own id), in the trace's order. Each lot is reached once, through one lot nearer the
 * start, so this is a tree even where production joined several lots into one.
 */
export function traceChildren(lots: readonly TracedLot[]): Map<string, TracedLot[]> {
  const children = new Map<string, TracedLot[]>();
  for (const lot of lots) {
    const siblings = children.get(lot.viaLotId);
    if (siblings) siblings.push(lot);
    else children.set(lot.viaLotId, [lot]);
  }
  return children;
}

/** The trace's lots depth first from the start lot, each followed by the lots reached through it: the order of an indented tree. */
export function traceInTreeOrder(trace: Pick<Trace, 'lotId' | 'lots'>): TracedLot[] {
  const children = traceChildren(trace.lots);
  const ordered: TracedLot[] = [];
  const stack = [...(children.get(trace.lotId) ?? [])].reverse();
  for (let lot = stack.pop(); lot; lot = stack.pop()) {
    ordered.push(lot);
    stack.push(...[...(children.get(lot.lotId) ?? [])].reverse());
  }
  return ordered;
}

export const OutputReleased = Type.Object({
  workOrderId: Id,
  lotCount: Type.Integer({ minimum: 1 }),
  signatureId: Id,
});
export type OutputReleased = Static<typeof OutputReleased>;

export const LotSetHeld = Type.Object({
  source: Type.Object({ kind: Type.String({ examples: ['recall'] }), id: Id }),
  lotCount: Type.Integer({ minimum: 1 }),
  reason: Type.String(),
  signatureId: Id,
});

const lotStep = (verb: string, when: string) =>
  ({ type: `inventory.lot.${verb}`, aggregate: 'inventory.lot', when, data: LotStatusChanged }) as const;

/**
 * What inventory publishes. Lot status changes carry the lot as aggregate, so subscribers see
 * one lot's history in order; a receipt (possibly thousands of serials) is one event.
 */
export const INVENTORY_EVENTS = defineEvents({
  quarantined: {
    type: 'inventory.lot.quarantined',
    aggregate: 'inventory.receipt',
    when: 'lots created in quarantine by a receipt (thousands of serials are one event)',
    data: StockReceived,
  },
  takenOver: {
    type: 'inventory.stock.takenOver',
    aggregate: 'inventory.receipt',
    when: 'stock taken over from the previous system at go-live',
    data: StockReceived,
  },
  released: lotStep('released', 'a lot is released (signed)'),
  rejected: lotStep('rejected', 'a lot is rejected (signed)'),
  held: lotStep('held', 'a lot is put on hold, with a reason'),
  unheld: lotStep('unheld', "a lot's hold is lifted, with a reason"),
  expired: lotStep('expired', 'a lot passes its expiry date'),
  consumed: lotStep('consumed', "a lot's last stock is issued to production"),
  unconsumed: lotStep('unconsumed', 'unused material of a consumed lot comes back from a work order into stock (released again)'),
  shipped: lotStep('shipped', "a lot's last stock is shipped"),
  returned: lotStep('returned', 'a lot or serial a customer returned is received back: the lot is in quarantine until quality decides'),
  stockShipped: {
    type: 'inventory.stock.shipped',
    aggregate: 'inventory.shipment',
    when: "a shipment's lots and serials leave stock for a customer (one event per shipment; emptied lots become shipped)",
    data: StockShipped,
  },
  outputReleased: {
    type: 'inventory.output.released',
    aggregate: 'inventory.receipt',
    when: "a work order's finished lots and serials are released together under QA's signature (one event, whatever the number of serials)",
    data: OutputReleased,
  },
  setHeld: {
    type: 'inventory.lots.held',
    aggregate: 'inventory.hold',
    when: 'every usable lot and serial of a set that still has stock is put on hold under one signature, e.g. by a recall (one event for the set)',
    data: LotSetHeld,
  },
  linked: {
    type: 'inventory.genealogy.linked',
    aggregate: 'inventory.receipt',
    when: "a work order's output is linked to the lots and serials consumed by it (one event per output, whatever the number of links)",
    data: LotsLinked,
  },
  moved: {
    type: 'inventory.stock.moved',
    aggregate: 'inventory.lot',
    when: 'a transfer, issue or signed adjustment (aggregate `inventory.item` for stock without a lot)',
    data: StockMoved,
  },
});
