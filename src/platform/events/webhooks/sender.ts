import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { type Database, sql } from '../../db/index.js';
import { toCloudEvent } from '../cloudevents.js';
import { loadEvents, type TenantScope } from '../deliveries.js';
import type { Pump } from '../dispatcher.js';
import { backoffMs, type DomainEvent, type RetryPolicy } from '../types.js';
import { type Receiver, ReceiverRefused, resolveReceiver } from './receiver.js';
import { signatureHeaders } from './signature.js';

export interface WebhookSenderOptions {
  /** Opens a sealed subscription secret (secretBox(config).open). */
  openSecret: (sealed: string) => string;
  retry?: Partial<RetryPolicy>;
  /** Per attempt, connection and response together. */
  timeoutMs?: number;
  concurrency?: number;
  tenants?: TenantScope;
  /** Internal receivers the operator allows by host name (WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts?: readonly string[];
}

/** 30 attempts, 5 s doubling to at most an hour apart (with jitter): 10–20 hours before a delivery is dead-lettered. */
export const WEBHOOK_RETRY: RetryPolicy = { baseMs: 5_000, maxMs: 60 * 60_000, maxAttempts: 30 };

interface Job {
  tenantId: string;
  id: string;
  attempts: number;
  url: string;
  secretSealed: string;
  /** The rotated-out secret while its overlap lasts. */
  previousSecretSealed: string | null;
  event: DomainEvent;
}

type Outcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/**
 * Delivers webhook_deliveries rows: claimed with a lease in a short transaction (the attempt is
 * counted then), POSTed with no transaction open, and the outcome recorded afterwards. A
 * process that dies mid-request leaves the lease to expire and another process retries.
 */
export function webhookSender(db: Database, opts: WebhookSenderOptions): Pump<Job> {
  const retry = { ...WEBHOOK_RETRY, ...opts.retry };
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const leaseMs = timeoutMs + 30_000;
  const scope = opts.tenants ? [...opts.tenants] : null;

  async function claim(limit: number): Promise<Job[]> {
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<Omit<Job, 'event'> & { eventId: string }>(
        sql`UPDATE webhook_deliveries d
            SET attempts = d.attempts + 1, last_attempt_at = now(),
                next_attempt_at = now() + make_interval(secs => ${leaseMs}::double precision / 1000)
           FROM webhook_subscriptions s
          WHERE s.tenant_id = d.tenant_id AND s.id = d.subscription_id
            AND (d.tenant_id, d.id) IN (
                SELECT w.tenant_id, w.id FROM webhook_deliveries w
                  JOIN webhook_subscriptions a ON a.tenant_id = w.tenant_id AND a.id = w.subscription_id AND a.active
                 WHERE w.status = 'pending' AND w.next_attempt_at <= now() AND (${scope}::uuid[] IS NULL OR w.tenant_id = ANY(${scope}))
                 ORDER BY w.next_attempt_at LIMIT ${limit}
                 FOR UPDATE OF w SKIP LOCKED)
          RETURNING d.tenant_id AS "tenantId", d.id, d.attempts, d.event_id AS "eventId", s.url, s.secret_sealed AS "secretSealed",
                    CASE WHEN s.previous_secret_until > now() THEN s.previous_secret_sealed END AS "previousSecretSealed"`,
      );
      if (rows.length === 0) return [];
      const events = await loadEvents(tx, rows);
      return rows.map(({ eventId, ...job }) => ({ ...job, event: events.get(eventId)! }));
    });
  }

  async function post(job: Job): Promise<Outcome> {
    const body = JSON.stringify(toCloudEvent(job.event));
    const headers = {
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'user-agent': 'Mediforge-Webhooks/1',
      ...signatureHeaders(
        [job.secretSealed, ...(job.previousSecretSealed ? [job.previousSecretSealed] : [])].map(opts.openSecret),
        job.event.id,
        body,
        Math.floor(Date.now() / 1000),
      ),
    };
    let receiver: Receiver;
    try {
      receiver = await resolveReceiver(job.url, opts.allowedHosts ?? []);
    } catch (err) {
      if (err instanceof ReceiverRefused) return { ok: false, statusCode: null, error: `not sent: ${err.message}` };
      throw err;
    }
    try {
      const status = await postTo(job.url, receiver, headers, body, timeoutMs);
      if (status >= 200 && status < 300) return { ok: true, statusCode: status };
      return { ok: false, statusCode: status, error: `receiver answered HTTP ${status}` };
    } catch {
      // One wording for refused, unreachable and silent alike: the trail must not map the network's ports.
      return { ok: false, statusCode: null, error: 'no answer from the receiver' };
    }
  }

  async function send(job: Job): Promise<void> {
    const outcome = await post(job);
    if (outcome.ok) {
      await db.query(
        sql`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_status_code = ${outcome.statusCode}, last_error = NULL
          WHERE tenant_id = ${job.tenantId} AND id = ${job.id}`,
      );
      return;
    }
    const dead = job.attempts >= retry.maxAttempts;
    await db.query(
      sql`UPDATE webhook_deliveries
          SET status = ${dead ? 'dead' : 'pending'}, last_status_code = ${outcome.statusCode}, last_error = ${outcome.error},
              next_attempt_at = now() + make_interval(secs => ${dead ? 0 : backoffMs(retry, job.attempts)}::double precision / 1000)
        WHERE tenant_id = ${job.tenantId} AND id = ${job.id}`,
    );
  }

  return { name: 'webhooks', concurrency: opts.concurrency ?? 8, claim, send };
}

/**
 * POSTs to the URL over a connection to the address already checked (the host name still goes
 * in Host and in TLS SNI, and certificates are verified against it). Redirects are not followed.
 */
function postTo(url: string, receiver: Receiver, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const target = new URL(url);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [receiver]);
    else callback(null, receiver.address, receiver.family);
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: pinned, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}
