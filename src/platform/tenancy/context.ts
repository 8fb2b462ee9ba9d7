import { type Database, type SqlStatement, sql, type Tx } from '../db/index.js';

/** Who acts: a person, a machine's API token, or a background job of the system. */
export interface Actor {
  kind: 'user' | 'token' | 'system';
  id: string;
  /** Printed name, as it appears in the audit trail and on signatures. */
  name: string;
}

/** Everything a request carries into the database: it becomes `SET LOCAL` settings. */
export interface TenantContext {
  tenantId: string;
  siteId?: string | undefined;
  actor: Actor;
  requestId: string;
  /** The person's session, when the caller is a person (signing rules depend on it). */
  sessionId?: string | undefined;
  /** Why the change is made; required by the audit trail for changes to approved records. */
  reason?: string | undefined;
  /** The registered device a machine's API token is bound to, and the work center it may record at (§11.10(h)). */
  device?: { id: string; workCenterId: string } | undefined;
}

export const APP_ROLE = 'mediforge_app';

/**
 * Runs fn in one transaction as the application role with the tenant context set locally, so
 * row-level security — not only this code — keeps tenants apart. Everything fn does commits or
 * rolls back together.
 */
export function withTenant<T>(db: Database, ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // The context goes with BEGIN, in the same round trip.
  return db.transaction(fn, { setup: tenantSetup(ctx) });
}

/** Applies the tenant context to an already open transaction. */
export async function enterTenant(tx: Tx, ctx: TenantContext): Promise<void> {
  await tx.query(tenantSetup(ctx));
}

/** The tenant context as one statement: the role is a setting too (`set_config('role', …, true)` is SET LOCAL ROLE). */
function tenantSetup(ctx: TenantContext): SqlStatement {
  return sql`SELECT set_config('app.tenant_id', ${ctx.tenantId}, true), set_config('app.site_id', ${ctx.siteId ?? ''}, true),
            set_config('app.actor_kind', ${ctx.actor.kind}, true), set_config('app.actor_id', ${ctx.actor.id}, true),
            set_config('app.actor_name', ${ctx.actor.name}, true), set_config('app.request_id', ${ctx.requestId}, true),
            set_config('app.reason', ${ctx.reason ?? ''}, true), set_config('role', ${APP_ROLE}, true)`;
}

/** The system itself acting for a tenant (seeding, scheduled jobs). */
export function systemContext(tenantId: string, job: string, siteId?: string): TenantContext {
  return { tenantId, siteId, actor: { kind: 'system', id: job, name: `system:${job}` }, requestId: `job:${job}` };
}
