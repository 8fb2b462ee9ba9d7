import { type TSchema, Type } from 'typebox';
import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { BadRequest, NotFound, ValidationFailed } from '../../platform/errors.js';

/** Upper-case codes shared by items, work centers, suppliers and customers, e.g. `PVC-TUBE-3MM`. */
export const Code = Type.String({ pattern: '^[A-Z0-9][A-Z0-9._/-]{0,39}$', description: 'upper-case code, e.g. PVC-TUBE-3MM' });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Id = Type.String({ format: 'uuid' });
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

/**
 * An integer or null as one JSON type list: as a union, the app's type coercion would turn 0 into
 * null (the null branch accepts it) instead of refusing it.
 */
export const NullableInteger = (opts: { minimum?: number; maximum?: number; description?: string }) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], ...opts });

/** A postal address, as suppliers and ship-to addresses carry it. */
export const Address = {
  addressLine1: Type.String({ minLength: 1, maxLength: 200 }),
  addressLine2: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  city: Type.String({ minLength: 1, maxLength: 100 }),
  postalCode: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
  region: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
};
export const ADDRESS_COLUMNS = `address_line1 AS "addressLine1", address_line2 AS "addressLine2", city,
  postal_code AS "postalCode", region, country`;

export const Contact = {
  contactName: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
};

/** Query string of every list route: `?q=` searches code and name, `cursor` continues a page. */
export const ListQuery = {
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  cursor: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};
export interface PageRequest {
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export const Page = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Id, Type.Null()]) });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Keyset pagination by id (UUIDv7, so creation order): `where` holds the caller's filters, the
 * statement asks for one row more than the page to know whether another page follows.
 */
export function pageStatement(select: string | SqlStatement, where: SqlStatement[], page: PageRequest): SqlStatement {
  const conditions = [...where, ...(page.cursor ? [sql`id > ${page.cursor}`] : [])];
  const base = typeof select === 'string' ? sql`${raw(select)}` : select;
  const text = conditions.reduce((acc, c, i) => sql`${acc} ${raw(i === 0 ? 'WHERE' : 'AND')} ${c}`, base);
  return sql`${text} ORDER BY id LIMIT ${limitOf(page) + 1}`;
}

export function toPage<T extends { id: string }>(rows: T[], page: PageRequest): Page<T> {
  const limit = limitOf(page);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

const limitOf = (page: PageRequest) => page.limit ?? 50;

/** `?q=` as an ILIKE pattern over code and name, with the user's % and _ taken literally. */
export function searchCodeOrName(q: string | undefined): SqlStatement[] {
  if (!q) return [];
  const pattern = likePattern(q);
  return [sql`(code ILIKE ${pattern} OR name ILIKE ${pattern})`];
}

export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function found<T>(row: T | undefined, what: string, key: string, code: string): T {
  if (!row) throw new NotFound(`${what} ${key} not found`, { code, params: { key } });
  return row;
}

/** Timestamps as RFC 3339 text, the way JSON carries them. */
export const ts = (column: string) => `to_json(${column}) #>> '{}'`;

/**
 * Applies a partial update: only the fields present in `changes`, each to the column `columns`
 * names for it (column names come from code, never from input). Returns whether the row exists.
 */
export async function updateRow(
  tx: Tx,
  table: string,
  id: string,
  changes: Record<string, unknown>,
  columns: Record<string, string>,
): Promise<boolean> {
  const sets = Object.entries(changes)
    .filter(([field, value]) => value !== undefined && columns[field])
    .map(([field, value]) => sql`${raw(columns[field]!)} = ${value}`);
  const assignments = sets.reduce((acc, s) => sql`${acc}, ${s}`, sql`updated_at = now()`);
  const { rowCount } = await tx.query(sql`UPDATE ${raw(table)} SET ${assignments} WHERE id = ${id}`);
  return rowCount > 0;
}

/** A bad value found by a pure check becomes a field error of the request. */
export function asFieldError<T>(check: () => T, pointer: string): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    throw new ValidationFailed(err.message, [{ pointer, message: err.message }], { code: err.code, params: err.params });
  }
}
