import type { FastifyReply, FastifyRequest } from 'fastify';
import { secretBox, sha256Hex } from '../crypto.js';
import { type Database, sql, type Tx } from '../db/index.js';
import { BadRequest, Conflict, ValidationFailed } from '../errors.js';
import { withTenant } from '../tenancy/index.js';
import { tenantOf } from './app.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route accepts `Idempotency-Key` and answers through `idempotent()`. */
    idempotent?: boolean;
  }
}

export interface StoredResponse<T = unknown> {
  status: number;
  body: T;
}

const KEY = /^[\x21-\x7e]{1,255}$/;
/** First argument of the advisory lock that marks a key as in flight. */
const LOCK_NAMESPACE = 7316043;

/** JSON with object keys sorted, so the same request hashes the same whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Fields of a request body that carry credentials (a signer's password, TOTP code, recovery code).
 * They are removed, at any depth, before the request is hashed: nothing derived from a password
 * or a one-time code is stored outside identity (Part 11 §11.300), not even inside a hash, which
 * for a 6-digit code or a weak password could be reversed by trying every value.
 */
const CREDENTIAL_FIELDS = new Set([
  'password',
  'currentPassword',
  'newPassword',
  'totpCode',
  'recoveryCode',
  'recoveryCodes',
  'credentials',
]);

/** The request without its credential fields: what identifies it for replay. */
export function withoutCredentials(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCredentials);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !CREDENTIAL_FIELDS.has(k))
        .map(([k, v]) => [k, withoutCredentials(v)]),
    );
  }
  return value;
}

/**
 * What identifies a request for replay, as stored: the SHA-256 of method, route, params and body
 * without credentials. A replay of a signed step is recognised by everything but its credentials;
 * it returns the stored response and signs nothing again.
 */
export function requestFingerprint(method: string, route: string | undefined, params: unknown, body: unknown): string {
  return sha256Hex(canonicalJson([method, route, params, withoutCredentials(body)]));
}

/**
 * Runs a POST that creates or moves something at most once per `Idempotency-Key`: the response
 * is stored in the same transaction as the effect, so a retried request (same caller, key and
 * request) gets the stored status and body back and changes nothing. The same key with another
 * request is refused (422); while the first is still running a duplicate gets 409. Without the
 * header the handler simply runs. Only successful responses are stored: a refused request
 * changed nothing and may be corrected and sent again with the same key.
 */
export async function idempotent<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  fn: (tx: Tx) => Promise<StoredResponse<T>>,
): Promise<FastifyReply> {
  if (!request.routeOptions.config.idempotent) {
    throw new Error(`route ${request.routeOptions.url} must declare config.idempotent to use idempotent()`);
  }
  const ctx = tenantOf(request);
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    const result = await withTenant(request.server.db, ctx, fn);
    return reply.status(result.status).send(result.body);
  }
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new BadRequest('Idempotency-Key must be 1–255 visible ASCII characters', { code: 'error.idempotency.key' });
  }
  const caller = `${ctx.actor.kind}:${ctx.actor.id}`;
  const requestHash = requestFingerprint(request.method, request.routeOptions.url, request.params, request.body);
  const box = secretBox(request.server.config);
  const outcome = await withTenant(request.server.db, ctx, async (tx) => {
    const { rows: lock } = await tx.query<{ ok: boolean }>(
      sql`SELECT pg_try_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${`${ctx.tenantId}|${caller}|${key}`})) AS ok`,
    );
    if (!lock[0]?.ok) {
      throw new Conflict('a request with this Idempotency-Key is still being processed; retry later', {
        code: 'error.idempotency.inFlight',
      });
    }
    const { rows } = await tx.query<{ requestHash: string; status: number; sealed: string; expired: boolean }>(
      sql`SELECT request_hash AS "requestHash", response_status AS status, response_sealed AS sealed, expires_at <= now() AS expired
         FROM idempotency_keys WHERE caller = ${caller} AND key = ${key}`,
    );
    const stored = rows[0];
    if (stored && !stored.expired) {
      if (stored.requestHash !== requestHash) {
        throw new ValidationFailed(
          'this Idempotency-Key was used for a different request; use a new key for a new request',
          [{ pointer: '/headers/idempotency-key', message: 'was used for a different request' }],
          { code: 'error.idempotency.mismatch' },
        );
      }
      return { replayed: true, status: stored.status, body: JSON.parse(box.open(stored.sealed)) as unknown };
    }
    if (stored) await tx.query(sql`DELETE FROM idempotency_keys WHERE caller = ${caller} AND key = ${key}`);
    const result = await fn(tx);
    await tx.query(
      sql`INSERT INTO idempotency_keys (caller, key, request_hash, response_status, response_sealed) VALUES (${caller}, ${key}, ${requestHash}, ${result.status}, ${box.seal(JSON.stringify(result.body ?? null))})`,
    );
    return { replayed: false, ...result };
  });
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(outcome.status).send(outcome.body);
}

/** Removes keys past their 24 hours (lookups already ignore them); returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Database): Promise<number> {
  const { rowCount } = await db.query(sql`DELETE FROM idempotency_keys WHERE expires_at <= now()`);
  return rowCount;
}
