import { Type } from 'typebox';
import { raw, type SqlStatement, sql } from '../../platform/db/index.js';
import { BadRequest } from '../../platform/errors.js';

export const PageQuery = <S extends string>(sorts: readonly S[]) =>
  Type.Object(
    {
      limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
      cursor: Type.Optional(Type.String({ maxLength: 500 })),
      q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'search text' })),
      sort: Type.Optional(Type.Union(sorts.map((s) => Type.Literal(s)))),
    },
    { additionalProperties: false },
  );

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A sort key: `column` or `-column` (descending), mapped to a trusted SQL expression. */
export interface Keyset {
  column: string;
  descending: boolean;
  after?: { value: unknown; id: string } | undefined;
}

export function keyset(sort: string, columns: Record<string, string>, cursor: string | undefined): Keyset {
  const descending = sort.startsWith('-');
  const column = columns[sort.replace(/^-/, '')];
  if (!column) throw new BadRequest(`cannot sort by ${sort}`, { code: 'error.sort' });
  if (!cursor) return { column, descending };
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, string];
    if (typeof id !== 'string') throw new Error('bad cursor');
    return { column, descending, after: { value, id } };
  } catch {
    throw new BadRequest('the cursor is not valid; start from the first page', { code: 'error.cursor' });
  }
}

/** `AND (col, id) > (…)` for the page after the cursor, and the matching ORDER BY. */
export function keysetSql(k: Keyset): { where: SqlStatement; orderBy: SqlStatement } {
  const cmp = raw(k.descending ? '<' : '>');
  const dir = raw(k.descending ? 'DESC' : 'ASC');
  const col = raw(k.column);
  return {
    where: k.after ? sql`AND (${col}, id) ${cmp} (${k.after.value}, ${k.after.id}::uuid)` : sql``,
    orderBy: sql`ORDER BY ${col} ${dir}, id ${dir}`,
  };
}

/** Cuts the extra row fetched to know whether another page exists. */
export function toPage<T extends { id: string }>(rows: T[], limit: number, sortValue: (row: T) => unknown): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last ? Buffer.from(JSON.stringify([sortValue(last), last.id]), 'utf8').toString('base64url') : null;
  return { items, nextCursor };
}
