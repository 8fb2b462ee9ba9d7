import { sql, type Tx } from '../../platform/db/index.js';
import { publish } from '../../platform/events/index.js';
import { INVENTORY_EVENTS, type LotKind, type LotStatus } from './contract.js';

/**
 * Sets of lots, read and held as sets: where a recall starts (a supplier's lot, a serial range, what
 * some work orders made), the stock the affected lots still have, and one hold for all of them.
 * Each is one statement, whatever the number of lots.
 */

export interface LotOfSet {
  lotId: string;
  itemId: string;
  kind: LotKind;
  number: string;
  status: LotStatus;
}

const LOT_COLUMNS = sql`l.id AS "lotId", l.item_id AS "itemId", l.kind, l.number, l.status`;

/** The lots received under a supplier's own lot number (one supplier lot may have come in as several of ours). */
export async function lotsOfSupplierLot(tx: Tx, supplierId: string, supplierLot: string): Promise<LotOfSet[]> {
  const { rows } = await tx.query<LotOfSet>(sql`SELECT ${LOT_COLUMNS} FROM lots l
    WHERE l.supplier_id = ${supplierId} AND l.supplier_lot = ${supplierLot} ORDER BY l.number`);
  return rows;
}

/**
 * An item's serials from one number to another, inclusive. Serial numbers compare as a person reads
 * them: a shorter number comes first (SN-99 before SN-100), equal lengths compare character by character.
 */
export async function serialsInRange(tx: Tx, itemId: string, from: string, to: string): Promise<LotOfSet[]> {
  const { rows } = await tx.query<LotOfSet>(sql`SELECT ${LOT_COLUMNS} FROM lots l
    WHERE l.item_id = ${itemId} AND l.kind = 'serial'
      AND (length(l.number), l.number COLLATE "C") >= (length(${from}::text), ${from}::text COLLATE "C")
      AND (length(l.number), l.number COLLATE "C") <= (length(${to}::text), ${to}::text COLLATE "C")
    ORDER BY length(l.number), l.number COLLATE "C"`);
  return rows;
}

/** The lots and serials the given work orders produced (their output in the ledger). */
export async function lotsProducedBy(tx: Tx, workOrderIds: readonly string[]): Promise<LotOfSet[]> {
  const { rows } = await tx.query<LotOfSet>(sql`SELECT DISTINCT ${LOT_COLUMNS} FROM stock_movements m
      JOIN lots l ON l.tenant_id = m.tenant_id AND l.id = m.lot_id
    WHERE m.tenant_id = mf_current_tenant() AND m.source_kind = 'work_order' AND m.source_id = ANY(${workOrderIds}::uuid[])
      AND m.movement_type = 'production_output'
    ORDER BY l.number`);
  return rows;
}

export interface LotStock {
  lotId: string;
  /** In the item's base unit, over every location. */
  onHand: string;
  /** The storage locations holding it. */
  locationIds: string[];
}

/** What each lot still has on hand and where, for the lots that have any. */
export async function stockOfLots(tx: Tx, lotIds: readonly string[]): Promise<LotStock[]> {
  const { rows } = await tx.query<LotStock>(sql`SELECT b.lot_id AS "lotId", sum(b.quantity)::text AS "onHand",
      array_agg(b.location_id ORDER BY b.location_id) AS "locationIds"
    FROM unnest(${lotIds}::uuid[]) AS x(id)
    JOIN stock_balances b ON b.tenant_id = mf_current_tenant() AND b.lot_id = x.id AND b.quantity > 0
    GROUP BY b.lot_id`);
  return rows;
}

/**
 * Puts every lot of the set that still has stock and is usable (in quarantine or released) on hold,
 * in one statement, each with its status change under the one signature the hold rests on; lots
 * already held, rejected, expired or without stock stay as they are. One event for the set.
 */
export async function holdLots(
  tx: Tx,
  input: { lotIds: readonly string[]; reason: string; signatureId: string; source: { kind: string; id: string } },
): Promise<{ lotCount: number }> {
  const { rows } = await tx.query<{ held: number }>(sql`WITH target AS (
      SELECT l.id, l.status FROM lots l
       WHERE l.id = ANY(${input.lotIds}::uuid[]) AND l.status IN ('quarantine', 'released')
         AND EXISTS (SELECT 1 FROM stock_balances b WHERE b.tenant_id = l.tenant_id AND b.lot_id = l.id AND b.quantity > 0)
       ORDER BY l.id FOR UPDATE OF l),
    changed AS (
      UPDATE lots l SET status = 'on_hold', held_from = t.status, hold_reason = ${input.reason}
        FROM target t WHERE l.tenant_id = mf_current_tenant() AND l.id = t.id
      RETURNING l.id, t.status AS from_status),
    recorded AS (
      INSERT INTO lot_status_changes (lot_id, from_status, to_status, reason, signature_id)
      SELECT id, from_status, 'on_hold', ${input.reason}, ${input.signatureId} FROM changed RETURNING 1)
    SELECT count(*)::int AS held FROM recorded`);
  const lotCount = rows[0]!.held;
  if (lotCount > 0) {
    await publish(tx, INVENTORY_EVENTS.setHeld, {
      aggregateId: input.source.id,
      data: { source: input.source, lotCount, reason: input.reason, signatureId: input.signatureId },
    });
  }
  return { lotCount };
}

/** Which of the lots something was made from (the others are finished devices or the ends of their lines). */
export async function lotsWithChildren(tx: Tx, lotIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ id: string }>(sql`SELECT x.id FROM unnest(${lotIds}::uuid[]) AS x(id)
    WHERE EXISTS (SELECT 1 FROM lot_links l WHERE l.tenant_id = mf_current_tenant() AND l.parent_lot_id = x.id)`);
  return new Set(rows.map((r) => r.id));
}
