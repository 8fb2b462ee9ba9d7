import { Type } from 'typebox';
import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { BadRequest, NotFound, ValidationFailed } from '../../platform/errors.js';
import { staleRecord } from '../../platform/http/etag.js';
import type { Keyset, Listing, PageRequest } from '../../platform/paging.js';

export { Code, Id, IsoDate, Name, NullableInteger } from '../../platform/schema.js';

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

/** `?q=` of every list route: part of the code or name. */
export const Search = Type.Optional(Type.String({ minLength: 1, maxLength: 100 }));

/** The query of a list: the page, and `q` searching it. */
export type ListRequest = PageRequest & { q?: string | undefined };

/** Master data lists in creation order (ids are UUIDv7). */
export const inCreationOrder = <T extends { id: string }>(name: string): Listing<T> => ({
  name: `masterdata.${name}`,
  sorts: { createdAt: [] },
  defaultSort: 'createdAt',
});

/** The caller's filters and the page's own condition, all of them. */
export const allOf = (where: SqlStatement[], k: Pick<Keyset<unknown>, 'where'>): SqlStatement =>
  where.reduce((acc, c) => sql`${acc} AND ${c}`, k.where);

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

/**
 * Applies a partial update: only the fields present in `changes` (null clears), each to the
 * column `columns` names for it (column names come from code, never from input), and counts the
 * change in `version`. With `versions` (from If-Match) only if the row still has one of them:
 * else 412, so no update is lost. A missing row is left for the caller's lookup to report.
 */
export async function updateRow(
  tx: Tx,
  table: string,
  id: string,
  changes: Record<string, unknown>,
  columns: Record<string, string>,
  versions?: readonly number[],
): Promise<void> {
  const sets = Object.entries(changes)
    .filter(([field, value]) => value !== undefined && columns[field])
    .map(([field, value]) => sql`${raw(columns[field]!)} = ${value}`);
  const assignments = sets.reduce((acc, s) => sql`${acc}, ${s}`, sql`version = version + 1, updated_at = now()`);
  const matches = versions ? sql`AND version = ANY (${[...versions]}::int[])` : sql``;
  const { rowCount } = await tx.query(sql`UPDATE ${raw(table)} SET ${assignments} WHERE id = ${id} ${matches}`);
  if (rowCount === 0 && versions && (await tx.query(sql`SELECT 1 FROM ${raw(table)} WHERE id = ${id}`)).rowCount > 0) {
    throw staleRecord();
  }
}

/** The version of a record, sent as its ETag. */
export const Version = Type.Integer({ minimum: 1, description: 'sent as the ETag; send it back in If-Match to change the record' });

/** A bad value found by a pure check becomes a field error of the request. */
export function asFieldError<T>(check: () => T, pointer: string): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof BadRequest)) throw err;
    throw new ValidationFailed(err.message, [{ pointer, message: err.message }], { code: err.code, params: err.params });
  }
}
