import { sql, type Tx } from '../../platform/db/index.js';
import { type Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { defineMachine } from '../../platform/statemachine/index.js';
import { siteToday } from '../../platform/tenancy/index.js';
import { INVENTORY_EVENTS, LOT_STATUSES, type Lot, type LotStatus, type SourceLink } from './contract.js';
import { fieldError, positiveQuantity, post } from './ledger.js';
import { changeStatus, closeIfDepleted, getLot, isUsable } from './lots.js';
import { ADMITS, type StockLocation, stockLocation, stockLocations } from './places.js';

/**
 * Material leaving stock for a work order and unused material coming back from it. Production
 * decides what may be issued (the order's requirements, its refusals with their own reasons);
 * inventory keeps the ledger whole: only released, unexpired stock at the order's site leaves,
 * the lot's row is locked FOR UPDATE so two issues of one lot queue, and a lot whose last unit
 * leaves becomes consumed. Ledger rows name the order (`source`, kind `work_order`, line = the
 * requirement).
 */
export interface WorkOrderMovementInput {
  source: SourceLink & { kind: 'work_order' };
  siteId: string;
  lotId: string;
  /** In the item's base unit; 1 for a serial. */
  quantity: string;
  reason?: string | undefined;
}

const min = (a: Decimal, b: Decimal): Decimal => (a.lte(b) ? a : b);

function serialOfOne(lot: Lot, quantity: Decimal): void {
  if (lot.kind === 'serial' && !quantity.eq(1)) {
    throw fieldError('/body/quantity', `serial ${lot.number} is one unit: quantity must be 1`, 'error.inventory.serialQuantity');
  }
}

/** Takes a quantity of a lot out of the site's stock (movement `issue`), largest balance first, one row per location. */
export async function issueToWorkOrder(tx: Tx, input: WorkOrderMovementInput): Promise<{ operationId: string }> {
  const quantity = positiveQuantity(input.quantity);
  const lot = await getLot(tx, input.lotId, { lock: 'update' });
  serialOfOne(lot, quantity);
  if (!isUsable(lot, await siteToday(tx, input.siteId))) {
    throw new Conflict(`lot ${lot.number} is ${lot.status.replace('_', ' ')}: only released, unexpired lots may be issued`, {
      code: 'error.inventory.lot.notUsable',
      params: { number: lot.number, status: lot.status },
    });
  }
  const { rows } = await tx.query<{ locationId: string; quantity: string }>(
    sql`SELECT location_id AS "locationId", quantity::text AS quantity FROM stock_balances
         WHERE tenant_id = mf_current_tenant() AND lot_id = ${lot.id} AND site_id = ${input.siteId} AND quantity > 0
         ORDER BY quantity DESC, location_id`,
  );
  const available = rows.reduce((sum, r) => sum.plus(r.quantity), dec('0'));
  if (available.lt(quantity)) {
    throw new Conflict(`lot ${lot.number} has ${decText(available)} on hand at the site, ${decText(quantity)} requested`, {
      code: 'error.inventory.insufficient',
      params: { lot: lot.number, location: '', available: decText(available), requested: decText(quantity) },
    });
  }
  const locations = new Map<string, StockLocation>(
    (
      await stockLocations(
        tx,
        rows.map((r) => r.locationId),
      )
    ).map((l) => [l.id, l]),
  );
  const operationId = uuidv7();
  let left: Decimal = quantity;
  for (const row of rows) {
    if (left.lte(0)) break;
    const take = min(left, dec(row.quantity));
    await post(tx, {
      operationId,
      movementType: 'issue',
      itemId: lot.itemId,
      lot,
      quantity: take,
      from: locations.get(row.locationId),
      source: input.source,
      reason: input.reason?.trim() || undefined,
    });
    left = left.minus(take);
  }
  await closeIfDepleted(tx, lot.id, 'consumed');
  return { operationId };
}

/** The one way back for a consumed lot: unused material returned from production makes it released stock again. */
const RETURN_FROM_PRODUCTION = defineMachine<LotStatus, Lot>({
  entity: 'lots',
  states: LOT_STATUSES,
  transitions: [{ name: 'return from production', from: ['consumed'], to: 'released', event: INVENTORY_EVENTS.unconsumed }],
});

/**
 * Puts unused material of a lot back into a released or production location of the order's site
 * (movement `return`, into stock). A lot emptied by the order (consumed) is released again.
 */
export async function returnFromWorkOrder(
  tx: Tx,
  input: WorkOrderMovementInput & { locationId: string },
): Promise<{ operationId: string }> {
  const quantity = positiveQuantity(input.quantity);
  const [lot, to] = await Promise.all([getLot(tx, input.lotId, { lock: 'update' }), stockLocation(tx, input.locationId)]);
  serialOfOne(lot, quantity);
  if (to.siteId !== input.siteId || (to.kind !== 'released' && to.kind !== 'production')) {
    throw new Conflict(`material returns to a released or production location of the order's site, not to ${to.code}`, {
      code: 'error.inventory.location.refuses',
      params: { number: lot.number, status: lot.status, location: to.code, kind: to.kind },
    });
  }
  const operationId = uuidv7();
  await post(tx, {
    operationId,
    movementType: 'return',
    itemId: lot.itemId,
    lot,
    quantity,
    to,
    source: input.source,
    reason: input.reason?.trim() || undefined,
  });
  if (lot.status === 'consumed') {
    await changeStatus(tx, lot, 'released', { comment: input.reason?.trim() || 'unused material returned' }, RETURN_FROM_PRODUCTION);
  } else if (!ADMITS[to.kind].includes(lot.status)) {
    throw new Conflict(`lot ${lot.number} is ${lot.status.replace('_', ' ')}: a ${to.kind} location (${to.code}) does not take it`, {
      code: 'error.inventory.location.refuses',
      params: { number: lot.number, status: lot.status, location: to.code, kind: to.kind },
    });
  }
  return { operationId };
}

/** Stock of an item kept without lots (cartons, bulk consumables), for a work order at its site. */
export interface UntrackedMovementInput {
  source: SourceLink & { kind: 'work_order' };
  siteId: string;
  itemId: string;
  quantity: string;
  reason?: string | undefined;
}

/** Locations material is issued from and returned to: released stock and the production floor. */
const USABLE_KINDS: ReadonlyArray<StockLocation['kind']> = ['released', 'production'];

/**
 * Issues stock of an untracked item (kept without lots) from the site's released and production
 * locations, largest balance first. There is no lot row to lock, so two issues of one item at one
 * site take turns on a transaction lock of their own: the second sees what the first left.
 */
export async function issueUntrackedToWorkOrder(tx: Tx, input: UntrackedMovementInput): Promise<{ operationId: string }> {
  const quantity = positiveQuantity(input.quantity);
  await tx.query(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`stock:${input.itemId}:${input.siteId}`}, 0))`);
  const { rows } = await tx.query<{ locationId: string; quantity: string }>(
    sql`SELECT location_id AS "locationId", quantity::text AS quantity FROM stock_balances
         WHERE tenant_id = mf_current_tenant() AND item_id = ${input.itemId} AND lot_id IS NULL AND site_id = ${input.siteId} AND quantity > 0
         ORDER BY quantity DESC, location_id`,
  );
  const locations = new Map(
    (
      await stockLocations(
        tx,
        rows.map((r) => r.locationId),
      )
    ).map((l) => [l.id, l]),
  );
  const usable = rows.filter((r) => USABLE_KINDS.includes(locations.get(r.locationId)!.kind));
  const available = usable.reduce((sum, r) => sum.plus(r.quantity), dec('0'));
  if (available.lt(quantity)) {
    throw new Conflict(`the site has ${decText(available)} of the item in released stock, ${decText(quantity)} requested`, {
      code: 'error.inventory.insufficient',
      params: { lot: '', location: '', available: decText(available), requested: decText(quantity) },
    });
  }
  const operationId = uuidv7();
  let left: Decimal = quantity;
  for (const row of usable) {
    if (left.lte(0)) break;
    const take = min(left, dec(row.quantity));
    await post(tx, {
      operationId,
      movementType: 'issue',
      itemId: input.itemId,
      lot: null,
      quantity: take,
      from: locations.get(row.locationId),
      source: input.source,
      reason: input.reason?.trim() || undefined,
    });
    left = left.minus(take);
  }
  return { operationId };
}

/** Puts unused stock of an untracked item back into a released or production location of the order's site. */
export async function returnUntrackedFromWorkOrder(
  tx: Tx,
  input: UntrackedMovementInput & { locationId: string },
): Promise<{ operationId: string }> {
  const quantity = positiveQuantity(input.quantity);
  const to = await stockLocation(tx, input.locationId);
  if (to.siteId !== input.siteId || !USABLE_KINDS.includes(to.kind)) {
    throw new Conflict(`material returns to a released or production location of the order's site, not to ${to.code}`, {
      code: 'error.inventory.location.refuses',
      params: { number: '', status: '', location: to.code, kind: to.kind },
    });
  }
  const operationId = uuidv7();
  await post(tx, {
    operationId,
    movementType: 'return',
    itemId: input.itemId,
    lot: null,
    quantity,
    to,
    source: input.source,
    reason: input.reason?.trim() || undefined,
  });
  return { operationId };
}
