import { withTenant } from '../../src/platform/tenancy/index.js';
import { type BenchEnv, type Benchmark, createBenchTables, dropBenchTables, type Measurement, timed } from '../lib.js';

const TABLES = { raw: 'bench_plain', audited: 'bench_audited' } as const;

async function bulkInsert(env: BenchEnv, table: string, n: number): Promise<number> {
  return timed(() =>
    withTenant(env.db, env.ctx, (tx) =>
      tx.query(
        `INSERT INTO ${table} (id, code, name, uom, qty, status)
         SELECT mf_uuidv7(), 'ITEM-' || g, 'Catheter shaft 6 Fr, lot size ' || g, 'EA', g * 1.5, 'active'
           FROM generate_series(1, $1) AS g`,
        [n],
      ),
    ),
  );
}

async function bulkUpdate(env: BenchEnv, table: string): Promise<number> {
  return timed(() => withTenant(env.db, env.ctx, (tx) => tx.query(`UPDATE ${table} SET qty = qty + 1, status = 'on_hold'`)));
}

/** One UPDATE per transaction, as requests do it, spread over `clients` concurrent connections. */
async function singleRowUpdates(env: BenchEnv, table: string, ids: string[], clients: number): Promise<number> {
  let next = 0;
  const client = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      await withTenant(env.db, env.ctx, (tx) => tx.query(`UPDATE ${table} SET qty = qty + 1, updated_at = now() WHERE id = $1`, [ids[i]]));
    }
  };
  return timed(() => Promise.all(Array.from({ length: clients }, client)));
}

/**
 * The same single-row update transactions without the client: a server-side loop that commits
 * after each UPDATE, so round trips do not hide the trigger's cost (what pgbench would show).
 */
async function serverSideSingleRowUpdates(env: BenchEnv, table: string, n: number): Promise<number> {
  return timed(() =>
    env.db.query(`
      DO $$
      DECLARE ids uuid[] := ARRAY(SELECT id FROM ${table} WHERE tenant_id = '${env.tenantId}' ORDER BY random() LIMIT ${n});
      BEGIN
        FOR i IN 1 .. cardinality(ids) LOOP
          UPDATE ${table} SET qty = qty + 1, updated_at = now() WHERE tenant_id = '${env.tenantId}' AND id = ids[i];
          COMMIT;
        END LOOP;
      END $$`),
  );
}

/**
 * Raw and audited take turns in rounds, each doing its share of the work per round, so a slow
 * spell of the machine (a long fsync: these cases wait on a commit each) hits both alike.
 */
async function inTurns(rounds: number, run: (table: string, round: number) => Promise<number>): Promise<{ raw: number; audited: number }> {
  const seconds = { raw: 0, audited: 0 };
  for (let round = 0; round < rounds; round++) {
    seconds.raw += await run(TABLES.raw, round);
    seconds.audited += await run(TABLES.audited, round);
  }
  return seconds;
}

async function sampleIds(env: BenchEnv, table: string, n: number): Promise<string[]> {
  // Random order, so consecutive transactions touch different pages as real traffic does.
  const { rows } = await withTenant(env.db, env.ctx, (tx) =>
    tx.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY random() LIMIT $1`, [n]),
  );
  return rows.map((r) => r.id);
}

export const auditOverhead: Benchmark = {
  name: 'audit overhead',
  description: 'insert and update rows of a typical table with and without the audit trigger',
  async run(env) {
    const n = env.n(100_000, 2_000);
    const single = env.n(20_000, 500);
    const out: Measurement[] = [];
    await createBenchTables(env.db);
    try {
      // Each pair on equal footing (same tenant, same role, same RLS): bulk statements raw first, then audited;
      // the single-row cases, which wait on a commit each, take turns.
      out.push({ name: 'bulk insert, raw SQL', n, seconds: await bulkInsert(env, TABLES.raw, n) });
      out.push({ name: 'bulk insert, audited', n, seconds: await bulkInsert(env, TABLES.audited, n), baseline: 'bulk insert, raw SQL' });
      out.push({ name: 'bulk update, raw SQL', n, seconds: await bulkUpdate(env, TABLES.raw) });
      out.push({ name: 'bulk update, audited', n, seconds: await bulkUpdate(env, TABLES.audited), baseline: 'bulk update, raw SQL' });
      const rounds = 10;
      const share = Math.ceil(single / rounds);
      const loop = 'single-row update tx, server-side loop, raw SQL';
      const looped = await inTurns(rounds, (table) => serverSideSingleRowUpdates(env, table, share));
      out.push({ name: loop, n: share * rounds, seconds: looped.raw });
      out.push({ name: loop.replace('raw SQL', 'audited'), n: share * rounds, seconds: looped.audited, baseline: loop });
      const clientCounts = env.db.dialect === 'postgres' ? [1, 4] : [1];
      for (const clients of clientCounts) {
        const raw = `single-row update tx, ${clients} client${clients > 1 ? 's' : ''}, raw SQL`;
        const ids: Record<string, string[]> = {
          [TABLES.raw]: await sampleIds(env, TABLES.raw, single),
          [TABLES.audited]: await sampleIds(env, TABLES.audited, single),
        };
        const updated = await inTurns(rounds, (table, round) =>
          singleRowUpdates(env, table, ids[table]!.slice(round * share, (round + 1) * share), clients),
        );
        out.push({ name: raw, n: single, seconds: updated.raw });
        out.push({ name: raw.replace('raw SQL', 'audited'), n: single, seconds: updated.audited, baseline: raw });
      }
    } finally {
      await dropBenchTables(env.db);
    }
    return out;
  },
};
