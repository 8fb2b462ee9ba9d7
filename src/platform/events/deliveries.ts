import { type Queryable, raw, type SqlStatement, sql } from '../db/index.js';
import type { DomainEvent, RetryPolicy } from './types.js';
import { backoffMs } from './types.js';

/**
 * SQL over `outbox_events` and `event_deliveries` shared by the dispatcher's steps. These run as
 * the connection's own role (which owns the schema and bypasses row-level security), because
 * the dispatcher serves every tenant; subscriber effects run under the tenant's role.
 */

export interface DeliveryKey {
  tenantId: string;
  subscriber: string;
  eventId: string;
}

export interface ClaimedDelivery extends DeliveryKey {
  attempts: number;
}

/** `null` = every tenant; otherwise only these (per-tenant workers, and tests sharing one database). */
export type TenantScope = readonly string[] | null;

const scopeParam = (scope: TenantScope) => (scope ? [...scope] : null);

const EVENT_SELECT = `
  SELECT o.id, o.type, o.tenant_id AS "tenantId", t.code AS "tenantCode", o.site_id AS "siteId",
         o.aggregate_type AS "aggregateType", o.aggregate_id AS "aggregateId", o.aggregate_seq AS sequence, o.data,
         to_char(o.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt", o.request_id AS "requestId"
    FROM outbox_events o JOIN tenants t ON t.id = o.tenant_id`;

interface EventRow {
  id: string;
  type: string;
  tenantId: string;
  tenantCode: string;
  siteId: string | null;
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  data: unknown;
  occurredAt: string;
  requestId: string;
}

function toDomainEvent(row: EventRow): DomainEvent {
  const { aggregateType, aggregateId, ...rest } = row;
  return { ...rest, aggregate: { type: aggregateType, id: aggregateId } };
}

/** The events of these deliveries (or any rows naming tenant and event), keyed by event id. */
export async function loadEvents(
  q: Queryable,
  keys: ReadonlyArray<{ tenantId: string; eventId: string }>,
): Promise<Map<string, DomainEvent>> {
  if (keys.length === 0) return new Map();
  const { rows } = await q.query<EventRow>(
    sql`${raw(EVENT_SELECT)} JOIN unnest(${keys.map((k) => k.tenantId)}::uuid[], ${keys.map((k) => k.eventId)}::uuid[]) AS k(tenant_id, id) ON k.tenant_id = o.tenant_id AND k.id = o.id`,
  );
  return new Map(rows.map((r) => [r.id, toDomainEvent(r)]));
}

export interface NewEventRow {
  tenantId: string;
  id: string;
  position: number;
  type: string;
  aggregateType: string;
  aggregateId: string;
  sequence: number;
}

/** New events, locked so that a second dispatcher process takes different ones. */
export async function lockNewEvents(q: Queryable, scope: TenantScope, limit: number): Promise<NewEventRow[]> {
  const tenants = scopeParam(scope);
  const { rows } = await q.query<NewEventRow>(
    sql`SELECT tenant_id AS "tenantId", id, position, type, aggregate_type AS "aggregateType", aggregate_id AS "aggregateId",
            aggregate_seq AS sequence
       FROM outbox_events
      WHERE fanned_out_at IS NULL AND (${tenants}::uuid[] IS NULL OR tenant_id = ANY(${tenants}))
      ORDER BY position LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`,
  );
  return rows;
}

/**
 * The next due deliveries of these subscribers in event order, locked with SKIP LOCKED so two
 * processes never take the same one. Deliveries queued behind an earlier one of their
 * aggregate that waits for a retry (or is leased out) are left out, so a failing aggregate
 * does not fill the batch and hold up the others. The checks run on a window of the next
 * `WINDOW`× batch-size due deliveries, taken first and revisited by row address (a TID scan),
 * so a step costs the same however long the backlog and whatever the planner believes about it.
 */
const WINDOW = 4;
const candidates = (subscribers: readonly string[], scope: TenantScope, limit: number): SqlStatement => {
  const tenants = scopeParam(scope);
  return sql`
  WITH due AS MATERIALIZED (
    SELECT ctid FROM event_deliveries
     WHERE status = 'pending' AND subscriber = ANY(${[...subscribers]}) AND next_attempt_at <= now()
       AND (${tenants}::uuid[] IS NULL OR tenant_id = ANY(${tenants}))
     ORDER BY position LIMIT ${limit * WINDOW})
  SELECT c.tenant_id, c.subscriber, c.event_id
    FROM event_deliveries c
   WHERE c.ctid = ANY (ARRAY(SELECT ctid FROM due)) AND c.status = 'pending'
     AND NOT EXISTS (SELECT 1 FROM event_deliveries w
                      WHERE w.tenant_id = c.tenant_id AND w.subscriber = c.subscriber AND w.status = 'pending'
                        AND w.aggregate_type = c.aggregate_type AND w.aggregate_id = c.aggregate_id
                        AND w.aggregate_seq < c.aggregate_seq AND w.next_attempt_at > now())
   ORDER BY c.position LIMIT ${limit}
   FOR UPDATE OF c SKIP LOCKED`;
};

/** An earlier event of the delivery's aggregate still awaits fan-out: its delivery may not exist yet. */
const FAN_OUT_BEHIND = `EXISTS (SELECT 1 FROM outbox_events o
   WHERE o.tenant_id = d.tenant_id AND o.fanned_out_at IS NULL
     AND o.aggregate_type = d.aggregate_type AND o.aggregate_id = d.aggregate_id
     AND o.aggregate_seq < d.aggregate_seq)`;

/** How many earlier events of the same aggregate are still pending for the same subscriber. */
const PENDING_BEFORE = `(SELECT count(*) FROM event_deliveries p
   WHERE p.tenant_id = d.tenant_id AND p.subscriber = d.subscriber AND p.status = 'pending'
     AND p.aggregate_type = d.aggregate_type AND p.aggregate_id = d.aggregate_id
     AND p.aggregate_seq < d.aggregate_seq)::int`;

const KEY_COLUMNS = 'tenant_id AS "tenantId", subscriber, event_id AS "eventId", attempts';

export interface LockedDelivery extends ClaimedDelivery {
  /** tenant, subscriber and aggregate: deliveries with the same key go in aggregate order. */
  chain: string;
  pendingBefore: number;
}

/**
 * Locks due deliveries for the rest of the caller's transaction (in-process subscribers), in
 * event order. The caller applies a delivery only when every earlier pending one of its chain went before it in this
 * batch (see inAggregateOrder), so a delivery another process holds, or one waiting for a
 * retry, blocks the later events of its aggregate.
 */
export async function lockDueDeliveries(
  q: Queryable,
  subscribers: readonly string[],
  scope: TenantScope,
  limit: number,
): Promise<LockedDelivery[]> {
  const { rows } = await q.query<LockedDelivery>(
    sql`SELECT d.tenant_id AS "tenantId", d.subscriber, d.event_id AS "eventId", d.attempts,
            concat_ws('|', d.tenant_id, d.subscriber, d.aggregate_type, d.aggregate_id) AS chain, ${raw(PENDING_BEFORE)} AS "pendingBefore"
       FROM event_deliveries d
      WHERE (d.tenant_id, d.subscriber, d.event_id) IN (${candidates(subscribers, scope, limit)}) AND NOT ${raw(FAN_OUT_BEHIND)}
      ORDER BY d.position`,
  );
  return rows;
}

/**
 * Walks locked deliveries in order and yields those whose predecessors in the chain were all
 * applied in this batch; `failed` stops the rest of a chain (its predecessor is now a retry).
 */
export function* inAggregateOrder(locked: readonly LockedDelivery[], failed: ReadonlySet<string>): Generator<LockedDelivery> {
  const applied = new Map<string, number>();
  for (const d of locked) {
    const before = applied.get(d.chain) ?? 0;
    if (failed.has(d.chain) || d.pendingBefore !== before) continue;
    applied.set(d.chain, before + 1);
    yield d;
  }
}

/**
 * Claims due deliveries with a lease instead of a lock (outlets called outside any transaction),
 * only the next of each aggregate since they are sent concurrently: the attempt is counted now and the delivery is invisible until the lease ends, so a process
 * that dies mid-publish is retried by another.
 */
export async function leaseDueDeliveries(
  q: Queryable,
  subscriber: string,
  scope: TenantScope,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const { rows } = await q.query<ClaimedDelivery>(
    sql`UPDATE event_deliveries
        SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs}::double precision / 1000), updated_at = now()
      WHERE (tenant_id, subscriber, event_id) IN (
            SELECT d.tenant_id, d.subscriber, d.event_id FROM event_deliveries d
             WHERE (d.tenant_id, d.subscriber, d.event_id) IN (${candidates([subscriber], scope, limit)}) AND NOT ${raw(FAN_OUT_BEHIND)} AND ${raw(PENDING_BEFORE)} = 0)
      RETURNING ${raw(KEY_COLUMNS)}`,
  );
  return rows;
}

export async function markDone(q: Queryable, keys: readonly DeliveryKey[], countAttempt: boolean): Promise<void> {
  if (keys.length === 0) return;
  await q.query(
    sql`UPDATE event_deliveries d
        SET status = 'done', attempts = d.attempts + ${countAttempt ? 1 : 0}::int, last_error = NULL, updated_at = now()
       FROM unnest(${keys.map((k) => k.tenantId)}::uuid[], ${keys.map((k) => k.subscriber)}::text[], ${keys.map((k) => k.eventId)}::uuid[]) AS k(tenant_id, subscriber, event_id)
      WHERE d.tenant_id = k.tenant_id AND d.subscriber = k.subscriber AND d.event_id = k.event_id`,
  );
}

/** Records a failed attempt: retried after backoff, or dead-lettered with the error kept. */
export async function markFailed(q: Queryable, key: DeliveryKey, attempts: number, error: string, policy: RetryPolicy): Promise<void> {
  const dead = attempts >= policy.maxAttempts;
  await q.query(
    sql`UPDATE event_deliveries
        SET attempts = ${attempts}, status = ${dead ? 'dead' : 'pending'}, last_error = ${error.slice(0, 2000)}, updated_at = now(),
            next_attempt_at = now() + make_interval(secs => ${dead ? 0 : backoffMs(policy, attempts)}::double precision / 1000)
      WHERE tenant_id = ${key.tenantId} AND subscriber = ${key.subscriber} AND event_id = ${key.eventId}`,
  );
}

export const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));
