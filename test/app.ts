import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/platform/config.js';
import type { Database } from '../src/platform/db/index.js';
import { Forbidden } from '../src/platform/errors.js';
import { uuidv7 } from '../src/platform/ids.js';
import type { Module } from '../src/platform/module.js';
import type { Actor, TenantContext } from '../src/platform/tenancy/index.js';
import { createApp } from '../src/server.js';

export interface Caller {
  tenantId: string;
  siteId?: string;
  actor: Actor;
  permissions: readonly string[];
}

/**
 * The HTTP app for route tests, with a request guard that admits the caller named by the
 * `x-test-caller` header from the given table. The real guard (sessions, tokens) belongs to
 * the identity module; routes see the same TenantContext either way.
 */
export async function testApp(db: Database, callers: Record<string, Caller>, modules?: Module[]): Promise<FastifyInstance> {
  const app = await createApp(loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:' }), db, modules);
  app.guard = async (request, permission): Promise<TenantContext> => {
    const caller = callers[String(request.headers['x-test-caller'])];
    if (!caller) throw new Forbidden('unknown test caller', { code: 'error.forbidden' });
    if (!caller.permissions.includes(permission)) {
      throw new Forbidden(`missing permission ${permission}`, { code: 'error.forbidden', params: { permission } });
    }
    return { tenantId: caller.tenantId, siteId: caller.siteId, actor: caller.actor, requestId: String(request.id ?? uuidv7()) };
  };
  await app.ready();
  return app;
}
