import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/platform/config.js';
import { type Database, migrate, openDatabase } from '../src/platform/db/index.js';
import { Dispatcher } from '../src/platform/events/dispatcher.js';
import { emit } from '../src/platform/events/outbox.js';
import type { Subscription } from '../src/platform/events/types.js';
import { uuidv7 } from '../src/platform/ids.js';
import { createTenant, systemContext, type TenantContext, withTenant } from '../src/platform/tenancy/index.js';

/**
 * Outbox throughput: events emitted in business transactions (100 per transaction) and carried
 * by the dispatcher to in-process subscribers (each delivery commits its processed_events row),
 * against the floor of the same work in raw SQL: inserting the same outbox rows and deleting them.
 */
export interface BenchResult {
  name: string;
  rows: number;
  ms: number;
  baselineMs: number;
}

const PER_TX = 100;
const AGGREGATES = 50;

function subscribers(n: number, counter: { handled: number }): Subscription[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `bench.subscriber${i + 1}`,
    events: ['bench.>'],
    handle: async () => {
      counter.handled++;
    },
  }));
}

async function emitAll(db: Database, ctx: TenantContext, rows: number): Promise<void> {
  for (let done = 0; done < rows; done += PER_TX) {
    await withTenant(db, ctx, async (tx) => {
      for (let i = done; i < Math.min(rows, done + PER_TX); i++) {
        await emit(tx, { type: 'bench.lot.moved', aggregate: { type: 'bench.lot', id: `L${i % AGGREGATES}` }, data: { i, qty: '1.000' } });
      }
    });
  }
}

/** The same rows inserted by plain SQL in the same transaction sizes (deleted afterwards by one statement). */
async function rawInsert(db: Database, ctx: TenantContext, rows: number): Promise<void> {
  for (let done = 0; done < rows; done += PER_TX) {
    await withTenant(db, ctx, async (tx) => {
      for (let i = done; i < Math.min(rows, done + PER_TX); i++) {
        await tx.query(
          `INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, aggregate_seq, data)
           VALUES ($1, 'bench.lot.moved', 'bench.raw', $2, $3, $4)`,
          [uuidv7(), `L${i % AGGREGATES}`, Math.floor(i / AGGREGATES) + 1, JSON.stringify({ i, qty: '1.000' })],
        );
      }
    });
  }
}

export async function benchOutbox(db: Database, scale: 'smoke' | 'full'): Promise<BenchResult[]> {
  const rows = scale === 'smoke' ? 500 : 10_000;
  const results: BenchResult[] = [];
  for (const fanOut of [1, 4]) {
    const { tenant, site } = await createTenant(db, {
      code: `bench-${randomBytes(4).toString('hex')}`,
      name: 'Outbox benchmark',
      site: { code: 'B1', name: 'Bench', timeZone: 'UTC' },
    });
    const ctx = systemContext(tenant.id, 'bench', site.id);
    const counter = { handled: 0 };
    const dispatcher = new Dispatcher(db, { subscriptions: subscribers(fanOut, counter), tenants: [tenant.id], batchSize: 500 });

    let started = performance.now();
    await emitAll(db, ctx, rows);
    const emitMs = performance.now() - started;
    started = performance.now();
    await dispatcher.drain();
    const dispatchMs = performance.now() - started;
    if (counter.handled !== rows * fanOut) throw new Error(`expected ${rows * fanOut} deliveries, handled ${counter.handled}`);

    started = performance.now();
    await rawInsert(db, ctx, rows);
    const insertMs = performance.now() - started;
    started = performance.now();
    await db.query(`DELETE FROM outbox_events WHERE tenant_id = $1 AND aggregate_type = 'bench.raw'`, [tenant.id]);
    const deleteMs = performance.now() - started;

    const subs = `${fanOut} in-process subscriber${fanOut > 1 ? 's' : ''}`;
    if (fanOut === 1)
      results.push({ name: 'outbox emit (100 events per transaction) vs raw insert', rows, ms: emitMs, baselineMs: insertMs });
    results.push({ name: `outbox dispatch to ${subs} vs raw delete`, rows, ms: dispatchMs, baselineMs: deleteMs });
    results.push({
      name: `outbox end to end to ${subs} vs raw insert + delete`,
      rows,
      ms: emitMs + dispatchMs,
      baselineMs: insertMs + deleteMs,
    });
  }
  return results;
}

async function main(): Promise<void> {
  const scale = process.argv[2] === 'full' ? 'full' : 'smoke';
  const config = loadConfig();
  const db = await openDatabase({ ...config, dataDir: config.databaseUrl ? config.dataDir : ':memory:' });
  try {
    await migrate(db);
    console.log(`outbox benchmark (${scale}) on ${db.dialect}`);
    for (const r of await benchOutbox(db, scale)) {
      const perSec = Math.round((r.rows / r.ms) * 1000);
      console.log(
        `${r.name}: ${r.rows} events in ${r.ms.toFixed(0)} ms (${perSec}/s); baseline ${r.baselineMs.toFixed(0)} ms; ×${(r.ms / r.baselineMs).toFixed(1)}`,
      );
    }
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
