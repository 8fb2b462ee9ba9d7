import { type Static, Type } from 'typebox';
import { type Database, raw, type SqlStatement, sql, type Tx } from '../db/index.js';
import { Conflict, NotFound, ValidationFailed } from '../errors.js';
import { uuidv7 } from '../ids.js';

export const TenantCode = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,39}$', description: 'lower-case code, e.g. acme-med' });
export const SiteCode = Type.String({ pattern: '^[A-Z0-9][A-Z0-9_-]{0,19}$', description: 'upper-case code, e.g. SZ1' });

export const Site = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: SiteCode,
  name: Type.String(),
  timeZone: Type.String({ description: 'IANA time zone, e.g. Asia/Shanghai' }),
  active: Type.Boolean(),
});
export type Site = Static<typeof Site>;

export interface Tenant {
  id: string;
  code: string;
  name: string;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

function assertTimeZone(tz: string): void {
  if (!isTimeZone(tz)) {
    throw new ValidationFailed(`"${tz}" is not an IANA time zone`, [{ pointer: '/timeZone', message: 'unknown time zone' }], {
      code: 'error.timeZone',
    });
  }
}

export interface NewTenant {
  code: string;
  name: string;
  site: { code: string; name: string; timeZone: string };
}

/** Creates a tenant and its first site. A system operation: runs as the owner, not a tenant. */
export async function createTenant(db: Database, input: NewTenant): Promise<{ tenant: Tenant; site: Site }> {
  return db.transaction((tx) => createTenantIn(tx, input));
}

/** Creates a tenant inside a transaction of the schema owner, before entering any tenant (e.g. the demo seed's). */
export async function createTenantIn(tx: Tx, input: NewTenant): Promise<{ tenant: Tenant; site: Site }> {
  assertTimeZone(input.site.timeZone);
  const exists = await tx.query(sql`SELECT 1 FROM tenants WHERE code = ${input.code}`);
  if (exists.rowCount > 0) throw new Conflict(`tenant ${input.code} already exists`, { code: 'error.tenant.exists' });
  const tenant: Tenant = { id: uuidv7(), code: input.code, name: input.name };
  await tx.query(sql`INSERT INTO tenants (id, code, name) VALUES (${tenant.id}, ${tenant.code}, ${tenant.name})`);
  const site = await insertSite(tx, tenant.id, input.site);
  return { tenant, site };
}

export async function findTenant(db: Database, code: string): Promise<Tenant | undefined> {
  const { rows } = await db.query<Tenant>(sql`SELECT id, code, name FROM tenants WHERE code = ${code}`);
  return rows[0];
}

export async function listTenants(db: Database): Promise<Tenant[]> {
  const { rows } = await db.query<Tenant>(sql`SELECT id, code, name FROM tenants ORDER BY created_at`);
  return rows;
}

const SITE_COLUMNS = 'id, code, name, time_zone AS "timeZone", active';

async function insertSite(tx: Tx, tenantId: string, input: NewTenant['site']): Promise<Site> {
  const { rows } = await tx.query<Site>(
    sql`INSERT INTO sites (tenant_id, id, code, name, time_zone) VALUES (${tenantId}, ${uuidv7()}, ${input.code}, ${input.name}, ${input.timeZone}) RETURNING ${raw(SITE_COLUMNS)}`,
  );
  return rows[0] as Site;
}

/** Adds a site to the current tenant (tx must be inside withTenant). */
export async function createSite(tx: Tx, input: NewTenant['site']): Promise<Site> {
  assertTimeZone(input.timeZone);
  const dup = await tx.query(sql`SELECT 1 FROM sites WHERE code = ${input.code}`);
  if (dup.rowCount > 0)
    throw new Conflict(`site ${input.code} already exists`, { code: 'error.site.exists', params: { code: input.code } });
  const { rows } = await tx.query<{ id: string }>(sql`SELECT mf_current_tenant() AS id`);
  return insertSite(tx, rows[0]?.id as string, input);
}

export async function listSites(tx: Tx): Promise<Site[]> {
  const { rows } = await tx.query<Site>(sql`SELECT ${raw(SITE_COLUMNS)} FROM sites ORDER BY code`);
  return rows;
}

export async function getSite(tx: Tx, id: string): Promise<Site> {
  const { rows } = await tx.query<Site>(sql`SELECT ${raw(SITE_COLUMNS)} FROM sites WHERE id = ${id}`);
  if (!rows[0]) throw new NotFound(`site ${id} not found`, { code: 'error.site.notFound' });
  return rows[0];
}

/**
 * The time zone of a site, as an SQL expression. The site is an id or an SQL expression (a row's
 * `site_id` column); without one (or null), the request's site; a request that names no site (an
 * API client, a job) counts by the tenant's first site, its home; UTC only outside a tenant.
 */
export const siteTimeZone = (siteId?: string | SqlStatement) =>
  sql`coalesce((SELECT time_zone FROM sites WHERE id = coalesce(${siteId ?? null}::uuid, mf_current_site())),
    (SELECT time_zone FROM sites ORDER BY created_at, id LIMIT 1), 'UTC')`;

/**
 * The day an instant fell on at a site, as an SQL expression (`instant` defaults to now: the
 * site's today). A timestamp's own `::date` is the database session's day, not the site's.
 */
export const siteDay = (siteId?: string | SqlStatement, instant: SqlStatement = sql`now()`) =>
  sql`(${instant} AT TIME ZONE ${siteTimeZone(siteId)})::date`;

/** Today's date in the time zone of a site (default: the request's, else the tenant's first site): the one "today" of every rule. */
export async function siteToday(tx: Tx, siteId?: string): Promise<string> {
  const { rows } = await tx.query<{ today: string }>(sql`SELECT ${siteDay(siteId)}::text AS today`);
  return (rows[0] as { today: string }).today;
}
