import { type Static, Type } from 'typebox';
import { sql, type Tx } from '../db/index.js';
import { Conflict, NotFound } from '../errors.js';
import { keyset, type Listing, type Page, type PageRequest, toPage } from '../paging.js';
import { wakeDispatchers } from './outbox.js';

/** In-process deliveries that gave up, for the tenant's administrators (tx inside withTenant). */

export const DeadEvent = Type.Object({
  subscriber: Type.String(),
  eventId: Type.String({ format: 'uuid' }),
  eventType: Type.String(),
  aggregate: Type.Object({ type: Type.String(), id: Type.String() }),
  sequence: Type.Integer(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  failedAt: Type.String({ format: 'date-time' }),
});
export type DeadEvent = Static<typeof DeadEvent>;

/** Newest event first (ids are time-ordered), its subscribers in reverse order of name. */
const DEAD_EVENTS: Listing<DeadEvent> = {
  name: 'events.deadLetters',
  sorts: { createdAt: [{ sql: 'd.event_id', type: 'uuid', of: 'eventId' }] },
  defaultSort: '-createdAt',
  id: { sql: 'd.subscriber', type: 'text', of: 'subscriber' },
};

export async function listDeadEvents(tx: Tx, opts: PageRequest): Promise<Page<DeadEvent>> {
  const k = keyset(DEAD_EVENTS, { cursor: opts.cursor, limit: opts.limit });
  const { rows } = await tx.query<DeadEvent>(
    sql`SELECT d.subscriber, d.event_id AS "eventId", o.type AS "eventType",
            json_build_object('type', d.aggregate_type, 'id', d.aggregate_id) AS aggregate, d.aggregate_seq AS sequence,
            d.attempts, d.last_error AS "lastError",
            d.updated_at AS "failedAt"
       FROM event_deliveries d JOIN outbox_events o ON o.tenant_id = d.tenant_id AND o.id = d.event_id
      WHERE d.status = 'dead' AND ${k.where}
      ${k.orderBy} ${k.limit}`,
  );
  return toPage(k, rows);
}

/** Gives a dead-lettered delivery a fresh round of attempts, e.g. after the subscriber's fault was fixed. */
export async function retryDeadEvent(tx: Tx, subscriber: string, eventId: string): Promise<void> {
  const { rows } = await tx.query<{ status: string }>(
    sql`SELECT status FROM event_deliveries WHERE subscriber = ${subscriber} AND event_id = ${eventId}`,
  );
  if (!rows[0]) {
    throw new NotFound(`no delivery of event ${eventId} to ${subscriber}`, {
      code: 'error.events.deliveryNotFound',
      params: { subscriber, eventId },
    });
  }
  if (rows[0].status !== 'dead') {
    throw new Conflict(`the delivery of event ${eventId} to ${subscriber} is ${rows[0].status}, not dead-lettered`, {
      code: 'error.events.notDead',
      params: { subscriber, eventId, status: rows[0].status },
    });
  }
  await tx.query(
    sql`UPDATE event_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, updated_at = now()
      WHERE subscriber = ${subscriber} AND event_id = ${eventId}`,
  );
  tx.afterCommit(wakeDispatchers);
}
