/**
 * People, sessions and signers for tests. Typical use in a module's test (the app from
 * test/app.ts):
 *
 *   const app = await testApp(db, { sessions: true, clock });
 *   const t = await testTenant(db);
 *   const qa = await loginAs(app, await createUser(db, t, { roles: ['QA Manager'] }), clock);
 *   const res = await qa.request('POST', '/api/v1/quality/ncrs', { … });   // cookie + CSRF sent
 *
 * Users are created directly through the identity service with a known password, no forced
 * change, and — when a role requires it — an enrolled TOTP seed, so `loginAs` ends in an
 * `active` session. Whoever signs is such a user: over HTTP they send
 * `signingCredentials(user, clock)`; in a service call they are a `createSigner`, signed in and
 * checked by the identity module's own verifier.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type Clock, unwrap } from '../src/modules/identity/context.js';
import { attemptLogin, verifySecondFactor } from '../src/modules/identity/login.js';
import { installStandardRoles, listRoles, type RoleAssignment, roleIdByName } from '../src/modules/identity/roles.js';
import { getSession } from '../src/modules/identity/sessions.js';
import { createSignerVerifier } from '../src/modules/identity/signing.js';
import { newTotpSecret, totpAt } from '../src/modules/identity/totp.js';
import { createUser as createUserInService } from '../src/modules/identity/users.js';
import { loadConfig } from '../src/platform/config.js';
import { secretBox } from '../src/platform/crypto.js';
import type { Database } from '../src/platform/db/index.js';
import type { SignerVerifier, SigningCredentials } from '../src/platform/esign/types.js';
import { type TenantContext, withTenant } from '../src/platform/tenancy/index.js';
import { composition, permissionCatalog } from '../src/server.js';
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

/** What the identity services need, as the identity module gives it to them. */
const identityEnv = (clock: Clock) => ({ catalog: permissionCatalog(composition), box: secretBox(testConfig), clock });

/**
 * A role of the tenant's own beside the standard ones, by name and grant patterns (`*` matches
 * any text), for a person the standard roles do not describe. Assign it by name in `createUser`.
 */
export async function createRole(db: Database, tenant: TestTenant, role: { name: string; grants: string[] }): Promise<void> {
  await withTenant(db, tenant.ctx, (tx) =>
    tx.query('INSERT INTO roles (name, description, grants) VALUES ($1, $2, $3)', [role.name, role.name, role.grants]),
  );
}

/** Creates a user in the tenant (standard roles installed on first use). */
export async function createUser(db: Database, tenant: TestTenant, spec: NewTestUser = {}): Promise<TestUser> {
  const login = spec.login ?? `user${++counter}.${process.pid}`;
  const password = spec.password ?? TEST_PASSWORD;
  const env = identityEnv({ now: () => new Date() });
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

/**
 * What a person types into the signing dialog: their password and their authenticator's code.
 * The clock first moves on one 30 s step, since a code counts once per person: the code is
 * fresh for a session's first signing (and for signing without a session, which asks for both
 * factors every time); later signings in a session need only the password and ignore it.
 */
export function signingCredentials(user: TestUser, clock: TestClock): SigningCredentials {
  clock.advance(30_000);
  return { password: user.password, ...(user.totpSecret ? { totpCode: totpAt(user.totpSecret, clock.now()) } : {}) };
}

/** A real person at the signing seam of a service call, signed in. */
export interface Signer {
  user: TestUser;
  /** The person's context on the tenant's site, in their session. */
  ctx: TenantContext;
  /** The verifier the identity module installs as `app.signerVerifier`: real password, TOTP, roles, lockout. */
  verifier: SignerVerifier;
  /** What the person types when signing (`signingCredentials` on the signer's clock). */
  credentials(): SigningCredentials;
}

/**
 * Creates a user (`createUser`) and signs them in through identity's sign-in steps (password,
 * then TOTP), as the login routes do: their signings are those of one session, so the first
 * asks for password and TOTP and the later ones (also within one service call, such as an
 * inspection decision that releases its lot) for the password alone.
 */
export async function createSigner(db: Database, tenant: TestTenant, spec: NewTestUser, clock = new TestClock()): Promise<Signer> {
  const user = await createUser(db, tenant, spec);
  const env = identityEnv(clock);
  const session = await withTenant(db, tenant.ctx, async (tx) => {
    const opened = unwrap(await attemptLogin(tx, env, tenant.tenant.id, { login: user.login, password: user.password }, {}));
    if (opened.state !== 'totp_required' || !user.totpSecret) return opened;
    const code = totpAt(user.totpSecret, clock.now());
    return unwrap(await verifySecondFactor(tx, env, tenant.tenant.id, await getSession(tx, opened.id), code, {}));
  });
  if (session.state !== 'active') throw new Error(`sign-in of ${user.login} ended in ${session.state}`);
  return {
    user,
    ctx: { ...tenant.ctx, actor: { kind: 'user', id: user.id, name: user.fullName }, sessionId: session.id },
    verifier: createSignerVerifier(db, env),
    credentials: () => signingCredentials(user, clock),
  };
}
