import { type Static, Type } from 'typebox';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { keyset, type Listing, type Page, type PageRequest, toPage } from '../../platform/paging.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import type { IdentityEnv } from './context.js';
import { P } from './contract.js';
import { type DeviceBinding, deviceBinding } from './devices.js';
import { IMPLICIT_PERSON_PERMISSIONS } from './permissions.js';
import { userGrants } from './roles.js';
import { recordSecurityEvent } from './security-events.js';
import { type ClientMeta, loadCredentials } from './sessions.js';

/**
 * API tokens for machines (MES, PLM, scripts). A token belongs to a user — typically a service
 * user created for the machine — and carries explicit scopes; on each request it may do what
 * both its scopes and its owner's current roles allow, so removing a role or deactivating the
 * owner takes effect at once. Tokens never sign.
 *
 * Format: `mf_<tenant id, 32 hex>_<secret>`. The tenant part lets the token be found under that
 * tenant's row-level security; only the SHA-256 of the whole token is stored.
 */
export const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the token, to recognise it' }),
  ownerId: Type.String(),
  ownerLogin: Type.String(),
  scopes: Type.Array(Type.String()),
  siteId: Type.Union([Type.String(), Type.Null()]),
  deviceId: Type.Union([Type.String(), Type.Null()]),
  deviceCode: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ApiToken = Static<typeof ApiToken>;

const TOKEN_COLUMNS = `t.id, t.name, t.prefix, t.owner_id AS "ownerId", u.login AS "ownerLogin", t.scopes, t.site_id AS "siteId", t.device_id AS "deviceId", dv.code AS "deviceCode",
  t.expires_at AS "expiresAt", t.created_at AS "createdAt",
  t.last_used_at AS "lastUsedAt", t.revoked_at AS "revokedAt"`;
const FROM_TOKENS = `FROM api_tokens t JOIN users u ON u.tenant_id = t.tenant_id AND u.id = t.owner_id
  LEFT JOIN devices dv ON dv.tenant_id = t.tenant_id AND dv.id = t.device_id`;

const TOKEN_PATTERN = /^mf_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$/;

export function tenantOfApiToken(token: string): string | undefined {
  const hex = TOKEN_PATTERN.exec(token)?.[1];
  return hex && `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface NewApiToken {
  name: string;
  scopes: string[];
  siteId?: string | null | undefined;
  /** The registered device the token speaks for: only such a token records execution data. */
  deviceId?: string | null | undefined;
  expiresInDays: number;
}

/**
 * Issues the person asking a token of their own; the secret is returned only here. Its scopes
 * must be permissions the person holds (at the token's site): nobody mints a credential for
 * someone else, nor one that does more than its owner may (the database refuses a token whose
 * issuer is not its owner).
 */
export async function createApiToken(
  tx: Tx,
  env: IdentityEnv,
  ctx: TenantContext,
  input: NewApiToken,
): Promise<{ token: string; apiToken: ApiToken }> {
  const catalog = new Set(env.catalog.map((p) => p.name));
  const errors = input.scopes.flatMap((s, i) =>
    catalog.has(s) && !IMPLICIT_PERSON_PERMISSIONS.includes(s)
      ? []
      : [{ pointer: `/body/scopes/${i}`, message: `${s} is not a permission` }],
  );
  if (errors.length) throw new ValidationFailed('unknown scope', errors, { code: 'error.identity.unknownScope' });
  if (ctx.actor.kind !== 'user') {
    throw new Forbidden('only a person issues API tokens, each for themselves', { code: 'error.identity.tokenOwner' });
  }
  const ownerId = ctx.actor.id;
  const owner = await loadCredentials(tx, { id: ownerId });
  if (!owner?.active) throw new Forbidden('a deactivated user cannot issue tokens', { code: 'error.identity.deactivated' });
  if (input.siteId) {
    const site = await tx.query(sql`SELECT 1 FROM sites WHERE id = ${input.siteId}`);
    if (site.rowCount === 0)
      throw new ValidationFailed('no such site', [{ pointer: '/body/siteId', message: 'no such site' }], { code: 'error.site.notFound' });
  }
  if (input.deviceId) {
    const device = await tx.query<{ active: boolean }>(sql`SELECT active FROM devices WHERE id = ${input.deviceId}`);
    const problem = !device.rows[0] ? 'no such device' : !device.rows[0].active ? 'the device is deactivated' : undefined;
    if (problem) {
      throw new ValidationFailed(problem, [{ pointer: '/body/deviceId', message: problem }], {
        code: device.rows[0] ? 'error.identity.device.deactivated' : 'error.identity.device.notFound',
      });
    }
  }
  const held = new Set((await userGrants(tx, env, ownerId, input.siteId ?? undefined)).permissions);
  const beyond = input.scopes.flatMap((s, i) =>
    held.has(s) ? [] : [{ pointer: `/body/scopes/${i}`, message: `you do not hold ${s} yourself` }],
  );
  if (beyond.length) {
    throw new ValidationFailed('a token may only carry permissions its owner holds', beyond, { code: 'error.identity.scopeNotHeld' });
  }
  const secret = randomToken();
  const token = `mf_${ctx.tenantId.replaceAll('-', '')}_${secret}`;
  const id = uuidv7();
  const now = env.clock.now();
  await tx.query(
    sql`INSERT INTO api_tokens (id, name, owner_id, token_hash, prefix, scopes, site_id, device_id, expires_at, created_by, created_at)
     VALUES (${id}, ${input.name}, ${ownerId}, ${sha256Hex(token)}, ${`mf_…${secret.slice(0, 6)}`}, ${[...new Set(input.scopes)].sort()}, ${input.siteId ?? null}, ${input.deviceId ?? null}, ${new Date(now.getTime() + input.expiresInDays * 86_400_000)}, ${ctx.actor.id}, ${now})`,
  );
  await recordSecurityEvent(tx, {
    kind: 'token.created',
    user: { id: ownerId, login: owner.login },
    detail: { tokenId: id, name: input.name, scopes: input.scopes, siteId: input.siteId ?? null, deviceId: input.deviceId ?? null },
  });
  return { token, apiToken: await getApiToken(tx, id) };
}

export async function getApiToken(tx: Tx, id: string): Promise<ApiToken> {
  const { rows } = await tx.query<ApiToken>(sql`SELECT ${raw(TOKEN_COLUMNS)} ${raw(FROM_TOKENS)} WHERE t.id = ${id}`);
  if (!rows[0]) throw new NotFound(`API token ${id} not found`, { code: 'error.identity.tokenNotFound' });
  return rows[0];
}

/** Tokens newest first (ids are time-ordered). */
const TOKENS: Listing<ApiToken> = {
  name: 'identity.apiTokens',
  sorts: { createdAt: [] },
  defaultSort: '-createdAt',
  id: { sql: 't.id', type: 'uuid', of: 'id' },
};

export async function listApiTokens(tx: Tx, query: PageRequest & { ownerId?: string | undefined }): Promise<Page<ApiToken>> {
  const k = keyset(TOKENS, { cursor: query.cursor, limit: query.limit });
  const { rows } = await tx.query<ApiToken>(
    sql`SELECT ${raw(TOKEN_COLUMNS)} ${raw(FROM_TOKENS)}
         WHERE (${query.ownerId ?? null}::uuid IS NULL OR t.owner_id = ${query.ownerId ?? null}) AND ${k.where}
         ${k.orderBy} ${k.limit}`,
  );
  return toPage(k, rows);
}

/** Revokes a token, one's own or (with admin:tokens) anyone's: the next request with it is refused (§11.300(c)). */
export async function revokeApiToken(tx: Tx, env: IdentityEnv, ctx: TenantContext, id: string): Promise<ApiToken> {
  const token = await getApiToken(tx, id);
  if (token.ownerId !== ctx.actor.id) {
    const permissions = ctx.actor.kind === 'user' ? (await userGrants(tx, env, ctx.actor.id, ctx.siteId)).permissions : [];
    if (!permissions.includes(P.tokens)) {
      throw new Forbidden('only its owner or an administrator of tokens revokes a token', { code: 'error.forbidden' });
    }
  }
  if (token.revokedAt) throw new Conflict('the token is already revoked', { code: 'error.identity.tokenRevoked' });
  const now = env.clock.now();
  await tx.query(
    sql`UPDATE api_tokens SET revoked_at = ${now}, revoked_by = ${ctx.actor.kind === 'user' ? ctx.actor.id : null} WHERE id = ${id}`,
  );
  await recordSecurityEvent(tx, {
    kind: 'token.revoked',
    user: { id: token.ownerId, login: token.ownerLogin },
    detail: { tokenId: id, name: token.name },
  });
  return getApiToken(tx, id);
}

export interface TokenCaller {
  tokenId: string;
  name: string;
  ownerName: string;
  siteId: string | null;
  permissions: string[];
  /** The registered device the token is bound to, if any. */
  device: DeviceBinding | null;
}

export const badToken = () => new Unauthorized('the API token is not valid, revoked or expired', { code: 'error.identity.badToken' });

/**
 * The caller behind a bearer token, or undefined when it is unknown, revoked, expired or its
 * owner is deactivated (a known token refused is a security event: it may be a stolen one).
 * Its permissions are its scopes that its owner also holds at the token's site.
 */
export async function authenticateApiToken(
  tx: Tx,
  env: IdentityEnv,
  token: string,
  siteId: string | undefined,
  meta: ClientMeta,
): Promise<TokenCaller | undefined> {
  const now = env.clock.now();
  const { rows } = await tx.query<{
    id: string;
    name: string;
    ownerId: string;
    ownerName: string;
    ownerLogin: string;
    active: boolean;
    scopes: string[];
    siteId: string | null;
    deviceId: string | null;
    expiresAt: string;
    revokedAt: string | null;
  }>(
    sql`SELECT t.id, t.name, t.owner_id AS "ownerId", u.full_name AS "ownerName", u.login AS "ownerLogin", u.active, t.scopes,
            t.site_id AS "siteId", t.device_id AS "deviceId", t.expires_at AS "expiresAt", t.revoked_at AS "revokedAt"
       ${raw(FROM_TOKENS)} WHERE t.token_hash = ${sha256Hex(token)}`,
  );
  const t = rows[0];
  if (!t) return undefined;
  if (t.revokedAt || !t.active || Date.parse(t.expiresAt) <= now.getTime()) {
    const reason = t.revokedAt ? 'revoked' : !t.active ? 'owner deactivated' : 'expired';
    await recordSecurityEvent(tx, {
      kind: 'token.refused',
      user: { id: t.ownerId, login: t.ownerLogin },
      ip: meta.ip,
      detail: { tokenId: t.id, reason },
    });
    return undefined;
  }
  await tx.query(sql`UPDATE api_tokens SET last_used_at = ${now} WHERE id = ${t.id}`);
  const site = t.siteId ?? siteId;
  const owner = await userGrants(tx, env, t.ownerId, site);
  return {
    tokenId: t.id,
    name: t.name,
    ownerName: t.ownerName,
    siteId: site ?? null,
    permissions: t.scopes.filter((s) => owner.permissions.includes(s)),
    device: t.deviceId ? await deviceBinding(tx, t.deviceId) : null,
  };
}
