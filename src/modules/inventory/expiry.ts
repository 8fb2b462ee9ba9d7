import { type Database, sql, type Tx } from '../../platform/db/index.js';
import { type Job, repeatEvery } from '../../platform/jobs.js';
import { listTenants, systemContext, type Tenant, withTenant } from '../../platform/tenancy/index.js';
import type { Lot } from './contract.js';
import { expireLots } from './lots.js';

/**
 * Today as the expiry job counts it for a tenant: the earliest of its sites' calendars. A lot is
 * marked expired once its date has passed at every site, so the status never runs ahead of a
 * site where the lot is still in date; each site's stock rules refuse it from its own calendar.
 */
async function expiryDate(tx: Tx): Promise<string> {
  const { rows } = await tx.query<{ today: string }>(
    sql`SELECT coalesce(min((now() AT TIME ZONE time_zone)::date), (now() AT TIME ZONE 'UTC')::date)::text AS today FROM sites`,
  );
  return (rows[0] as { today: string }).today;
}

/**
 * Marks the lots of each tenant that are past their expiry date, as of `onDate` or else the
 * tenant's own today; one transaction per tenant.
 */
export async function expireTenantsLots(
  db: Database,
  tenants: readonly Tenant[],
  onDate?: string,
): Promise<Array<{ tenant: Tenant; expired: Lot[] }>> {
  const results: Array<{ tenant: Tenant; expired: Lot[] }> = [];
  for (const tenant of tenants) {
    const expired = await withTenant(db, systemContext(tenant.id, 'inventory.expire'), async (tx) =>
      expireLots(tx, onDate ?? (await expiryDate(tx))),
    );
    results.push({ tenant, expired });
  }
  return results;
}

/**
 * The expiry job, run by the server: at start and then every hour, so a lot becomes
 * expired within the hour after its date passes whatever time the server was started. Running
 * it again changes nothing: a lot already expired is not a candidate.
 */
export function startExpiryJob(
  db: Database,
  opts: { intervalMs?: number; onError?: (err: unknown) => void; tenants?: () => Promise<Tenant[]> } = {},
): Job {
  const tenants = opts.tenants ?? (() => listTenants(db));
  return repeatEvery(opts.intervalMs ?? 3_600_000, async () => expireTenantsLots(db, await tenants()), {
    onError: opts.onError,
    runAtStart: true,
  });
}
