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

export const Movement = Type.Object({
  id: Id,
  operationId: Id,
  movementType: MovementTypeSchema,
  itemId: Id,
  lotId: Nullable(Id),
  quantity: DecimalString(),
  fromLocationId: Nullable(Id),
  toLocationId: Nullable(Id),
  reference: Nullable(Reference),
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
