import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SITE_TIME_ZONE, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { createApp } from '../../server.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { Forbidden } from '../errors.js';
import { buildApp, inTenant } from './app.js';

let db: Database;
let t: TestTenant;
let app: FastifyInstance;
const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:' });

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  app = await createApp(config, db, [
    {
      name: 'probe',
      permissions: [
        { name: 'probe:write', description: 'probe writes' },
        { name: 'probe:read', description: 'probe reads' },
      ],
      routes(api) {
        api.post('/probe/check-violation', { config: { permission: 'probe:write' } }, (request) =>
          inTenant(request, (tx) => tx.query("UPDATE sites SET time_zone = 'UTC', code = 'lower-case' WHERE true")),
        );
        api.get('/probe/crash', { config: { permission: 'probe:read' } }, () => {
          throw new Error('secret internals');
        });
      },
    },
  ]);
  // The guard is the identity module's seam: here it admits one caller of tenant t, with the
  // permissions a test names in a header.
  app.guard = async (request, permission) => {
    const held = String(request.headers['x-test-permissions'] ?? '').split(',');
    if (!held.includes(permission)) throw new Forbidden(`missing permission ${permission}`, { code: 'error.forbidden' });
    return t.ctx;
  };
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const as = (permissions: string) => ({ 'x-test-permissions': permissions });

describe('HTTP edge', () => {
  it('reports health with the database reachable and migrations current', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: 'ok', migrations: { pending: [] } });
  });

  it('answers an unknown route with a problem document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: 'urn:mediforge:problem:not-found', status: 404, instance: '/api/v1/nothing-here' });
  });

  it('[P11.10d] refuses a protected route without authentication (401) or without the permission (403)', async () => {
    const guard = app.guard;
    app.guard = null;
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/sites' });
    app.guard = guard;
    expect(anonymous.statusCode).toBe(401);
    const denied = await app.inject({ method: 'GET', url: '/api/v1/sites', headers: as('other:read') });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('error.forbidden');
  });

  it('validates input by schema, lists every bad field, and changes nothing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: as('admin:sites'),
      payload: { code: 'lower', name: '', extra: true },
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json();
    expect(problem.type).toBe('urn:mediforge:problem:validation');
    expect(problem.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/code',
      '/body/extra',
      '/body/name',
      '/body/timeZone',
    ]);
    const sites = await app.inject({ method: 'GET', url: '/api/v1/sites', headers: as('sites:read') });
    expect(sites.json().items).toHaveLength(1);
  });

  it('applies business rules after the schema: unknown time zone 422, duplicate code 409', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: as('admin:sites'),
      payload: { code: 'MX1', name: 'Tijuana', timeZone: 'America/Nowhere' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([{ pointer: '/timeZone', message: 'unknown time zone' }]);
    const dup = await app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: as('admin:sites'),
      payload: { code: 'P1', name: 'Again', timeZone: 'UTC' },
    });
    expect(dup.statusCode).toBe(409);
  });

  it('maps a database rule violation to 422 and rolls the whole request back', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/probe/check-violation', headers: as('probe:write') });
    expect(res.statusCode).toBe(422);
    const sites = await app.inject({ method: 'GET', url: '/api/v1/sites', headers: as('sites:read') });
    expect(sites.json().items[0].timeZone).toBe(TEST_SITE_TIME_ZONE);
  });

  it('hides internals of an unexpected failure behind a reference the operator can quote', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/probe/crash', headers: { ...as('probe:read'), 'x-request-id': 'req-42' } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.json().detail).toContain('req-42');
    expect(res.body).not.toContain('secret internals');
  });

  it('keeps every concurrent request whole on the embedded single-connection database', async () => {
    const codes = Array.from({ length: 40 }, (_, i) => `C${i}`);
    const responses = await Promise.all(
      codes.map((code, i) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/sites',
          headers: as('admin:sites'),
          payload: { code, name: `Cell ${i}`, timeZone: i % 5 === 0 ? 'Not/AZone' : 'Asia/Shanghai' },
        }),
      ),
    );
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(32);
    expect(responses.filter((r) => r.statusCode === 422)).toHaveLength(8);
    const sites = await app.inject({ method: 'GET', url: '/api/v1/sites', headers: as('sites:read') });
    const created = sites
      .json()
      .items.filter((s: { code: string }) => s.code.startsWith('C'))
      .map((s: { code: string }) => s.code);
    expect(created.sort()).toEqual(codes.filter((_, i) => i % 5 !== 0).sort());
  });

  it('publishes OpenAPI 3.1 for every route, a browsable UI and Prometheus metrics', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/api/v1/sites');
    expect(spec.paths['/api/v1/sites'].post.requestBody).toBeDefined();
    expect((await app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/mediforge_http_requests_total\{method="GET",route="\/api\/v1\/sites",status="200"\} \d+/);
    expect(metrics.body).toContain('mediforge_db_pool_total');
  });

  it('refuses to start when a route declares no permission (deny by default)', async () => {
    await expect(
      buildApp({
        config,
        db,
        modules: [{ name: 'careless', routes: (api) => void api.get('/open', async () => 'hello') }],
      }).then((a) => a.ready()),
    ).rejects.toThrow(/GET \/api\/v1\/open declares no permission/);
  });
});

describe('graceful shutdown', () => {
  it('stops accepting new requests but lets the one in flight finish', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = await buildApp({
      config,
      db,
      modules: [
        {
          name: 'slow',
          routes: (api) =>
            void api.get('/slow', { config: { public: true } }, async () => {
              await gate;
              return { finished: true };
            }),
        },
      ],
    });
    await slow.listen({ host: '127.0.0.1', port: 0 });
    const { port } = slow.server.address() as { port: number };
    const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const closing = slow.close();
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    await closing;
  });
});
