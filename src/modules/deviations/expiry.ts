import type { Database } from '../../platform/db/index.js';
import { type Job, repeatEvery } from '../../platform/jobs.js';
import { listTenants, siteToday, systemContext, type Tenant, withTenant } from '../../platform/tenancy/index.js';
import { type Deviation, expireDeviations } from './service.js';

/**
 * Expires each tenant's approved deviations past their last valid day, one transaction per
 * tenant. The day is UTC unless given, the rule inventory's lot expiry follows; use is refused
 * by the site's date anyway (`recordDeviationUse`), so the job only makes the status say so.
 */
export async function expireTenantsDeviations(
  db: Database,
  tenants: readonly Tenant[],
  onDate?: string,
): Promise<Array<{ tenant: Tenant; expired: Deviation[] }>> {
  const results: Array<{ tenant: Tenant; expired: Deviation[] }> = [];
  for (const tenant of tenants) {
    const ctx = systemContext(tenant.id, 'deviations.expire');
    const expired = await withTenant(db, ctx, async (tx) => expireDeviations(tx, ctx, onDate ?? (await siteToday(tx))));
    results.push({ tenant, expired });
  }
  return results;
}

/** The expiry job, run by the server: at start and then every hour. Running it again changes nothing. */
export function startDeviationExpiryJob(
  db: Database,
  opts: { intervalMs?: number; onError?: (err: unknown) => void; tenants?: () => Promise<Tenant[]> } = {},
): Job {
  const tenants = opts.tenants ?? (() => listTenants(db));
  return repeatEvery(opts.intervalMs ?? 3_600_000, async () => expireTenantsDeviations(db, await tenants()), {
    onError: opts.onError,
    runAtStart: true,
  });
}
