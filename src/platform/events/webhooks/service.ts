import { type Static, Type } from 'typebox';
import { raw, type SqlStatement, sql, type Tx } from '../../db/index.js';
import { NotFound, ValidationFailed } from '../../errors.js';
import { staleRecord } from '../../http/etag.js';
import { uuidv7 } from '../../ids.js';
import { keyset, type Listing, type Page, type PageRequest, toPage } from '../../paging.js';
import { wakeDispatchers } from '../outbox.js';
import { EVENT_PATTERN, isEventPattern, matchesAny } from '../patterns.js';
import type { DomainEvent, Subscription } from '../types.js';
import { assertReceiverAllowed } from './receiver.js';
import { newWebhookSecret } from './signature.js';

/** Webhook subscriptions of the current tenant (tx inside withTenant) and their delivery log. */

export const WebhookStatus = ['pending', 'delivered', 'dead'] as const;
export type WebhookStatus = (typeof WebhookStatus)[number];

export const WebhookSubscription = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  version: Type.Integer(),
  previousSecretValidUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'after a rotation: until when deliveries are also signed with the previous secret',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type WebhookSubscription = Static<typeof WebhookSubscription>;

export const WebhookDelivery = Type.Object({
  id: Type.String({ format: 'uuid' }),
  subscriptionId: Type.String({ format: 'uuid' }),
  eventId: Type.String({ format: 'uuid' }),
  eventType: Type.String(),
  status: Type.Union(WebhookStatus.map((s) => Type.Literal(s))),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const EventPatterns = Type.Array(Type.String({ pattern: EVENT_PATTERN, maxLength: 200 }), { minItems: 1, maxItems: 50 });

export interface WebhookInput {
  url: string;
  description?: string | undefined;
  events: string[];
  active?: boolean | undefined;
}

const SUBSCRIPTION_COLUMNS = `id, url, description, event_types AS events, active, version,
  CASE WHEN previous_secret_until > now() THEN previous_secret_until END AS "previousSecretValidUntil",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const DELIVERY_COLUMNS = `d.id, d.subscription_id AS "subscriptionId", d.event_id AS "eventId", o.type AS "eventType", d.status,
  d.attempts, CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS "nextAttemptAt",
  d.last_attempt_at AS "lastAttemptAt", d.last_status_code AS "lastStatusCode", d.last_error AS "lastError",
  d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"`;

const DELIVERY_FROM = 'webhook_deliveries d JOIN outbox_events o ON o.tenant_id = d.tenant_id AND o.id = d.event_id';

/** Only absolute http(s) URLs without credentials: a webhook is a POST to a receiver, nothing else. */
function assertWebhookUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const fault = !parsed
    ? 'is not an absolute URL'
    : !['http:', 'https:'].includes(parsed.protocol)
      ? `uses ${parsed.protocol.replace(':', '')}; only http and https are allowed`
      : parsed.username || parsed.password
        ? 'must not contain credentials; the signature authenticates the sender'
        : undefined;
  if (fault) {
    throw new ValidationFailed(`webhook URL ${fault}`, [{ pointer: '/body/url', message: fault }], { code: 'error.webhook.url' });
  }
}

function assertPatterns(events: readonly string[]): void {
  const bad = events.findIndex((p) => !isEventPattern(p));
  if (bad >= 0) {
    throw new ValidationFailed(
      `"${events[bad]}" is not an event type pattern`,
      [{ pointer: `/body/events/${bad}`, message: 'segments of lower-case letters and digits, * for one segment, > for the rest' }],
      { code: 'error.webhook.eventPattern', params: { pattern: String(events[bad]) } },
    );
  }
}

/** Creates a subscription; the secret is returned only here, and stored sealed. */
export async function createWebhook(
  tx: Tx,
  input: WebhookInput,
  seal: (secret: string) => string,
  allowedHosts: readonly string[] = [],
): Promise<WebhookSubscription & { secret: string }> {
  assertWebhookUrl(input.url);
  await assertReceiverAllowed(input.url, allowedHosts);
  assertPatterns(input.events);
  const secret = newWebhookSecret();
  const { rows } = await tx.query<WebhookSubscription>(
    sql`INSERT INTO webhook_subscriptions (id, url, description, event_types, secret_sealed, active)
     VALUES (${uuidv7()}, ${input.url}, ${input.description ?? ''}, ${[...new Set(input.events)]}, ${seal(secret)}, ${input.active ?? true}) RETURNING ${raw(SUBSCRIPTION_COLUMNS)}`,
  );
  return { ...(rows[0] as WebhookSubscription), secret };
}

export async function listWebhooks(tx: Tx): Promise<WebhookSubscription[]> {
  const { rows } = await tx.query<WebhookSubscription>(sql`SELECT ${raw(SUBSCRIPTION_COLUMNS)} FROM webhook_subscriptions ORDER BY id`);
  return rows;
}

export async function getWebhook(tx: Tx, id: string): Promise<WebhookSubscription> {
  const { rows } = await tx.query<WebhookSubscription>(
    sql`SELECT ${raw(SUBSCRIPTION_COLUMNS)} FROM webhook_subscriptions WHERE id = ${id}`,
  );
  if (!rows[0]) throw new NotFound(`webhook subscription ${id} not found`, { code: 'error.webhook.notFound', params: { id } });
  return rows[0];
}

/** Changes a subscription if it is still at one of `versions` (If-Match); 412 otherwise. */
export async function updateWebhook(
  tx: Tx,
  id: string,
  patch: Partial<WebhookInput>,
  versions: number[],
  allowedHosts: readonly string[] = [],
): Promise<WebhookSubscription> {
  if (patch.url !== undefined) {
    assertWebhookUrl(patch.url);
    await assertReceiverAllowed(patch.url, allowedHosts);
  }
  if (patch.events !== undefined) assertPatterns(patch.events);
  const { rows } = await tx.query<WebhookSubscription>(
    sql`UPDATE webhook_subscriptions
        SET url = coalesce(${patch.url ?? null}, url), description = coalesce(${patch.description ?? null}, description), event_types = coalesce(${patch.events ? [...new Set(patch.events)] : null}, event_types),
            active = coalesce(${patch.active ?? null}, active), version = version + 1, updated_at = now()
      WHERE id = ${id} AND version = ANY(${versions}::int[])
      RETURNING ${raw(SUBSCRIPTION_COLUMNS)}`,
  );
  if (rows[0]) return rows[0];
  await getWebhook(tx, id);
  throw staleRecord(`webhook subscription ${id}`);
}

/** Removes a subscription and its delivery log, if it is still at one of `versions`. */
export async function deleteWebhook(tx: Tx, id: string, versions: number[]): Promise<void> {
  const { rowCount } = await tx.query(sql`DELETE FROM webhook_subscriptions WHERE id = ${id} AND version = ANY(${versions}::int[])`);
  if (rowCount > 0) return;
  await getWebhook(tx, id);
  throw staleRecord(`webhook subscription ${id}`);
}

export type DeliveryPage = Page<WebhookDelivery>;

/** Deliveries newest first (ids are time-ordered). */
const DELIVERIES: Listing<WebhookDelivery> = {
  name: 'webhooks.deliveries',
  sorts: { createdAt: [] },
  defaultSort: '-createdAt',
  id: { sql: 'd.id', type: 'uuid', of: 'id' },
};

async function deliveryPage(tx: Tx, where: SqlStatement, page: PageRequest): Promise<DeliveryPage> {
  const k = keyset(DELIVERIES, { cursor: page.cursor, limit: page.limit });
  const { rows } = await tx.query<WebhookDelivery>(
    sql`SELECT ${raw(DELIVERY_COLUMNS)} FROM ${raw(DELIVERY_FROM)} WHERE ${where} AND ${k.where} ${k.orderBy} ${k.limit}`,
  );
  return toPage(k, rows);
}

/** The delivery log of one subscription, newest first. */
export async function listDeliveries(
  tx: Tx,
  subscriptionId: string,
  opts: PageRequest & { status?: WebhookStatus | undefined },
): Promise<DeliveryPage> {
  await getWebhook(tx, subscriptionId);
  const status = opts.status ?? null;
  return deliveryPage(tx, sql`d.subscription_id = ${subscriptionId} AND (${status}::text IS NULL OR d.status = ${status})`, opts);
}

/** Deliveries that gave up after the last attempt, across subscriptions. */
export function listDeadLetters(tx: Tx, opts: PageRequest): Promise<DeliveryPage> {
  return deliveryPage(tx, sql`d.status = 'dead'`, opts);
}

/** Sends a delivery again (dead or already delivered): a fresh round of attempts, same webhook-id. */
export async function replayDelivery(tx: Tx, id: string): Promise<WebhookDelivery> {
  const { rowCount } = await tx.query(
    sql`UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL WHERE id = ${id}`,
  );
  if (rowCount === 0) throw new NotFound(`webhook delivery ${id} not found`, { code: 'error.webhook.deliveryNotFound', params: { id } });
  tx.afterCommit(wakeDispatchers);
  const { rows } = await tx.query<WebhookDelivery>(sql`SELECT ${raw(DELIVERY_COLUMNS)} FROM ${raw(DELIVERY_FROM)} WHERE d.id = ${id}`);
  return rows[0] as WebhookDelivery;
}

/** The in-process subscriber that turns each event into deliveries for the tenant's matching webhooks. */
export const webhookFanOut: Subscription = {
  name: 'platform.webhooks',
  events: ['>'],
  async handle(tx: Tx, event: DomainEvent) {
    const { rows } = await tx.query<{ id: string; events: string[] }>(
      sql`SELECT id, event_types AS events FROM webhook_subscriptions WHERE active`,
    );
    const targets = rows.filter((s) => matchesAny(s.events, event.type)).map((s) => s.id);
    if (targets.length === 0) return;
    await tx.query(
      sql`INSERT INTO webhook_deliveries (id, subscription_id, event_id)
       SELECT ids.id, ids.subscription_id, ${event.id} FROM unnest(${targets.map(() => uuidv7())}::uuid[], ${targets}::uuid[]) AS ids(id, subscription_id)
       ON CONFLICT DO NOTHING`,
    );
  },
};

/** Longest a rotated-out secret keeps signing alongside the new one. */
export const MAX_ROTATION_OVERLAP_HOURS = 168;

/**
 * Rotates a subscription's signing secret (If-Match): the new secret is returned only here;
 * for `overlapHours` deliveries carry a signature with each secret, so the receiver can switch
 * without losing a delivery. The audit trail records the rotation, never a secret.
 */
export async function rotateWebhookSecret(
  tx: Tx,
  id: string,
  versions: number[],
  seal: (secret: string) => string,
  overlapHours: number,
): Promise<WebhookSubscription & { secret: string }> {
  const secret = newWebhookSecret();
  const { rows } = await tx.query<WebhookSubscription>(
    sql`UPDATE webhook_subscriptions
        SET previous_secret_sealed = CASE WHEN ${overlapHours}::int > 0 THEN secret_sealed END,
            previous_secret_until = CASE WHEN ${overlapHours}::int > 0 THEN now() + make_interval(hours => ${overlapHours}::int) END,
            secret_sealed = ${seal(secret)}, version = version + 1, updated_at = now()
      WHERE id = ${id} AND version = ANY(${versions}::int[])
      RETURNING ${raw(SUBSCRIPTION_COLUMNS)}`,
  );
  if (rows[0]) return { ...rows[0], secret };
  await getWebhook(tx, id);
  throw staleRecord(`webhook subscription ${id}`);
}
