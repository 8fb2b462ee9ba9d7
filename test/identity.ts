/**
 * Builders for tests that need people, sessions and tokens. Typical use in a module's test:
 *
 *   const app = await testApp(db);
 *   const t = await testTenant(db);
 *   const qa = await loginAs(app, t, await createUser(db, t, { roles: ['QA Manager'] }));
 *   const res = await qa.request('POST', '/api/v1/quality/ncrs', { … });   // cookie + CSRF sent
 *
 * Users are created directly through the identity service with a known password, no forced
 * change, and — when a role requires it — an enrolled TOTP seed, so `loginAs` ends in an
 * `active` session. Pass a `TestClock` to `testApp` and `loginAs` to control time.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Clock } from '../src/modules/identity/context.js';
import { identityModule } from '../src/modules/identity/index.js';
import { installStandardRoles, listRoles, type RoleAssignment, roleIdByName } from '../src/modules/identity/roles.js';
import { newTotpSecret, totpAt } from '../src/modules/identity/totp.js';
import { createUser as createUserInService } from '../src/modules/identity/users.js';
import { loadConfig } from '../src/platform/config.js';
import { secretBox } from '../src/platform/crypto.js';
import type { Database } from '../src/platform/db/index.js';
import { type TenantContext, withTenant } from '../src/platform/tenancy/index.js';
import { composition, createApp, permissionCatalog } from '../src/server.js';
import type { TestTenant } from './db.js';

export const testConfig = loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:' });

/** A clock tests move by hand: lockout expiry, idle timeouts and TOTP steps without sleeping. */
export class TestClock implements Clock {
  constructor(private at = Date.now()) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** The full app (every module and flow) over `db`, with identity on the given clock. Close it in afterAll. */
export async function testApp(db: Database, clock?: Clock): Promise<FastifyInstance> {
  const withClock = composition.map((m) => (m.name === 'identity' ? identityModule(clock ? { clock } : {}) : m));
  return createApp(testConfig, db, withClock);
}

export const TEST_PASSWORD = 'Correct-Horse-Battery-7';

export interface TestUser {
  id: string;
  login: string;
  fullName: string;
  password: string;
  /** Base32 TOTP seed when the user has a second factor. */
  totpSecret: string | null;
  tenant: TestTenant;
}

export interface NewTestUser {
  login?: string;
  fullName?: string;
  /** Role names, for every site, or `{ role, siteId }` for a site-limited assignment. */
  roles?: Array<string | { role: string; siteId: string }>;
  password?: string;
  /** Default false: the user starts with a usable password. */
  mustChangePassword?: boolean;
  /** Enrol TOTP; defaults to true when one of the roles requires it. */
  totp?: boolean;
}

let counter = 0;

/** Creates a user in the tenant (standard roles installed on first use). */
export async function createUser(db: Database, tenant: TestTenant, spec: NewTestUser = {}): Promise<TestUser> {
  const login = spec.login ?? `user${++counter}.${process.pid}`;
  const password = spec.password ?? TEST_PASSWORD;
  const catalog = permissionCatalog(composition);
  const env = { catalog, box: secretBox(testConfig), clock: { now: () => new Date() } };
  return withTenant(db, tenant.ctx, async (tx) => {
    await installStandardRoles(tx);
    const roles: RoleAssignment[] = [];
    for (const r of spec.roles ?? []) {
      const [name, siteId] = typeof r === 'string' ? [r, null] : [r.role, r.siteId];
      roles.push({ roleId: await roleIdByName(tx, name), siteId });
    }
    const { user } = await createUserInService(tx, env, {
      login,
      fullName: spec.fullName ?? `Test ${login}`,
      password,
      mustChangePassword: spec.mustChangePassword ?? false,
      roles,
    });
    const roleNeedsTotp = (await listRoles(tx, env)).some((r) => r.requiresTotp && roles.some((a) => a.roleId === r.id));
    let totpSecret: string | null = null;
    if (spec.totp ?? roleNeedsTotp) {
      totpSecret = newTotpSecret();
      await tx.query('UPDATE user_credentials SET totp_secret = $2 WHERE user_id = $1', [user.id, env.box.seal(totpSecret)]);
      await tx.query('UPDATE users SET totp_enrolled_at = now() WHERE id = $1', [user.id]);
    }
    return { id: user.id, login, fullName: user.fullName, password, totpSecret, tenant };
  });
}

/** A signed-in caller: sends its cookie, and the CSRF header on unsafe methods. */
export interface Caller {
  userId: string;
  cookie: string;
  csrfToken: string;
  state: string;
  request(
    method: InjectOptions['method'],
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === 'mf_session')?.value;
}

export function callerFor(app: FastifyInstance, userId: string, cookie: string, csrfToken: string, state: string): Caller {
  return {
    userId,
    cookie,
    csrfToken,
    state,
    request: (method, url, payload, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie: `mf_session=${cookie}`, 'x-csrf-token': csrfToken, ...headers },
        ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
      }),
  };
}

/**
 * Logs a user in over HTTP, completing the TOTP step when the user has a seed (a code for the
 * clock's current step: log the same user in twice within 30 s of a TestClock only after
 * advancing it). Returns the caller in whatever state sign-in ended.
 */
export async function loginAs(app: FastifyInstance, user: TestUser, clock: Clock = { now: () => new Date() }): Promise<Caller> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { tenant: user.tenant.tenant.code, login: user.login, password: user.password },
  });
  if (res.statusCode !== 200) throw new Error(`login of ${user.login} failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ state: string; csrfToken: string }>();
  const caller = callerFor(app, user.id, sessionCookie(res) as string, body.csrfToken, body.state);
  if (body.state !== 'totp_required' || !user.totpSecret) return caller;
  const verified = await caller.request('POST', '/api/v1/auth/totp/verify', { code: totpAt(user.totpSecret, clock.now()) });
  if (verified.statusCode !== 200) throw new Error(`TOTP of ${user.login} failed: ${verified.statusCode} ${verified.body}`);
  const v = verified.json<{ state: string; csrfToken: string }>();
  return callerFor(app, user.id, sessionCookie(verified) as string, v.csrfToken, v.state);
}

/** The tenant context of a signed-in person's current session, as their signing requests carry it. */
export async function signerContext(caller: Caller, tenantId: string, name: string): Promise<TenantContext> {
  const sessions = (await caller.request('GET', '/api/v1/auth/sessions')).json().items as Array<{ id: string; current: boolean }>;
  return {
    tenantId,
    actor: { kind: 'user', id: caller.userId, name },
    requestId: 'test-signing',
    sessionId: sessions.find((s) => s.current)?.id,
  };
}

/** Re-authenticates a signer through the installed verifier, as every signed step does. */
export function verifySigner(app: FastifyInstance, db: Database, ctx: TenantContext, password: string, totpCode?: string) {
  return withTenant(db, ctx, (tx) => {
    const verify = app.signerVerifier;
    if (!verify) throw new Error('no signer verifier installed');
    return verify(tx, ctx, { password, totpCode });
  });
}
