import { type Static, Type } from 'typebox';
import { DecimalString } from '../../platform/decimal.js';

/** Lot (and serial) status: one tuple types the database check, the API schema and the UI. */
export const LOT_STATUSES = ['quarantine', 'released', 'on_hold', 'rejected', 'consumed', 'shipped', 'expired'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const LOT_KINDS = ['lot', 'serial'] as const;
export type LotKind = (typeof LOT_KINDS)[number];

export const MOVEMENT_TYPES = ['receipt', 'transfer', 'issue', 'return', 'production_output', 'scrap', 'adjustment', 'shipment'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

export const Id = Type.String({ format: 'uuid' });
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const LotStatusSchema = Type.Enum(LOT_STATUSES);
export const MovementTypeSchema = Type.Enum(MOVEMENT_TYPES);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

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
 * is also in the database's check on `stock_movements.source_kind` (migration 0076); a module
 * adding a kind adds it to both.
 */
export const SOURCE_KINDS = [
  'purchase_receipt',
  'stock_receipt',
  'stock_issue',
  'transfer',
  'stock_adjustment',
  'opening_balance',
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
  actor: Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String() }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Movement = Static<typeof Movement>;

export const StatusChange = Type.Object({
  id: Id,
  fromStatus: LotStatusSchema,
  toStatus: LotStatusSchema,
  reason: Nullable(Type.String()),
  signatureId: Nullable(Id),
  actor: Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String() }),
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

/** A lot may be issued to production or shipped only when released and not past its expiry date. */
export function isUsable(lot: Pick<Lot, 'status' | 'expiresOn'>, today: string): boolean {
  return lot.status === 'released' && !isPastExpiry(lot, today);
}

/** Usable through its expiry date; expired from the day after. */
export function isPastExpiry(lot: Pick<Lot, 'expiresOn'>, today: string): boolean {
  return lot.expiresOn !== null && lot.expiresOn < today;
}
