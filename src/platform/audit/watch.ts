import { Type } from 'typebox';
import { defineEvents } from '../contract.js';
import type { Database } from '../db/index.js';
import { publish } from '../events/catalogue.js';
import { type Job, repeatEvery } from '../jobs.js';
import { Nullable } from '../schema.js';
import { listTenants, systemContext, withTenant } from '../tenancy/index.js';
import { type ChainReport, type CheckpointOptions, verifyAuditChain } from './seal.js';

/** The events the audit trail raises, for QA and IT to act on (webhooks, NATS, subscribers). */
export const AUDIT_EVENTS = defineEvents({
  chainBroken: {
    type: 'audit.chain.broken',
    aggregate: 'audit.chain',
    when: "the periodic verification (server start, then hourly) finds the tenant's audit chain broken or no longer matching a signed checkpoint",
    data: Type.Object({
      seq: Type.Integer(),
      eventId: Nullable(Type.String()),
      problem: Type.String(),
      detail: Type.String(),
      checked: Type.Integer(),
      latestCheckpoint: Nullable(Type.Object({ tenantId: Type.String(), seq: Type.Integer(), hash: Type.String(), at: Type.String() })),
    }),
  },
});

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
    const link = report.firstBroken;
    if (!link) continue;
    broken.push(report);
    opts.onBroken?.(report);
    await withTenant(db, systemContext(tenant.id, 'audit-verify'), (tx) =>
      publish(tx, AUDIT_EVENTS.chainBroken, {
        aggregateId: tenant.id,
        data: { ...link, checked: report.checked, latestCheckpoint: report.checkpoints.latest },
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
