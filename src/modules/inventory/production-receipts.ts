import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { reserveNumbers } from '../../platform/numbering.js';
import { siteToday } from '../../platform/tenancy/index.js';
import { getItem, listLocations } from '../masterdata/index.js';
import { INVENTORY_EVENTS } from './contract.js';
import { emitStockReceived } from './events.js';
import { linkConsumedToProduced } from './genealogy.js';
import { activeLocation, asStockItem } from './places.js';
import { receive } from './receipts.js';

/**
 * A work order's output taken into stock: a finished lot (lot-controlled item) or one serial per
 * unit (serial-controlled item), always in quarantine at the order's site until QA releases it,
 * manufactured today at the site, expiring after the item's shelf life when master data has one.
 * The ledger rows are movements `production_output` with source `work_order`; the same
 * transaction links every lot the order consumed (net of returns) to every lot produced.
 *
 * Serial numbers: `<item code>-<year>-<six-digit sequence>` (e.g. `IS-200-SA-2026-000042`), the
 * sequence counted per item and year in the platform's number sequences (kind `SN:<item id>`); a
 * block of n numbers is reserved by one statement, so 10,000 serials cost one counter update,
 * one lot insert and one ledger insert.
 */
export interface ProductionOutputInput {
  workOrderId: string;
  siteId: string;
  itemId: string;
  itemRevisionId: string;
  /** In the item's base unit; for a serial-controlled item the number of serials (whole). */
  quantity: string;
}

export interface ProducedStock {
  operationId: string;
  quantity: string;
  lotCount: number;
  /** The first lots produced (all of them up to 1,000), by number. */
  lots: Array<{ id: string; number: string }>;
  links: number;
}

/** A serial number stays within the house pattern whatever characters the item's code has. */
const serialStem = (itemCode: string) =>
  itemCode
    .replace(/[^A-Za-z0-9._/-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 60) || 'SN';

/** n serial numbers for an item, reserved in one statement. */
export async function nextSerials(tx: Tx, item: { id: string; code: string }, count: number): Promise<string[]> {
  const { period, first } = await reserveNumbers(tx, `SN:${item.id}`, count);
  const stem = serialStem(item.code);
  return Array.from({ length: count }, (_, i) => `${stem}-${period}-${String(first + i).padStart(6, '0')}`);
}

/** The quarantine location production output goes to at a site: the first active one created there. */
async function outputLocation(tx: Tx, siteId: string) {
  const found = (await listLocations(tx, { siteId, kind: 'quarantine', active: true, limit: 1 })).items[0];
  if (!found) {
    throw new Conflict('the site has no active quarantine location to take production output', {
      code: 'error.inventory.output.noQuarantine',
      params: {},
    });
  }
  return activeLocation(found);
}

export async function receiveProductionOutput(tx: Tx, input: ProductionOutputInput): Promise<ProducedStock> {
  const master = await getItem(tx, input.itemId);
  const item = asStockItem(master);
  const location = await outputLocation(tx, input.siteId);
  const today = await siteToday(tx, input.siteId);
  const serials = item.tracking === 'serial' ? await nextSerials(tx, item, Number(input.quantity)) : undefined;
  const received = await receive(
    tx,
    {
      itemId: item.id,
      itemRevisionId: input.itemRevisionId,
      locationId: location.id,
      movementType: 'production_output',
      ...(serials ? { serials } : { quantity: input.quantity }),
      manufacturedOn: today,
      source: { kind: 'work_order', id: input.workOrderId },
    },
    { location, start: { status: 'quarantine' }, ownKind: 'stock_receipt', read: { item: master, today } },
  );
  await emitStockReceived(tx, INVENTORY_EVENTS.quarantined, received, location.siteId);
  const childLotIds = received.lots.map((l) => l.id);
  const { parents, links } = await linkConsumedToProduced(tx, { workOrderId: input.workOrderId, childLotIds });
  await publish(tx, INVENTORY_EVENTS.linked, {
    aggregateId: received.operationId,
    siteId: location.siteId,
    data: { operationId: received.operationId, workOrderId: input.workOrderId, parents, children: childLotIds.length, links },
  });
  return {
    operationId: received.operationId,
    quantity: received.quantity,
    lotCount: childLotIds.length,
    lots: received.lots.slice(0, 1000),
    links,
  };
}

export interface ProducedLot {
  id: string;
  number: string;
  kind: 'lot' | 'serial';
  status: string;
  quantity: string;
  expiresOn: string | null;
}

/** The lots and serials a work order produced (ledger rows `production_output` of its source), by number, at most `limit`. */
export async function producedLots(tx: Tx, workOrderId: string, limit = 1000): Promise<{ total: number; lots: ProducedLot[] }> {
  const { rows } = await tx.query<ProducedLot & { total: number }>(sql`SELECT l.id, l.number, l.kind, l.status,
      trim_scale(m.quantity)::text AS quantity, l.expires_on::text AS "expiresOn", (count(*) OVER ())::int AS total
    FROM stock_movements m JOIN lots l ON l.tenant_id = m.tenant_id AND l.id = m.lot_id
    WHERE m.tenant_id = mf_current_tenant() AND m.source_kind = 'work_order' AND m.source_id = ${workOrderId}
      AND m.movement_type = 'production_output'
    ORDER BY l.number LIMIT ${limit}`);
  return { total: rows[0]?.total ?? 0, lots: rows.map(({ total: _t, ...lot }) => lot) };
}

/**
 * Releases every lot and serial a work order produced, under the signature that released its
 * device history record: set-based (one update, one history statement, one event), because an
 * order makes thousands of serials. Every lot must still be in quarantine and within its expiry;
 * otherwise nothing changes and the refusal names the first lots that are not.
 */
export async function releaseProducedLots(
  tx: Tx,
  input: { workOrderId: string; signatureId: string; reason: string },
): Promise<{ lotCount: number }> {
  const today = await siteToday(tx);
  const { rows } = await tx.query<{ id: string; number: string; status: string; expired: boolean }>(sql`SELECT l.id, l.number, l.status,
      coalesce(l.expires_on < ${today}::date, false) AS expired
    FROM stock_movements m JOIN lots l ON l.tenant_id = m.tenant_id AND l.id = m.lot_id
    WHERE m.tenant_id = mf_current_tenant() AND m.source_kind = 'work_order' AND m.source_id = ${input.workOrderId}
      AND m.movement_type = 'production_output'
    ORDER BY l.number FOR UPDATE OF l`);
  const unfit = rows.filter((r) => r.status !== 'quarantine' || r.expired);
  if (unfit.length || !rows.length) {
    const named = unfit.slice(0, 5).map((r) => `${r.number} (${r.expired ? 'expired' : r.status.replace('_', ' ')})`);
    throw new Conflict(
      rows.length
        ? `only lots in quarantine and within expiry are released: ${named.join(', ')}`
        : 'the work order has produced nothing to release',
      { code: 'error.inventory.output.notReleasable', params: { lots: named.join(', '), count: unfit.length } },
    );
  }
  const ids = rows.map((r) => r.id);
  await tx.query(sql`WITH changed AS (
      UPDATE lots SET status = 'released' WHERE id = ANY(${ids}::uuid[]) AND status = 'quarantine' RETURNING id)
    INSERT INTO lot_status_changes (lot_id, from_status, to_status, reason, signature_id)
    SELECT id, 'quarantine', 'released', ${input.reason}, ${input.signatureId} FROM changed`);
  await publish(tx, INVENTORY_EVENTS.outputReleased, {
    aggregateId: input.workOrderId,
    data: { workOrderId: input.workOrderId, lotCount: ids.length, signatureId: input.signatureId },
  });
  return { lotCount: ids.length };
}
