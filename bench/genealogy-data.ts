/**
 * A realistic genealogy for a bench tenant, made set-based: six tiers of lots over five BOM
 * levels (supplier lots of raw material → component lots → sub-assembly lots → assembly lots →
 * final-assembly lots → finished serialised devices), the work orders that made each tier from
 * the one before (`lot_links`), and the stock ledger that moved all of it: receipts of supplier
 * lots, issues to work orders in portions, production output, and each serial's way from
 * inspection to shipment. Lots and balances agree with the ledger to the unit.
 */
import { performance } from 'node:perf_hooks';
import { verifyBalances } from '../src/modules/inventory/index.js';
import { createItem } from '../src/modules/masterdata/items.js';
import { createLocation } from '../src/modules/masterdata/locations.js';
import { systemContext, type TenantContext, withTenant } from '../src/platform/tenancy/index.js';
import type { BenchEnv } from './lib.js';

interface Tier {
  /** Item code prefix and type. */
  code: string;
  type: 'raw' | 'component' | 'sub_assembly';
  /** Distinct items in the tier (a lot's item is its index modulo this). */
  items: number;
  lots: number;
  /** Lots of the tier before that each work order of this tier consumes. */
  parents: number;
}

/**
 * Full scale: 1M serials, ~1.4M links, ~10M ledger rows; a supplier lot feeds 75 component lots
 * and, through them, ~130 device work orders of 100 serials. Smoke keeps the shape, 1/200 the size.
 */
export const GENEALOGY_SIZES = {
  full: { tiers: [4_000, 100_000, 20_000, 10_000, 5_000], orders: 10_000, serialsPerOrder: 100, portions: 12 },
  smoke: { tiers: [20, 500, 100, 50, 25], orders: 50, serialsPerOrder: 100, portions: 3 },
} as const;

export const TIERS: Omit<Tier, 'lots'>[] = [
  { code: 'RM', type: 'raw', items: 8, parents: 0 },
  { code: 'CMP', type: 'component', items: 6, parents: 3 },
  { code: 'SUB', type: 'sub_assembly', items: 4, parents: 3 },
  { code: 'ASM', type: 'sub_assembly', items: 2, parents: 3 },
  { code: 'FA', type: 'sub_assembly', items: 1, parents: 2 },
];

/** Parent j of lot i comes from a permutation of the tier before: spread, never twice for one lot, every lot used alike. */
const SPREAD = 7919;

export interface Genealogy {
  /** Ledger rows, links, lots (serials included) and serials written. */
  movements: number;
  links: number;
  lots: number;
  serials: number;
  /** The supplier lot whose forward trace the benchmark takes, and a finished serial for the backward one. */
  supplierLotId: string;
  serialId: string;
  seconds: number;
  /** The tenant holding it: the env's own, or the one a kept database already had (`reused`). */
  ctx: TenantContext;
  reused: boolean;
}

/**
 * Deterministic ids: the same (tier, index) gives the same lot, so links are computed, not joined.
 * Time-ordered like the application's UUIDv7 ids: tier and index lead (tiers are made one after
 * another, a work order's serials together, so they sit together in an index, as real ones do);
 * a hash with the tenant fills the rest.
 */
const orderedId = (kind: string, tier: string, i: string) =>
  `(lpad(to_hex((${tier})::int), 4, '0') || lpad(to_hex((${i})::bigint), 8, '0') || '7' || substr(md5($1::text || ':${kind}:' || ${tier} || ':' || ${i}), 1, 19))::uuid`;
export const lotId = (tier: string, i: string) => orderedId('lot', tier, i);
const orderId = (tier: string, i: string) => orderedId('wo', tier, i);

/**
 * Writes the genealogy into the env's (fresh) tenant as the database owner, triggers off for the
 * bulk load; the balances written at the end are what the ledger sums to (checked at smoke scale).
 */
export async function generateGenealogy(env: BenchEnv): Promise<Genealogy> {
  const start = performance.now();
  const size = GENEALOGY_SIZES[env.scale];
  const tiers: Tier[] = TIERS.map((t, k) => ({ ...t, lots: size.tiers[k]! }));
  const serialTier = tiers.length;
  const serials = size.orders * size.serialsPerOrder;
  const device = `Generated device, ${serials} serials`;
  // Full scale takes a quarter of an hour to write: a kept scratch database is used again.
  const { rows: kept } = await env.db.query<{ tenant_id: string; site_id: string }>(
    `SELECT i.tenant_id, (SELECT s.id FROM sites s WHERE s.tenant_id = i.tenant_id LIMIT 1) AS site_id
       FROM items i WHERE i.code = 'DEV-1' AND i.name = $1 LIMIT 1`,
    [device],
  );
  const reused = kept[0] !== undefined;
  const ctx = reused ? systemContext(kept[0]!.tenant_id, 'bench', kept[0]!.site_id) : env.ctx;
  if (!reused) await generate(env, tiers, device);
  const count = async (text: string) => Number((await env.db.query<{ n: string }>(text, [ctx.tenantId])).rows[0]!.n);
  const ids = await env.db.query<{ supplier: string; serial: string }>(
    `SELECT ${lotId("'0'", "'0'")} AS supplier, ${lotId(`'${serialTier}'`, `'${Math.floor(serials / 2)}'`)} AS serial`,
    [ctx.tenantId],
  );
  return {
    movements: await count('SELECT count(*) AS n FROM stock_movements WHERE tenant_id = $1'),
    links: await count('SELECT count(*) AS n FROM lot_links WHERE tenant_id = $1'),
    lots: await count('SELECT count(*) AS n FROM lots WHERE tenant_id = $1'),
    serials,
    supplierLotId: ids.rows[0]!.supplier,
    serialId: ids.rows[0]!.serial,
    seconds: (performance.now() - start) / 1000,
    ctx,
    reused,
  };
}

async function generate(env: BenchEnv, tiers: Tier[], device: string): Promise<void> {
  const size = GENEALOGY_SIZES[env.scale];
  const serialTier = tiers.length;
  const serials = size.orders * size.serialsPerOrder;
  const place = await withTenant(env.db, env.ctx, async (tx) => {
    const items: string[][] = [];
    for (const t of [...tiers, { code: 'DEV', type: 'finished_device' as const, items: 1 }]) {
      const ids: string[] = [];
      for (let k = 0; k < t.items; k++) {
        const code = `${t.code}-${k + 1}`;
        const tracking = t.type === 'finished_device' ? 'serial' : 'lot';
        const name = t.type === 'finished_device' ? device : code;
        ids.push((await createItem(tx, { code, name, type: t.type, baseUnit: 'ea', tracking, shelfLifeDays: null })).id);
      }
      items.push(ids);
    }
    const loc = async (warehouse: string, kind: 'quarantine' | 'released') =>
      (await createLocation(tx, { siteId: env.ctx.siteId!, warehouse, name: warehouse, kind, active: true })).id;
    return {
      items,
      qa: await loc('QA', 'quarantine'),
      stores: await loc('STORES', 'released'),
      fg: await loc('FG', 'released'),
      dock: await loc('DOCK', 'released'),
    };
  });
  await env.db.transaction(async (tx) => {
    await tx.exec('SET LOCAL session_replication_role = replica');
    const q = (text: string, params: unknown[] = []) => tx.query(text, [env.tenantId, ...params]);
    // Links first: each lot of a tier is one work order's output, consuming `parents` lots of the tier before.
    for (let k = 1; k < tiers.length; k++) {
      const t = tiers[k]!;
      await q(
        `INSERT INTO lot_links (tenant_id, child_lot_id, parent_lot_id, work_order_id, kind, quantity, created_at)
         SELECT $1::uuid, ${lotId('$2::text', 'i::text')}, ${lotId('$3::text', `((i * $5::bigint + j) * ${SPREAD} % $6::bigint)::text`)},
                ${orderId('$2::text', 'i::text')}, 'consumed_into', $7::int, now()
           FROM generate_series(0, $4::int - 1) i, generate_series(0, $5::int - 1) j`,
        [k, k - 1, t.lots, t.parents, tiers[k - 1]!.lots, size.portions],
      );
    }
    // Device orders: each consumes one final-assembly lot, backflushed one unit per serial built.
    await q(
      `INSERT INTO lot_links (tenant_id, child_lot_id, parent_lot_id, work_order_id, kind, quantity, created_at)
       SELECT $1::uuid, ${lotId('$2::text', 's::text')}, ${lotId('$3::text', `(s / $5::int * ${SPREAD} % $6::bigint)::text`)},
              ${orderId('$2::text', '(s / $5::int)::text')}, 'consumed_into', 1, now()
         FROM generate_series(0, $4::int - 1) s`,
      [serialTier, serialTier - 1, serials, size.serialsPerOrder, tiers[serialTier - 1]!.lots],
    );
    // Lots: what each was consumed as decides how much was made (a lot nobody consumed yet holds one portion).
    for (let k = 0; k < tiers.length; k++) {
      const t = tiers[k]!;
      await q(
        `INSERT INTO lots (tenant_id, id, item_id, kind, number, status, supplier_lot, manufactured_on, expires_on, created_at)
         SELECT $1::uuid, ${lotId('$2::text', 'i::text')}, ($3::uuid[])[1 + i % $4::int], 'lot', $5::text || '-' || lpad(i::text, 6, '0'),
                CASE WHEN EXISTS (SELECT 1 FROM lot_links l WHERE l.tenant_id = $1::uuid AND l.parent_lot_id = ${lotId('$2::text', 'i::text')})
                     THEN 'consumed' ELSE 'released' END,
                CASE WHEN $2::int = 0 THEN 'SUP-' || lpad(i::text, 6, '0') END, date '2026-01-01', date '2029-01-01', now()
           FROM generate_series(0, $6::int - 1) i`,
        [k, place.items[k], t.items, `${t.code}L`, t.lots],
      );
    }
    await q(
      `INSERT INTO lots (tenant_id, id, item_id, kind, number, status, manufactured_on, created_at)
       SELECT $1::uuid, ${lotId('$2::text', 's::text')}, $3::uuid, 'serial', 'SN' || lpad(s::text, 8, '0'), 'shipped', date '2026-06-01', now()
         FROM generate_series(0, $4::int - 1) s`,
      [serialTier, place.items[serialTier]![0], serials],
    );
    const movement = `INSERT INTO stock_movements (tenant_id, id, operation_id, movement_type, item_id, lot_id, quantity,
        from_location_id, from_site_id, to_location_id, to_site_id, source_kind, source_id,
        actor_kind, actor_id, actor_name, request_id, created_at)`;
    const stamp = `'system', 'generator', 'system:generator', 'generator', now()`;
    // Issues: each link's quantity issued to the child's work order from stores in portions of one.
    await q(
      `${movement}
       SELECT $1::uuid, mf_uuidv7(), l.work_order_id, 'issue', p.item_id, l.parent_lot_id, 1, $2::uuid, $3::uuid, NULL, NULL,
              'work_order', l.work_order_id, ${stamp}
         FROM lot_links l JOIN lots p ON p.tenant_id = l.tenant_id AND p.id = l.parent_lot_id, generate_series(1, l.quantity::int)
        WHERE l.tenant_id = $1::uuid`,
      [place.stores, env.ctx.siteId],
    );
    // Into stock: supplier lots received into quarantine and released to stores; made lots reported to stores.
    await q(
      `WITH made AS (
         SELECT t.id, t.item_id, coalesce((SELECT sum(l.quantity) FROM lot_links l WHERE l.tenant_id = t.tenant_id AND l.parent_lot_id = t.id), $5::int) AS qty,
                (SELECT l.work_order_id FROM lot_links l WHERE l.tenant_id = t.tenant_id AND l.child_lot_id = t.id LIMIT 1) AS work_order_id
           FROM lots t WHERE t.tenant_id = $1::uuid AND t.kind = 'lot')
       ${movement}
       SELECT $1::uuid, mf_uuidv7(), coalesce(work_order_id, id), m.type, item_id, id, qty,
              CASE WHEN m.type = 'transfer' THEN $2::uuid END, CASE WHEN m.type = 'transfer' THEN $4::uuid END,
              CASE WHEN m.type = 'transfer' OR work_order_id IS NOT NULL THEN $3::uuid ELSE $2::uuid END, $4::uuid,
              CASE WHEN work_order_id IS NOT NULL THEN 'work_order' WHEN m.type = 'transfer' THEN 'transfer' ELSE 'stock_receipt' END,
              coalesce(work_order_id, id), ${stamp}
         FROM made, LATERAL (SELECT CASE WHEN made.work_order_id IS NULL THEN 'receipt' ELSE 'production_output' END AS type
                             UNION ALL SELECT 'transfer' WHERE made.work_order_id IS NULL) m`,
      [place.qa, place.stores, env.ctx.siteId, size.portions],
    );
    // Serials: reported into inspection, released to finished goods, picked to the dock, shipped.
    await q(
      `${movement}
       SELECT $1::uuid, mf_uuidv7(), ${orderId('$2::text', '(s / $3::int)::text')}, m.type, $4::uuid, ${lotId('$2::text', 's::text')}, 1,
              m.src, CASE WHEN m.src IS NOT NULL THEN $9::uuid END, m.dst, CASE WHEN m.dst IS NOT NULL THEN $9::uuid END,
              m.kind, CASE WHEN m.kind = 'work_order' THEN ${orderId('$2::text', '(s / $3::int)::text')}
                           WHEN m.kind = 'shipment' THEN md5($1::text || ':shipment:' || (s / $3::int))::uuid
                           ELSE ${orderId('$2::text', '(s / $3::int)::text')} END, ${stamp}
         FROM generate_series(0, $5::int - 1) s,
              (VALUES (1, 'production_output', NULL::uuid, $6::uuid, 'work_order'), (2, 'transfer', $6::uuid, $7::uuid, 'transfer'),
                      (3, 'transfer', $7::uuid, $8::uuid, 'transfer'), (4, 'shipment', $8::uuid, NULL::uuid, 'shipment')) m(step, type, src, dst, kind)`,
      [serialTier, size.serialsPerOrder, place.items[serialTier]![0], serials, place.qa, place.fg, place.dock, env.ctx.siteId],
    );
    // Balances: every issue above empties what was made or received, so only the lots nobody consumed
    // hold stock (one portion, in stores). A key the ledger sums to zero needs no row: `verify`
    // reads a missing balance as zero, and a million emptied serial keys are not written.
    await q(
      `INSERT INTO stock_balances (tenant_id, location_id, item_id, lot_id, site_id, quantity)
       SELECT $1::uuid, $2::uuid, item_id, id, $3::uuid, $4::int FROM lots WHERE tenant_id = $1::uuid AND status = 'released'`,
      [place.stores, env.ctx.siteId, size.portions],
    );
  });
  for (const table of ['items', 'lots', 'lot_links', 'stock_movements', 'stock_balances']) await env.db.query(`VACUUM ANALYZE ${table}`);
  // Summing ten million ledger rows takes minutes: the small run proves the balances agree.
  if (env.scale === 'smoke') {
    const { differences } = await withTenant(env.db, env.ctx, verifyBalances);
    if (differences.length > 0) throw new Error(`generated balances differ from the ledger: ${JSON.stringify(differences[0])}`);
  }
}
