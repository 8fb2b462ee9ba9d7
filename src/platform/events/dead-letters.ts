import { type Static, Type } from 'typebox';
import type { Tx } from '../db/index.js';
import { Conflict, NotFound } from '../errors.js';
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

/** Newest first; `before` is the `nextCursor` of the previous page (`<event id>/<subscriber>`). */
export async function listDeadEvents(
  tx: Tx,
  opts: { before?: string | undefined; limit: number },
): Promise<{ items: DeadEvent[]; nextCursor: string | null }> {
  const [beforeEvent, beforeSubscriber] = opts.before ? [opts.before.slice(0, 36), opts.before.slice(37)] : [null, null];
  const { rows } = await tx.query<DeadEvent>(
    `SELECT d.subscriber, d.event_id AS "eventId", o.type AS "eventType",
            json_build_object('type', d.aggregate_type, 'id', d.aggregate_id) AS aggregate, d.aggregate_seq AS sequence,
            d.attempts, d.last_error AS "lastError",
            to_char(d.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "failedAt"
       FROM event_deliveries d JOIN outbox_events o ON o.tenant_id = d.tenant_id AND o.id = d.event_id
      WHERE d.status = 'dead' AND ($1::uuid IS NULL OR (d.event_id, d.subscriber) < ($1::uuid, $2::text))
      ORDER BY d.event_id DESC, d.subscriber DESC LIMIT $3`,
    [beforeEvent, beforeSubscriber, opts.limit + 1],
  );
  const items = rows.slice(0, opts.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > opts.limit && last ? `${last.eventId}/${last.subscriber}` : null };
}

/** Gives a dead-lettered delivery a fresh round of attempts, e.g. after the subscriber's fault was fixed. */
export async function retryDeadEvent(tx: Tx, subscriber: string, eventId: string): Promise<void> {
  const { rows } = await tx.query<{ status: string }>('SELECT status FROM event_deliveries WHERE subscriber = $1 AND event_id = $2', [
    subscriber,
    eventId,
  ]);
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
    `UPDATE event_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, updated_at = now()
      WHERE subscriber = $1 AND event_id = $2`,
    [subscriber, eventId],
  );
  tx.afterCommit(wakeDispatchers);
}
