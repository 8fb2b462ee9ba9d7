import { sql, type Tx } from '../../platform/db/index.js';
import { type Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict, invalidFields, ValidationFailed } from '../../platform/errors.js';
import { defineSignable, sign } from '../../platform/esign/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { siteToday } from '../../platform/tenancy/index.js';
import { MAX_QUANTITY, quantityErrors } from '../masterdata/index.js';
import { INVENTORY_PERMISSIONS, type Lot, type MovementType, type Reference, type SourceLink } from './contract.js';
import { emitStockMoved } from './events.js';
import { closeIfDepleted, getLot, isUsable, type Signing } from './lots.js';
import { ADMITS, type StockItem, type StockLocation, stockItem, stockLocation, stockLocations } from './places.js';

/** One row of the ledger as a service writes it; actor and time are stamped by the database. */
export interface Posting {
  operationId: string;
  movementType: MovementType;
  itemId: string;
  lot: Lot | null;
  quantity: Decimal;
  from?: StockLocation | undefined;
  to?: StockLocation | undefined;
  reference?: Reference | undefined;
  /** The record the movement is written for; inventory's own operations name themselves. */
  source: SourceLink;
  reason?: string | undefined;
}

/** Writes one movement and returns its id; the ledger trigger updates the balances or refuses negative stock. */
export async function post(tx: Tx, p: Posting): Promise<string> {
  const id = uuidv7();
  const posted = tx.query(sql`INSERT INTO stock_movements (id, operation_id, movement_type, item_id, lot_id, quantity,
      from_location_id, from_site_id, to_location_id, to_site_id, reference_type, reference_id, source_kind, source_id, source_line,
      reason)
    VALUES (${id}, ${p.operationId}, ${p.movementType}, ${p.itemId}, ${p.lot?.id ?? null}, ${decText(p.quantity)},
      ${p.from?.id ?? null}, ${p.from?.siteId ?? null}, ${p.to?.id ?? null}, ${p.to?.siteId ?? null},
      ${p.reference?.type ?? null}, ${p.reference?.id ?? null}, ${p.source.kind}, ${p.source.id}, ${p.source.line ?? null},
      ${p.reason ?? null})`);
  // The event goes out behind the movement without waiting for it (one round trip on PostgreSQL);
  // a refused movement aborts the transaction, and the event with it.
  const emitted = emitStockMoved(
    tx,
    {
      operationId: p.operationId,
      movementType: p.movementType,
      itemId: p.itemId,
      lotId: p.lot?.id ?? null,
      quantity: decText(p.quantity),
      fromLocationId: p.from?.id ?? null,
      toLocationId: p.to?.id ?? null,
    },
    (p.from ?? p.to)!.siteId,
  );
  try {
    await posted;
  } catch (err) {
    await emitted.catch(() => undefined);
    throw insufficientStock(err, p) ?? err;
  }
  await emitted;
  return id;
}

/** The ledger trigger's refusal (SQLSTATE MFI01) as the 409 the caller can act on. */
function insufficientStock(err: unknown, p: Posting): Conflict | undefined {
  const e = err as { code?: string; detail?: string };
  if (e?.code !== 'MFI01') return undefined;
  const { available, requested } = JSON.parse(e.detail ?? '{}') as { available: string; requested: string };
  const what = p.lot ? `lot ${p.lot.number}` : `item ${p.itemId}`;
  return new Conflict(`insufficient stock of ${what} at ${p.from?.code}: ${available} on hand, ${requested} requested`, {
    code: 'error.inventory.insufficient',
    params: { lot: p.lot?.number ?? '', location: p.from?.code ?? '', available, requested },
  });
}

export function positiveQuantity(value: string, pointer = '/body/quantity'): Decimal {
  const q = dec(value, 'quantity');
  if (q.lte(0)) {
    throw new ValidationFailed('quantity must be greater than zero', [{ pointer, message: 'must be greater than zero' }], {
      code: 'error.inventory.quantity',
    });
  }
  if (q.gt(MAX_QUANTITY)) {
    throw new ValidationFailed(
      'the quantity is implausibly large',
      [{ pointer, message: 'is implausibly large', code: 'error.quantity.tooLarge' }],
      {
        code: 'error.quantity.tooLarge',
      },
    );
  }
  return q;
}

/**
 * A positive, plausible quantity of an item in its base unit: whole when the unit is counted.
 * Only a fraction needs the item's unit looked up, so whole quantities cost no read.
 */
export async function itemQuantity(tx: Tx, itemId: string, value: string, pointer = '/body/quantity'): Promise<Decimal> {
  const q = positiveQuantity(value, pointer);
  return q.isInteger() ? q : quantityIn(q, (await stockItem(tx, itemId)).baseUnit, pointer);
}

/** The same for an item already read. */
export function quantityOf(item: Pick<StockItem, 'baseUnit'>, value: string, pointer = '/body/quantity'): Decimal {
  const q = positiveQuantity(value, pointer);
  return q.isInteger() ? q : quantityIn(q, item.baseUnit, pointer);
}

function quantityIn(q: Decimal, baseUnit: string, pointer: string): Decimal {
  const errors = quantityErrors(q, baseUnit, pointer);
  if (errors.length) throw invalidFields('the quantity is not valid', errors, 'error.quantity.invalid');
  return q;
}

/**
 * The lot a movement names, locked: FOR SHARE lets transfers of one lot run side by side while a
 * hold or release waits; issues take it FOR UPDATE, so issues of one lot are serialised and the
 * one that empties it can close it (consumed, shipped) without waiting on another's share lock.
 * A movement without a lot must be of an untracked item. (A lot names its item, so a tracked
 * movement needs no item lookup: one round trip fewer on the busiest path.)
 */
export async function lotOf(
  tx: Tx,
  itemId: string,
  lotId: string | undefined,
  quantity: Decimal,
  lock: 'share' | 'update' = 'share',
): Promise<Lot | null> {
  if (!lotId) {
    const item = await stockItem(tx, itemId);
    if (item.tracking === 'none') return null;
    throw fieldError('/body/lotId', `item ${item.code} is ${item.tracking}-controlled: name the lot`, 'error.inventory.lotRequired');
  }
  const lot = await getLot(tx, lotId, { lock });
  if (lot.itemId !== itemId) throw fieldError('/body/lotId', `lot ${lot.number} is not a lot of this item`, 'error.inventory.lotItem');
  if (lot.kind === 'serial' && !quantity.eq(1)) {
    throw fieldError('/body/quantity', `serial ${lot.number} is one unit: quantity must be 1`, 'error.inventory.serialQuantity');
  }
  return lot;
}

export function fieldError(pointer: string, detail: string, code: string): ValidationFailed {
  return new ValidationFailed(detail, [{ pointer, message: detail }], { code });
}

async function assertUsable(tx: Tx, lot: Lot | null, location: StockLocation): Promise<void> {
  if (!lot || isUsable(lot, await siteToday(tx, location.siteId))) return;
  const why = lot.status === 'released' ? `expired on ${lot.expiresOn}` : `is ${lot.status.replace('_', ' ')}`;
  throw new Conflict(`lot ${lot.number} ${why}: only released, unexpired lots may be issued`, {
    code: 'error.inventory.lot.notUsable',
    params: { number: lot.number, status: lot.status },
  });
}

export interface IssueInput {
  itemId: string;
  lotId?: string | undefined;
  locationId: string;
  quantity: string;
  /** production: consumed by a work order; shipment: leaves for a customer. */
  purpose: 'production' | 'shipment';
  reference: Reference;
  /** The record the stock leaves for; default the issue itself (`stock_issue`). */
  source?: SourceLink | undefined;
}

/** Stock leaves inventory for a work order or a shipment; only usable lots qualify. */
export async function issue(tx: Tx, input: IssueInput): Promise<{ operationId: string }> {
  const quantity = await itemQuantity(tx, input.itemId, input.quantity);
  const [from, lot] = await Promise.all([stockLocation(tx, input.locationId), lotOf(tx, input.itemId, input.lotId, quantity, 'update')]);
  await assertUsable(tx, lot, from);
  const operationId = uuidv7();
  const movementType = input.purpose === 'production' ? 'issue' : 'shipment';
  const source = input.source ?? { kind: 'stock_issue', id: operationId };
  await post(tx, { operationId, movementType, itemId: input.itemId, lot, quantity, from, reference: input.reference, source });
  if (lot) await closeIfDepleted(tx, lot.id, input.purpose === 'production' ? 'consumed' : 'shipped');
  return { operationId };
}

export interface TransferInput {
  itemId: string;
  lotId?: string | undefined;
  fromLocationId: string;
  toLocationId: string;
  quantity: string;
  reason?: string | undefined;
  reference?: Reference | undefined;
  /** The record the stock moves for; default the transfer itself. */
  source?: SourceLink | undefined;
}

/** Moves stock between two locations of one site, if the destination admits the lot's status. */
export async function transfer(tx: Tx, input: TransferInput): Promise<{ operationId: string }> {
  const quantity = await itemQuantity(tx, input.itemId, input.quantity);
  if (input.fromLocationId === input.toLocationId) {
    throw fieldError('/body/toLocationId', 'a transfer needs two different locations', 'error.inventory.transfer.sameLocation');
  }
  // Both reads go out together (one round trip on PostgreSQL).
  const [[from, to], lot] = (await Promise.all([
    stockLocations(tx, [input.fromLocationId, input.toLocationId]),
    lotOf(tx, input.itemId, input.lotId, quantity),
  ])) as [[StockLocation, StockLocation], Lot | null];
  if (from.siteId !== to.siteId) {
    throw new Conflict(`${from.code} and ${to.code} are at different sites: transfers stay within one site`, {
      code: 'error.inventory.transfer.crossSite',
      params: { from: from.code, to: to.code },
    });
  }
  if (lot) await assertAdmits(tx, lot, to);
  const operationId = uuidv7();
  const source = input.source ?? { kind: 'transfer', id: operationId };
  await post(tx, { operationId, movementType: 'transfer', itemId: input.itemId, lot, quantity, from, to, source, ...optional(input) });
  return { operationId };
}

async function assertAdmits(tx: Tx, lot: Lot, to: StockLocation): Promise<void> {
  if (!ADMITS[to.kind].includes(lot.status)) {
    throw new Conflict(`lot ${lot.number} is ${lot.status.replace('_', ' ')}: a ${to.kind} location (${to.code}) does not take it`, {
      code: 'error.inventory.location.refuses',
      params: { number: lot.number, status: lot.status, location: to.code, kind: to.kind },
    });
  }
  if (to.kind === 'production' || to.kind === 'shipping') await assertUsable(tx, lot, to);
}

const optional = (input: { reason?: string | undefined; reference?: Reference | undefined }) => ({
  reason: input.reason?.trim() || undefined,
  reference: input.reference,
});

export interface AdjustmentInput {
  itemId: string;
  lotId?: string | undefined;
  locationId: string;
  /** Signed change: positive adds stock found, negative removes stock missing or damaged. */
  quantity: string;
  reason: string;
  signing: Signing;
}

/** An adjustment is signed as verified by a person allowed to adjust; the signature covers the whole movement. */
export const adjustmentSignable = defineSignable({
  entity: 'stock_movements',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT movement_type, item_id, lot_id, quantity::text AS quantity, from_location_id, to_location_id, reason, actor_id, created_at
         FROM stock_movements WHERE id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'verified' ? INVENTORY_PERMISSIONS.adjust : undefined),
});

/** A counted difference booked to the ledger, with a reason and the e-signature (meaning `verified`) of who verified it. */
export async function adjust(tx: Tx, input: AdjustmentInput): Promise<{ operationId: string }> {
  const delta = dec(input.quantity, 'quantity');
  if (delta.isZero()) throw fieldError('/body/quantity', 'an adjustment must change the quantity', 'error.inventory.quantity');
  const reason = input.reason?.trim();
  if (!reason) throw fieldError('/body/reason', 'an adjustment needs a reason', 'error.inventory.reasonRequired');
  const location = await stockLocation(tx, input.locationId);
  const quantity = await itemQuantity(tx, input.itemId, decText(delta.abs()));
  const lot = await lotOf(tx, input.itemId, input.lotId, quantity);
  if (lot?.kind === 'serial' && delta.gt(0) && lot.onHand !== '0') {
    throw new Conflict(`serial ${lot.number} is already on hand`, {
      code: 'error.inventory.serial.onHand',
      params: { number: lot.number },
    });
  }
  const operationId = uuidv7();
  const side = delta.gt(0) ? { to: location } : { from: location };
  const source = { kind: 'stock_adjustment', id: operationId } as const;
  const movementId = await post(tx, {
    operationId,
    movementType: 'adjustment',
    itemId: input.itemId,
    lot,
    quantity,
    reason,
    source,
    ...side,
  });
  // Signed after posting, so the signature binds the movement's content; a refused signature rolls it back.
  const { ctx, verifier, credentials } = input.signing;
  await sign(tx, ctx, verifier, { entity: 'stock_movements', id: movementId, meaning: 'verified', credentials, comment: reason });
  return { operationId };
}
