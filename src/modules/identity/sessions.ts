import { type Static, Type } from 'typebox';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { NotFound, Unauthorized } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { listSites, type TenantContext } from '../../platform/tenancy/index.js';
import type { IdentityEnv } from './context.js';
import type { SessionState } from './contract.js';
import { getSecurityPolicy, passwordExpiresAt, type SecurityPolicy } from './passwords.js';
import { userGrants } from './roles.js';
import { recordSecurityEvent } from './security-events.js';
import { revokeUserSessions } from './users.js';

export const SessionStateSchema = Type.Union([
  Type.Literal('password_change_required'),
  Type.Literal('totp_required'),
  Type.Literal('totp_enrollment_required'),
  Type.Literal('active'),
]);

/** The cookie value names its tenant, so the session is found under that tenant's row-level security. */
export const SESSION_COOKIE = 'mf_session';

export interface ClientMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** The columns of a user that sign-in decisions need. Never leaves the service. */
export interface Credentials {
  id: string;
  login: string;
  fullName: string;
  active: boolean;
  passwordHash: string;
  passwordChangedAt: string;
  mustChangePassword: boolean;
  failedAttempts: number;
  lockedUntil: string | null;
  totpSecret: string | null;
  totpLastStep: number | null;
  /** Set by an administrator's password reset; signing waits until the person has taken over again. */
  signingBlockedSince: string | null;
}

export async function loadCredentials(tx: Tx, where: { login: string } | { id: string }): Promise<Credentials | undefined> {
  const [column, value] = 'login' in where ? ['u.login', where.login.toLowerCase()] : ['u.id', where.id];
  // Locks the user: concurrent failures count one by one, and a used TOTP step stays used.
  const { rows } = await tx.query<Credentials>(
    sql`SELECT u.id, u.login, u.full_name AS "fullName", u.active, c.password_hash AS "passwordHash",
            u.password_changed_at AS "passwordChangedAt", u.must_change_password AS "mustChangePassword",
            u.failed_attempts AS "failedAttempts", u.locked_until AS "lockedUntil", c.totp_secret AS "totpSecret",
            c.totp_last_step AS "totpLastStep", u.signing_blocked_since AS "signingBlockedSince"
       FROM users u JOIN user_credentials c ON c.tenant_id = u.tenant_id AND c.user_id = u.id
      WHERE ${raw(column)} = ${value} FOR UPDATE`,
  );
  return rows[0];
}

export const isLocked = (user: Pick<Credentials, 'lockedUntil'>, now: Date): boolean =>
  user.lockedUntil !== null && Date.parse(user.lockedUntil) > now.getTime();

/**
 * Where a session stands after a step of signing in: the second factor first (when enrolled),
 * then a forced password change (first login, reset, expiry), then TOTP enrolment when a role
 * requires it. Only `active` reaches normal routes.
 */
export function sessionState(
  user: Pick<Credentials, 'totpSecret' | 'mustChangePassword' | 'passwordChangedAt'>,
  opts: { secondFactorDone: boolean; totpRequired: boolean; policy: SecurityPolicy; now: Date },
): SessionState {
  if (user.totpSecret && !opts.secondFactorDone) return 'totp_required';
  const expires = passwordExpiresAt(user.passwordChangedAt, opts.policy);
  if (user.mustChangePassword || (expires && expires.getTime() <= opts.now.getTime())) return 'password_change_required';
  if (opts.totpRequired && !user.totpSecret) return 'totp_enrollment_required';
  return 'active';
}

export interface SessionRow {
  id: string;
  userId: string;
  csrfToken: string;
  state: SessionState;
  secondFactorAt: string | null;
  fullSigningAt: string | null;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

const SESSION_COLUMNS = `s.id, s.user_id AS "userId", s.csrf_token AS "csrfToken", s.state, s.second_factor_at AS "secondFactorAt",
  s.full_signing_at AS "fullSigningAt", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt", s.revoked_at AS "revokedAt"`;

export interface IssuedSession {
  id: string;
  /** Cookie value; only its SHA-256 is stored. */
  token: string;
  csrfToken: string;
  state: SessionState;
}

export async function openSession(
  tx: Tx,
  env: IdentityEnv,
  tenantId: string,
  userId: string,
  state: SessionState,
  meta: ClientMeta,
): Promise<IssuedSession> {
  const now = env.clock.now();
  const policy = await getSecurityPolicy(tx);
  const issued = { id: uuidv7(), token: `${tenantId}.${randomToken()}`, csrfToken: randomToken(), state };
  await tx.query(
    sql`INSERT INTO sessions (id, user_id, token_hash, csrf_token, state, created_at, last_seen_at, expires_at, ip, user_agent)
     VALUES (${issued.id}, ${userId}, ${sha256Hex(issued.token)}, ${issued.csrfToken}, ${state}, ${now}, ${now}, ${new Date(now.getTime() + policy.sessionLifetimeHours * 3_600_000)}, ${meta.ip ?? null}, ${meta.userAgent?.slice(0, 300) ?? null})`,
  );
  return issued;
}

/**
 * Moves a session to its next state with a fresh token (no session fixation across a privilege
 * change); the old cookie stops working.
 */
export async function advanceSession(
  tx: Tx,
  env: IdentityEnv,
  tenantId: string,
  sessionId: string,
  state: SessionState,
  secondFactor: boolean,
): Promise<IssuedSession> {
  const issued = { id: sessionId, token: `${tenantId}.${randomToken()}`, csrfToken: randomToken(), state };
  await tx.query(
    sql`UPDATE sessions SET token_hash = ${sha256Hex(issued.token)}, csrf_token = ${issued.csrfToken}, state = ${state},
       second_factor_at = CASE WHEN ${secondFactor} THEN ${env.clock.now()} ELSE second_factor_at END WHERE id = ${sessionId}`,
  );
  return issued;
}

export function tenantOfSessionToken(token: string): string | undefined {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return m?.[1];
}

/** Seen-time is written at most this often: a write per request would cost more than the guard. */
const SEEN_RESOLUTION_MS = 30_000;

/**
 * The live session for a cookie, or Unauthorized. Idle and absolute timeouts end it; a revoked
 * session or a deactivated user is refused at once. The policy row exists: opening the session
 * made it.
 */
export async function findLiveSession(tx: Tx, env: IdentityEnv, token: string): Promise<SessionRow & { fullName: string }> {
  const now = env.clock.now();
  const { rows } = await tx.query<SessionRow & { active: boolean; fullName: string; idleMinutes: number }>(
    sql`SELECT ${raw(SESSION_COLUMNS)}, u.active, u.full_name AS "fullName", p.idle_timeout_minutes AS "idleMinutes"
       FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
       JOIN security_policies p ON p.tenant_id = s.tenant_id
      WHERE s.token_hash = ${sha256Hex(token)}`,
  );
  const session = rows[0];
  const expired = new Unauthorized('your session has ended; please sign in again', { code: 'error.identity.sessionExpired' });
  if (!session || session.revokedAt || !session.active) throw expired;
  const idleUntil = Date.parse(session.lastSeenAt) + session.idleMinutes * 60_000;
  if (now.getTime() >= Math.min(idleUntil, Date.parse(session.expiresAt))) throw expired;
  if (now.getTime() - Date.parse(session.lastSeenAt) >= SEEN_RESOLUTION_MS) {
    await tx.query(sql`UPDATE sessions SET last_seen_at = ${now} WHERE id = ${session.id}`);
  }
  return session;
}

export async function getSession(tx: Tx, id: string): Promise<SessionRow> {
  const { rows } = await tx.query<SessionRow>(sql`SELECT ${raw(SESSION_COLUMNS)} FROM sessions s WHERE s.id = ${id}`);
  if (!rows[0]) throw new NotFound('session not found', { code: 'error.identity.sessionNotFound' });
  return rows[0];
}

export const SessionInfo = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean(),
});
export type SessionInfo = Static<typeof SessionInfo>;

/** The person's open sessions (for "where am I signed in"). */
export async function listOwnSessions(tx: Tx, env: IdentityEnv, ctx: TenantContext): Promise<SessionInfo[]> {
  const { rows } = await tx.query<Omit<SessionInfo, 'current'>>(
    sql`SELECT id, created_at AS "createdAt", last_seen_at AS "lastSeenAt",
            expires_at AS "expiresAt", ip, user_agent AS "userAgent"
       FROM sessions WHERE user_id = ${ctx.actor.id} AND revoked_at IS NULL AND expires_at > ${env.clock.now()} ORDER BY last_seen_at DESC`,
  );
  return rows.map((s) => ({ ...s, current: s.id === ctx.sessionId }));
}

export async function revokeOwnSession(tx: Tx, env: IdentityEnv, ctx: TenantContext, sessionId: string, reason: string): Promise<void> {
  const now = env.clock.now();
  const { rowCount } = await tx.query(
    sql`UPDATE sessions SET revoked_at = ${now}, revoked_reason = ${reason} WHERE id = ${sessionId} AND user_id = ${ctx.actor.id} AND revoked_at IS NULL`,
  );
  if (rowCount === 0) throw new NotFound('no such open session of yours', { code: 'error.identity.sessionNotFound' });
  await recordSecurityEvent(tx, {
    kind: 'session.revoked',
    user: { id: ctx.actor.id, login: ctx.actor.name },
    detail: { sessionId, reason },
  });
}

export async function logoutEverywhere(tx: Tx, env: IdentityEnv, ctx: TenantContext): Promise<number> {
  const now = env.clock.now();
  const count = await revokeUserSessions(tx, ctx.actor.id, now, 'logged out everywhere');
  await recordSecurityEvent(tx, {
    kind: 'session.revoked',
    user: { id: ctx.actor.id, login: ctx.actor.name },
    detail: { all: true, count },
  });
  return count;
}

export const Me = Type.Object({
  id: Type.String(),
  login: Type.String(),
  fullName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  language: Type.Union([Type.Literal('en'), Type.Literal('zh-CN')]),
  tenant: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
  sites: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), timeZone: Type.String() })),
  permissions: Type.Array(Type.String()),
  totpEnrolled: Type.Boolean(),
  totpRequired: Type.Boolean(),
  state: SessionStateSchema,
  csrfToken: Type.String(),
  passwordExpiresAt: Type.Union([Type.String(), Type.Null()]),
});
export type Me = Static<typeof Me>;

/**
 * The signed-in person as the web UI needs it: permissions for the request's site, and the
 * sites where any role applies (all sites when a role is assigned for every site).
 */
export async function describeMe(
  tx: Tx,
  env: IdentityEnv,
  session: Pick<SessionRow, 'userId' | 'state' | 'csrfToken'>,
  siteId: string | undefined,
): Promise<Me> {
  const { rows } = await tx.query<{
    id: string;
    login: string;
    fullName: string;
    email: string | null;
    language: 'en' | 'zh-CN';
    totpEnrolled: boolean;
    passwordChangedAt: string;
    tenant: { id: string; code: string; name: string };
  }>(
    sql`SELECT u.id, u.login, u.full_name AS "fullName", u.email, u.language, u.totp_enrolled_at IS NOT NULL AS "totpEnrolled",
            u.password_changed_at AS "passwordChangedAt", json_build_object('id', t.id, 'code', t.code, 'name', t.name) AS tenant
       FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = ${session.userId}`,
  );
  const user = rows[0];
  if (!user) throw new Unauthorized('your session has ended; please sign in again', { code: 'error.identity.sessionExpired' });
  const grants = await userGrants(tx, env, user.id, siteId);
  const { rows: siteRows } = await tx.query<{ siteId: string | null }>(
    sql`SELECT DISTINCT site_id AS "siteId" FROM user_roles WHERE user_id = ${user.id}`,
  );
  const everywhere = siteRows.some((r) => r.siteId === null);
  const sites = (await listSites(tx))
    .filter((s) => s.active && (everywhere || siteRows.some((r) => r.siteId === s.id)))
    .map(({ id, code, name, timeZone }) => ({ id, code, name, timeZone }));
  const expires = passwordExpiresAt(user.passwordChangedAt, await getSecurityPolicy(tx));
  return {
    id: user.id,
    login: user.login,
    fullName: user.fullName,
    email: user.email,
    language: user.language,
    tenant: user.tenant,
    sites,
    permissions: session.state === 'active' ? grants.permissions : [],
    totpEnrolled: user.totpEnrolled,
    totpRequired: grants.requiresTotp,
    state: session.state,
    csrfToken: session.csrfToken,
    passwordExpiresAt: expires ? expires.toISOString() : null,
  };
}
