import { type Static, Type } from 'typebox';
import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { keyset, type Listing, type Page, type PageRequest, toPage } from '../../platform/paging.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import type { IdentityEnv } from './context.js';
import type { GRANT_DECISIONS } from './contract.js';
import { checkNewPassword, getSecurityPolicy, hashPassword, oneTimePassword } from './passwords.js';
import { isSigningPermission } from './permissions.js';
import { listRoles, type RoleAssignment, userAssignments } from './roles.js';
import { recordSecurityEvent } from './security-events.js';

export const Login = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,63}$', description: 'lower case, e.g. li.wei' });
export const Language = Type.Union([Type.Literal('en'), Type.Literal('zh-CN')]);
export type Language = Static<typeof Language>;

export const PendingGrant = Type.Object({
  requestId: Type.String(),
  roleId: Type.String(),
  roleName: Type.String(),
  siteId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  requestedBy: Type.String({ description: 'printed name of the administrator who asked' }),
  requestedById: Type.String(),
  requestedAt: Type.String(),
});
export type PendingGrant = Static<typeof PendingGrant>;

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
  pendingRoles: Type.Array(PendingGrant, { description: 'signing roles requested for this person, waiting for a second administrator' }),
  signingBlocked: Type.Boolean({
    description: 'after a password reset: no signing until the person set their own password and confirmed their second factor',
  }),
});
export type User = Static<typeof User>;

const USER_COLUMNS = sql`id, login, full_name AS "fullName", email, language, active,
  deactivated_at AS "deactivatedAt", locked_until AS "lockedUntil",
  failed_attempts AS "failedAttempts", must_change_password AS "mustChangePassword",
  password_changed_at AS "passwordChangedAt", totp_enrolled_at IS NOT NULL AS "totpEnrolled",
  created_at AS "createdAt", signing_blocked_since IS NOT NULL AS "signingBlocked"`;

type UserRow = Omit<User, 'roles' | 'pendingRoles'>;

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
  grantor?: Grantor,
): Promise<{ user: User; oneTimePassword: string | null }> {
  const login = input.login.toLowerCase();
  const taken = await tx.query(sql`SELECT 1 FROM users WHERE login = ${login}`);
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
  await checkNewPassword(tx, { id, login, passwordHash: '', fullName: input.fullName }, password, policy, '/body/password');
  await tx.query(
    sql`INSERT INTO users (id, login, full_name, email, language, password_changed_at, must_change_password)
     VALUES (${id}, ${login}, ${input.fullName}, ${input.email ?? null}, ${input.language ?? 'en'}, ${now}, ${input.mustChangePassword ?? true})`,
  );
  await tx.query(sql`INSERT INTO user_credentials (user_id, password_hash) VALUES (${id}, ${await hashPassword(password)})`);
  if (input.roles?.length) await setUserRoles(tx, id, input.roles, grantor);
  return { user: await getUser(tx, id), oneTimePassword: input.password ? null : password };
}

export async function getUser(tx: Tx, id: string): Promise<User> {
  const { rows } = await tx.query<UserRow>(sql`SELECT ${USER_COLUMNS} FROM users WHERE id = ${id}`);
  if (!rows[0]) throw new NotFound(`user ${id} not found`, { code: 'error.identity.userNotFound' });
  return { ...rows[0], roles: await userAssignments(tx, id), pendingRoles: await pendingGrants(tx, id) };
}

/** The signing roles requested for a person and not yet decided by a second administrator. */
export async function pendingGrants(tx: Tx, userId: string): Promise<PendingGrant[]> {
  return (await pendingGrantsOf(tx, [userId])).get(userId) ?? [];
}

/** The same for a page of people, in one query. */
async function pendingGrantsOf(tx: Tx, userIds: readonly string[]): Promise<Map<string, PendingGrant[]>> {
  const { rows } = await tx.query<PendingGrant & { userId: string }>(
    sql`SELECT g.user_id AS "userId", g.id AS "requestId", g.role_id AS "roleId", r.name AS "roleName", g.site_id AS "siteId", g.reason,
               u.full_name AS "requestedBy", g.requested_by AS "requestedById", g.requested_at AS "requestedAt"
          FROM role_grant_requests g
          JOIN roles r ON r.tenant_id = g.tenant_id AND r.id = g.role_id
          JOIN users u ON u.tenant_id = g.tenant_id AND u.id = g.requested_by
         WHERE g.user_id = ANY(${userIds}::uuid[]) AND g.status = 'pending' ORDER BY g.requested_at`,
  );
  const byUser = new Map<string, PendingGrant[]>();
  for (const { userId, ...grant } of rows) byUser.set(userId, [...(byUser.get(userId) ?? []), grant]);
  return byUser;
}

/** People by login (default) or by when they were created. */
export const USERS: Listing<UserRow, 'login' | 'createdAt'> = {
  name: 'identity.users',
  sorts: {
    login: [{ sql: 'login', type: 'text', of: 'login' }],
    createdAt: [{ sql: 'created_at', type: 'timestamptz', of: 'createdAt' }],
  },
  defaultSort: 'login',
};

export async function listUsers(tx: Tx, query: PageRequest & { q?: string | undefined }): Promise<Page<User>> {
  const k = keyset(USERS, query);
  const search = query.q ? `%${query.q.replace(/[\\%_]/g, '\\$&')}%` : null;
  const { rows } = await tx.query<UserRow>(
    sql`SELECT ${USER_COLUMNS} FROM users
         WHERE (${search}::text IS NULL OR login ILIKE ${search} OR full_name ILIKE ${search} OR email ILIKE ${search}) AND ${k.where}
         ${k.orderBy} ${k.limit}`,
  );
  const page = toPage(k, rows);
  const pending = await pendingGrantsOf(
    tx,
    page.items.map((u) => u.id),
  );
  const items: User[] = [];
  for (const u of page.items) items.push({ ...u, roles: await userAssignments(tx, u.id), pendingRoles: pending.get(u.id) ?? [] });
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
    sql`UPDATE users SET full_name = coalesce(${changes.fullName ?? null}, full_name), email = CASE WHEN ${changes.email !== undefined} THEN ${changes.email ?? null} ELSE email END,
       language = coalesce(${changes.language ?? null}, language) WHERE id = ${id}`,
  );
  return getUser(tx, id);
}

/** Ends every open session of a user, e.g. on deactivation, reset or "log out everywhere". */
export async function revokeUserSessions(tx: Tx, userId: string, at: Date, reason: string, exceptSessionId?: string): Promise<number> {
  const { rowCount } = await tx.query(
    sql`UPDATE sessions SET revoked_at = ${at}, revoked_reason = ${reason}
      WHERE user_id = ${userId} AND revoked_at IS NULL AND (${exceptSessionId ?? null}::uuid IS NULL OR id <> ${exceptSessionId ?? null}::uuid)`,
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
  await tx.query(sql`SELECT set_config('app.reason', ${ctx.reason ? `${ctx.reason}; ${reason}` : reason}, true)`);
  await tx.query(sql`UPDATE users SET active = false, deactivated_at = ${now} WHERE id = ${id}`);
  const sessions = await revokeUserSessions(tx, id, now, 'user deactivated');
  const tokens = await tx.query(sql`UPDATE api_tokens SET revoked_at = ${now} WHERE owner_id = ${id} AND revoked_at IS NULL`);
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
  await storePassword(tx, id, password);
  // The administrator knows this password: signing waits until the person has set their own and confirmed their second factor.
  await tx.query(
    sql`UPDATE users SET password_changed_at = ${now}, must_change_password = true, failed_attempts = 0, locked_until = NULL,
       signing_blocked_since = ${now} WHERE id = ${id}`,
  );
  await revokeUserSessions(tx, id, now, 'password reset');
  await recordSecurityEvent(tx, { kind: 'user.password_reset', user: { id, login: user.login } });
  return { oneTimePassword: password };
}

/** Moves the current hash into the history the policy checks new passwords against. */
export async function retireCurrentPassword(tx: Tx, userId: string, at: Date): Promise<void> {
  await tx.query(
    sql`INSERT INTO password_history (user_id, hash, retired_at) SELECT user_id, password_hash, ${at} FROM user_credentials WHERE user_id = ${userId}`,
  );
}

/** Makes a password the person's current one (its hash). */
export async function storePassword(tx: Tx, userId: string, password: string): Promise<void> {
  await tx.query(sql`UPDATE user_credentials SET password_hash = ${await hashPassword(password)} WHERE user_id = ${userId}`);
}

/** Who changes someone's roles over the API: their request (actor, reason) and the live catalog. */
export interface Grantor {
  ctx: TenantContext;
  env: Pick<IdentityEnv, 'catalog' | 'clock'>;
}

const assignmentKey = (r: { roleId: string; siteId: string | null }): string => `${r.roleId}/${r.siteId ?? '*'}`;

/**
 * Replaces a user's role assignments; the change is a security event (Annex 11 §12.3). When a
 * person grants (a `grantor`), administering and signing stay separated duties: nobody changes
 * their own roles, a role that signs is granted with a reason, and — when the tenant's policy
 * says so — waits for a second administrator instead of taking effect.
 */
export async function setUserRoles(tx: Tx, id: string, roles: RoleAssignment[], grantor?: Grantor): Promise<User> {
  const user = await getUser(tx, id);
  if (!user.active) throw new Conflict(`user ${user.login} is deactivated`, { code: 'error.identity.deactivated' });
  const unique = new Map(roles.map((r) => [assignmentKey(r), r]));
  const known = await tx.query<{ id: string }>(
    sql`SELECT id FROM roles WHERE id = ANY(${[...unique.values()].map((r) => r.roleId)}::uuid[])`,
  );
  const sites = await tx.query<{ id: string }>(
    sql`SELECT id FROM sites WHERE id = ANY(${[...unique.values()].flatMap((r) => (r.siteId ? [r.siteId] : []))}::uuid[])`,
  );
  const roleIds = new Set(known.rows.map((r) => r.id));
  const siteIds = new Set(sites.rows.map((s) => s.id));
  const errors = [...unique.values()].flatMap((r, i) => [
    ...(roleIds.has(r.roleId) ? [] : [{ pointer: `/body/${i}/roleId`, message: 'no such role' }]),
    ...(r.siteId && !siteIds.has(r.siteId) ? [{ pointer: `/body/${i}/siteId`, message: 'no such site' }] : []),
  ]);
  if (errors.length) throw new ValidationFailed('unknown role or site', errors, { code: 'error.identity.assignment' });

  let effective = [...unique.values()];
  const signingGranted: RoleAssignment[] = [];
  if (grantor?.ctx.actor.kind === 'user') {
    if (grantor.ctx.actor.id === id) {
      throw new Forbidden('nobody changes their own roles; another administrator must', { code: 'error.identity.ownRoles' });
    }
    const held = new Set(user.roles.map(assignmentKey));
    const signing = await signingRoles(tx, grantor.env);
    const added = effective.filter((r) => signing.has(r.roleId) && !held.has(assignmentKey(r)));
    if (added.length) {
      const reason = grantor.ctx.reason?.trim();
      if (!reason) {
        throw new ValidationFailed(
          'a role that signs is granted with a reason',
          [{ pointer: '/header/x-change-reason', message: 'give the reason for granting a role that signs' }],
          { code: 'error.identity.grantReasonRequired' },
        );
      }
      if ((await getSecurityPolicy(tx)).signingGrantsNeedSecondAdmin) {
        effective = effective.filter((r) => !added.includes(r));
        await requestGrants(tx, grantor.ctx, user, added, reason);
      } else {
        signingGranted.push(...added);
      }
    }
  }
  await tx.query(sql`DELETE FROM user_roles WHERE user_id = ${id}`);
  for (const r of effective) {
    await tx.query(sql`INSERT INTO user_roles (user_id, role_id, site_id) VALUES (${id}, ${r.roleId}, ${r.siteId})`);
  }
  const after = await getUser(tx, id);
  await recordSecurityEvent(tx, {
    kind: 'user.roles_changed',
    user: { id, login: user.login },
    detail: {
      from: user.roles.map(describe),
      to: after.roles.map(describe),
      ...(signingGranted.length
        ? {
            signingRolesGranted: after.roles.filter((r) => signingGranted.some((g) => assignmentKey(g) === assignmentKey(r))).map(describe),
          }
        : {}),
    },
  });
  if (signingGranted.length && grantor) await requireSecondFactorFor(tx, grantor.env, after);
  return after;
}

/** The roles whose permissions today include one that signs. */
async function signingRoles(tx: Tx, env: Pick<IdentityEnv, 'catalog'>): Promise<Set<string>> {
  const roles = await listRoles(tx, env);
  return new Set(roles.filter((r) => r.permissions.some(isSigningPermission)).map((r) => r.id));
}

/** A person given a role that signs, without a second factor yet, enrols one at their next sign-in. */
async function requireSecondFactorFor(tx: Tx, env: Pick<IdentityEnv, 'clock'>, user: User): Promise<void> {
  if (!user.totpEnrolled) await revokeUserSessions(tx, user.id, env.clock.now(), 'a role that signs needs a second factor');
}

async function requestGrants(tx: Tx, ctx: TenantContext, user: User, grants: RoleAssignment[], reason: string): Promise<void> {
  for (const g of grants) {
    const open = await tx.query(
      sql`SELECT 1 FROM role_grant_requests WHERE user_id = ${user.id} AND role_id = ${g.roleId}
             AND site_id IS NOT DISTINCT FROM ${g.siteId}::uuid AND status = 'pending'`,
    );
    if (open.rowCount > 0) continue;
    const requestId = uuidv7();
    await tx.query(
      sql`INSERT INTO role_grant_requests (id, user_id, role_id, site_id, reason, requested_by)
          VALUES (${requestId}, ${user.id}, ${g.roleId}, ${g.siteId}, ${reason}, ${ctx.actor.id})`,
    );
    await recordSecurityEvent(tx, {
      kind: 'user.role_grant_requested',
      user: { id: user.id, login: user.login },
      detail: { requestId, roleId: g.roleId, siteId: g.siteId, reason },
    });
  }
}

export type GrantDecision = (typeof GRANT_DECISIONS)[number];

/**
 * A second administrator decides a requested signing role: neither the one who asked nor the
 * person concerned may (the database refuses it too). Approved, the role takes effect at once.
 */
export async function decideRoleGrant(
  tx: Tx,
  env: Pick<IdentityEnv, 'clock'>,
  ctx: TenantContext,
  requestId: string,
  decision: GrantDecision,
  note: string | undefined,
): Promise<User> {
  const { rows } = await tx.query<{ userId: string; roleId: string; siteId: string | null; requestedBy: string; status: string }>(
    sql`SELECT user_id AS "userId", role_id AS "roleId", site_id AS "siteId", requested_by AS "requestedBy", status
          FROM role_grant_requests WHERE id = ${requestId} FOR UPDATE`,
  );
  const request = rows[0];
  if (!request) throw new NotFound(`role request ${requestId} not found`, { code: 'error.identity.grantRequestNotFound' });
  if (request.status !== 'pending') {
    throw new Conflict(`the role request is already ${request.status}`, {
      code: 'error.identity.grantDecided',
      params: { status: request.status },
    });
  }
  if (ctx.actor.id === request.requestedBy || ctx.actor.id === request.userId) {
    throw new Forbidden('a second administrator — not the one who asked, not the person concerned — decides a role that signs', {
      code: 'error.identity.secondAdministrator',
    });
  }
  const user = await getUser(tx, request.userId);
  if (!user.active) throw new Conflict(`user ${user.login} is deactivated`, { code: 'error.identity.deactivated' });
  await tx.query(
    sql`UPDATE role_grant_requests SET status = ${decision}, decided_by = ${ctx.actor.id}, decided_at = ${env.clock.now()},
           decision_note = ${note ?? null} WHERE id = ${requestId}`,
  );
  if (decision === 'approved') {
    await tx.query(
      sql`INSERT INTO user_roles (user_id, role_id, site_id) VALUES (${request.userId}, ${request.roleId}, ${request.siteId})
          ON CONFLICT DO NOTHING`,
    );
  }
  await recordSecurityEvent(tx, {
    kind: decision === 'approved' ? 'user.role_grant_approved' : 'user.role_grant_rejected',
    user: { id: user.id, login: user.login },
    detail: { requestId, roleId: request.roleId, siteId: request.siteId, ...(note ? { note } : {}) },
  });
  const after = await getUser(tx, request.userId);
  if (decision === 'approved') await requireSecondFactorFor(tx, env, after);
  return after;
}

const describe = (r: { roleName: string; siteId: string | null }): string => (r.siteId ? `${r.roleName}@${r.siteId}` : r.roleName);

/** The person's own preferred language for the UI and printouts. */
export async function setOwnLanguage(tx: Tx, ctx: TenantContext, language: Language): Promise<void> {
  await tx.query(sql`UPDATE users SET language = ${language} WHERE id = ${ctx.actor.id}`);
}
