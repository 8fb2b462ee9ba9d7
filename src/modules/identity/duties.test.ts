import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import {
  type Caller,
  createUser,
  loginAs,
  signerContext as signerContextOf,
  TestClock,
  type TestUser,
  verifySigner,
} from '../../../test/identity.js';
import type { Database } from '../../platform/db/index.js';
import { type TenantContext, withTenant } from '../../platform/tenancy/index.js';
import { totpAt } from './totp.js';

/**
 * Administering people and signing records are separated duties (21 CFR 11.10(g), 11.200(a)(2),
 * 11.300; Annex 11 §12): the probes of an administrator who tries to sign as QA or as someone else.
 */
let db: Database;
let app: FastifyInstance;
let t: TestTenant;
let admin: Caller;
let adminUser: TestUser;
const clock = new TestClock();
let roleId: (name: string) => string;

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  t = await testTenant(db);
  adminUser = await createUser(db, t, { roles: ['Administrator'], fullName: 'Wang Fang' });
  admin = await loginAs(app, adminUser, clock);
  const roles = (await admin.request('GET', '/api/v1/roles')).json().items as Array<{ id: string; name: string }>;
  roleId = (name) => roles.find((r) => r.name === name)?.id as string;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const reason = (text: string) => ({ 'x-change-reason': encodeURIComponent(text) });

const signerContext = (caller: Caller, name: string) => signerContextOf(caller, t.tenant.id, name);
const sign = (ctx: TenantContext, password: string, totpCode?: string) => verifySigner(app, db, ctx, password, totpCode);

async function securityEvents(userId: string): Promise<Array<{ action: string; detail: Record<string, unknown> }>> {
  return withTenant(
    db,
    t.ctx,
    async (tx) =>
      (
        await tx.query<{ action: string; detail: Record<string, unknown> }>(
          "SELECT action, new_values->'detail' AS detail FROM audit_event WHERE entity = 'security' AND record_id = $1 ORDER BY id",
          [userId],
        )
      ).rows,
  );
}

describe('who grants roles', () => {
  it('[P11.10g-sod] refuses an administrator who gives itself a signing role, in the service and in the database', async () => {
    const own = await admin.request(
      'PUT',
      `/api/v1/users/${adminUser.id}/roles`,
      [{ roleId: roleId('QA Manager'), siteId: null }],
      reason('I sign too'),
    );
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('error.identity.ownRoles');
    const after = (await admin.request('GET', `/api/v1/users/${adminUser.id}`)).json();
    expect(after.roles.map((r: { roleName: string }) => r.roleName)).toEqual(['Administrator']);

    // Raw SQL in the administrator's own name is refused by the database as well.
    const ctx: TenantContext = { ...t.ctx, actor: { kind: 'user', id: adminUser.id, name: adminUser.fullName } };
    await expect(
      withTenant(db, ctx, (tx) =>
        tx.query('INSERT INTO user_roles (user_id, role_id, site_id) VALUES ($1, $2, NULL)', [adminUser.id, roleId('QA Manager')]),
      ),
    ).rejects.toMatchObject({ code: 'MFSOD' });
  });

  it('[A11.12.3] grants a role that signs only with a reason, recorded with the grant; other roles need none', async () => {
    const person = await createUser(db, t, { roles: ['Auditor'] });
    const noReason = await admin.request('PUT', `/api/v1/users/${person.id}/roles`, [{ roleId: roleId('QA Manager'), siteId: null }]);
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json()).toMatchObject({ code: 'error.identity.grantReasonRequired', errors: [{ pointer: '/header/x-change-reason' }] });
    expect((await admin.request('GET', `/api/v1/users/${person.id}`)).json().roles.map((r: { roleName: string }) => r.roleName)).toEqual([
      'Auditor',
    ]);

    const reading = await admin.request('PUT', `/api/v1/users/${person.id}/roles`, [
      { roleId: roleId('Auditor'), siteId: null },
      { roleId: roleId('Operator'), siteId: null },
    ]);
    expect(reading.statusCode).toBe(200);

    const granted = await admin.request(
      'PUT',
      `/api/v1/users/${person.id}/roles`,
      [{ roleId: roleId('QA Manager'), siteId: null }],
      reason('QA manager deputy from December'),
    );
    expect(granted.statusCode).toBe(200);
    const events = await securityEvents(person.id);
    expect(events.at(-1)).toMatchObject({ action: 'user.roles_changed', detail: { signingRolesGranted: ['QA Manager'] } });
    const trail = await withTenant(
      db,
      t.ctx,
      async (tx) =>
        (
          await tx.query<{ reason: string }>(
            "SELECT reason FROM audit_event WHERE entity = 'user_roles' AND action = 'insert' AND record_id LIKE $1",
            [`${person.id}%`],
          )
        ).rows,
    );
    expect(trail.map((e) => e.reason)).toContain('QA manager deputy from December');
  });

  it('[P11.10g-sod] needs a second administrator for a signing role when the policy says so', async () => {
    const policy = (await admin.request('GET', '/api/v1/password-policy')).json();
    expect(policy.signingGrantsNeedSecondAdmin).toBe(false);
    await admin.request('PUT', '/api/v1/password-policy', { ...policy, signingGrantsNeedSecondAdmin: true });
    try {
      const second = await loginAs(app, await createUser(db, t, { roles: ['Administrator'] }), clock);
      const person = await createUser(db, t, { roles: ['Operator'] });
      const asked = await admin.request(
        'PUT',
        `/api/v1/users/${person.id}/roles`,
        [
          { roleId: roleId('Operator'), siteId: null },
          { roleId: roleId('Buyer'), siteId: null },
        ],
        reason('buys for the new line'),
      );
      expect(asked.statusCode).toBe(200);
      expect(asked.json().roles.map((r: { roleName: string }) => r.roleName)).toEqual(['Operator']);
      const [pending] = asked.json().pendingRoles;
      expect(pending).toMatchObject({ roleName: 'Buyer', reason: 'buys for the new line', requestedById: adminUser.id });

      const byRequester = await admin.request('POST', `/api/v1/role-grant-requests/${pending.requestId}/approved`, {});
      expect(byRequester.statusCode).toBe(403);
      expect(byRequester.json().code).toBe('error.identity.secondAdministrator');

      const approved = await second.request('POST', `/api/v1/role-grant-requests/${pending.requestId}/approved`, {
        note: 'checked with purchasing',
      });
      expect(approved.statusCode).toBe(200);
      expect(approved.json().roles.map((r: { roleName: string }) => r.roleName)).toEqual(['Buyer', 'Operator']);
      expect(approved.json().pendingRoles).toEqual([]);
      const again = await second.request('POST', `/api/v1/role-grant-requests/${pending.requestId}/rejected`, {});
      expect(again.statusCode).toBe(409);
      expect((await securityEvents(person.id)).map((e) => e.action)).toEqual(
        expect.arrayContaining(['user.role_grant_requested', 'user.role_grant_approved']),
      );
    } finally {
      await admin.request('PUT', '/api/v1/password-policy', { ...policy, signingGrantsNeedSecondAdmin: false });
    }
  });
});

describe('who signs', () => {
  it('[P11.200a3] blocks signing after an administrator reset until the person set their own password and confirmed their authenticator', async () => {
    const clerk = await createUser(db, t, { roles: ['Warehouse'], fullName: 'Chen Jing' });
    expect(clerk.totpSecret).not.toBeNull();
    const { oneTimePassword } = (await admin.request('POST', `/api/v1/users/${clerk.id}/reset-password`)).json();
    expect((await admin.request('GET', `/api/v1/users/${clerk.id}`)).json().signingBlocked).toBe(true);

    // Whoever holds the one-time password, and even the person's authenticator, cannot sign with it.
    clock.advance(30_000);
    const asReset: TestUser = { ...clerk, password: oneTimePassword };
    const session = await loginAs(app, asReset, clock);
    expect(session.state).toBe('password_change_required');
    const ctx: TenantContext = { tenantId: t.tenant.id, actor: { kind: 'user', id: clerk.id, name: clerk.fullName }, requestId: 'x' };
    clock.advance(30_000);
    await expect(sign(ctx, oneTimePassword, totpAt(clerk.totpSecret as string, clock.now()))).rejects.toMatchObject({
      status: 403,
      code: 'error.identity.signingBlockedAfterReset',
    });

    const changed = await session.request('POST', '/api/v1/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: 'Own-new-password-42',
    });
    expect(changed.statusCode).toBe(200);
    const own = await loginAs(app, { ...clerk, password: 'Own-new-password-42' }, clock);
    const ownCtx = await signerContext(own, clerk.fullName);
    clock.advance(30_000);
    // The session's sign-in TOTP is not enough: the first signing after a reset confirms it again.
    await expect(sign(ownCtx, 'Own-new-password-42')).rejects.toMatchObject({ code: 'error.identity.signingNeedsTotp' });
    expect(await sign(ownCtx, 'Own-new-password-42', totpAt(clerk.totpSecret as string, clock.now()))).toMatchObject({ userId: clerk.id });
    expect((await admin.request('GET', `/api/v1/users/${clerk.id}`)).json().signingBlocked).toBe(false);
    expect(await sign(ownCtx, 'Own-new-password-42')).toMatchObject({ userId: clerk.id });
  });

  it('[P11.10g] requires TOTP of every role that signs, at grant and at sign time', async () => {
    const roles = (await admin.request('GET', '/api/v1/roles')).json().items as Array<{
      name: string;
      requiresTotp: boolean;
      permissions: string[];
    }>;
    const signing = roles.filter((r) => r.permissions.some((p) => /:(.*\.)?sign|^inventory:adjust$/.test(p)));
    expect(signing.map((r) => r.name)).toEqual(expect.arrayContaining(['QA Manager', 'Buyer', 'Warehouse']));
    for (const r of signing) expect(r.requiresTotp, r.name).toBe(true);

    // A person without a second factor who is given a role that signs cannot sign until enrolled.
    const person = await createUser(db, t, { roles: ['Auditor'], totp: false });
    const caller = await loginAs(app, person, clock);
    await admin.request(
      'PUT',
      `/api/v1/users/${person.id}/roles`,
      [{ roleId: roleId('Buyer'), siteId: null }],
      reason('covers purchasing'),
    );
    // Their session ended with the grant: the next sign-in asks for enrolment.
    expect((await caller.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const again = await loginAs(app, person, clock);
    expect(again.state).toBe('totp_enrollment_required');
    const ctx: TenantContext = { tenantId: t.tenant.id, actor: { kind: 'user', id: person.id, name: person.fullName }, requestId: 'x' };
    await expect(sign(ctx, person.password)).rejects.toMatchObject({ status: 403, code: 'error.identity.signingNeedsEnrolment' });
  });
});
