/**
 * Inventory benchmarks: a receipt of many serials through the service, single-movement write
 * throughput through the service, and on-hand queries over a large generated ledger, each
 * against the fastest raw SQL doing the same work on the same database in the same run.
 */
import { onHand, onHandByItem, receiveIntoQuarantine, transfer } from '../../src/modules/inventory/index.js';
import { createItem } from '../../src/modules/masterdata/items.js';
import { createLocation } from '../../src/modules/masterdata/locations.js';
import type { Database } from '../../src/platform/db/index.js';
import { type TenantContext, withTenant } from '../../src/platform/tenancy/index.js';
import { type BenchEnv, type Benchmark, type Measurement, timed } from '../lib.js';

const SIZES = {
  smoke: { serials: 1_000, transfers: 100, items: 50, lotsPerItem: 20, issuesPerLot: 8 },
  full: { serials: 10_000, transfers: 2_000, items: 2_000, lotsPerItem: 100, issuesPerLot: 48 },
} as const;
type Sizes = (typeof SIZES)[keyof typeof SIZES];

interface Place {
  ctx: TenantContext;
  tenantId: string;
  siteId: string;
  serialItem: string;
  lotItem: string;
  quarantine: string;
  store: string;
}

async function place(env: BenchEnv): Promise<Place> {
  const { db, ctx, tenantId } = env;
  return withTenant(db, ctx, async (tx) => {
    const item = async (c: string, tracking: 'lot' | 'serial') =>
      (await createItem(tx, { code: c, name: c, type: 'component', baseUnit: 'ea', tracking, shelfLifeDays: null })).id;
    const loc = async (warehouse: string, kind: 'quarantine' | 'released') =>
      (await createLocation(tx, { siteId: ctx.siteId!, warehouse, name: warehouse, kind, active: true })).id;
    return {
      ctx,
      tenantId,
      siteId: ctx.siteId!,
      serialItem: await item('BENCH-SERIAL', 'serial'),
      lotItem: await item('BENCH-LOT', 'lot'),
      quarantine: await loc('QA', 'quarantine'),
      store: await loc('RM', 'released'),
    };
  });
}

async function benchReceipt(db: Database, p: Place, n: number): Promise<Measurement[]> {
  const serials = Array.from({ length: n }, (_, i) => `SN-${String(i).padStart(7, '0')}`);
  const service = await timed(() =>
    withTenant(db, p.ctx, (tx) => receiveIntoQuarantine(tx, { itemId: p.serialItem, locationId: p.quarantine, serials })),
  );
  const raw = await timed(() =>
    db.transaction((tx) =>
      tx.query(
        `WITH l AS (
           INSERT INTO lots_raw_bench (tenant_id, item_id, kind, number)
           SELECT $1, $2, 'serial', s FROM unnest($5::text[]) s RETURNING id),
         m AS (
           INSERT INTO stock_movements_raw_bench (tenant_id, id, operation_id, movement_type, item_id, lot_id, quantity,
             to_location_id, to_site_id, actor_kind, actor_id, actor_name, request_id, created_at)
           SELECT $1, gen_random_uuid(), gen_random_uuid(), 'receipt', $2, id, 1, $3, $4, 'system', 'bench', 'bench', '', now() FROM l)
         INSERT INTO stock_balances_raw_bench (tenant_id, location_id, item_id, lot_id, site_id, quantity)
         SELECT $1, $3, $2, id, $4, 1 FROM l`,
        [p.tenantId, p.serialItem, p.quarantine, p.siteId, serials],
      ),
    ),
  );
  const baseline = 'serial receipt: lots, movements, balances by raw SQL';
  return [
    { name: baseline, n, seconds: raw },
    { name: 'serial receipt through the service (ledger, balances, audit, event)', n, seconds: service, baseline },
  ];
}

/**
 * Single-movement write throughput: `clients` connections each moving its own lot (different
 * lots, as different people move different stock), one transaction per transfer, against the
 * same ledger rows inserted raw by as many connections.
 */
async function benchTransfers(db: Database, p: Place, n: number, clients: number): Promise<Measurement[]> {
  const each = Math.ceil(n / clients);
  const lots = await withTenant(db, p.ctx, async (tx) => {
    const ids: string[] = [];
    for (let c = 0; c < clients; c++) {
      const { lots } = await receiveIntoQuarantine(tx, { itemId: p.lotItem, locationId: p.quarantine, quantity: String(each) });
      await tx.query(`UPDATE lots SET status = 'released' WHERE id = $1`, [lots[0]!.id]);
      ids.push(lots[0]!.id);
    }
    return ids;
  });
  const inParallel = (work: (lotId: string) => Promise<unknown>) =>
    timed(() =>
      Promise.all(
        lots.map(async (lotId) => {
          for (let i = 0; i < each; i++) await work(lotId);
        }),
      ),
    );
  const service = await inParallel((lotId) =>
    withTenant(db, p.ctx, (tx) =>
      transfer(tx, { itemId: p.lotItem, lotId, fromLocationId: p.quarantine, toLocationId: p.store, quantity: '1' }),
    ),
  );
  const raw = await inParallel((lotId) =>
    withTenant(db, p.ctx, (tx) =>
      tx.query(
        `INSERT INTO stock_movements_raw_bench (tenant_id, id, operation_id, movement_type, item_id, lot_id, quantity,
           from_location_id, from_site_id, to_location_id, to_site_id, actor_kind, actor_id, actor_name, request_id, created_at)
         VALUES ($1, gen_random_uuid(), gen_random_uuid(), 'transfer', $2, $3, 1, $4, $5, $6, $5, 'system', 'bench', 'bench', '', now())`,
        [p.tenantId, p.lotItem, lotId, p.quarantine, p.siteId, p.store],
      ),
    ),
  );
  const who = clients === 1 ? 'one transaction each' : `one transaction each, ${clients} clients`;
  const baseline = `transfer row by raw insert, ${who}`;
  return [
    { name: baseline, n: each * clients, seconds: raw },
    { name: `transfer through the service, ${who}`, n: each * clients, seconds: service, baseline },
  ];
}

/**
 * A large ledger made with set-based SQL: per lot a receipt, a transfer to the store and a run of
 * small issues; the balances computed from it in one statement, as `verify` sums them.
 */
async function generateLedger(db: Database, p: Place, s: Sizes): Promise<{ rows: number; itemId: string }> {
  const rows = s.items * s.lotsPerItem * (2 + s.issuesPerLot);
  await db.transaction(async (tx) => {
    await tx.exec('SET LOCAL session_replication_role = replica'); // bulk load: triggers off, balances computed below
    await tx.query(
      `INSERT INTO lots (tenant_id, id, item_id, kind, number, status, expires_on)
       SELECT $1::uuid, md5($1::text || 'lot' || i || '-' || l)::uuid, md5($1::text || 'item' || i)::uuid, 'lot', 'G-' || i || '-' || l, 'released',
              date '2027-01-01' + (l % 700)
         FROM generate_series(1, $2::int) i, generate_series(1, $3::int) l`,
      [p.tenantId, s.items, s.lotsPerItem],
    );
    await tx.query(
      `INSERT INTO stock_movements (tenant_id, id, operation_id, movement_type, item_id, lot_id, quantity,
          from_location_id, from_site_id, to_location_id, to_site_id, actor_kind, actor_id, actor_name, request_id, created_at)
       SELECT $1::uuid, gen_random_uuid(), gen_random_uuid(),
              CASE WHEN k = 0 THEN 'receipt' WHEN k = 1 THEN 'transfer' ELSE 'issue' END,
              md5($1::text || 'item' || i)::uuid, md5($1::text || 'lot' || i || '-' || l)::uuid,
              CASE WHEN k < 2 THEN 1000 ELSE 1.5 END,
              CASE WHEN k = 0 THEN NULL WHEN k = 1 THEN $4::uuid ELSE $5::uuid END,
              CASE WHEN k = 0 THEN NULL ELSE $6::uuid END,
              CASE WHEN k = 0 THEN $4::uuid WHEN k = 1 THEN $5::uuid END,
              CASE WHEN k < 2 THEN $6::uuid END,
              'system', 'generator', 'system:generator', 'generator', now()
         FROM generate_series(1, $2::int) i, generate_series(1, $3::int) l, generate_series(0, $7::int + 1) k`,
      [p.tenantId, s.items, s.lotsPerItem, p.quarantine, p.store, p.siteId, s.issuesPerLot],
    );
    await tx.query(
      `INSERT INTO stock_balances (tenant_id, location_id, item_id, lot_id, site_id, quantity)
       SELECT $1::uuid, location_id, item_id, lot_id, $2, sum(q)
         FROM (SELECT item_id, lot_id, to_location_id AS location_id, quantity AS q FROM stock_movements
                WHERE tenant_id = $1::uuid AND to_location_id IS NOT NULL AND actor_id = 'generator'
               UNION ALL
               SELECT item_id, lot_id, from_location_id, -quantity FROM stock_movements
                WHERE tenant_id = $1::uuid AND from_location_id IS NOT NULL AND actor_id = 'generator') m
        GROUP BY location_id, item_id, lot_id`,
      [p.tenantId, p.siteId],
    );
  });
  await db.query('VACUUM ANALYZE stock_balances');
  await db.query('ANALYZE stock_movements');
  const { rows: one } = await db.query<{ id: string }>(`SELECT md5($1::text || 'item' || ($2::int / 2))::uuid AS id`, [
    p.tenantId,
    s.items,
  ]);
  return { rows, itemId: one[0]!.id };
}

/** Best of three after a warm-up: the steady-state cost of a query. */
async function best(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  return Math.min(await timed(fn), await timed(fn), await timed(fn));
}

async function benchOnHand(db: Database, p: Place, s: Sizes): Promise<Measurement[]> {
  const { rows, itemId } = await generateLedger(db, p, s);
  // What the balance table saves: summing the ledger for the same answer.
  const ledgerSum = (column: 'item_id' | 'site_id', value: string) =>
    withTenant(db, p.ctx, (tx) =>
      tx.query(
        `SELECT item_id, lot_id, location_id, sum(q) FROM (
           SELECT item_id, lot_id, to_location_id AS location_id, to_site_id AS site_id, quantity AS q
             FROM stock_movements WHERE to_location_id IS NOT NULL
           UNION ALL
           SELECT item_id, lot_id, from_location_id, from_site_id, -quantity
             FROM stock_movements WHERE from_location_id IS NOT NULL) m
         WHERE ${column} = $1 GROUP BY 1, 2, 3 HAVING sum(q) > 0`,
        [value],
      ),
    );
  const itemBase = `one item: sum the ledger (${rows} rows)`;
  const siteBase = `whole site: sum the ledger (${rows} rows)`;
  return [
    { name: itemBase, n: 1, seconds: await best(() => ledgerSum('item_id', itemId)) },
    {
      name: 'one item: onHand() from balances',
      n: 1,
      seconds: await best(() => withTenant(db, p.ctx, (tx) => onHand(tx, { itemId }))),
      baseline: itemBase,
    },
    { name: siteBase, n: 1, seconds: await best(() => ledgerSum('site_id', p.siteId)) },
    {
      name: 'whole site: onHandByItem() from balances',
      n: 1,
      seconds: await best(() => withTenant(db, p.ctx, (tx) => onHandByItem(tx, { siteId: p.siteId }))),
      baseline: siteBase,
    },
  ];
}

/** Raw baselines write to copies of the inventory tables: same columns, checks and indexes; no triggers, RLS or keys. */
async function withRawCopies<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  const copies = ['lots', 'stock_movements', 'stock_balances'];
  for (const t of copies) {
    await db.query(`DROP TABLE IF EXISTS ${t}_raw_bench`);
    await db.query(
      `CREATE TABLE ${t}_raw_bench (LIKE ${t} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
    );
    await db.query(`GRANT INSERT ON ${t}_raw_bench TO mediforge_app`);
  }
  try {
    return await fn();
  } finally {
    for (const t of copies) await db.query(`DROP TABLE ${t}_raw_bench`);
  }
}

export const inventoryWrites: Benchmark = {
  name: 'inventory writes',
  description: 'a receipt of many serials, and single transfers (1 and 4 clients), through the service vs raw inserts of the same rows',
  async run(env) {
    const s = SIZES[env.scale];
    const p = await place(env);
    return withRawCopies(env.db, async () => [
      ...(await benchReceipt(env.db, p, s.serials)),
      ...(await benchTransfers(env.db, p, s.transfers, 1)),
      // PGlite is one connection: concurrency is PostgreSQL's.
      ...(env.db.dialect === 'postgres' ? await benchTransfers(env.db, p, s.transfers, 4) : []),
    ]);
  },
};

export const inventoryOnHand: Benchmark = {
  name: 'inventory on-hand',
  description: 'on-hand for one item and for a whole site over a large generated ledger, vs summing the ledger',
  async run(env) {
    return benchOnHand(env.db, await place(env), SIZES[env.scale]);
  },
};
