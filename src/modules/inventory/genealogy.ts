import { raw, sql, type Tx } from '../../platform/db/index.js';
import { namesById } from '../../platform/module.js';
import { itemNames } from '../masterdata/index.js';
import type { Trace, TraceDirection, TracedLot } from './contract.js';
import { getLot } from './lots.js';

/**
 * Genealogy: which lots went into which. A link is written when a work order reports output —
 * every lot or serial issued to the order, net of what came back, is linked to every lot or serial
 * the output made (`consumed_into`) — in one INSERT … SELECT, so 10,000 serials from 5 component
 * lots are 50,000 rows written by one statement. Links are append-only (the database refuses an
 * update or delete) and indexed both ways: backward walks the primary key (child → parents),
 * forward the `lot_links_parent` index (parent → children).
 */

/** The lots consumed by a work order: issued to it minus returned from it (ledger source `work_order`), per lot, positive only. */
const netConsumed = (workOrderId: string) =>
  sql`SELECT lot_id, sum(CASE WHEN movement_type = 'issue' THEN quantity ELSE -quantity END) AS quantity
        FROM stock_movements
       WHERE tenant_id = mf_current_tenant() AND source_kind = 'work_order' AND source_id = ${workOrderId}
         AND movement_type IN ('issue', 'return') AND lot_id IS NOT NULL
       GROUP BY lot_id
      HAVING sum(CASE WHEN movement_type = 'issue' THEN quantity ELSE -quantity END) > 0`;

/**
 * Links every lot the work order consumed (net of returns) to each produced lot; answers how many
 * parents and links were written. The link's quantity is the parent's net quantity issued to the
 * order when the output was reported.
 */
export async function linkConsumedToProduced(
  tx: Tx,
  input: { workOrderId: string; childLotIds: readonly string[] },
): Promise<{ parents: number; links: number }> {
  const { rows } = await tx.query<{ parents: number; links: number }>(sql`WITH consumed AS (${netConsumed(input.workOrderId)}),
      linked AS (
        INSERT INTO lot_links (child_lot_id, parent_lot_id, work_order_id, kind, quantity)
        SELECT child, c.lot_id, ${input.workOrderId}, 'consumed_into', c.quantity
          FROM unnest(${input.childLotIds}::uuid[]) AS p(child) CROSS JOIN consumed c
        RETURNING 1)
    SELECT (SELECT count(*) FROM consumed)::int AS parents, (SELECT count(*) FROM linked)::int AS links`);
  return rows[0]!;
}

/** How deep a trace goes when the caller does not say; a device's BOM is rarely deeper than ten levels. */
export const TRACE_DEPTH = 20;
/** At most this many lots are answered (a forward trace of a resin lot may reach a million serials). */
export const TRACE_LIMIT = 10_000;

/**
 * One recursive CTE per direction. Each step follows the links out of the lots reached at the step
 * before. No path is carried: a genealogy has no cycle, and the set semantics of UNION keep each
 * (lot, link, depth) once, so lots reached by many paths (a diamond of shared sub-assemblies) do
 * not multiply, and a corrupt cycle still ends at `maxDepth`. A lot reached by several paths is
 * answered once, at its shortest distance. Item codes and names come after, in one look-up for the
 * dozen items a trace reaches: joined here, the planner (which cannot know a walk's size) checks
 * every lot against every item.
 */
function traceStatement(direction: TraceDirection, lotIds: readonly string[], maxDepth: number, limit: number) {
  const [from, to] = direction === 'forward' ? ['parent_lot_id', 'child_lot_id'] : ['child_lot_id', 'parent_lot_id'];
  // One start is the common case and keeps the plainest plan; many starts walk together, each lot once.
  const starts = lotIds.length === 1 ? sql`= ${lotIds[0]}` : sql`= ANY(${lotIds}::uuid[])`;
  return sql`WITH RECURSIVE walk (lot_id, via_lot_id, work_order_id, depth) AS (
      SELECT l.${raw(to)}, l.${raw(from)}, l.work_order_id, 1
        FROM lot_links l WHERE l.tenant_id = mf_current_tenant() AND l.${raw(from)} ${starts}
      UNION
      SELECT l.${raw(to)}, l.${raw(from)}, l.work_order_id, w.depth + 1
        FROM walk w JOIN lot_links l ON l.tenant_id = mf_current_tenant() AND l.${raw(from)} = w.lot_id
       WHERE w.depth < ${maxDepth}),
    reached AS (
      SELECT DISTINCT ON (lot_id) lot_id, via_lot_id, work_order_id, depth FROM walk ORDER BY lot_id, depth, via_lot_id)
    SELECT r.lot_id AS "lotId", t.number, t.kind, t.item_id AS "itemId",
           t.status, r.depth, r.via_lot_id AS "viaLotId", r.work_order_id AS "workOrderId"
      FROM reached r
      JOIN lots t ON t.tenant_id = mf_current_tenant() AND t.id = r.lot_id
     ORDER BY r.depth, t.number, r.lot_id
     LIMIT ${limit + 1}`;
}

async function walk(
  tx: Tx,
  direction: TraceDirection,
  lotIds: readonly string[],
  opts: TraceOptions,
): Promise<{ maxDepth: number; lots: TracedLot[]; truncated: boolean }> {
  const maxDepth = opts.maxDepth ?? TRACE_DEPTH;
  const limit = opts.limit ?? TRACE_LIMIT;
  if (lotIds.length === 0) return { maxDepth, lots: [], truncated: false };
  // The planner cannot know how far a walk goes and guesses hundreds of thousands of rows, which
  // turns on JIT compilation: over a second compiling a walk that runs in tens of milliseconds.
  await tx.query(sql`SELECT set_config('jit', 'off', true)`);
  const { rows } = await tx.query<Omit<TracedLot, 'itemCode' | 'itemName'>>(traceStatement(direction, lotIds, maxDepth, limit));
  const lots = rows.slice(0, limit);
  const items = await namesById(
    tx,
    itemNames,
    lots.map((l) => l.itemId),
  );
  return {
    maxDepth,
    lots: lots.map((l) => ({ ...l, itemCode: items.get(l.itemId)?.code ?? '', itemName: items.get(l.itemId)?.name ?? '' })),
    truncated: rows.length > limit,
  };
}

async function trace(tx: Tx, direction: TraceDirection, lotId: string, opts: TraceOptions): Promise<Trace> {
  const walked = await walk(tx, direction, [lotId], opts);
  // Nothing reached: an unlinked lot, or none at all (404, also for another tenant's).
  if (walked.lots.length === 0) await getLot(tx, lotId);
  return { lotId, direction, ...walked };
}

export interface TraceOptions {
  maxDepth?: number | undefined;
  limit?: number | undefined;
}

/** Where used: every lot and serial this lot went into, at any depth (to `maxDepth`). */
export function traceForward(tx: Tx, lotId: string, opts: TraceOptions = {}): Promise<Trace> {
  return trace(tx, 'forward', lotId, opts);
}

/**
 * Where used, from many lots at once (every output of a work order run on suspect equipment): one
 * walk, each lot answered once at its shortest distance from any of them. The lots must be the
 * caller's (read from inventory); a start reached from another start is answered too.
 */
export function traceForwardFromLots(
  tx: Tx,
  lotIds: readonly string[],
  opts: TraceOptions = {},
): Promise<{ lots: TracedLot[]; truncated: boolean }> {
  return walk(tx, 'forward', lotIds, opts);
}

/** Made from: every lot and serial that went into this lot, at any depth (to `maxDepth`). */
export function traceBackward(tx: Tx, lotId: string, opts: TraceOptions = {}): Promise<Trace> {
  return trace(tx, 'backward', lotId, opts);
}
