/**
 * The HTTP app for tests: every module over `db`, in one of two modes.
 *
 *   const app = await testApp(db, { sessions: true, clock });
 *   const qa = await loginAs(app, await createUser(db, t, { roles: ['QA Manager'] }), clock);
 *
 * - `{ sessions: true }`: the real identity guard. People are made with `createUser` and sign in
 *   with `loginAs` (test/identity.ts); their requests carry the session cookie, so roles,
 *   sign-in states, session rules and CSRF apply as in production.
 * - `{ callers }`: a request guard that admits the caller named by the `x-test-caller` header
 *   with the permissions listed, for route tests that do not care about signing in. Routes see
 *   the same TenantContext either way.
 *
 * In both modes signatures are checked by the identity module: whoever signs is a real user
 * (`createUser`, listed as a caller by their id) and sends their password and authenticator
 * code (`signingCredentials`). Pass a `TestClock` to move time instead of sleeping. Close the app
 * in afterAll.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../src/modules/identity/context.js';
import { identityModule } from '../src/modules/identity/index.js';
import type { Database } from '../src/platform/db/index.js';
import { Forbidden } from '../src/platform/errors.js';
import { uuidv7 } from '../src/platform/ids.js';
import type { Actor, TenantContext } from '../src/platform/tenancy/index.js';
import { composition, createApp } from '../src/server.js';
import type { TestTenant } from './db.js';
import { testConfig } from './identity.js';

/** A caller of the header-driven mode: who they are and the permissions the guard grants them. */
export interface HeaderCaller {
  tenantId: string;
  siteId?: string;
  actor: Actor;
  permissions: readonly string[];
}

/** A person of a test tenant (at its site) with exactly these permissions, for the header-driven mode. */
export const headerCaller = (
  world: Pick<TestTenant, 'tenant' | 'site'>,
  id: string,
  name: string,
  permissions: readonly string[],
): HeaderCaller => ({
  tenantId: world.tenant.id,
  siteId: world.site.id,
  actor: { kind: 'user', id, name },
  permissions,
});

export type TestAppOptions =
  | { sessions: true; clock?: Clock | undefined }
  | { callers: Record<string, HeaderCaller>; clock?: Clock | undefined };

export async function testApp(db: Database, options: TestAppOptions): Promise<FastifyInstance> {
  const { clock } = options;
  const withClock = composition.map((m) => (m.name === 'identity' ? identityModule(clock ? { clock } : {}) : m));
  const app = await createApp(testConfig, db, withClock);
  if ('callers' in options) {
    const { callers } = options;
    app.guard = async (request, permission): Promise<TenantContext> => {
      const caller = callers[String(request.headers['x-test-caller'])];
      if (!caller) throw new Forbidden('unknown test caller', { code: 'error.forbidden' });
      if (!caller.permissions.includes(permission)) {
        throw new Forbidden(`missing permission ${permission}`, { code: 'error.forbidden', params: { permission } });
      }
      return { tenantId: caller.tenantId, siteId: caller.siteId, actor: caller.actor, requestId: String(request.id ?? uuidv7()) };
    };
  }
  await app.ready();
  return app;
}
