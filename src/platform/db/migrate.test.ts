import { afterEach, describe, expect, it } from 'vitest';
import { onPostgres, scratchDatabase } from '../../../test/db.js';
import { loadMigrations, type Migration, migrate, migrationStatus } from './migrate.js';
import type { Database } from './types.js';

const m = (id: string, sql: string): Migration => ({ id, sql, checksum: `sum-of-${sql}` });

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function scratch(): Promise<Database> {
  const s = await scratchDatabase();
  cleanup.push(s.drop);
  return s.db;
}

describe(`migrations (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('applies the checked-in migrations in order and then reports the database current', async () => {
    const db = await scratch();
    const known = loadMigrations();
    expect(known.map((x) => x.id)).toEqual([...known.map((x) => x.id)].sort());
    expect(await migrate(db)).toEqual(known.map((x) => x.id));
    expect(await migrate(db)).toEqual([]);
    expect(await migrationStatus(db)).toEqual({ applied: known.length, pending: [] });
  });

  it('applies each migration atomically: a failing one leaves nothing of itself behind', async () => {
    const db = await scratch();
    const ok = m('0001_a', 'CREATE TABLE a (x int);');
    const bad = m('0002_b', 'CREATE TABLE b (x int); INSERT INTO b VALUES (1); SELECT no_such_function();');
    await expect(migrate(db, [ok, bad])).rejects.toThrow(/no_such_function/);
    expect(await migrationStatus(db, [ok, bad])).toEqual({ applied: 1, pending: ['0002_b'] });
    const { rows } = await db.query("SELECT to_regclass('b') AS b");
    expect(rows).toEqual([{ b: null }]);
  });

  it('refuses to start on a database whose applied migration was changed afterwards', async () => {
    const db = await scratch();
    await migrate(db, [m('0001_a', 'CREATE TABLE a (x int);')]);
    await expect(migrate(db, [m('0001_a', 'CREATE TABLE a (x bigint);')])).rejects.toThrow(/0001_a was changed after it was applied/);
  });

  it('refuses to start on a database newer than the code', async () => {
    const db = await scratch();
    await migrate(db, [m('0001_a', 'CREATE TABLE a (x int);'), m('0002_b', 'CREATE TABLE b (x int);')]);
    await expect(migrationStatus(db, [m('0001_a', 'CREATE TABLE a (x int);')])).rejects.toThrow(/newer than the code/);
  });
});
