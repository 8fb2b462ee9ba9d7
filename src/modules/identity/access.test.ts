import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import {
  type Caller,
  createUser,
  loginAs,
  signerContext as signerContextOf,
  TestClock,
  testConfig,
  verifySigner,
} from '../../../test/identity.js';
import type { Database } from '../../platform/db/index.js';
import type { Module } from '../../platform/module.js';
import { createSite, type Site, type TenantContext, withTenant } from '../../platform/tenancy/index.js';
import { createApp } from '../../server.js';
import { modules } from '../index.js';

let db: Database;
let app: FastifyInstance;
let t: TestTenant;
let plant2: Site;
let admin: Caller;
const clock = new TestClock();

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  t = await testTenant(db);
  plant2 = await withTenant(db, t.ctx, (tx) => createSite(tx, { code: 'P2', name: 'Plant 2', timeZone: 'Asia/Shanghai' }));
  admin = await loginAs(app, await createUser(db, t, { roles: ['Administrator'] }), clock);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const bearer = (token: string, headers: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...headers });

describe(`API tokens (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('shows a token once, stores only its hash, and allows only what its scopes and its owner both allow', async () => {
    const created = await admin.request('POST', '/api/v1/api-tokens', { name: 'MES line 1', scopes: ['identity:read'], expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json();
    expect(token).toMatch(/^mf_[0-9a-f]{32}_/);
    const stored = await withTenant(
      db,
      t.ctx,
      async (tx) => (await tx.query('SELECT * FROM api_tokens WHERE id = $1', [apiToken.id])).rows[0],
    );
    expect(JSON.stringify(stored)).not.toContain(token.slice(36));
    expect(JSON.stringify((await admin.request('GET', '/api/v1/api-tokens')).json())).not.toContain(token.slice(36));

    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) })).statusCode).toBe(200);
    const unscoped = await app.inject({ method: 'GET', url: '/api/v1/sites', headers: bearer(token) });
    expect(unscoped.statusCode).toBe(403);
    expect(unscoped.json().code).toBe('error.identity.forbidden');
    expect((await app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: {} })).statusCode).toBe(403);

    const used = (await admin.request('GET', '/api/v1/api-tokens')).json().items.find((x: { id: string }) => x.id === apiToken.id);
    expect(used.lastUsedAt).not.toBeNull();
    const events = await withTenant(
      db,
      t.ctx,
      async (tx) =>
        (
          await tx.query<{ action: string; actor_kind: string }>(
            "SELECT action, actor_kind FROM audit_event WHERE entity = 'security' AND actor_id = $1",
            [apiToken.id],
          )
        ).rows,
    );
    expect(events).toContainEqual({ action: 'token.used', actor_kind: 'token' });
    expect(events).toContainEqual({ action: 'permission.denied', actor_kind: 'token' });
  });

  it('[P11.10g-sod] issues a token only to its owner, with scopes the owner holds, and no more once a role goes', async () => {
    const auditorUser = await createUser(db, t, { roles: ['Auditor'] });
    const forSomeoneElse = await admin.request('POST', '/api/v1/api-tokens', {
      name: 'script',
      ownerId: auditorUser.id,
      scopes: ['identity:read'],
      expiresInDays: 1,
    });
    expect(forSomeoneElse.statusCode).toBe(400);
    expect(forSomeoneElse.json().errors).toContainEqual(expect.objectContaining({ pointer: '/body/ownerId' }));

    const auditor = await loginAs(app, auditorUser, clock);
    const beyond = await auditor.request('POST', '/api/v1/api-tokens', {
      name: 'script',
      scopes: ['identity:read', 'admin:users'],
      expiresInDays: 1,
    });
    expect(beyond.statusCode).toBe(422);
    expect(beyond.json()).toMatchObject({ code: 'error.identity.scopeNotHeld', errors: [{ pointer: '/body/scopes/1' }] });

    const { token, apiToken } = (
      await auditor.request('POST', '/api/v1/api-tokens', { name: 'script', scopes: ['identity:read'], expiresInDays: 1 })
    ).json();
    expect(apiToken.ownerId).toBe(auditorUser.id);
    expect((await auditor.request('GET', '/api/v1/me/api-tokens')).json().items.map((x: { id: string }) => x.id)).toEqual([apiToken.id]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) })).statusCode).toBe(200);
    // A token never mints tokens: issuing is a person's own act.
    const viaToken = await app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: bearer(token),
      payload: { name: 'copy', scopes: ['identity:read'], expiresInDays: 1 },
    });
    expect(viaToken.statusCode).toBe(403);

    await admin.request('PUT', `/api/v1/users/${auditorUser.id}/roles`, []);
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) })).statusCode).toBe(403);
    // Administrators see every token and revoke any; others only their own.
    expect((await admin.request('GET', '/api/v1/api-tokens')).json().items.map((x: { id: string }) => x.id)).toContain(apiToken.id);
    expect((await admin.request('POST', `/api/v1/api-tokens/${apiToken.id}/revoke`)).json().revokedAt).not.toBeNull();
  });

  it('[P11.300c] refuses a revoked or expired token at once', async () => {
    const { token, apiToken } = (
      await admin.request('POST', '/api/v1/api-tokens', { name: 'PLM sync', scopes: ['identity:read'], expiresInDays: 1 })
    ).json();
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) })).statusCode).toBe(200);
    expect((await admin.request('POST', `/api/v1/api-tokens/${apiToken.id}/revoke`)).json().revokedAt).not.toBeNull();
    const refused = await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('error.identity.badToken');
    const attempts = await withTenant(
      db,
      t.ctx,
      async (tx) =>
        (
          await tx.query("SELECT 1 FROM audit_event WHERE action = 'token.refused' AND new_values->'detail'->>'tokenId' = $1", [
            apiToken.id,
          ])
        ).rowCount,
    );
    expect(attempts).toBe(1);

    const other = (
      await admin.request('POST', '/api/v1/api-tokens', { name: 'short', scopes: ['identity:read'], expiresInDays: 1 })
    ).json();
    clock.advance(86_400_000);
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(other.token) })).statusCode).toBe(401);
    admin = await loginAs(app, await createUser(db, t, { roles: ['Administrator'] }), clock);
  });

  it('keeps a site-bound token on its site', async () => {
    const { token } = (
      await admin.request('POST', '/api/v1/api-tokens', { name: 'P2 scale', scopes: ['sites:read'], siteId: plant2.id, expiresInDays: 5 })
    ).json();
    expect((await app.inject({ method: 'GET', url: '/api/v1/sites', headers: bearer(token) })).statusCode).toBe(200);
    const elsewhere = await app.inject({ method: 'GET', url: '/api/v1/sites', headers: bearer(token, { 'x-site-id': t.site.id }) });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().code).toBe('error.identity.tokenSite');
  });

  it('refuses unknown scopes and implicit person permissions', async () => {
    const res = await admin.request('POST', '/api/v1/api-tokens', { name: 'bad', scopes: ['auth:self', 'made:up'], expiresInDays: 1 });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/scopes/0', '/body/scopes/1']);
  });
});

describe('roles and sites', () => {
  it('grants a site-limited role only on requests for that site', async () => {
    const user = await createUser(db, t, { roles: [{ role: 'Auditor', siteId: plant2.id }] });
    const caller = await loginAs(app, user, clock);
    expect((await caller.request('GET', '/api/v1/users', undefined, { 'x-site-id': plant2.id })).statusCode).toBe(200);
    expect((await caller.request('GET', '/api/v1/users', undefined, { 'x-site-id': t.site.id })).statusCode).toBe(403);
    expect((await caller.request('GET', '/api/v1/users')).statusCode).toBe(403);
    const me = (await caller.request('GET', '/api/v1/auth/me', undefined, { 'x-site-id': plant2.id })).json();
    expect(me.sites.map((s: { code: string }) => s.code)).toEqual(['P2']);
    expect(me.permissions).toContain('audit:read');
  });

  it('lets an Auditor read everything while every write answers 403', async () => {
    const auditor = await loginAs(app, await createUser(db, t, { roles: ['Auditor'] }), clock);
    const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
    const someId = '01900000-0000-7000-8000-000000000000';
    let writes = 0;
    for (const [path, methods] of Object.entries(paths)) {
      // A person's own things (sign-in steps, own tokens) are not administration.
      if (!path.startsWith('/api/v1/') || path.startsWith('/api/v1/auth/') || path.startsWith('/api/v1/me/')) continue;
      if (path.startsWith('/api/v1/api-tokens')) continue;
      // Checking an uploaded EPCIS document reads and writes no record: a POST only for its body.
      if (path === '/api/v1/traceability/epcis/validate') continue;
      const url = path.replace(/\{[^}]+\}/g, someId);
      for (const method of Object.keys(methods)) {
        const res = await auditor.request(method.toUpperCase() as 'GET', url, method === 'get' ? undefined : {});
        if (method === 'get') expect(res.statusCode, `GET ${path}`).not.toBe(403);
        else {
          writes++;
          expect(res.statusCode, `${method} ${path}`).toBe(403);
        }
      }
    }
    expect(writes).toBeGreaterThan(8);
    const roles = (await auditor.request('GET', '/api/v1/roles')).json().items;
    const auditorRole = roles.find((r: { name: string }) => r.name === 'Auditor');
    expect(auditorRole.permissions).toEqual(expect.arrayContaining(['audit:read', 'identity:read', 'sites:read']));
    expect(auditorRole.permissions.filter((p: string) => !/[:.]read$/.test(p))).toEqual(['audit:verify']);
    expect(auditorRole.requiresTotp).toBe(false);
    expect(roles.find((r: { name: string }) => r.name === 'Administrator').requiresTotp).toBe(true);
  });

  it('[A11.12.3] records who changed role assignments, from what to what', async () => {
    const user = await createUser(db, t, { roles: ['Operator'] });
    const roles = (await admin.request('GET', '/api/v1/roles')).json().items as Array<{ id: string; name: string }>;
    const buyer = roles.find((r) => r.name === 'Buyer')?.id;
    const res = await admin.request('PUT', `/api/v1/users/${user.id}/roles`, [{ roleId: buyer, siteId: plant2.id }], {
      'x-change-reason': 'new buyer for plant 2',
    });
    expect(res.json().roles).toEqual([{ roleId: buyer, roleName: 'Buyer', siteId: plant2.id }]);
    const trail = await withTenant(
      db,
      t.ctx,
      async (tx) =>
        (
          await tx.query<{ action: string; entity: string; actor_id: string }>(
            "SELECT action, entity, actor_id FROM audit_event WHERE (entity = 'user_roles' AND record_id LIKE $1) OR (entity = 'security' AND record_id = $2) ORDER BY id",
            [`${user.id}%`, user.id],
          )
        ).rows,
    );
    expect(trail.filter((e) => e.actor_id === admin.userId)).toEqual([
      { action: 'delete', entity: 'user_roles', actor_id: admin.userId },
      { action: 'insert', entity: 'user_roles', actor_id: admin.userId },
      { action: 'user.roles_changed', entity: 'security', actor_id: admin.userId },
    ]);
    const unknown = await admin.request('PUT', `/api/v1/users/${user.id}/roles`, [{ roleId: someUuid(), siteId: null }]);
    expect(unknown.statusCode).toBe(422);
    expect((await admin.request('GET', `/api/v1/users/${user.id}`)).json().roles).toHaveLength(1);
  });

  it('refuses to start when a route declares a permission no module defines', async () => {
    const rogue: Module = {
      name: 'rogue',
      routes(api) {
        api.get('/rogue', { config: { permission: 'rogue:read' }, schema: { response: { 200: Type.Object({}) } } }, async () => ({}));
      },
    };
    await expect(createApp(testConfig, db, [...modules, rogue])).rejects.toThrow(/declares permission rogue:read, which no module defines/);
  });
});

const someUuid = () => '01900000-0000-7000-8000-00000000abcd';

describe('administration', () => {
  it('pages through users by cursor, searches them and changes their details', async () => {
    for (const name of ['Chen Jie', 'Chen Hao', 'Chen Lu']) await createUser(db, t, { fullName: name });
    const first = (await admin.request('GET', '/api/v1/users?limit=2&q=chen&sort=-login')).json();
    expect(first.items).toHaveLength(2);
    const second = (await admin.request('GET', `/api/v1/users?limit=2&q=chen&sort=-login&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const logins = [...first.items, ...second.items].map((u: { login: string }) => u.login);
    expect(logins).toEqual([...logins].sort().reverse());
    expect((await admin.request('GET', '/api/v1/users?cursor=not-a-cursor')).statusCode).toBe(400);

    const changed = await admin.request('PATCH', `/api/v1/users/${first.items[0].id}`, {
      fullName: 'Chen Jie (QA)',
      email: 'chen@example.com',
    });
    expect(changed.json()).toMatchObject({ fullName: 'Chen Jie (QA)', email: 'chen@example.com' });
    expect((await admin.request('PATCH', `/api/v1/users/${first.items[0].id}`, { login: 'renamed' })).statusCode).toBe(400);
  });

  it('[P11.300b] changes the password policy within its bounds', async () => {
    const policy = (await admin.request('GET', '/api/v1/password-policy')).json();
    expect(policy).toMatchObject({
      minLength: 12,
      historyCount: 5,
      maxAgeDays: 90,
      lockoutThreshold: 5,
      idleTimeoutMinutes: 15,
      sessionLifetimeHours: 12,
    });
    expect((await admin.request('PUT', '/api/v1/password-policy', { ...policy, minLength: 4 })).statusCode).toBe(400);
    const stricter = await admin.request('PUT', '/api/v1/password-policy', { ...policy, minLength: 16 });
    expect(stricter.json().minLength).toBe(16);
    const res = await admin.request('POST', '/api/v1/users', { login: `strict.${Date.now()}`, fullName: 'Strict Policy' });
    expect(res.json().oneTimePassword).toHaveLength(16);
    await admin.request('PUT', '/api/v1/password-policy', policy);
  });
});

describe('signing re-authentication', () => {
  const signerContext = (caller: Caller, name: string) => signerContextOf(caller, t.tenant.id, name);
  const sign = (ctx: TenantContext, password: string, totpCode?: string) => verifySigner(app, db, ctx, password, totpCode);

  it('[P11.200a] needs password and TOTP at the first signing of a session, then the password alone', async () => {
    const { totpAt } = await import('./totp.js');
    const { signingFailuresWritten } = await import('./signing.js');
    const qa = await createUser(db, t, { roles: ['QA Manager'], fullName: 'Li Wei' });
    const caller = await loginAs(app, qa, clock);
    const ctx = await signerContext(caller, qa.fullName);

    await expect(sign(ctx, qa.password)).rejects.toMatchObject({ code: 'error.identity.signingNeedsTotp' });
    clock.advance(30_000);
    const code = totpAt(qa.totpSecret as string, clock.now());
    await expect(sign(ctx, 'wrong password', code)).rejects.toMatchObject({ status: 401, code: 'error.identity.badSignature' });
    await signingFailuresWritten();
    const signer = await sign(ctx, qa.password, code);
    expect(signer).toMatchObject({ userId: qa.id, login: qa.login, printedName: 'Li Wei' });
    expect(signer.permissions).toContain('audit:read');

    expect(await sign(ctx, qa.password)).toMatchObject({ userId: qa.id });
    await expect(sign(ctx, 'wrong again')).rejects.toMatchObject({ status: 401 });
    await signingFailuresWritten();
    const failures = await withTenant(
      db,
      t.ctx,
      async (tx) => (await tx.query<{ n: number }>('SELECT failed_attempts AS n FROM users WHERE id = $1', [qa.id])).rows[0]?.n,
    );
    expect(failures).toBe(1);

    // Outside a continuous session every factor is needed again.
    await expect(sign({ ...ctx, sessionId: undefined }, qa.password)).rejects.toMatchObject({ code: 'error.identity.signingNeedsTotp' });
  });

  it('[P11.300d] locks a person out after repeated failed signings; a locked or deactivated person cannot sign', async () => {
    const { signingFailuresWritten } = await import('./signing.js');
    const engineer = await createUser(db, t, { roles: ['Auditor'] });
    const ctx = await signerContext(await loginAs(app, engineer, clock), engineer.fullName);
    for (let i = 0; i < 5; i++) await expect(sign(ctx, `bad-${i}`)).rejects.toMatchObject({ status: 401 });
    await signingFailuresWritten();
    await expect(sign(ctx, engineer.password)).rejects.toMatchObject({ status: 403, code: 'error.identity.locked' });
    const locked = await withTenant(db, t.ctx, async (tx) =>
      (
        await tx.query<{ action: string }>("SELECT action FROM audit_event WHERE entity = 'security' AND record_id = $1", [engineer.id])
      ).rows.map((r) => r.action),
    );
    expect(locked.filter((a) => a === 'signature.failed')).toHaveLength(5);
    expect(locked).toContain('account.locked');

    const leaver = await createUser(db, t, { roles: ['Auditor'] });
    const leaverCtx = await signerContext(await loginAs(app, leaver, clock), leaver.fullName);
    await admin.request('POST', `/api/v1/users/${leaver.id}/deactivate`, { reason: 'left the company' });
    await expect(sign(leaverCtx, leaver.password)).rejects.toMatchObject({ status: 403, code: 'error.identity.deactivated' });
  });

  it('[P11.200a] never lets an API token sign', async () => {
    const ctx: TenantContext = { tenantId: t.tenant.id, actor: { kind: 'token', id: someUuid(), name: 'MES' }, requestId: 'test' };
    await expect(sign(ctx, 'anything')).rejects.toMatchObject({ status: 403, code: 'error.identity.tokenCannotSign' });
  });
});
