import QRCode from 'qrcode';
import { sha256Hex } from '../../platform/crypto.js';
import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict, Unauthorized, ValidationFailed } from '../../platform/errors.js';
import type { IdentityEnv, Outcome } from './context.js';
import { burnPasswordCheck, checkNewPassword, getSecurityPolicy, type SecurityPolicy, verifyPassword } from './passwords.js';
import { userGrants } from './roles.js';
import { recordSecurityEvent, type SecurityEventKind } from './security-events.js';
import {
  advanceSession,
  type ClientMeta,
  type Credentials,
  type IssuedSession,
  isLocked,
  loadCredentials,
  openSession,
  type SessionRow,
  sessionState,
} from './sessions.js';
import { matchTotp, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, otpauthUri } from './totp.js';
import { retireCurrentPassword, revokeUserSessions, storePassword } from './users.js';

/** One message for unknown user, wrong password, locked or deactivated: nothing to learn from it. */
export const badCredentials = (): Unauthorized =>
  new Unauthorized('the tenant, login or password is not correct, or the account cannot sign in now', {
    code: 'error.identity.badCredentials',
  });

/**
 * Counts a failed authentication (login, second factor, signing). At the policy's threshold the
 * account locks for the configured period and its sessions end (§11.300(d)).
 */
export async function registerFailure(
  tx: Tx,
  env: IdentityEnv,
  user: Pick<Credentials, 'id' | 'login' | 'failedAttempts'>,
  kind: SecurityEventKind,
  meta: ClientMeta,
  policy?: SecurityPolicy,
): Promise<void> {
  const now = env.clock.now();
  const p = policy ?? (await getSecurityPolicy(tx));
  const attempts = user.failedAttempts + 1;
  const lock = attempts >= p.lockoutThreshold;
  await tx.query(
    sql`UPDATE users SET failed_attempts = ${lock ? 0 : attempts}, locked_until = ${lock ? new Date(now.getTime() + p.lockoutMinutes * 60_000) : null} WHERE id = ${user.id}`,
  );
  await recordSecurityEvent(tx, { kind, user: { id: user.id, login: user.login }, ip: meta.ip, detail: { attempt: attempts } });
  if (lock) {
    await revokeUserSessions(tx, user.id, now, 'account locked');
    await recordSecurityEvent(tx, {
      kind: 'account.locked',
      user: { id: user.id, login: user.login },
      ip: meta.ip,
      detail: { attempts, minutes: p.lockoutMinutes },
    });
  }
}

async function clearFailures(tx: Tx, userId: string): Promise<void> {
  await tx.query(
    sql`UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ${userId} AND (failed_attempts > 0 OR locked_until IS NOT NULL)`,
  );
}

/** Password step of signing in. Unknown users cost the same argon2 time as known ones. */
export async function attemptLogin(
  tx: Tx,
  env: IdentityEnv,
  tenantId: string,
  input: { login: string; password: string },
  meta: ClientMeta,
): Promise<Outcome<IssuedSession & { userId: string }>> {
  const now = env.clock.now();
  const policy = await getSecurityPolicy(tx);
  const user = await loadCredentials(tx, { login: input.login });
  if (!user?.active || isLocked(user, now)) {
    if (user) await verifyPassword(user.passwordHash, input.password);
    else await burnPasswordCheck(input.password);
    const reason = !user ? 'unknown login' : !user.active ? 'deactivated' : 'locked';
    await recordSecurityEvent(tx, {
      kind: 'login.failed',
      user: user ? { id: user.id, login: user.login } : undefined,
      ip: meta.ip,
      detail: { reason, login: input.login.slice(0, 64) },
    });
    return { ok: false, error: badCredentials() };
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await registerFailure(tx, env, user, 'login.failed', meta, policy);
    return { ok: false, error: badCredentials() };
  }
  await clearFailures(tx, user.id);
  const grants = await userGrants(tx, env, user.id, undefined);
  const state = sessionState(user, { secondFactorDone: false, totpRequired: grants.requiresTotp, policy, now });
  const session = await openSession(tx, env, tenantId, user.id, state, meta);
  await recordSecurityEvent(tx, {
    kind: 'login.succeeded',
    user: { id: user.id, login: user.login },
    ip: meta.ip,
    detail: { state },
  });
  return { ok: true, value: { ...session, userId: user.id } };
}

async function nextState(tx: Tx, env: IdentityEnv, user: Credentials, secondFactorDone: boolean) {
  const grants = await userGrants(tx, env, user.id, undefined);
  return sessionState(user, {
    secondFactorDone,
    totpRequired: grants.requiresTotp,
    policy: await getSecurityPolicy(tx),
    now: env.clock.now(),
  });
}

async function sessionUser(tx: Tx, session: SessionRow): Promise<Credentials> {
  const user = await loadCredentials(tx, { id: session.userId });
  if (!user?.active) throw new Unauthorized('your session has ended; please sign in again', { code: 'error.identity.sessionExpired' });
  return user;
}

/**
 * Checks a TOTP code (a time step once used is refused: no replay) or else an unused recovery
 * code, which is then spent. Returns how the person proved the second factor, or undefined.
 */
export async function checkSecondFactor(
  tx: Tx,
  env: IdentityEnv,
  user: Credentials,
  code: string,
): Promise<'totp' | 'recovery' | undefined> {
  if (!user.totpSecret) return undefined;
  const step = matchTotp(env.box.open(user.totpSecret), code.trim(), env.clock.now(), user.totpLastStep);
  if (step !== undefined) {
    await tx.query(sql`UPDATE user_credentials SET totp_last_step = ${step} WHERE user_id = ${user.id}`);
    return 'totp';
  }
  const { rowCount } = await tx.query(
    sql`UPDATE recovery_codes SET used_at = ${env.clock.now()}
      WHERE id = (SELECT id FROM recovery_codes WHERE user_id = ${user.id} AND code_hash = ${sha256Hex(normalizeRecoveryCode(code))} AND used_at IS NULL LIMIT 1)`,
  );
  return rowCount > 0 ? 'recovery' : undefined;
}

/** Second-factor step of signing in; a wrong code counts toward lockout like a wrong password. */
export async function verifySecondFactor(
  tx: Tx,
  env: IdentityEnv,
  tenantId: string,
  session: SessionRow,
  code: string,
  meta: ClientMeta,
): Promise<Outcome<IssuedSession>> {
  if (session.state !== 'totp_required') {
    return { ok: false, error: new Conflict('this session is not waiting for a second factor', { code: 'error.identity.wrongStep' }) };
  }
  const user = await sessionUser(tx, session);
  const factor = isLocked(user, env.clock.now()) ? undefined : await checkSecondFactor(tx, env, user, code);
  if (!factor) {
    await registerFailure(tx, env, user, 'totp.failed', meta);
    return { ok: false, error: new Unauthorized('the code is not correct', { code: 'error.identity.badCode' }) };
  }
  await clearFailures(tx, user.id);
  return { ok: true, value: await advanceSession(tx, env, tenantId, session.id, await nextState(tx, env, user, true), true) };
}

/**
 * The person's own password change: at first login, after a reset, on expiry, or at will.
 * A wrong current password counts toward lockout.
 */
export async function changeOwnPassword(
  tx: Tx,
  env: IdentityEnv,
  tenantId: string,
  session: SessionRow,
  input: { currentPassword: string; newPassword: string },
  meta: ClientMeta,
): Promise<Outcome<IssuedSession>> {
  if (session.state === 'totp_required') {
    return { ok: false, error: new Conflict('confirm your second factor first', { code: 'error.identity.wrongStep' }) };
  }
  const user = await sessionUser(tx, session);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await registerFailure(tx, env, user, 'login.failed', meta);
    return {
      ok: false,
      error: new ValidationFailed(
        'the current password is not correct',
        [{ pointer: '/body/currentPassword', message: 'is not correct' }],
        {
          code: 'error.identity.currentPasswordWrong',
        },
      ),
    };
  }
  await checkNewPassword(tx, user, input.newPassword, await getSecurityPolicy(tx));
  const now = env.clock.now();
  // A one-time password was the administrator's, never the person's: it takes no place in their history.
  if (!user.mustChangePassword) await retireCurrentPassword(tx, user.id, now);
  await storePassword(tx, user.id, input.newPassword);
  await tx.query(
    sql`UPDATE users SET password_changed_at = ${now}, must_change_password = false, failed_attempts = 0 WHERE id = ${user.id}`,
  );
  await revokeUserSessions(tx, user.id, now, 'password changed', session.id);
  await recordSecurityEvent(tx, { kind: 'password.changed', user: { id: user.id, login: user.login }, ip: meta.ip });
  const changed = { ...user, mustChangePassword: false, passwordChangedAt: now.toISOString() };
  return { ok: true, value: await advanceSession(tx, env, tenantId, session.id, await nextState(tx, env, changed, true), false) };
}

export interface Enrollment {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

/** Starts TOTP enrolment: a new seed, sealed at rest, that becomes active once a code confirms it. */
export async function startEnrollment(tx: Tx, env: IdentityEnv, session: SessionRow): Promise<Enrollment> {
  if (session.state !== 'totp_enrollment_required' && session.state !== 'active') {
    throw new Conflict('finish signing in before enrolling a second factor', { code: 'error.identity.wrongStep' });
  }
  const user = await sessionUser(tx, session);
  if (user.totpSecret) throw new Conflict('a second factor is already enrolled', { code: 'error.identity.totpEnrolled' });
  const secret = newTotpSecret();
  await tx.query(sql`UPDATE user_credentials SET totp_pending_secret = ${env.box.seal(secret)} WHERE user_id = ${user.id}`);
  // Row-level security shows only the current tenant: its code labels the account in the app.
  const { rows } = await tx.query<{ code: string }>(sql`SELECT code FROM tenants`);
  const uri = otpauthUri(secret, 'Mediforge', `${rows[0]?.code ?? ''}/${user.login}`);
  return { secret, otpauthUri: uri, qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1 }) };
}

/** Confirms enrolment with a first code; returns ten recovery codes, shown only now. */
export async function confirmEnrollment(
  tx: Tx,
  env: IdentityEnv,
  tenantId: string,
  session: SessionRow,
  code: string,
): Promise<{ recoveryCodes: string[]; session: IssuedSession }> {
  const user = await sessionUser(tx, session);
  const { rows } = await tx.query<{ pending: string | null }>(
    sql`SELECT totp_pending_secret AS pending FROM user_credentials WHERE user_id = ${user.id}`,
  );
  const pending = rows[0]?.pending;
  if (!pending || user.totpSecret) throw new Conflict('start enrolment first', { code: 'error.identity.wrongStep' });
  const now = env.clock.now();
  const step = matchTotp(env.box.open(pending), code.trim(), now, null);
  if (step === undefined) {
    throw new ValidationFailed(
      'the code does not match; check the time on your phone',
      [{ pointer: '/body/code', message: 'does not match' }],
      {
        code: 'error.identity.badCode',
      },
    );
  }
  await tx.query(
    sql`UPDATE user_credentials SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ${step} WHERE user_id = ${user.id}`,
  );
  await tx.query(sql`UPDATE users SET totp_enrolled_at = ${now} WHERE id = ${user.id}`);
  await tx.query(sql`UPDATE recovery_codes SET used_at = ${now} WHERE user_id = ${user.id} AND used_at IS NULL`);
  const recoveryCodes = newRecoveryCodes();
  for (const c of recoveryCodes) {
    await tx.query(sql`INSERT INTO recovery_codes (user_id, code_hash) VALUES (${user.id}, ${sha256Hex(c)})`);
  }
  await recordSecurityEvent(tx, { kind: 'totp.enrolled', user: { id: user.id, login: user.login } });
  const enrolled = { ...user, totpSecret: pending };
  return { recoveryCodes, session: await advanceSession(tx, env, tenantId, session.id, await nextState(tx, env, enrolled, true), true) };
}
