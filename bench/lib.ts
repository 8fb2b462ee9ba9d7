import { performance } from 'node:perf_hooks';
import type { Database } from '../src/platform/db/index.js';
import type { TenantContext } from '../src/platform/tenancy/index.js';

export type Scale = 'smoke' | 'full';

/** What a benchmark gets: a migrated database, a fresh tenant in it, and the scale of the run. */
export interface BenchEnv {
  db: Database;
  scale: Scale;
  tenantId: string;
  ctx: TenantContext;
  /** The size for this scale: `n(100_000, 1_000)`. */
  n(full: number, smoke: number): number;
}

export interface Measurement {
  /** What was measured, e.g. "bulk update, audited". */
  name: string;
  /** Rows, events or transactions done. */
  n: number;
  seconds: number;
  /**
   * The case this one is compared against: the fastest equivalent raw SQL, measured in the same
   * run on the same database. Omit for the baseline itself.
   */
  baseline?: string;
}

export interface Benchmark {
  name: string;
  description: string;
  run(env: BenchEnv): Promise<Measurement[]>;
}

/** Seconds fn takes, wall clock. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

/**
 * Two identical tenant-owned tables of a typical shape (an item master row), one of them under
 * the audit trail, so the difference between them is the trail's cost and nothing else.
 */
export async function createBenchTables(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of ['bench_plain', 'bench_audited']) {
      await tx.exec(`
        DROP TABLE IF EXISTS ${table};
        CREATE TABLE ${table} (
          tenant_id   uuid NOT NULL DEFAULT mf_current_tenant(),
          id          uuid NOT NULL,
          code        text NOT NULL,
          name        text NOT NULL,
          uom         text NOT NULL,
          qty         numeric NOT NULL,
          status      text NOT NULL,
          updated_at  timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (tenant_id, id)
        );
        SELECT mf_tenant_table('${table}');`);
    }
    await tx.query("SELECT mf_audit_table('bench_audited')");
  });
}

export async function dropBenchTables(db: Database): Promise<void> {
  await db.query('DROP TABLE IF EXISTS bench_plain, bench_audited');
}
