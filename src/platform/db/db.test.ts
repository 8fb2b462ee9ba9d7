import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { dec, decText } from '../decimal.js';
import { withTenant } from '../tenancy/index.js';
import { sql } from './sql.js';
import type { Database } from './types.js';

let db: Database;
let t: TestTenant;

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  await db.query('CREATE TABLE IF NOT EXISTS test_pairs (grp int NOT NULL, part int NOT NULL)');
  await db.query('GRANT SELECT, INSERT ON test_pairs TO mediforge_app');
});
afterAll(() => db.close());

describe(`database kernel (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('keeps concurrent transactions whole: each commits or rolls back entirely, never interleaved', async () => {
    const base = Math.floor(Math.random() * 1e6) * 100;
    const runs = Array.from({ length: 60 }, (_, i) =>
      withTenant(db, t.ctx, async (tx) => {
        await tx.query('INSERT INTO test_pairs (grp, part) VALUES ($1, 1)', [base + i]);
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        if (i % 4 === 0) throw new Error(`abort ${i}`);
        await tx.query('INSERT INTO test_pairs (grp, part) VALUES ($1, 2)', [base + i]);
      }),
    );
    const results = await Promise.allSettled(runs);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(15);
    const { rows } = await db.query<{ grp: number; n: number }>(
      'SELECT grp, count(*)::int AS n FROM test_pairs WHERE grp >= $1 AND grp < $2 GROUP BY grp ORDER BY grp',
      [base, base + 60],
    );
    const expected = Array.from({ length: 60 }, (_, i) => i)
      .filter((i) => i % 4 !== 0)
      .map((i) => ({ grp: base + i, n: 2 }));
    expect(rows).toEqual(expected);
  });

  it('runs afterCommit callbacks only when the transaction commits', async () => {
    const seen: string[] = [];
    await db.transaction(async (tx) => tx.afterCommit(() => seen.push('committed')));
    await db
      .transaction(async (tx) => {
        tx.afterCommit(() => seen.push('rolled back'));
        throw new Error('no');
      })
      .catch(() => undefined);
    expect(seen).toEqual(['committed']);
  });

  it.skipIf(onPostgres)('fails loudly instead of deadlocking when code bypasses the open transaction', async () => {
    await expect(db.transaction(() => db.query('SELECT 1'))).rejects.toThrow(/outside the open transaction/);
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('returns numeric exactly as decimal text and bigint as number on both drivers', async () => {
    const { rows } = await db.query<{ q: string; n: number; d: string }>(
      sql`SELECT ${'12345678901234.123456789012'}::numeric AS q, 9007199254740::bigint AS n, date '2026-11-22' AS d`,
    );
    expect(rows[0]).toEqual({ q: '12345678901234.123456789012', n: 9007199254740, d: '2026-11-22' });
    expect(decText(dec(rows[0]!.q).plus(dec('0.000000000001')))).toBe('12345678901234.123456789013');
  });

  it('returns timestamptz as ISO-8601 UTC text exactly as toISOString wrote the Date the driver used to return', async () => {
    // How each driver read timestamptz text before: node-postgres's parser, PGlite's new Date(text).
    const asDate = onPostgres ? (pg.types.getTypeParser(1184, 'text') as (v: string) => Date) : (v: string) => new Date(v);
    const times = ['2026-11-22 06:03:11.123456+08', '2026-01-01 00:00:00+00', '1999-12-31 23:59:59.9999+00', '2026-03-29 02:30:00.5+01'];
    const { rows } = await db.transaction(async (tx) => {
      // Whatever the session's time zone, the text is UTC.
      await tx.query(sql`SET LOCAL TimeZone = 'Asia/Kolkata'`);
      return tx.query<{ at: string; text: string; day: string }>(
        sql`SELECT t::timestamptz AS at, t::timestamptz::text AS text, t::timestamptz::date AS day FROM unnest(${times}::text[]) AS t`,
      );
    });
    expect(rows.map((r) => r.at)).toEqual([
      '2026-11-21T22:03:11.123Z',
      '2026-01-01T00:00:00.000Z',
      '1999-12-31T23:59:59.999Z',
      '2026-03-29T01:30:00.500Z',
    ]);
    for (const r of rows) {
      expect(r.text).toMatch(/\+05:30$/);
      expect(r.at).toBe(asDate(r.text).toISOString());
      expect(r.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const { rows: endless } = await db.query<{ at: string }>(sql`SELECT 'infinity'::timestamptz AS at`);
    expect(endless[0]?.at).toBe('infinity');
  });

  it('builds parameterised statements with nested fragments, never splicing values into text', () => {
    const lot = "LOT'; DROP TABLE sites; --";
    const where = sql`code = ${lot}`;
    const stmt = sql`SELECT * FROM lots WHERE site = ${1} AND ${where} LIMIT ${10}`;
    expect(stmt.text).toBe('SELECT * FROM lots WHERE site = $1 AND code = $2 LIMIT $3');
    expect(stmt.values).toEqual([1, lot, 10]);
  });
});
