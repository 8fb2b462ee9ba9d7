import { createHmac } from 'node:crypto';
import { randomToken, safeEqual } from '../../crypto.js';

/**
 * Webhook signatures. Each delivery carries
 *   webhook-id: <event id>           (the same on every retry: receivers dedupe on it)
 *   webhook-timestamp: <unix seconds>
 *   webhook-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 * The secret is the whole `whsec_…` string as UTF-8. Receivers recompute the HMAC over the raw
 * body bytes, compare in constant time and refuse timestamps older than a few minutes.
 */
export const newWebhookSecret = (): string => `whsec_${randomToken(32)}`;

const hmac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** One v1= signature per secret: after a rotation, the new and the previous one, so receivers switch without a gap. */
export function signatureHeaders(
  secrets: string | readonly string[],
  eventId: string,
  body: string,
  timestamp: number,
): Record<string, string> {
  const signatures = (typeof secrets === 'string' ? [secrets] : secrets).map((secret) => `v1=${hmac(secret, timestamp, body)}`);
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `t=${timestamp},${signatures.join(',')}`,
  };
}

/** True when `header` signs `body` with `secret` and its time is within `toleranceSec` of `nowSec`. */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  opts: { toleranceSec?: number; nowSec?: number } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t)) return false;
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSec ?? 300)) return false;
  const expected = hmac(secret, t, body);
  return parts.some(([k, v]) => k === 'v1' && v !== undefined && safeEqual(v, expected));
}
