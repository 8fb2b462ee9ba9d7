import { type Static, Type } from 'typebox';
import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict, NotFound, ValidationFailed } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import type { IdentityEnv } from './context.js';
import { keyset, keysetSql, type Page, toPage } from './paging.js';
import { checkNewPassword, getSecurityPolicy, hashPassword, oneTimePassword } from './passwords.js';
import { type RoleAssignment, userAssignments } from './roles.js';
import { recordSecurityEvent } from './security-events.js';

export const Login = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,63}$', description: 'lower case, e.g. li.wei' });
export const Language = Type.Union([Type.Literal('en'), Type.Literal('zh-CN')]);
export type Language = Static<typeof Language>;

export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  login: Type.String(),
  fullName: Type.String({ description: 'printed name, manifested on signatures' }),
  email: Type.Union([Type.String(), Type.Null()]),
  language: Language,
  active: Type.Boolean(),
  deactivatedAt: Type.Union([Type.String(), Type.Null()]),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  failedAttempts: Type.Integer(),
  mustChangePassword: Type.Boolean(),
  passwordChangedAt: Type.String(),
  totpEnrolled: Type.Boolean(),
  createdAt: Type.String(),
  roles: Type.Array(Type.Object({ roleId: Type.String(), roleName: Type.String(), siteId: Type.Union([Type.String(), Type.Null()]) })),
});
export type User = Static<typeof User>;

const USER_COLUMNS = sql`id, login, full_name AS "fullName", email, language, active,
  to_json(deactivated_at)#>>'{}' AS "deactivatedAt", to_json(locked_until)#>>'{}' AS "lockedUntil",
  failed_attempts AS "failedAttempts", must_change_password AS "mustChangePassword",
  to_json(password_changed_at)#>>'{}' AS "passwordChangedAt", totp_enrolled_at IS NOT NULL AS "totpEnrolled",
  to_json(created_at)#>>'{}' AS "createdAt"`;

type UserRow = Omit<User, 'roles'>;

export interface NewUser {
  login: string;
  fullName: string;
  email?: string | null | undefined;
  language?: Language | undefined;
  roles?: RoleAssignment[] | undefined;
  /** Set a known password instead of a one-time one (CLI, tests); still checked against the policy. */
  password?: string | undefined;
  /** Defaults to true: the first login must change the password. */
  mustChangePassword?: boolean | undefined;
}

/** Creates a user; the one-time password (when none was given) is returned only here. */
export async function createUser(
  tx: Tx,
  env: Pick<IdentityEnv, 'clock'>,
  input: NewUser,
): Promise<{ user: User; oneTimePassword: string | null }> {
  const login = input.login.toLowerCase();
  const taken = await tx.query('SELECT 1 FROM users WHERE login = $1', [login]);
  if (taken.rowCount > 0) {
    throw new Conflict(`the login ${login} is taken; logins are never reused, even after deactivation`, {
      code: 'error.identity.loginTaken',
      params: { login },
    });
  }
  const id = uuidv7();
  const now = env.clock.now();
  const policy = await getSecurityPolicy(tx);
  const password = input.password ?? oneTimePassword(policy);
  await checkNewPassword(tx, { id, login, passwordHash: '' }, password, policy, '/body/password');
  await tx.query(
    `INSERT INTO users (id, login, full_name, email, language, password_changed_at, must_change_password)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, login, input.fullName, input.email ?? null, input.language ?? 'en', now, input.mustChangePassword ?? true],
  );
  await tx.query('INSERT INTO user_credentials (user_id, password_hash) VALUES ($1, $2)', [id, await hashPassword(password)]);
  if (input.roles?.length) await setUserRoles(tx, id, input.roles);
  return { user: await getUser(tx, id), oneTimePassword: input.password ? null : password };
}

export async function getUser(tx: Tx, id: string): Promise<User> {
  const { rows } = await tx.query<UserRow>(sql`SELECT ${USER_COLUMNS} FROM users WHERE id = ${id}`);
  if (!rows[0]) throw new NotFound(`user ${id} not found`, { code: 'error.identity.userNotFound' });
  return { ...rows[0], roles: await userAssignments(tx, id) };
}

export const USER_SORTS = ['login', '-login', 'createdAt', '-createdAt'] as const;

export async function listUsers(
  tx: Tx,
  query: { limit: number; cursor?: string | undefined; q?: string | undefined; sort?: string | undefined },
): Promise<Page<User>> {
  const k = keyset(query.sort ?? 'login', { login: 'login', createdAt: 'created_at' }, query.cursor);
  const { where, orderBy } = keysetSql(k);
  const search = query.q ? `%${query.q.replace(/[\\%_]/g, '\\$&')}%` : null;
  const { rows } = await tx.query<UserRow & { sortCreatedAt: string }>(
    sql`SELECT ${USER_COLUMNS} FROM users
         WHERE (${search}::text IS NULL OR login ILIKE ${search} OR full_name ILIKE ${search} OR email ILIKE ${search}) ${where}
         ${orderBy} LIMIT ${query.limit + 1}`,
  );
  const page = toPage(rows, query.limit, (u) => (k.column === 'login' ? u.login : u.createdAt));
  const items: User[] = [];
  for (const u of page.items) items.push({ ...u, roles: await userAssignments(tx, u.id) });
  return { items, nextCursor: page.nextCursor };
}

export interface UserChanges {
  fullName?: string | undefined;
  email?: string | null | undefined;
  language?: Language | undefined;
}

/** Changes name, e-mail or language; the audit trail keeps the old values. */
export async function updateUser(tx: Tx, id: string, changes: UserChanges): Promise<User> {
  const before = await getUser(tx, id);
  if (!before.active) throw new Conflict(`user ${before.login} is deactivated`, { code: 'error.identity.deactivated' });
  await tx.query(
    `UPDATE users SET full_name = coalesce($2, full_name), email = CASE WHEN $3 THEN $4 ELSE email END,
       language = coalesce($5, language) WHERE id = $1`,
    [id, changes.fullName ?? null, changes.email !== undefined, changes.email ?? null, changes.language ?? null],
  );
  return getUser(tx, id);
}

/** Ends every open session of a user, e.g. on deactivation, reset or "log out everywhere". */
export async function revokeUserSessions(tx: Tx, userId: string, at: Date, reason: string, exceptSessionId?: string): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE sessions SET revoked_at = $2, revoked_reason = $3
      WHERE user_id = $1 AND revoked_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid)`,
    [userId, at, reason, exceptSessionId ?? null],
  );
  return rowCount;
}

/** Deactivates a user: sessions and API tokens end at once; the login stays taken forever. */
export async function deactivateUser(
  tx: Tx,
  env: Pick<IdentityEnv, 'clock'>,
  ctx: TenantContext,
  id: string,
  reason: string,
): Promise<User> {
  const user = await getUser(tx, id);
  if (!user.active) throw new Conflict(`user ${user.login} is already deactivated`, { code: 'error.identity.deactivated' });
  if (ctx.actor.kind === 'user' && ctx.actor.id === id) {
    throw new Conflict('you cannot deactivate yourself', { code: 'error.identity.selfDeactivation' });
  }
  const now = env.clock.now();
  // The reason travels with the audit event of this change.
  await tx.query("SELECT set_config('app.reason', $1, true)", [ctx.reason ? `${ctx.reason}; ${reason}` : reason]);
  await tx.query('UPDATE users SET active = false, deactivated_at = $2 WHERE id = $1', [id, now]);
  const sessions = await revokeUserSessions(tx, id, now, 'user deactivated');
  const tokens = await tx.query('UPDATE api_tokens SET revoked_at = $2 WHERE owner_id = $1 AND revoked_at IS NULL', [id, now]);
  await recordSecurityEvent(tx, {
    kind: 'user.deactivated',
    user: { id, login: user.login },
    detail: { reason, sessionsEnded: sessions, tokensRevoked: tokens.rowCount },
  });
  return getUser(tx, id);
}

/**
 * An administrator's reset (§11.300): a new one-time password that must be changed at the next
 * login, so the administrator never knows the password the person then uses; unlocks the
 * account and ends its sessions.
 */
export async function resetPassword(tx: Tx, env: Pick<IdentityEnv, 'clock'>, id: string): Promise<{ oneTimePassword: string }> {
  const user = await getUser(tx, id);
  if (!user.active) throw new Conflict(`user ${user.login} is deactivated`, { code: 'error.identity.deactivated' });
  const now = env.clock.now();
  const password = oneTimePassword(await getSecurityPolicy(tx));
  await retireCurrentPassword(tx, id, now);
  await tx.query('UPDATE user_credentials SET password_hash = $2 WHERE user_id = $1', [id, await hashPassword(password)]);
  await tx.query(
    'UPDATE users SET password_changed_at = $2, must_change_password = true, failed_attempts = 0, locked_until = NULL WHERE id = $1',
    [id, now],
  );
  await revokeUserSessions(tx, id, now, 'password reset');
  await recordSecurityEvent(tx, { kind: 'user.password_reset', user: { id, login: user.login } });
  return { oneTimePassword: password };
}

/** Moves the current hash into the history the policy checks new passwords against. */
export async function retireCurrentPassword(tx: Tx, userId: string, at: Date): Promise<void> {
  await tx.query(
    'INSERT INTO password_history (user_id, hash, retired_at) SELECT user_id, password_hash, $2 FROM user_credentials WHERE user_id = $1',
    [userId, at],
  );
}

/** Replaces a user's role assignments; the change is a security event (Annex 11 §12.3). */
export async function setUserRoles(tx: Tx, id: string, roles: RoleAssignment[]): Promise<User> {
  const user = await getUser(tx, id);
  if (!user.active) throw new Conflict(`user ${user.login} is deactivated`, { code: 'error.identity.deactivated' });
  const unique = new Map(roles.map((r) => [`${r.roleId}/${r.siteId ?? '*'}`, r]));
  const known = await tx.query<{ id: string }>('SELECT id FROM roles WHERE id = ANY($1::uuid[])', [
    [...unique.values()].map((r) => r.roleId),
  ]);
  const sites = await tx.query<{ id: string }>('SELECT id FROM sites WHERE id = ANY($1::uuid[])', [
    [...unique.values()].flatMap((r) => (r.siteId ? [r.siteId] : [])),
  ]);
  const roleIds = new Set(known.rows.map((r) => r.id));
  const siteIds = new Set(sites.rows.map((s) => s.id));
  const errors = [...unique.values()].flatMap((r, i) => [
    ...(roleIds.has(r.roleId) ? [] : [{ pointer: `/body/${i}/roleId`, message: 'no such role' }]),
    ...(r.siteId && !siteIds.has(r.siteId) ? [{ pointer: `/body/${i}/siteId`, message: 'no such site' }] : []),
  ]);
  if (errors.length) throw new ValidationFailed('unknown role or site', errors, { code: 'error.identity.assignment' });
  await tx.query('DELETE FROM user_roles WHERE user_id = $1', [id]);
  for (const r of unique.values()) {
    await tx.query('INSERT INTO user_roles (user_id, role_id, site_id) VALUES ($1, $2, $3)', [id, r.roleId, r.siteId]);
  }
  const after = await getUser(tx, id);
  await recordSecurityEvent(tx, {
    kind: 'user.roles_changed',
    user: { id, login: user.login },
    detail: { from: user.roles.map(describe), to: after.roles.map(describe) },
  });
  return after;
}

const describe = (r: { roleName: string; siteId: string | null }): string => (r.siteId ? `${r.roleName}@${r.siteId}` : r.roleName);

/** The person's own preferred language for the UI and printouts. */
export async function setOwnLanguage(tx: Tx, ctx: TenantContext, language: Language): Promise<void> {
  await tx.query('UPDATE users SET language = $2 WHERE id = $1', [ctx.actor.id, language]);
}
