/**
 * Genealogy benchmark: over a generated genealogy of realistic shape (bench/genealogy-data.ts),
 * a forward trace from one supplier lot and a backward trace from one finished serial through
 * the service, each against the fastest hand-written recursive SQL giving the same answer on the
 * same database in the same run.
 */
import { traceBackward, traceForward } from '../../src/modules/inventory/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { withTenant } from '../../src/platform/tenancy/index.js';
import { type Genealogy, generateGenealogy } from '../genealogy-data.js';
import { type BenchEnv, type Benchmark, type Measurement, timed } from '../lib.js';

/** Above any reach here: a recall wants every serial, not the first page of them. */
const LIMIT = 100_000;
const DEPTH = 20;

interface Answer {
  lotId: string;
  number: string;
  itemCode: string;
  depth: number;
  viaLotId: string;
  workOrderId: string;
}

/**
 * The same answer by hand: a plain recursive walk (a genealogy has no cycle, so no path is kept),
 * each lot once at its shortest depth, with its lot, nearest first; then the items' codes and
 * names in one look-up (joined into the walk's statement, the planner's guess of the walk's size
 * has it check every lot against every item: slower than the second round trip).
 */
function rawTrace(db: Database, tenantId: string, direction: 'forward' | 'backward', lotId: string): Promise<Answer[]> {
  const [from, to] = direction === 'forward' ? ['parent_lot_id', 'child_lot_id'] : ['child_lot_id', 'parent_lot_id'];
  // JIT off as the service has it: the planner's guess of a walk's size would compile it for a second.
  return db.transaction(async (tx) => {
    await tx.query("SELECT set_config('jit', 'off', true)");
    const { rows } = await tx.query<Omit<Answer, 'itemCode'> & { item_id: string }>(
      `WITH RECURSIVE walk AS (
         SELECT ${to} AS lot_id, ${from} AS via, work_order_id, 1 AS depth FROM lot_links WHERE tenant_id = $1 AND ${from} = $2
         UNION ALL
         SELECT l.${to}, l.${from}, l.work_order_id, w.depth + 1
           FROM walk w JOIN lot_links l ON l.tenant_id = $1 AND l.${from} = w.lot_id WHERE w.depth < $3),
       reached AS (SELECT DISTINCT ON (lot_id) lot_id, via, work_order_id, depth FROM walk ORDER BY lot_id, depth, via)
       SELECT r.lot_id AS "lotId", t.number, r.depth, r.via AS "viaLotId", r.work_order_id AS "workOrderId",
              t.kind, t.item_id, t.status
         FROM reached r JOIN lots t ON t.tenant_id = $1 AND t.id = r.lot_id
        ORDER BY r.depth, t.number, r.lot_id
        LIMIT $4`,
      [tenantId, lotId, DEPTH, LIMIT + 1],
    );
    const items = await tx.query<{ id: string; code: string; name: string }>(
      'SELECT id, code, name FROM items WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
      [tenantId, [...new Set(rows.map((r) => r.item_id))]],
    );
    const item = new Map(items.rows.map((i) => [i.id, i]));
    return rows.map((r) => ({ ...r, itemCode: item.get(r.item_id)?.code ?? '', itemName: item.get(r.item_id)?.name ?? '' }));
  });
}

const same = (a: Answer[], b: Answer[]) => {
  const key = (xs: Answer[]) => JSON.stringify(xs.map((x) => [x.lotId, x.number, x.itemCode, Number(x.depth), x.viaLotId, x.workOrderId]));
  return key(a) === key(b);
};

/**
 * Service and raw take turns (after a warm-up of each), so a slow spell hits both alike; the
 * median of each is shown. The answers are checked equal first, so the comparison is of the
 * same work.
 */
async function compare(
  env: BenchEnv,
  g: Genealogy,
  direction: 'forward' | 'backward',
  lotId: string,
  what: string,
): Promise<Measurement[]> {
  const service = () =>
    withTenant(env.db, g.ctx, (tx) =>
      (direction === 'forward' ? traceForward : traceBackward)(tx, lotId, { maxDepth: DEPTH, limit: LIMIT }),
    );
  const raw = () => rawTrace(env.db, g.ctx.tenantId, direction, lotId);
  const [ours, theirs] = [await service(), await raw()];
  if (ours.truncated || !same(ours.lots, theirs)) throw new Error(`${direction} trace: the service and the raw SQL answer differently`);
  const runs = { service: [] as number[], raw: [] as number[] };
  for (let turn = 0; turn < env.n(21, 5); turn++) {
    runs.raw.push(await timed(raw));
    runs.service.push(await timed(service));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const levels = Math.max(...theirs.map((l) => Number(l.depth)));
  const serials = ours.lots.filter((l) => l.kind === 'serial').length;
  const baseline = `${what}: hand-written recursive SQL`;
  const reach = `${ours.lots.length} lots, ${serials} serials, ${levels} levels`;
  return [
    { name: `${baseline} (${reach})`, n: ours.lots.length, seconds: median(runs.raw) },
    {
      name: `${what}: ${direction === 'forward' ? 'traceForward' : 'traceBackward'}() (${reach})`,
      n: ours.lots.length,
      seconds: median(runs.service),
      baseline: `${baseline} (${reach})`,
    },
  ];
}

export const genealogyTrace: Benchmark = {
  name: 'genealogy',
  description: 'forward trace from a supplier lot and backward trace from a finished serial over a generated genealogy, vs recursive SQL',
  async run(env) {
    const g = await generateGenealogy(env);
    process.stderr.write(
      `  ${g.reused ? 'reused' : 'generated'} ${g.movements} ledger rows, ${g.links} links, ${g.lots} lots (${g.serials} serials) in ${g.seconds.toFixed(1)} s\n`,
    );
    return [
      ...(await compare(env, g, 'forward', g.supplierLotId, 'forward from a supplier lot')),
      ...(await compare(env, g, 'backward', g.serialId, 'backward from a finished serial')),
    ];
  },
};
