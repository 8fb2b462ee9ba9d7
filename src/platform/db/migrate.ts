import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from './sql.js';
import type { Database } from './types.js';

export interface Migration {
  id: string;
  checksum: string;
  sql: string;
}

export interface MigrationStatus {
  applied: number;
  pending: string[];
}

export class MigrationError extends Error {}

/** The checked-in `migrations/` folder, found from here whether running from src or dist. */
export function migrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'migrations');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new MigrationError('migrations folder not found');
    dir = parent;
  }
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(join(dir, f), 'utf8');
      return { id: f.replace(/\.sql$/, ''), checksum: createHash('sha256').update(sql).digest('hex'), sql };
    });
}

const LEDGER = sql`CREATE TABLE IF NOT EXISTS schema_migrations (
  id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;

async function applied(db: Database): Promise<Map<string, string>> {
  await db.query(LEDGER);
  const { rows } = await db.query<{ id: string; checksum: string }>(sql`SELECT id, checksum FROM schema_migrations`);
  return new Map(rows.map((r) => [r.id, r.checksum]));
}

/** Refuses a database whose applied migrations this code does not know or knows differently. */
function checkHistory(done: Map<string, string>, known: Migration[]): void {
  const byId = new Map(known.map((m) => [m.id, m]));
  for (const [id, checksum] of done) {
    const m = byId.get(id);
    if (!m) {
      throw new MigrationError(
        `database has migration ${id} which this version does not know: the database is newer than the code; run a newer Mediforge`,
      );
    }
    if (m.checksum !== checksum) {
      throw new MigrationError(
        `migration ${id} was changed after it was applied (checksum differs); restore the original file and add a new migration instead`,
      );
    }
  }
}

export async function migrationStatus(db: Database, known = loadMigrations()): Promise<MigrationStatus> {
  const done = await applied(db);
  checkHistory(done, known);
  return { applied: done.size, pending: known.filter((m) => !done.has(m.id)).map((m) => m.id) };
}

/** Applies pending migrations in order, each in its own transaction, recorded with its checksum. */
export async function migrate(db: Database, known = loadMigrations()): Promise<string[]> {
  const done = await applied(db);
  checkHistory(done, known);
  const ran: string[] = [];
  for (const m of known) {
    if (done.has(m.id)) continue;
    await db.transaction(async (tx) => {
      // Two processes migrating one PostgreSQL database: the second waits, then skips.
      await tx.query(sql`SELECT pg_advisory_xact_lock(7316042)`);
      const again = await tx.query(sql`SELECT 1 FROM schema_migrations WHERE id = ${m.id}`);
      if (again.rowCount > 0) return;
      await tx.exec(m.sql);
      await tx.query(sql`INSERT INTO schema_migrations (id, checksum) VALUES (${m.id}, ${m.checksum})`);
      ran.push(m.id);
    });
  }
  return ran;
}
