import { identityModule } from '../../src/modules/identity/index.js';
import { hashPassword, verifyPassword } from '../../src/modules/identity/passwords.js';
import { installStandardRoles, roleIdByName } from '../../src/modules/identity/roles.js';
import { createUser } from '../../src/modules/identity/users.js';
import { loadConfig } from '../../src/platform/config.js';
import { withTenant } from '../../src/platform/tenancy/index.js';
import { createApp } from '../../src/server.js';
import { type Benchmark, timed } from '../lib.js';

const PASSWORD = 'Sterile-Tubing-Load-2026';

/**
 * What identity costs a request: argon2id (the floor of a login), a login over HTTP, and the
 * request guard (session or API token lookup, permissions) against the same route behind a
 * guard that only returns a fixed context.
 */
export const authentication: Benchmark = {
  name: 'authentication',
  description: 'argon2id, login, and the request guard per request',
  async run(env) {
    const logins = env.n(50, 10);
    const requests = env.n(2_000, 200);
    const code = (await env.db.query<{ code: string }>('SELECT code FROM tenants WHERE id = $1', [env.tenantId])).rows[0]?.code as string;
    const user = await withTenant(env.db, env.ctx, async (tx) => {
      await installStandardRoles(tx);
      const roles = [{ roleId: await roleIdByName(tx, 'Auditor'), siteId: null }];
      return (
        await createUser(
          tx,
          { clock: { now: () => new Date() } },
          { login: 'bench.user', fullName: 'Bench User', password: PASSWORD, mustChangePassword: false, roles },
        )
      ).user;
    });
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:' });
    const app = await createApp(config, env.db, [identityModule()]);
    const bare = await createApp(config, env.db, [identityModule()]);
    bare.guard = async () => ({ tenantId: env.tenantId, actor: { kind: 'user', id: user.id, name: user.fullName }, requestId: 'bench' });
    try {
      const hash = await hashPassword(PASSWORD);
      const hashing = await timed(async () => {
        for (let i = 0; i < logins; i++) await hashPassword(PASSWORD);
      });
      const verifying = await timed(async () => {
        for (let i = 0; i < logins; i++) await verifyPassword(hash, PASSWORD);
      });
      let cookie = '';
      const login = await timed(async () => {
        for (let i = 0; i < logins; i++) {
          const res = await app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { tenant: code, login: 'bench.user', password: PASSWORD },
            remoteAddress: `10.0.${i >> 8}.${i & 255}`,
          });
          if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
          cookie = res.cookies.find((c) => c.name === 'mf_session')?.value as string;
        }
      });
      const admin = await withTenant(env.db, env.ctx, async (tx) => {
        const roles = [{ roleId: await roleIdByName(tx, 'Administrator'), siteId: null }];
        return (
          await createUser(
            tx,
            { clock: { now: () => new Date() } },
            { login: 'bench.admin', fullName: 'Bench Admin', password: PASSWORD, mustChangePassword: false, roles },
          )
        ).user;
      });
      const { createApiToken } = await import('../../src/modules/identity/tokens.js');
      const { token } = await withTenant(env.db, env.ctx, (tx) =>
        createApiToken(
          tx,
          { catalog: [{ name: 'sites:read', description: '' }], box: { seal: (s) => s, open: (s) => s }, clock: { now: () => new Date() } },
          { ...env.ctx, actor: { kind: 'user', id: admin.id, name: admin.fullName } },
          { name: 'bench', scopes: ['sites:read'], expiresInDays: 1 },
        ),
      );
      const get = (target: typeof app, headers: Record<string, string>) => async () => {
        for (let i = 0; i < requests; i++) {
          const res = await target.inject({ method: 'GET', url: '/api/v1/sites', headers });
          if (res.statusCode !== 200) throw new Error(`request failed: ${res.statusCode} ${res.body}`);
        }
      };
      const unguarded = await timed(get(bare, {}));
      const bySession = await timed(get(app, { cookie: `mf_session=${cookie}` }));
      const byToken = await timed(get(app, { authorization: `Bearer ${token}` }));
      const argon = 'argon2id verify';
      const route = 'GET /sites, fixed context (no identity)';
      return [
        { name: 'argon2id hash', n: logins, seconds: hashing, baseline: argon },
        { name: argon, n: logins, seconds: verifying },
        { name: 'login over HTTP (verify, session, events)', n: logins, seconds: login, baseline: argon },
        { name: route, n: requests, seconds: unguarded },
        { name: 'GET /sites, session cookie', n: requests, seconds: bySession, baseline: route },
        { name: 'GET /sites, API token', n: requests, seconds: byToken, baseline: route },
      ];
    } finally {
      await app.close();
      await bare.close();
    }
  },
};
