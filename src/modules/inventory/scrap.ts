import { sql, type Tx } from '../../platform/db/index.js';
import { type Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { defineMachine } from '../../platform/statemachine/index.js';
import { INVENTORY_EVENTS, LOT_STATUSES, type Lot, type LotStatus, type SourceLink } from './contract.js';
import { fieldError, positiveQuantity, post } from './ledger.js';
import { changeStatus, getLot, notExpired } from './lots.js';
import { type StockLocation, stockLocations } from './places.js';

/**
 * Stock leaving for good by a material review board's decision: scrapped, or returned to the
 * supplier. The lot's status does not matter (a rejected or held lot is exactly what is scrapped or
 * returned); the quantity is taken from the lot's locations (or the one named), largest balance first,
 * one ledger row per location, each naming the decision (`source`: kind `nonconformance`, or
 * `customer_return` for returned goods scrapped where they wait in quarantine).
 */
export interface RemovalInput {
  lotId: string;
  quantity: string;
  reason: string;
  source: SourceLink;
  /** Take only from this location (returned goods waiting in quarantine); default every location of the lot. */
  locationId?: string | undefined;
}

async function removeFromLot(tx: Tx, input: RemovalInput, movementType: 'scrap' | 'return'): Promise<{ operationId: string }> {
  const quantity = positiveQuantity(input.quantity);
  const reason = input.reason?.trim();
  if (!reason) throw fieldError('/body/reason', 'a scrap or return needs a reason', 'error.inventory.reasonRequired');
  const lot = await getLot(tx, input.lotId, { lock: 'update' });
  if (lot.kind === 'serial' && !quantity.eq(1)) {
    throw fieldError('/body/quantity', `serial ${lot.number} is one unit: quantity must be 1`, 'error.inventory.serialQuantity');
  }
  const { rows } = await tx.query<{ locationId: string; quantity: string }>(
    sql`SELECT location_id AS "locationId", quantity::text AS quantity FROM stock_balances
         WHERE lot_id = ${lot.id} AND quantity > 0 AND (${input.locationId ?? null}::uuid IS NULL OR location_id = ${input.locationId ?? null}::uuid)
         ORDER BY quantity DESC, location_id`,
  );
  const available = rows.reduce((sum, r) => sum.plus(r.quantity), dec('0'));
  if (available.lt(quantity)) throw short(lot, available, quantity);
  const locations = await stockLocations(
    tx,
    rows.map((r) => r.locationId),
  );
  const byId = new Map<string, StockLocation>(locations.map((l) => [l.id, l]));
  const operationId = uuidv7();
  let left: Decimal = quantity;
  for (const row of rows) {
    if (left.lte(0)) break;
    const take = Decimal_min(left, dec(row.quantity));
    await post(tx, {
      operationId,
      movementType,
      itemId: lot.itemId,
      lot,
      quantity: take,
      from: byId.get(row.locationId),
      source: input.source,
      reason,
    });
    left = left.minus(take);
  }
  return { operationId };
}

const Decimal_min = (a: Decimal, b: Decimal): Decimal => (a.lte(b) ? a : b);

function short(lot: Lot, available: Decimal, requested: Decimal): Conflict {
  return new Conflict(`lot ${lot.number} has ${decText(available)} on hand, ${decText(requested)} requested`, {
    code: 'error.inventory.insufficient',
    params: { lot: lot.number, location: '', available: decText(available), requested: decText(requested) },
  });
}

/** Scraps a quantity of a lot (movement `scrap`), for the record named by `source`. */
export function scrap(tx: Tx, input: RemovalInput): Promise<{ operationId: string }> {
  return removeFromLot(tx, input, 'scrap');
}

/** Sends a quantity of a lot back to its supplier (movement `return`, out of stock), for the record named by `source`. */
export function returnToSupplier(tx: Tx, input: RemovalInput): Promise<{ operationId: string }> {
  return removeFromLot(tx, input, 'return');
}

/**
 * The one step outside the lot life cycle: a material review board's use as is releases a rejected
 * or held lot. Kept apart from LOT_MACHINE so that an ordinary release can never lift a rejection.
 */
const MRB_RELEASE = defineMachine<LotStatus, Lot>({
  entity: 'lots',
  states: LOT_STATUSES,
  transitions: [
    {
      name: 'concede',
      from: ['rejected', 'on_hold'],
      to: 'released',
      guards: [notExpired],
      reasonRequired: true,
      event: INVENTORY_EVENTS.released,
    },
  ],
});

/**
 * A use-as-is disposition releases a rejected or held lot: the step rests on the disposition's
 * signature (`signatureId`, given by the MRB), recorded with the status change.
 */
export async function releaseByDisposition(tx: Tx, input: { lotId: string; reason: string; signatureId: string }): Promise<Lot> {
  const lot = await getLot(tx, input.lotId, { lock: 'update' });
  if (lot.status === 'released') return lot;
  return changeStatus(tx, lot, 'released', { comment: input.reason, signatureId: input.signatureId }, MRB_RELEASE);
}
