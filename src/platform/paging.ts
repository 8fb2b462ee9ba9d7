import { type TObject, type TProperties, type TSchema, Type } from 'typebox';
import { raw, type SqlStatement, sql } from './db/index.js';
import { BadRequest } from './errors.js';

/**
 * Keyset paging, the one way every list pages. A list declares its sorts (each a few trusted SQL
 * expressions, from code, never from input) and the unique key that breaks ties; a request names
 * a sort (`name`, or `-name` descending) and the `nextCursor` of the previous page. The cursor is
 * opaque to callers: base64url JSON of the list, the sort and the last row's sort values and key,
 * so a cursor of another list or another sort, or one made up, is refused instead of paging wrong.
 */

/** The SQL type of a sort value: how the cursor's copy is checked and cast back. */
export type KeyType = 'text' | 'uuid' | 'integer' | 'bigint' | 'date' | 'timestamptz';

export interface SortKey<T> {
  /** Trusted SQL (from code, never from input) that never yields NULL (coalesce it). */
  sql: string;
  type: KeyType;
  /** The same value read from a row of the page: a field name, or a function for a computed key. */
  of: (keyof T & string) | ((row: T) => unknown);
}

export interface Listing<T, S extends string = string> {
  /** Names the list in its cursors, e.g. `inventory.lots`. */
  name: string;
  /** The sorts the list offers, each compared key by key, then by `id`. */
  sorts: Readonly<Record<S, readonly SortKey<T>[]>>;
  /** The list's own order when the request names none. */
  defaultSort: S | `-${S}`;
  /** The unique key ending every order; `id` (uuid) unless said otherwise. */
  id?: SortKey<T>;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

/** The response of a list: `{ items, nextCursor }`. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String({ description: 'pass as cursor for the next page' }), Type.Null()]),
  });

const PageProperties = {
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'the nextCursor of the previous page' })),
  sort: Type.Optional(Type.String({ maxLength: 50 })),
};

/**
 * The query string of a list: `limit` (1–200, default 50), `cursor`, `sort` when the list offers
 * a choice (`sorts`, each also with `-` for descending), and the list's own filters (`extra`).
 */
export function PageQuery<Extra extends TProperties = Record<never, never>>(
  sorts: readonly string[],
  extra?: Extra,
): TObject<Extra & typeof PageProperties> {
  const { sort, ...always } = PageProperties;
  const choices = sorts.flatMap((s) => [s, `-${s}`]).join(', ');
  const properties = {
    ...(extra ?? {}),
    ...always,
    ...(sorts.length > 0
      ? { sort: Type.Optional(Type.String({ maxLength: 50, description: `one of ${choices}; a leading - descends` })) }
      : {}),
  };
  return Type.Object(properties, { additionalProperties: false }) as unknown as TObject<Extra & typeof PageProperties>;
}

export interface PageRequest {
  sort?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** The pieces of one page's statement, from `keyset`. */
export interface Keyset<T> {
  /** The rows after the cursor: a condition, `TRUE` on the first page. */
  where: SqlStatement;
  /** `ORDER BY` the sort's keys and the id. */
  orderBy: SqlStatement;
  /** `LIMIT` one row more than the page, to know whether another follows. */
  limit: SqlStatement;
  readonly listing: Listing<T>;
  readonly sort: string;
  readonly size: number;
}

const DEFAULT_LIMIT = 50;

const refusedCursor = () => new BadRequest('the cursor is not valid; start from the first page', { code: 'error.cursor' });

/** The WHERE, ORDER BY and LIMIT of the page a request asks for; an unknown sort or a bad cursor is a 400. */
export function keyset<T>(listing: Listing<T>, request: PageRequest): Keyset<T> {
  const sort = request.sort ?? listing.defaultSort;
  const keys = keysOf(listing, sort);
  const descending = sort.startsWith('-');
  const size = request.limit ?? DEFAULT_LIMIT;
  const expressions = keys.map(comparable);
  const dir = raw(descending ? 'DESC' : 'ASC');
  const orderBy = expressions.map((e) => sql`${e} ${dir}`).reduce((acc, e) => sql`${acc}, ${e}`);
  let where = sql`TRUE`;
  if (request.cursor) {
    const after = readCursor(request.cursor, listing.name, sort, keys);
    const left = expressions.reduce((acc, e) => sql`${acc}, ${e}`);
    const right = keys.map((k, i) => sql`${after[i]}::${raw(k.type)}`).reduce((acc, v) => sql`${acc}, ${v}`);
    where = sql`(${left}) ${raw(descending ? '<' : '>')} (${right})`;
  }
  return { where, orderBy: sql`ORDER BY ${orderBy}`, limit: sql`LIMIT ${size + 1}`, listing: listing as Listing<T>, sort, size };
}

/** The page of the rows fetched with `keyset`'s pieces, with the cursor of the next when there is one. */
export function toPage<T>(k: Keyset<T>, rows: readonly T[]): Page<T> {
  const items = rows.slice(0, k.size);
  const last = items.at(-1);
  if (rows.length <= k.size || last === undefined) return { items, nextCursor: null };
  const after = keysOf(k.listing, k.sort).map((key) => keyValue(key, last));
  const json = JSON.stringify({ list: k.listing.name, sort: k.sort, after });
  return { items, nextCursor: Buffer.from(json, 'utf8').toString('base64url') };
}

const DEFAULT_ID: SortKey<never> = { sql: 'id', type: 'uuid', of: (row) => (row as { id: unknown }).id };

function keysOf<T>(listing: Listing<T>, sort: string): readonly SortKey<T>[] {
  const name = sort.replace(/^-/, '');
  const sorts = listing.sorts as Readonly<Record<string, readonly SortKey<T>[]>>;
  if (!Object.hasOwn(sorts, name)) {
    const choices = Object.keys(sorts).join(', ');
    throw new BadRequest(`cannot sort by ${sort}; sort by ${choices}, a leading - descends`, {
      code: 'error.sort',
      params: { sort, choices },
    });
  }
  return [...(sorts[name] ?? []), listing.id ?? (DEFAULT_ID as SortKey<T>)];
}

/** Times compare at the precision rows carry them (milliseconds), so a cursor names its row exactly. */
const comparable = (key: Pick<SortKey<unknown>, 'sql' | 'type'>): SqlStatement =>
  key.type === 'timestamptz' ? sql`date_trunc('milliseconds', ${raw(key.sql)})` : sql`${raw(key.sql)}`;

function keyValue<T>(key: SortKey<T>, row: T): unknown {
  const value = typeof key.of === 'function' ? key.of(row) : row[key.of];
  return key.type === 'timestamptz' ? new Date(value as string | Date).toISOString() : value;
}

const SHAPES: Record<KeyType, (v: unknown) => boolean> = {
  text: (v) => typeof v === 'string',
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  integer: (v) => Number.isSafeInteger(v) && Math.abs(v as number) <= 2 ** 31 - 1,
  bigint: (v) => Number.isSafeInteger(v) || (typeof v === 'string' && /^-?[0-9]{1,18}$/.test(v)),
  date: (v) => typeof v === 'string' && /^(\d{4}-\d{2}-\d{2}|-?infinity)$/.test(v),
  timestamptz: (v) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
};

function readCursor(cursor: string, list: string, sort: string, keys: readonly Pick<SortKey<unknown>, 'type'>[]): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refusedCursor();
  }
  const { list: ofList, sort: ofSort, after } = (parsed ?? {}) as { list?: unknown; sort?: unknown; after?: unknown };
  const fits =
    ofList === list &&
    ofSort === sort &&
    Array.isArray(after) &&
    after.length === keys.length &&
    keys.every((key, i) => SHAPES[key.type](after[i]));
  if (!fits) throw refusedCursor();
  return after as unknown[];
}
