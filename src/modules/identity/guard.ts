import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../platform/crypto.js';
import { type Database, sql, type Tx } from '../../platform/db/index.js';
import { BadRequest, Forbidden, Unauthorized } from '../../platform/errors.js';
import type { Guard } from '../../platform/http/app.js';
import { UUID_PATTERN } from '../../platform/ids.js';
import { enterTenant, type TenantContext, withTenant } from '../../platform/tenancy/index.js';
import { type IdentityEnv, type Outcome, unwrap } from './context.js';
import { P } from './contract.js';
import { IMPLICIT_PERSON_PERMISSIONS } from './permissions.js';
import { userGrants } from './roles.js';
import { recordSecurityEvent } from './security-events.js';
import { type ClientMeta, findLiveSession, SESSION_COOKIE, tenantOfSessionToken } from './sessions.js';
import { authenticateApiToken, badToken, tenantOfApiToken } from './tokens.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SITE_HEADER = 'x-site-id';
const CSRF_HEADER = 'x-csrf-token';

export const clientMeta = (request: FastifyRequest): ClientMeta => ({
  ip: request.ip,
  userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
});

/** The context identity itself works in before it knows who calls. */
export const identityContext = (tenantId: string, requestId: string): TenantContext => ({
  tenantId,
  actor: { kind: 'system', id: 'identity', name: 'system:identity' },
  requestId,
});

const unauthenticated = () => new Unauthorized('sign in to continue', { code: 'error.identity.unauthenticated' });

function requestedSite(request: FastifyRequest): string | undefined {
  const header = request.headers[SITE_HEADER];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !new RegExp(UUID_PATTERN).test(header)) {
    throw new BadRequest(`${SITE_HEADER} must be a site id`, { code: 'error.identity.badSite' });
  }
  return header.toLowerCase();
}

async function assertSite(tx: Tx, siteId: string | undefined): Promise<void> {
  if (!siteId) return;
  const { rowCount } = await tx.query(sql`SELECT 1 FROM sites WHERE id = ${siteId} AND active`);
  if (rowCount === 0) throw new BadRequest('no such active site', { code: 'error.identity.badSite' });
}

/** Records the refusal (§11.300(d)) and returns it, so the record commits before the 403. */
async function deny(tx: Tx, permission: string, ctx: TenantContext, meta: ClientMeta): Promise<Outcome<TenantContext>> {
  await recordSecurityEvent(tx, {
    kind: 'permission.denied',
    user: ctx.actor.kind === 'user' ? { id: ctx.actor.id, login: ctx.actor.name } : undefined,
    ip: meta.ip,
    detail: { permission, siteId: ctx.siteId ?? null },
  });
  return {
    ok: false,
    error: new Forbidden(`you do not have the permission ${permission}`, { code: 'error.identity.forbidden', params: { permission } }),
  };
}

/**
 * The request guard: a bearer API token or the session cookie (with the CSRF header on unsafe
 * methods) identifies the caller; the route's permission must be held for the request's site.
 */
export function createGuard(db: Database, env: IdentityEnv): Guard {
  return async (request, permission) => {
    const siteId = requestedSite(request);
    const meta = clientMeta(request);
    const auth = request.headers.authorization;
    if (auth?.startsWith('Bearer ')) return unwrap(await tokenCaller(db, env, request, auth.slice(7).trim(), siteId, permission, meta));
    const cookie = request.cookies[SESSION_COOKIE];
    const tenantId = cookie ? tenantOfSessionToken(cookie) : undefined;
    if (!cookie || !tenantId) throw unauthenticated();
    const outcome = await withTenant(db, identityContext(tenantId, request.id), async (tx): Promise<Outcome<TenantContext>> => {
      const session = await findLiveSession(tx, env, cookie);
      if (UNSAFE.has(request.method)) {
        const csrf = request.headers[CSRF_HEADER];
        if (typeof csrf !== 'string' || !safeEqual(csrf, session.csrfToken)) {
          throw new Forbidden(`the ${CSRF_HEADER} header is missing or wrong; reload the page`, { code: 'error.identity.csrf' });
        }
      }
      await assertSite(tx, siteId);
      const ctx: TenantContext = {
        tenantId,
        siteId,
        actor: { kind: 'user', id: session.userId, name: session.fullName },
        requestId: request.id,
        sessionId: session.id,
      };
      if (permission === P.session) return { ok: true, value: ctx };
      if (session.state !== 'active') {
        throw new Forbidden('finish signing in first', { code: 'error.identity.signInIncomplete', params: { state: session.state } });
      }
      if (permission === P.self) return { ok: true, value: ctx };
      const grants = await userGrants(tx, env, session.userId, siteId);
      if (grants.permissions.includes(permission)) return { ok: true, value: ctx };
      await enterTenant(tx, ctx);
      return deny(tx, permission, ctx, meta);
    });
    return unwrap(outcome);
  };
}

async function tokenCaller(
  db: Database,
  env: IdentityEnv,
  request: FastifyRequest,
  token: string,
  siteId: string | undefined,
  permission: string,
  meta: ClientMeta,
): Promise<Outcome<TenantContext>> {
  const tenantId = tenantOfApiToken(token);
  if (!tenantId) throw badToken();
  return withTenant(db, identityContext(tenantId, request.id), async (tx): Promise<Outcome<TenantContext>> => {
    await assertSite(tx, siteId);
    const caller = await authenticateApiToken(tx, env, token, siteId, meta);
    if (!caller) return { ok: false, error: badToken() };
    if (caller.siteId && siteId && caller.siteId !== siteId) {
      throw new Forbidden('this API token is limited to another site', { code: 'error.identity.tokenSite' });
    }
    const device = caller.device;
    const ctx: TenantContext = {
      tenantId,
      siteId: caller.siteId ?? undefined,
      actor: { kind: 'token', id: caller.tokenId, name: `${caller.name} (API token of ${caller.ownerName})` },
      requestId: request.id,
      device: device ? { id: device.id, workCenterId: device.workCenterId } : undefined,
    };
    // Token use is a security event, recorded as the token itself.
    await enterTenant(tx, ctx);
    if (device && !device.active) {
      await recordSecurityEvent(tx, {
        kind: 'token.refused',
        ip: meta.ip,
        detail: { tokenId: caller.tokenId, reason: 'device deactivated' },
      });
      return {
        ok: false,
        error: new Forbidden(`device ${device.code} is deactivated: its tokens are refused`, {
          code: 'error.identity.device.deactivated',
          params: { device: device.code },
        }),
      };
    }
    await recordSecurityEvent(tx, { kind: 'token.used', ip: meta.ip, detail: { tokenId: caller.tokenId, permission } });
    const allowed = !IMPLICIT_PERSON_PERMISSIONS.includes(permission) && caller.permissions.includes(permission);
    return allowed ? { ok: true, value: ctx } : deny(tx, permission, ctx, meta);
  });
}
