import type { Database } from '../db/index.js';
import { emit } from '../events/outbox.js';
import { type Job, repeatEvery } from '../jobs.js';
import { listTenants, systemContext, withTenant } from '../tenancy/index.js';
import { type ChainReport, type CheckpointOptions, verifyAuditChain } from './seal.js';

/** The event a broken chain raises, for QA and IT to act on (webhooks, NATS, subscribers). */
export const AUDIT_CHAIN_BROKEN = 'audit.chain.broken';

/**
 * Verifies every tenant's audit chain against its signed checkpoints, at start and then every
 * `everyMs` (default hourly). A break is reported (`onBroken`, the server log) and raised as
 * the domain event `audit.chain.broken` in the tenant, so it reaches people and systems, not
 * only whoever runs `audit verify`.
 */
export async function verifyAllChains(
  db: Database,
  opts: CheckpointOptions & { onBroken?: (report: ChainReport) => void; tenantIds?: readonly string[] },
): Promise<ChainReport[]> {
  const broken: ChainReport[] = [];
  const tenants = (await listTenants(db)).filter((t) => !opts.tenantIds || opts.tenantIds.includes(t.id));
  for (const tenant of tenants) {
    const report = await verifyAuditChain(db, tenant.id, opts);
    if (!report.firstBroken) continue;
    broken.push(report);
    opts.onBroken?.(report);
    await withTenant(db, systemContext(tenant.id, 'audit-verify'), (tx) =>
      emit(tx, {
        type: AUDIT_CHAIN_BROKEN,
        aggregate: { type: 'audit.chain', id: tenant.id },
        data: { ...report.firstBroken, checked: report.checked, latestCheckpoint: report.checkpoints.latest },
      }),
    );
  }
  return broken;
}

export function startAuditVerifier(
  db: Database,
  opts: CheckpointOptions & { everyMs?: number; onBroken?: (report: ChainReport) => void; onError?: (err: unknown) => void },
): Job {
  return repeatEvery(opts.everyMs ?? 60 * 60_000, () => verifyAllChains(db, opts), { onError: opts.onError, runAtStart: true });
}
