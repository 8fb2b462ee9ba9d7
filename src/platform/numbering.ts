import { sql, type Tx } from './db/index.js';

/**
 * Next human number for a kind of record in the current tenant, e.g. nextNumber(tx, 'WO')
 * → 'WO-2026-00017'. Gap-free over committed transactions: the counter row stays locked until
 * the caller's transaction ends, and a rollback undoes the increment with everything else.
 * The year is the site's local year when the context has a site, else UTC.
 */
export async function nextNumber(tx: Tx, kind: string, opts: { width?: number } = {}): Promise<string> {
  const { rows } = await tx.query<{ period: number; value: number }>(
    sql`WITH period AS (
       SELECT extract(year FROM now() AT TIME ZONE coalesce(
         (SELECT time_zone FROM sites WHERE id = mf_current_site()), 'UTC'))::int AS y)
     INSERT INTO number_sequences (tenant_id, kind, period, last_value)
     SELECT mf_current_tenant(), ${kind}, y, 1 FROM period
     ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = number_sequences.last_value + 1
     RETURNING period, last_value AS value`,
  );
  const row = rows[0];
  if (!row) throw new Error('numbering requires a tenant context');
  return `${kind}-${row.period}-${String(row.value).padStart(opts.width ?? 5, '0')}`;
}

/**
 * Reserves `count` consecutive numbers of a kind in one statement (a run of serial numbers for an
 * output of thousands), with the same locking and rollback as `nextNumber`. Answers the period
 * (year) and the first number of the block; the block is first … first + count − 1.
 */
export async function reserveNumbers(tx: Tx, kind: string, count: number): Promise<{ period: number; first: number }> {
  if (!Number.isInteger(count) || count < 1) throw new Error(`cannot reserve ${count} numbers`);
  const { rows } = await tx.query<{ period: number; value: string }>(
    sql`WITH period AS (
       SELECT extract(year FROM now() AT TIME ZONE coalesce(
         (SELECT time_zone FROM sites WHERE id = mf_current_site()), 'UTC'))::int AS y)
     INSERT INTO number_sequences (tenant_id, kind, period, last_value)
     SELECT mf_current_tenant(), ${kind}, y, ${count} FROM period
     ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = number_sequences.last_value + ${count}
     RETURNING period, last_value::text AS value`,
  );
  const row = rows[0];
  if (!row) throw new Error('numbering requires a tenant context');
  return { period: row.period, first: Number(row.value) - count + 1 };
}
