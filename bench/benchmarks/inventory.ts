/**
 * Inventory benchmarks: a receipt of many serials through the service, single-movement write
 * throughput through the service, and on-hand queries over a large generated ledger, each
 * against the fastest raw SQL doing the same work on the same database in the same run.
 */
import { randomUUID } from 'node:crypto';
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

/** The audit event the trail writes for an inserted row, as raw SQL over a CTE's rows `src` of `entity`. */
const rawAuditOf = (src: string, entity: string) => `INSERT INTO audit_event_raw_bench
    (tenant_id, actor_kind, actor_id, actor_name, action, entity, record_id, new_values, request_id)
  SELECT tenant_id, 'system', 'bench', 'system:bench', 'insert', '${entity}', id::text, to_jsonb(${src}.*), 'bench' FROM ${src}`;

/**
 * A receipt of n serials. The baseline is the same rows written by raw SQL in one statement:
 * lots, ledger rows, balances, their audit events and the outbox event. A lighter raw case
 * without the audit trail and the event shows what those rows weigh. The same rows are also
 * written by raw SQL into the production tables, with the audit trail and the balances made by
 * their triggers as in production: what the service adds to its own statements.
 */
async function benchReceipt(db: Database, p: Place, n: number): Promise<Measurement[]> {
  const serials = (run: string) => Array.from({ length: n }, (_, i) => `SN-${run}-${String(i).padStart(7, '0')}`);
  const service = (run: string) =>
    timed(() =>
      withTenant(db, p.ctx, (tx) => receiveIntoQuarantine(tx, { itemId: p.serialItem, locationId: p.quarantine, serials: serials(run) })),
    );
  const raw = (run: string, withTrail: boolean) =>
    timed(() =>
      db.transaction((tx) =>
        tx.query(
          `WITH l AS (
             INSERT INTO lots_raw_bench (tenant_id, item_id, kind, number)
             SELECT $1, $2, 'serial', s FROM unnest($5::text[]) s RETURNING *),
           m AS (
             INSERT INTO stock_movements_raw_bench (tenant_id, id, operation_id, movement_type, item_id, lot_id, quantity,
               to_location_id, to_site_id, actor_kind, actor_id, actor_name, request_id, created_at)
             SELECT $1, gen_random_uuid(), $6, 'receipt', $2, id, 1, $3, $4, 'system', 'bench', 'bench', '', now() FROM l RETURNING *),
           b AS (
             INSERT INTO stock_balances_raw_bench (tenant_id, location_id, item_id, lot_id, site_id, quantity)
             SELECT $1, $3, $2, id, $4, 1 FROM l)
           ${
             withTrail
               ? `, al AS (${rawAuditOf('l', 'lots')}), am AS (${rawAuditOf('m', 'stock_movements')}),
                  e AS (INSERT INTO outbox_events_raw_bench (tenant_id, id, type, aggregate_type, aggregate_id, aggregate_seq, data)
                        SELECT $1, gen_random_uuid(), 'inventory.lot.quarantined', 'inventory.receipt', $6, 1,
                               jsonb_build_object('lots', jsonb_agg(jsonb_build_object('id', id, 'number', number))) FROM l)`
               : ''
           }
           SELECT count(*) FROM l`,
          [p.tenantId, p.serialItem, p.quarantine, p.siteId, serials(run), randomUUID()],
        ),
      ),
    );
  const inProduction = (run: string) =>
    timed(() =>
      withTenant(db, p.ctx, (tx) =>
        tx.query(
          `WITH l AS (
             INSERT INTO lots (item_id, kind, number, status)
             SELECT $1, 'serial', s, 'quarantine' FROM unnest($4::text[]) WITH ORDINALITY AS u(s, n) ORDER BY n RETURNING id, number),
           m AS (
             INSERT INTO stock_movements (operation_id, movement_type, item_id, lot_id, quantity, to_location_id, to_site_id)
             SELECT $5, 'receipt', $1, id, 1, $2, $3 FROM l),
           e AS (
             INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, aggregate_seq, site_id, data)
             SELECT mf_uuidv7(), 'inventory.lot.quarantined', 'inventory.receipt', $5, 1, $3,
                    jsonb_build_object('lots', jsonb_agg(jsonb_build_object('id', id, 'number', number))) FROM l)
           SELECT count(*) FROM l`,
          [p.serialItem, p.quarantine, p.siteId, serials(run), randomUUID()],
        ),
      ),
    );
  // Three turns each, taking turns so a slow spell hits all alike; the median of each is shown.
  const runs = { service: [] as number[], sameRows: [] as number[], lean: [] as number[], inProduction: [] as number[] };
  for (const turn of ['a', 'b', 'c']) {
    runs.service.push(await service(turn));
    runs.sameRows.push(await raw(`${turn}-same`, true));
    runs.lean.push(await raw(`${turn}-lean`, false));
    runs.inProduction.push(await inProduction(`${turn}-prod`));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
  const baseline = 'serial receipt: the same rows by raw SQL (lots, ledger, balances, audit trail, event)';
  return [
    { name: baseline, n, seconds: median(runs.sameRows) },
    { name: 'serial receipt: lots, ledger, balances only by raw SQL (no audit trail, no event)', n, seconds: median(runs.lean), baseline },
    {
      name: 'serial receipt: the same rows by raw SQL into the production tables (audit trail and balances by their triggers)',
      n,
      seconds: median(runs.inProduction),
      baseline,
    },
    { name: 'serial receipt through the service', n, seconds: median(runs.service), baseline },
  ];
}

/**
 * Single-movement write throughput: `clients` connections each moving its own lot (different
 * lots, as different people move different stock), one transaction per transfer. The baseline
 * writes the same rows by raw SQL in one statement per transaction: the ledger row, both
 * balances, the audit event and the outbox event. The ledger row alone is shown beside it, and
 * the ledger row and event by raw SQL into the production tables, whose triggers move the
 * balances and write the audit trail as in production.
 */
async function benchTransfers(db: Database, p: Place, n: number, clients: number): Promise<Measurement[]> {
  const each = Math.ceil(n / clients);
  const lots = await withTenant(db, p.ctx, async (tx) => {
    const ids: string[] = [];
    for (let c = 0; c < clients; c++) {
      // Twice the stock moved: the service and the raw statements into the production tables each move `each` units.
      const { lots } = await receiveIntoQuarantine(tx, { itemId: p.lotItem, locationId: p.quarantine, quantity: String(2 * each) });
      await tx.query(`UPDATE lots SET status = 'released' WHERE id = $1`, [lots[0]!.id]);
      await tx.query(
        `INSERT INTO stock_balances_raw_bench (tenant_id, location_id, item_id, lot_id, site_id, quantity) VALUES ($1, $2, $3, $4, $5, $6)`,
        [p.tenantId, p.quarantine, p.lotItem, lots[0]!.id, p.siteId, each],
      );
      ids.push(lots[0]!.id);
    }
    return ids;
  });
  const values = (lotId: string) => [p.tenantId, p.lotItem, lotId, p.quarantine, p.siteId, p.store];
  const ledgerRow = `INSERT INTO stock_movements_raw_bench (tenant_id, id, operation_id, movement_type, item_id, lot_id, quantity,
      from_location_id, from_site_id, to_location_id, to_site_id, actor_kind, actor_id, actor_name, request_id, created_at)
    VALUES ($1, gen_random_uuid(), gen_random_uuid(), 'transfer', $2, $3, 1, $4, $5, $6, $5, 'system', 'bench', 'bench', '', now())`;
  const cases: Record<'service' | 'sameRows' | 'ledgerOnly' | 'inProduction', (lotId: string, i: number) => Promise<unknown>> = {
    service: (lotId) =>
      withTenant(db, p.ctx, (tx) =>
        transfer(tx, { itemId: p.lotItem, lotId, fromLocationId: p.quarantine, toLocationId: p.store, quantity: '1' }),
      ),
    sameRows: (lotId, i) =>
      withTenant(db, p.ctx, (tx) =>
        tx.query(
          `WITH m AS (${ledgerRow} RETURNING *),
           src AS (UPDATE stock_balances_raw_bench SET quantity = quantity - 1, updated_at = now()
                    WHERE tenant_id = $1 AND location_id = $4 AND item_id = $2 AND lot_key = $3 AND quantity >= 1 RETURNING 1),
           dst AS (INSERT INTO stock_balances_raw_bench AS b (tenant_id, location_id, item_id, lot_id, site_id, quantity)
                   VALUES ($1, $6, $2, $3, $5, 1)
                   ON CONFLICT (tenant_id, location_id, item_id, lot_key) DO UPDATE SET quantity = b.quantity + 1, updated_at = now()),
           a AS (${rawAuditOf('m', 'stock_movements')}),
           e AS (INSERT INTO outbox_events_raw_bench (tenant_id, id, type, aggregate_type, aggregate_id, aggregate_seq, data)
                 SELECT tenant_id, gen_random_uuid(), 'inventory.stock.moved', 'inventory.lot', lot_id::text, $7,
                        jsonb_build_object('lotId', lot_id, 'quantity', quantity::text, 'fromLocationId', from_location_id,
                                           'toLocationId', to_location_id) FROM m)
           SELECT count(*) FROM src`,
          [...values(lotId), i + 1],
        ),
      ),
    ledgerOnly: (lotId) => withTenant(db, p.ctx, (tx) => tx.query(ledgerRow, values(lotId))),
    inProduction: (lotId) =>
      withTenant(db, p.ctx, (tx) =>
        tx.query(
          `WITH m AS (
             INSERT INTO stock_movements (operation_id, movement_type, item_id, lot_id, quantity,
               from_location_id, from_site_id, to_location_id, to_site_id)
             VALUES (mf_uuidv7(), 'transfer', $2, $3, 1, $4, $5, $6, $5) RETURNING *)
           INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, aggregate_seq, site_id, data)
           SELECT mf_uuidv7(), 'inventory.stock.moved', 'inventory.lot', lot_id::text,
                  coalesce((SELECT max(aggregate_seq) FROM outbox_events
                             WHERE tenant_id = $1 AND aggregate_type = 'inventory.lot' AND aggregate_id = m.lot_id::text), 0) + 1,
                  $5, jsonb_build_object('lotId', lot_id, 'quantity', quantity::text, 'fromLocationId', from_location_id,
                                         'toLocationId', to_location_id)
             FROM m`,
          values(lotId),
        ),
      ),
  };
  // The cases take turns in rounds, so a slow spell of the machine (a long fsync) hits all alike.
  const rounds = Math.min(10, each);
  const seconds = { service: 0, sameRows: 0, ledgerOnly: 0, inProduction: 0 };
  let done = 0;
  for (let r = 0; r < rounds; r++) {
    const upTo = Math.round(((r + 1) * each) / rounds);
    for (const name of Object.keys(cases) as Array<keyof typeof cases>) {
      seconds[name] += await timed(() =>
        Promise.all(
          lots.map(async (lotId) => {
            for (let i = done; i < upTo; i++) await cases[name](lotId, i);
          }),
        ),
      );
    }
    done = upTo;
  }
  const { service, sameRows, ledgerOnly, inProduction } = seconds;
  const who = clients === 1 ? 'one transaction each' : `one transaction each, ${clients} clients`;
  const baseline = `transfer: the same rows by raw SQL (ledger, balances, audit trail, event), ${who}`;
  return [
    { name: baseline, n: each * clients, seconds: sameRows },
    { name: `transfer: the ledger row alone by raw SQL, ${who}`, n: each * clients, seconds: ledgerOnly, baseline },
    {
      name: `transfer: ledger row and event by raw SQL into the production tables (balances, audit trail by triggers), ${who}`,
      n: each * clients,
      seconds: inProduction,
      baseline,
    },
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

/**
 * Raw baselines write to copies of the tables the service writes: same columns, defaults,
 * checks and indexes; no triggers, row-level security or foreign keys.
 */
async function withRawCopies<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  const copies = ['lots', 'stock_movements', 'stock_balances', 'audit_event', 'outbox_events'];
  for (const t of copies) {
    await db.query(`DROP TABLE IF EXISTS ${t}_raw_bench`);
    await db.query(`CREATE TABLE ${t}_raw_bench (LIKE ${t} INCLUDING ALL)`);
    await db.query(`GRANT SELECT, INSERT, UPDATE ON ${t}_raw_bench TO mediforge_app`);
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
