import { type Database, raw, type SqlStatement, sql, type Tx } from '../db/index.js';
import { keyset, type Listing, type Page, toPage } from '../paging.js';
import { type TenantContext, withTenant } from '../tenancy/index.js';

/**
 * Reading the audit trail. Events are written by database triggers (migration 0002), never by
 * this code, so a change made by raw SQL is captured just like one made by a service.
 */
export type AuditAction = 'insert' | 'update' | 'delete' | (string & {});

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface AuditEvent {
  id: string;
  /** Position in the tenant's hash chain; null until the sealer has sealed the event. */
  seq: number | null;
  at: string;
  actor: { kind: string; id: string; name: string };
  action: AuditAction;
  entity: string;
  recordId: string | null;
  changes: FieldChange[];
  reason: string | null;
  requestId: string | null;
}

interface EventRow {
  id: number;
  seq: number | null;
  at: string;
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  action: string;
  entity: string;
  record_id: string | null;
  old_values: Record<string, unknown> | null;
  new_values: Record<string, unknown> | null;
  reason: string | null;
  request_id: string | null;
}

const EVENT_COLUMNS = `id, seq, at, actor_kind, actor_id, actor_name, action, entity, record_id,
  old_values, new_values, reason, request_id`;

/**
 * A record's events in the order they were written: the sealed ones through the record index, the
 * few the sealer has not reached yet among the tenant's unsealed events (migration 0075 indexes
 * records of sealed events only).
 */
const recordEvents = (columns: SqlStatement, entity: string, recordId: string) => sql`
  SELECT ${columns} FROM audit_event WHERE entity = ${entity} AND record_id = ${recordId} AND seq IS NOT NULL
  UNION ALL
  SELECT ${columns} FROM audit_event WHERE entity = ${entity} AND record_id = ${recordId} AND seq IS NULL
  ORDER BY id`;

function changesOf(row: EventRow): FieldChange[] {
  const oldV = row.old_values ?? {};
  const newV = row.new_values ?? {};
  const fields = [...new Set([...Object.keys(oldV), ...Object.keys(newV)])].sort();
  return fields.map((field) => ({ field, old: oldV[field] ?? null, new: newV[field] ?? null }));
}

function toEvent(row: EventRow): AuditEvent {
  return {
    id: String(row.id),
    seq: row.seq,
    at: row.at,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    action: row.action,
    entity: row.entity,
    recordId: row.record_id,
    changes: changesOf(row),
    reason: row.reason,
    requestId: row.request_id,
  };
}

/** A record's history, oldest first: who, when, what changed from what to what, and why. */
export async function recordHistory(tx: Tx, entity: string, recordId: string): Promise<AuditEvent[]> {
  const { rows } = await tx.query<EventRow>(recordEvents(sql`${raw(EVENT_COLUMNS)}`, entity, recordId));
  return rows.map(toEvent);
}

export interface RecordAsOf {
  entity: string;
  id: string;
  asOf: string;
  /** False when the record did not exist yet, or had been deleted, at that instant. */
  exists: boolean;
  record: Record<string, unknown> | null;
  /** The last change at or before the instant. */
  lastChange: { at: string; actor: AuditEvent['actor']; action: AuditAction } | null;
}

/**
 * The record as it was at an instant, rebuilt from the trail alone: the insert's full row, then
 * each update's new values, in the order the changes were made. Undefined when the trail holds
 * nothing for the record at all.
 */
export async function recordAsOf(tx: Tx, entity: string, recordId: string, asOf: string): Promise<RecordAsOf | undefined> {
  // An ISO time compared in SQL: event times carry microseconds, JavaScript dates only milliseconds.
  const { rows } = await tx.query<EventRow & { before: boolean }>(
    recordEvents(sql`${raw(EVENT_COLUMNS)}, at <= ${asOf} AS before`, entity, recordId),
  );
  if (rows.length === 0) return undefined;
  let record: Record<string, unknown> | null = null;
  let last: EventRow | undefined;
  for (const row of rows) {
    if (!row.before) break;
    if (row.action === 'insert') record = { ...row.new_values };
    else if (row.action === 'update') record = { ...(record ?? {}), ...row.new_values };
    else if (row.action === 'delete') record = null;
    last = row;
  }
  return {
    entity,
    id: recordId,
    asOf,
    exists: record !== null,
    record,
    lastChange: last ? { at: last.at, actor: toEvent(last).actor, action: last.action } : null,
  };
}

export interface AuditQuery {
  entity?: string | undefined;
  /** The actor's id (user id, token id or job name). */
  actor?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** The trail in the order it was written, newest first. */
const TRAIL: Listing<EventRow> = {
  name: 'audit',
  sorts: { createdAt: [] },
  defaultSort: '-createdAt',
  id: { sql: 'id', type: 'bigint', of: 'id' },
};

/** The tenant's trail, newest first, for auditors: filters combine with AND. */
export async function searchAudit(tx: Tx, q: AuditQuery): Promise<Page<AuditEvent>> {
  const k = keyset(TRAIL, { cursor: q.cursor, limit: q.limit });
  const where: SqlStatement[] = [
    ...(q.entity ? [sql`entity = ${q.entity}`] : []),
    ...(q.actor ? [sql`actor_id = ${q.actor}`] : []),
    ...(q.action ? [sql`action = ${q.action}`] : []),
    ...(q.from ? [sql`at >= ${q.from}`] : []),
    ...(q.to ? [sql`at < ${q.to}`] : []),
  ];
  const conditions = where.reduce((acc, c) => sql`${acc} AND ${c}`, k.where);
  const { rows } = await tx.query<EventRow>(sql`SELECT ${raw(EVENT_COLUMNS)} FROM audit_event WHERE ${conditions} ${k.orderBy} ${k.limit}`);
  const page = toPage(k, rows);
  return { items: page.items.map(toEvent), nextCursor: page.nextCursor };
}

export type SecurityAction =
  | 'login.succeeded'
  | 'login.failed'
  | 'account.locked'
  | 'account.unlocked'
  | 'permission.denied'
  | 'token.used'
  | 'token.revoked'
  | 'session.revoked'
  | 'signature.failed'
  | (string & {});

export interface SecurityEvent {
  action: SecurityAction;
  /** Whom the event is about, e.g. the user whose login failed. */
  subject?: { kind: string; id: string; name: string } | undefined;
  detail?: Record<string, unknown> | undefined;
}

/** Appends a security event to the trail (entity 'security') in the caller's transaction. */
export async function recordSecurityEvent(tx: Tx, event: SecurityEvent): Promise<void> {
  const details = { ...(event.subject ? { subject: event.subject } : {}), ...(event.detail ? { detail: event.detail } : {}) };
  await tx.query(sql`SELECT mf_record_security_event(${event.action}, ${event.subject?.id ?? null}, ${JSON.stringify(details)}::jsonb)`);
}

/**
 * Records a security event in a transaction of its own that commits at once: for events that
 * must survive the failing request that caused them (failed login, lockout, failed signing).
 */
export function recordSecurityEventNow(db: Database, ctx: TenantContext, event: SecurityEvent): Promise<void> {
  return withTenant(db, ctx, (tx) => recordSecurityEvent(tx, event));
}
