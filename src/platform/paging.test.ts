import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../test/db.js';
import { type Database, type SqlStatement, sql } from './db/index.js';
import { BadRequest } from './errors.js';
import { uuidv7 } from './ids.js';
import { keyset, type Listing, type PageRequest, toPage } from './paging.js';

interface Thing {
  id: string;
  name: string;
  madeAt: string;
}

const THINGS: Listing<Thing, 'name' | 'madeAt'> = {
  name: 'test.things',
  sorts: {
    name: [{ sql: 'r.name', type: 'text', of: 'name' }],
    madeAt: [{ sql: 'r.made_at', type: 'timestamptz', of: 'madeAt' }],
  },
  defaultSort: 'name',
  id: { sql: 'r.id', type: 'uuid', of: 'id' },
};

// Ties on every sort value: three "b", two "a"; four things made in the same millisecond, two of
// them in the same microsecond too.
const things = [
  { id: uuidv7(), name: 'b', madeAt: '2026-03-01 10:00:00.123100+00' },
  { id: uuidv7(), name: 'a', madeAt: '2026-03-01 10:00:00.123900+00' },
  { id: uuidv7(), name: 'b', madeAt: '2026-03-01 10:00:00.123900+00' },
  { id: uuidv7(), name: 'c', madeAt: '2026-03-01 09:59:59.999999+00' },
  { id: uuidv7(), name: 'a', madeAt: '2026-03-01 10:00:00.124000+00' },
  { id: uuidv7(), name: 'b', madeAt: '2026-03-01 10:00:00.123000+00' },
  { id: uuidv7(), name: 'c', madeAt: '2026-03-02 00:00:00+00' },
];

let db: Database;

beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

async function page(request: PageRequest) {
  const k = keyset(THINGS, request);
  const rows = things
    .map((t) => sql`(${t.id}::uuid, ${t.name}::text, ${t.madeAt}::timestamptz)`)
    .reduce((acc: SqlStatement, row) => sql`${acc}, ${row}`);
  const { rows: found } = await db.query<Thing>(
    sql`SELECT r.id, r.name, r.made_at AS "madeAt" FROM (VALUES ${rows}) AS r(id, name, made_at) WHERE ${k.where} ${k.orderBy} ${k.limit}`,
  );
  return toPage(k, found);
}

/** Every page of a sort, as the ids of each page. */
async function pages(sort: string, limit: number): Promise<string[][]> {
  const all: string[][] = [];
  let cursor: string | undefined;
  do {
    const p = await page({ sort, cursor, limit });
    all.push(p.items.map((t) => t.id));
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const byNameThenId = [...things].sort((x, y) => cmp(x.name, y.name) || cmp(x.id, y.id)).map((t) => t.id);
// Times compare to the millisecond, then by id: the milliseconds are what a row carries.
const ms = (t: { madeAt: string }) => new Date(t.madeAt).toISOString();
const byTimeThenId = [...things].sort((x, y) => cmp(ms(x), ms(y)) || cmp(x.id, y.id)).map((t) => t.id);
const reversed = (ids: string[]) => [...ids].reverse();

const refusal = async (request: PageRequest) => {
  const err = await page(request).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BadRequest);
  return (err as BadRequest).code;
};

describe(`keyset paging (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('pages a sort with ties on its value in both directions, every row once and in order', async () => {
    expect(await pages('name', 4)).toEqual([byNameThenId.slice(0, 4), byNameThenId.slice(4)]);
    expect(await pages('-name', 4)).toEqual([reversed(byNameThenId).slice(0, 4), reversed(byNameThenId).slice(4)]);
    expect(await pages('madeAt', 4)).toEqual([byTimeThenId.slice(0, 4), byTimeThenId.slice(4)]);
    expect(await pages('-madeAt', 4)).toEqual([reversed(byTimeThenId).slice(0, 4), reversed(byTimeThenId).slice(4)]);
    // One row a page, through every tie.
    expect((await pages('madeAt', 1)).flat()).toEqual(byTimeThenId);
    expect((await pages('-name', 1)).flat()).toEqual(reversed(byNameThenId));
    // The list's own order without a sort; the last page has no cursor.
    const first = await page({ limit: 7 });
    expect(first.items.map((t) => t.id)).toEqual(byNameThenId);
    expect(first.nextCursor).toBeNull();
  });

  it('refuses a cursor of another sort or another list, and an unknown sort', async () => {
    const { nextCursor } = await page({ sort: 'name', limit: 2 });
    expect(nextCursor).toEqual(expect.any(String));
    expect(await refusal({ sort: '-name', cursor: nextCursor ?? '' })).toBe('error.cursor');
    expect(await refusal({ sort: 'madeAt', cursor: nextCursor ?? '' })).toBe('error.cursor');

    const other = { ...THINGS, name: 'test.others' };
    expect(() => keyset(other, { sort: 'name', cursor: nextCursor ?? '' })).toThrow(/cursor is not valid/);

    expect(await refusal({ sort: 'colour' })).toBe('error.sort');
    expect(await refusal({ sort: 'constructor' })).toBe('error.sort');
  });

  it('refuses a forged cursor before it reaches the database', async () => {
    const { nextCursor } = await page({ sort: 'madeAt', limit: 2 });
    const decoded = JSON.parse(Buffer.from(nextCursor ?? '', 'base64url').toString('utf8'));
    expect(decoded).toEqual({ list: 'test.things', sort: 'madeAt', after: [expect.stringMatching(/Z$/), expect.any(String)] });
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

    for (const cursor of [
      'not-a-cursor',
      forge([decoded.after[0], decoded.after[1]]),
      forge({ ...decoded, after: ['yesterday', decoded.after[1]] }),
      forge({ ...decoded, after: [decoded.after[0], "1'; DROP TABLE lots; --"] }),
      forge({ ...decoded, after: [decoded.after[0]] }),
      forge({ ...decoded, after: [decoded.after[0], decoded.after[1], decoded.after[1]] }),
      forge({ ...decoded, after: [null, decoded.after[1]] }),
    ]) {
      expect(await refusal({ sort: 'madeAt', cursor })).toBe('error.cursor');
    }
    // Made the way the server makes it, the same cursor is taken.
    expect((await page({ sort: 'madeAt', limit: 2, cursor: forge(decoded) })).items).toHaveLength(2);
  });
});
