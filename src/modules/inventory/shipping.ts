import { sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { siteToday } from '../../platform/tenancy/index.js';
import { INVENTORY_EVENTS, type LotKind, type LotStatus, type SourceLink } from './contract.js';
import { isPastExpiry } from './lots.js';

/**
 * Stock leaving for a customer: the exact lots and serials of a shipment, taken out of the site's
 * released stock in a fixed number of statements whatever their count — one read locking the lots,
 * one read of their balances, one ledger insert, one statement marking the emptied lots shipped
 * with their status history — so a shipment of 30,000 serials is one round trip per table.
 */

/** One lot or serial leaving on one line of the shipping record (the ledger's source line). */
export interface ShipmentPick {
  line: number;
  itemId: string;
  lotId: string;
  /** In the item's base unit; 1 for a serial. */
  quantity: string;
}

export interface ShipOutInput {
  /** The record the stock leaves for (kind `shipment`). */
  source: SourceLink & { kind: 'shipment' };
  siteId: string;
  picks: readonly ShipmentPick[];
}

/** What left, per pick: the lot as it was (for the distribution record) and where it was taken from. */
export interface ShippedLot {
  line: number;
  itemId: string;
  lotId: string;
  kind: LotKind;
  number: string;
  expiresOn: string | null;
  quantity: string;
  locationId: string;
}

export interface ShippedStock {
  operationId: string;
  shippedOn: string;
  lots: ShippedLot[];
}

interface LockedLot {
  id: string;
  itemId: string;
  kind: LotKind;
  number: string;
  status: LotStatus;
  expiresOn: string | null;
}

/** A lot that may not leave, and why, as the code a screen speaks. */
const STATUS_REFUSALS: Partial<Record<LotStatus, { code: string; why: string }>> = {
  quarantine: { code: 'error.inventory.ship.quarantine', why: 'is in quarantine (not released)' },
  on_hold: { code: 'error.inventory.ship.onHold', why: 'is on hold' },
  rejected: { code: 'error.inventory.ship.rejected', why: 'is rejected' },
  expired: { code: 'error.inventory.ship.expired', why: 'is expired' },
  shipped: { code: 'error.inventory.ship.shipped', why: 'has already been shipped' },
  consumed: { code: 'error.inventory.ship.consumed', why: 'has been consumed in production' },
};

const refuse = (detail: string, code: string, params: Record<string, string>) => new Conflict(detail, { code, params });

/**
 * Why a lot cannot be shipped today, or undefined: only released lots within their expiry leave.
 * Also for checking a scan before anything is written.
 */
export function shipRefusal(lot: Pick<LockedLot, 'number' | 'status' | 'expiresOn'>, today: string): Conflict | undefined {
  const refusal = STATUS_REFUSALS[lot.status];
  if (refusal)
    return refuse(`lot ${lot.number} ${refusal.why}: only released, unexpired stock is shipped`, refusal.code, { lot: lot.number });
  if (isPastExpiry(lot, today)) {
    return refuse(`lot ${lot.number} expired on ${lot.expiresOn}: it cannot be shipped`, 'error.inventory.ship.expired', {
      lot: lot.number,
      date: lot.expiresOn ?? '',
    });
  }
  return undefined;
}

/** Lots of the given items by their number (a lot number or a serial number), as a picker scans them. */
export async function findLotsByNumber(
  tx: Tx,
  itemIds: readonly string[],
  number: string,
): Promise<Array<LockedLot & { onHandAtSite: string; siteIds: string[] }>> {
  const { rows } = await tx.query<LockedLot & { onHandAtSite: string; siteIds: string[] }>(sql`SELECT l.id, l.item_id AS "itemId",
      l.kind, l.number, l.status, l.expires_on::text AS "expiresOn",
      coalesce((SELECT sum(b.quantity) FROM stock_balances b WHERE b.tenant_id = l.tenant_id AND b.lot_id = l.id), 0)::text AS "onHandAtSite",
      coalesce((SELECT array_agg(DISTINCT b.site_id) FROM stock_balances b WHERE b.tenant_id = l.tenant_id AND b.lot_id = l.id AND b.quantity > 0), '{}') AS "siteIds"
    FROM lots l WHERE l.item_id = ANY(${itemIds}::uuid[]) AND l.number = ${number}`);
  return rows;
}

/** A lot's balances at one site, per location, largest first. */
export async function lotStockAtSite(tx: Tx, lotIds: readonly string[], siteId: string): Promise<Map<string, Decimal>> {
  const { rows } = await tx.query<{ lotId: string; quantity: string }>(sql`SELECT lot_id AS "lotId", sum(quantity)::text AS quantity
    FROM stock_balances WHERE tenant_id = mf_current_tenant() AND lot_id = ANY(${lotIds}::uuid[]) AND site_id = ${siteId} AND quantity > 0
    GROUP BY lot_id`);
  return new Map(rows.map((r) => [r.lotId, dec(r.quantity)]));
}

/**
 * Ships the picks: every lot released, unexpired, of the pick's item and on hand at the site in
 * the quantity picked (a serial once), else nothing is written and the first reason is the 409.
 * Ledger rows are `shipment` movements linked to `source` with the pick's line; a lot whose last
 * unit leaves becomes `shipped`. Two shipments of the same serial at once: the second waits on
 * the lot's row lock and is then refused, because the serial has been shipped.
 */
export async function shipOut(tx: Tx, input: ShipOutInput): Promise<ShippedStock> {
  const ids = [...new Set(input.picks.map((p) => p.lotId))].sort();
  const today = await siteToday(tx, input.siteId);
  // Locked in id order, so two shipments sharing lots queue instead of deadlocking.
  const locked = await tx.query<LockedLot>(sql`SELECT id, item_id AS "itemId", kind, number, status, expires_on::text AS "expiresOn"
    FROM lots WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`);
  const lots = new Map(locked.rows.map((l) => [l.id, l]));
  const { rows: balances } = await tx.query<{ lotId: string; locationId: string; quantity: string }>(sql`SELECT lot_id AS "lotId",
      location_id AS "locationId", quantity::text AS quantity
    FROM stock_balances WHERE tenant_id = mf_current_tenant() AND lot_id = ANY(${ids}::uuid[]) AND site_id = ${input.siteId}
      AND quantity > 0
    ORDER BY lot_id, quantity DESC, location_id`);
  const stock = new Map<string, Array<{ locationId: string; left: Decimal }>>();
  for (const b of balances) {
    const list = stock.get(b.lotId) ?? [];
    list.push({ locationId: b.locationId, left: dec(b.quantity) });
    stock.set(b.lotId, list);
  }

  const shipped: ShippedLot[] = [];
  for (const pick of input.picks) {
    const lot = lots.get(pick.lotId);
    if (!lot) throw refuse(`lot ${pick.lotId} does not exist`, 'error.inventory.ship.unknownLot', { lot: pick.lotId });
    if (lot.itemId !== pick.itemId) {
      throw refuse(`lot ${lot.number} is not a lot of the item ordered on line ${pick.line}`, 'error.inventory.ship.wrongItem', {
        lot: lot.number,
        line: String(pick.line),
      });
    }
    const refusal = shipRefusal(lot, today);
    if (refusal) throw refusal;
    let open = dec(pick.quantity, 'quantity');
    if (lot.kind === 'serial' && !open.eq(1)) {
      throw refuse(`serial ${lot.number} is one unit`, 'error.inventory.ship.serialQuantity', { lot: lot.number });
    }
    const places = stock.get(lot.id) ?? [];
    const available = places.reduce((sum, p) => sum.add(p.left), new Decimal(0));
    if (available.lt(open)) {
      const what = lot.kind === 'serial' && available.isZero() && places.length === 0 ? 'is not in stock at the site' : 'is short';
      throw refuse(
        `lot ${lot.number} ${what}: ${decText(available)} on hand, ${decText(open)} to ship`,
        lot.kind === 'serial' && available.isZero() ? 'error.inventory.ship.notInStock' : 'error.inventory.ship.insufficient',
        { lot: lot.number, available: decText(available), requested: decText(open) },
      );
    }
    for (const place of places) {
      if (open.isZero()) break;
      const take = Decimal.min(open, place.left);
      if (take.isZero()) continue;
      place.left = place.left.sub(take);
      open = open.sub(take);
      shipped.push({
        line: pick.line,
        itemId: lot.itemId,
        lotId: lot.id,
        kind: lot.kind,
        number: lot.number,
        expiresOn: lot.expiresOn,
        quantity: decText(take),
        locationId: place.locationId,
      });
    }
  }

  const operationId = uuidv7();
  const { source } = input;
  await tx.query(sql`INSERT INTO stock_movements (operation_id, movement_type, item_id, lot_id, quantity, from_location_id, from_site_id,
      source_kind, source_id, source_line)
    SELECT ${operationId}, 'shipment', s.item_id, s.lot_id, s.quantity, s.location_id, ${input.siteId}, ${source.kind}, ${source.id}, s.line
      FROM unnest(${shipped.map((s) => s.itemId)}::uuid[], ${shipped.map((s) => s.lotId)}::uuid[],
                  ${shipped.map((s) => s.quantity)}::numeric[], ${shipped.map((s) => s.locationId)}::uuid[],
                  ${shipped.map((s) => s.line)}::int[]) AS s(item_id, lot_id, quantity, location_id, line)`);
  // Lots whose last unit left are shipped: one status update and one history row each, in one statement.
  await tx.query(sql`WITH emptied AS (
      UPDATE lots l SET status = 'shipped'
       WHERE l.id = ANY(${ids}::uuid[]) AND l.status = 'released'
         AND NOT EXISTS (SELECT 1 FROM stock_balances b WHERE b.tenant_id = l.tenant_id AND b.lot_id = l.id AND b.quantity > 0)
      RETURNING l.id)
    INSERT INTO lot_status_changes (lot_id, from_status, to_status, reason)
    SELECT id, 'released', 'shipped', 'shipped to a customer' FROM emptied`);
  const quantity = shipped.reduce((sum, s) => sum.add(dec(s.quantity)), new Decimal(0));
  await publish(tx, INVENTORY_EVENTS.stockShipped, {
    aggregateId: operationId,
    siteId: input.siteId,
    data: { operationId, source: { kind: source.kind, id: source.id, line: null }, lotCount: ids.length, quantity: decText(quantity) },
  });
  return { operationId, shippedOn: today, lots: shipped };
}
