import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { callerFor, createUser, loginAs, sessionCookie, TEST_PASSWORD, TestClock } from '../../../test/identity.js';
import type { Database } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { totpAt } from './totp.js';

let db: Database;
let app: FastifyInstance;
let t: TestTenant;
const clock = new TestClock();

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  t = await testTenant(db);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const login = (tenant: string, loginName: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant, login: loginName, password } });

/** Security events about a user, oldest first, from the audit trail. */
const securityEvents = (tenant: TestTenant, userId: string) =>
  withTenant(db, tenant.ctx, async (tx) => {
    const { rows } = await tx.query<{ action: string }>(
      "SELECT action FROM audit_event WHERE entity = 'security' AND record_id = $1 ORDER BY id",
      [userId],
    );
    return rows.map((r) => r.action);
  });

describe(`signing in (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10d] answers 401 without a session and 403 without the permission, and records the denial', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    const op = await loginAs(app, await createUser(db, t, { roles: ['Operator'] }));
    const res = await op.request('GET', '/api/v1/users');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'error.identity.forbidden', params: { permission: 'identity:read' } });
    expect(await securityEvents(t, op.userId)).toContain('permission.denied');
  });

  it('gives the same answer for an unknown user, a wrong password and an unknown tenant', async () => {
    const user = await createUser(db, t);
    const answers = await Promise.all([
      login(t.tenant.code, 'nobody-here', TEST_PASSWORD),
      login(t.tenant.code, user.login, 'wrong password!!'),
      login('no-such-tenant', user.login, TEST_PASSWORD),
    ]);
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'error.identity.badCredentials' });
      expect(sessionCookie(res)).toBeUndefined();
    }
    expect(new Set(answers.map((r) => r.json().detail)).size).toBe(1);
  });

  it('[P11.300d] locks the account after 5 failures, refuses even the right password while locked, and unlocks after the period', async () => {
    const user = await createUser(db, t);
    for (let i = 0; i < 5; i++) expect((await login(t.tenant.code, user.login, `wrong-password-${i}`)).statusCode).toBe(401);
    const locked = await login(t.tenant.code, user.login, TEST_PASSWORD);
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe('error.identity.badCredentials');
    const events = await securityEvents(t, user.id);
    expect(events.filter((k) => k === 'login.failed')).toHaveLength(6);
    expect(events).toContain('account.locked');

    clock.advance(29 * 60_000);
    expect((await login(t.tenant.code, user.login, TEST_PASSWORD)).statusCode).toBe(401);
    clock.advance(60_000);
    expect((await login(t.tenant.code, user.login, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('resets the failure count after a successful login', async () => {
    const user = await createUser(db, t);
    for (let i = 0; i < 4; i++) await login(t.tenant.code, user.login, 'wrong-password-x');
    expect((await login(t.tenant.code, user.login, TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) await login(t.tenant.code, user.login, 'wrong-password-y');
    expect((await login(t.tenant.code, user.login, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('limits sign-in attempts per client address and login', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push((await login(t.tenant.code, 'rate.limited', `guess-${i}`)).statusCode);
    expect(answers.every((s) => s === 401)).toBe(true);
    const limited = await login(t.tenant.code, 'rate.limited', 'guess-11');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('error.identity.tooManyAttempts');
    expect((await login(t.tenant.code, 'someone.else', 'guess')).statusCode).toBe(401);
  });

  it('sets an httpOnly SameSite=Strict session cookie and never returns a password or hash', async () => {
    const user = await createUser(db, t);
    const res = await login(t.tenant.code, user.login, TEST_PASSWORD);
    const cookie = res.cookies.find((c) => c.name === 'mf_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(res.json()).toMatchObject({ state: 'active', user: { login: user.login, fullName: user.fullName, totpEnrolled: false } });
    expect(res.body).not.toMatch(/argon2|password_hash|passwordHash/);
  });

  it('refuses a POST without the CSRF header (403) and accepts it with the header', async () => {
    const caller = await loginAs(app, await createUser(db, t));
    const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: { cookie: `mf_session=${caller.cookie}` } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('error.identity.csrf');
    expect((await caller.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    expect((await caller.request('POST', '/api/v1/auth/logout-all')).statusCode).toBe(200);
    expect((await caller.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('ends a session after 15 idle minutes and after 12 hours in any case', async () => {
    const caller = await loginAs(app, await createUser(db, t), clock);
    clock.advance(14 * 60_000);
    expect((await caller.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    clock.advance(15 * 60_000);
    const idle = await caller.request('GET', '/api/v1/auth/me');
    expect(idle.statusCode).toBe(401);
    expect(idle.json().code).toBe('error.identity.sessionExpired');

    const busy = await loginAs(app, await createUser(db, t), clock);
    for (let i = 0; i < 12 * 6; i++) {
      clock.advance(10 * 60_000);
      if ((await busy.request('GET', '/api/v1/auth/me')).statusCode !== 200) break;
    }
    expect((await busy.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('lists my sessions and ends one of them; logout clears the cookie', async () => {
    const user = await createUser(db, t);
    const first = await loginAs(app, user);
    const second = await loginAs(app, user);
    const list = await first.request('GET', '/api/v1/auth/sessions');
    expect(list.json().items).toHaveLength(2);
    const other = list.json().items.find((s: { current: boolean }) => !s.current);
    expect((await first.request('DELETE', `/api/v1/auth/sessions/${other.id}`)).statusCode).toBe(204);
    expect((await second.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const out = await first.request('POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    expect((await first.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('changes the preferred language', async () => {
    const caller = await loginAs(app, await createUser(db, t));
    const res = await caller.request('PATCH', '/api/v1/auth/me', { language: 'zh-CN' });
    expect(res.json()).toMatchObject({ language: 'zh-CN' });
    expect((await caller.request('PATCH', '/api/v1/auth/me', { language: 'fr' })).statusCode).toBe(400);
  });
});

describe('passwords', () => {
  it('[P11.200a3] forces a new password at first login and after an admin reset, which is recorded', async () => {
    const admin = await loginAs(app, await createUser(db, t, { roles: ['Administrator'] }), clock);
    const created = await admin.request('POST', '/api/v1/users', { login: `new.${Date.now()}`, fullName: 'New Person' });
    expect(created.statusCode).toBe(201);
    const { user, oneTimePassword } = created.json();

    const first = await login(t.tenant.code, user.login, oneTimePassword);
    expect(first.json().state).toBe('password_change_required');
    const pending = callerFor(app, user.id, sessionCookie(first) as string, first.json().csrfToken, 'password_change_required');
    expect((await pending.request('GET', '/api/v1/sites')).statusCode).toBe(403);
    const changed = await pending.request('POST', '/api/v1/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: 'A-much-better-secret-1',
    });
    expect(changed.json().state).toBe('active');
    const active = callerFor(app, user.id, sessionCookie(changed) as string, changed.json().csrfToken, 'active');
    expect((await active.request('GET', '/api/v1/auth/me')).json().state).toBe('active');

    const reset = await admin.request('POST', `/api/v1/users/${user.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    expect((await active.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(t.tenant.code, user.login, 'A-much-better-secret-1')).statusCode).toBe(401);
    const again = await login(t.tenant.code, user.login, reset.json().oneTimePassword);
    expect(again.json().state).toBe('password_change_required');
    expect(await securityEvents(t, user.id)).toEqual(expect.arrayContaining(['password.changed', 'user.password_reset']));
  });

  it('[P11.300b] refuses a password among the last five and one that is too short, with field errors', async () => {
    const user = await createUser(db, t, { password: 'Original-password-0' });
    let current = 'Original-password-0';
    let caller = await loginAs(app, user);
    const change = (next: string) => caller.request('POST', '/api/v1/auth/password', { currentPassword: current, newPassword: next });
    for (const next of ['Second-password-11', 'Third-password-222', 'Fourth-password-33']) {
      const res = await change(next);
      expect(res.statusCode).toBe(200);
      // The session continues under a new token: the change is a privilege step.
      caller = callerFor(app, user.id, sessionCookie(res) as string, res.json().csrfToken, res.json().state);
      current = next;
    }
    const reused = await change('Original-password-0');
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'error.identity.passwordPolicy', errors: [{ pointer: '/body/newPassword' }] });
    const short = await change('short-1');
    expect(short.statusCode).toBe(422);
    const wrongCurrent = await caller.request('POST', '/api/v1/auth/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'Fifth-password-4444',
    });
    expect(wrongCurrent.json()).toMatchObject({ status: 422, code: 'error.identity.currentPasswordWrong' });
  });

  it('[P11.300b] forces a change when the password is older than the maximum age', async () => {
    const user = await createUser(db, t);
    await withTenant(db, t.ctx, (tx) =>
      tx.query("UPDATE users SET password_changed_at = $2::timestamptz - interval '91 days' WHERE id = $1", [user.id, clock.now()]),
    );
    const res = await login(t.tenant.code, user.login, TEST_PASSWORD);
    expect(res.json().state).toBe('password_change_required');
  });
});

describe('TOTP second factor', () => {
  it('forces a signer or administrator without TOTP into enrolment, then activates with recovery codes', async () => {
    const user = await createUser(db, t, { roles: ['QA Manager'], totp: false });
    const res = await login(t.tenant.code, user.login, TEST_PASSWORD);
    expect(res.json().state).toBe('totp_enrollment_required');
    const pending = callerFor(app, user.id, sessionCookie(res) as string, res.json().csrfToken, 'totp_enrollment_required');
    expect((await pending.request('GET', '/api/v1/users')).statusCode).toBe(403);
    const enrolment = await pending.request('POST', '/api/v1/auth/totp/enroll');
    const { secret, otpauthUri, qrSvg } = enrolment.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Mediforge/);
    expect(qrSvg).toMatch(/^<svg/);
    const stored = await withTenant(
      db,
      t.ctx,
      async (tx) =>
        (await tx.query<{ s: string }>('SELECT totp_pending_secret AS s FROM user_credentials WHERE user_id = $1', [user.id])).rows[0]?.s,
    );
    expect(stored).not.toContain(secret);
    expect((await pending.request('POST', '/api/v1/auth/totp/confirm', { code: '000000' })).statusCode).toBe(422);
    const confirmed = await pending.request('POST', '/api/v1/auth/totp/confirm', { code: totpAt(secret, clock.now()) });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().state).toBe('active');
    expect(new Set(confirmed.json().recoveryCodes).size).toBe(10);
    const active = callerFor(app, user.id, sessionCookie(confirmed) as string, confirmed.json().csrfToken, 'active');
    expect((await active.request('GET', '/api/v1/users')).statusCode).toBe(200);
    expect((await pending.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);

    // A recovery code works once.
    const code = confirmed.json().recoveryCodes[0];
    for (const expected of [200, 401]) {
      const next = await login(t.tenant.code, user.login, TEST_PASSWORD);
      const step = callerFor(app, user.id, sessionCookie(next) as string, next.json().csrfToken, next.json().state);
      expect((await step.request('POST', '/api/v1/auth/totp/verify', { code })).statusCode).toBe(expected);
    }
  });

  it('rejects a replayed TOTP code, and accepts the code of the next time step', async () => {
    const user = await createUser(db, t, { totp: true });
    clock.advance(30_000);
    const code = totpAt(user.totpSecret as string, clock.now());
    const verify = async () => {
      const res = await login(t.tenant.code, user.login, TEST_PASSWORD);
      expect(res.json().state).toBe('totp_required');
      const c = callerFor(app, user.id, sessionCookie(res) as string, res.json().csrfToken, 'totp_required');
      expect((await c.request('GET', '/api/v1/auth/sessions')).statusCode).toBe(403);
      return c;
    };
    expect((await (await verify()).request('POST', '/api/v1/auth/totp/verify', { code })).statusCode).toBe(200);
    const replay = await (await verify()).request('POST', '/api/v1/auth/totp/verify', { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('error.identity.badCode');
    clock.advance(30_000);
    const fresh = await (await verify()).request('POST', '/api/v1/auth/totp/verify', {
      code: totpAt(user.totpSecret as string, clock.now()),
    });
    expect(fresh.statusCode).toBe(200);
    expect(await securityEvents(t, user.id)).toContain('totp.failed');
  });
});

describe('deactivation and tenants', () => {
  it('[P11.10d] stops a deactivated user at once: open session refused, login refused, login never reused', async () => {
    const admin = await loginAs(app, await createUser(db, t, { roles: ['Administrator'] }), clock);
    const user = await createUser(db, t);
    const session = await loginAs(app, user);
    const res = await admin.request('POST', `/api/v1/users/${user.id}/deactivate`, { reason: 'left the company' });
    expect(res.json()).toMatchObject({ active: false });
    expect((await session.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(t.tenant.code, user.login, TEST_PASSWORD)).statusCode).toBe(401);
    const again = await admin.request('POST', '/api/v1/users', { login: user.login, fullName: 'Someone Else' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('error.identity.loginTaken');
  });

  it('[P11.100a] keeps logins unique, unchangeable and undeletable in the database itself', async () => {
    const user = await createUser(db, t);
    await expect(
      withTenant(db, t.ctx, (tx) => tx.query("UPDATE users SET login = 'someone.else' WHERE id = $1", [user.id])),
    ).rejects.toThrow(/never changed/);
    await expect(withTenant(db, t.ctx, (tx) => tx.query('DELETE FROM users WHERE id = $1', [user.id]))).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      withTenant(db, t.ctx, (tx) =>
        tx.query("INSERT INTO users (login, full_name, password_changed_at) VALUES ($1, 'Twin', now())", [user.login]),
      ),
    ).rejects.toThrow(/users_login_unique/);
  });

  it("cannot reach tenant B's data with tenant A's credentials", async () => {
    const b = await testTenant(db, 'Beta Devices');
    const userA = await createUser(db, t, { roles: ['Auditor'] });
    await createUser(db, b, { login: userA.login, password: 'Beta-only-password-9', roles: ['Auditor'] });
    const a = await loginAs(app, userA);
    const sites = await a.request('GET', '/api/v1/sites');
    expect(sites.json().items.map((s: { id: string }) => s.id)).toEqual([t.site.id]);
    expect((await a.request('GET', '/api/v1/sites', undefined, { 'x-site-id': b.site.id })).statusCode).toBe(400);
    expect((await login(b.tenant.code, userA.login, TEST_PASSWORD)).statusCode).toBe(401);
    const forged = `${b.tenant.id}.${a.cookie.split('.')[1]}`;
    const res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `mf_session=${forged}` } });
    expect(res.statusCode).toBe(401);
  });
});
