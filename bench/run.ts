import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { modules } from '../src/modules/index.js';
import { type Database, migrate, openDatabase } from '../src/platform/db/index.js';
import { registerSignables } from '../src/platform/module.js';
import { createTenant, systemContext } from '../src/platform/tenancy/index.js';
import { benchmarks } from './benchmarks/index.js';
import type { Measurement, Scale } from './lib.js';

/**
 * npm run bench -- [--scale smoke|full] [--db pglite|postgres|both] [--only <name>]
 * PostgreSQL is the database named by DATABASE_URL (use a scratch database: the audit events a
 * run writes are append-only and stay). Prints one table; ratios compare each case with the
 * fastest equivalent raw SQL measured in the same run on the same database.
 */
// Benchmarks call services directly: make the modules' record types signable first.
registerSignables(modules);

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'smoke' },
    db: { type: 'string', default: 'pglite' },
    only: { type: 'string' },
  },
});
const scale = values.scale as Scale;
if (scale !== 'smoke' && scale !== 'full') throw new Error('--scale is smoke or full');
const targets = values.db === 'both' ? ['pglite', 'postgres'] : [values.db as string];
if (!targets.every((t) => t === 'pglite' || t === 'postgres')) throw new Error('--db is pglite, postgres or both');

async function open(target: string): Promise<Database> {
  if (target === 'pglite') return openDatabase({ dataDir: ':memory:', dbPoolMax: 1 });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('--db postgres needs DATABASE_URL (a scratch database)');
  return openDatabase({ databaseUrl: url, dataDir: '', dbPoolMax: 8 });
}

interface Row extends Measurement {
  benchmark: string;
  db: string;
}

const rows: Row[] = [];
for (const target of targets) {
  const db = await open(target);
  try {
    await migrate(db);
    for (const bench of benchmarks) {
      if (values.only && !bench.name.includes(values.only)) continue;
      const { tenant, site } = await createTenant(db, {
        code: `bench-${randomBytes(4).toString('hex')}`,
        name: 'Benchmark Devices',
        site: { code: 'B1', name: 'Bench plant', timeZone: 'UTC' },
      });
      const env = {
        db,
        scale,
        tenantId: tenant.id,
        ctx: systemContext(tenant.id, 'bench', site.id),
        n: (full: number, smoke: number) => (scale === 'full' ? full : smoke),
      };
      process.stderr.write(`${target}: ${bench.name}…\n`);
      for (const m of await bench.run(env)) rows.push({ ...m, benchmark: bench.name, db: target });
    }
  } finally {
    await db.close();
  }
}

const ratio = (r: Row): string => {
  if (!r.baseline) return '1.00×';
  const base = rows.find((b) => b.db === r.db && b.benchmark === r.benchmark && b.name === r.baseline);
  return base ? `${(r.seconds / base.seconds).toFixed(2)}×` : '?';
};
const table = [
  ['benchmark', 'case', 'db', 'n', 'seconds', 'per second', 'ratio'],
  ...rows.map((r) => [
    r.benchmark,
    r.name,
    r.db,
    String(r.n),
    r.seconds.toFixed(3),
    Math.round(r.n / r.seconds).toLocaleString('en-US'),
    ratio(r),
  ]),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
console.log(`scale: ${scale}; node ${process.version}; ${new Date().toISOString()}`);
console.log(line(table[0]!));
console.log(`|${widths.map((w, i) => (i >= 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
for (const cells of table.slice(1)) console.log(line(cells));
