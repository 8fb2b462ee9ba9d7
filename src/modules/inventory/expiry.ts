import type { Database } from '../../platform/db/index.js';
import { type Job, repeatEvery } from '../../platform/jobs.js';
import { listTenants, systemContext, type Tenant, withTenant } from '../../platform/tenancy/index.js';
import type { Lot } from './contract.js';
import { expireLots } from './lots.js';

/** Today as the expiry job counts it: the UTC date, so every site's lots expire on the same rule. */
export const expiryDate = (now = new Date()): string => now.toISOString().slice(0, 10);

/** Marks the lots of each tenant that are past their expiry date on `onDate`; one transaction per tenant. */
export async function expireTenantsLots(
  db: Database,
  tenants: readonly Tenant[],
  onDate: string,
): Promise<Array<{ tenant: Tenant; expired: Lot[] }>> {
  const results: Array<{ tenant: Tenant; expired: Lot[] }> = [];
  for (const tenant of tenants) {
    results.push({ tenant, expired: await withTenant(db, systemContext(tenant.id, 'inventory.expire'), (tx) => expireLots(tx, onDate)) });
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
  return repeatEvery(opts.intervalMs ?? 3_600_000, async () => expireTenantsLots(db, await tenants(), expiryDate()), {
    onError: opts.onError,
    runAtStart: true,
  });
}
