import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../../test/db.js';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/index.js';
import { buildApp } from '../../http/app.js';
import { idempotent } from '../../http/idempotency.js';
import type { TenantContext } from '../../tenancy/index.js';
import { eventRoutes } from '../routes.js';
import { webhookRoutes } from './routes.js';

let db: Database;
let app: FastifyInstance;
let t: TestTenant;
let caller: TenantContext;
/** Lets a test hold the slow route's transaction open while a duplicate arrives. */
let gate: { entered: () => void; release: Promise<void> } | undefined;

const person = (id: string): TenantContext => ({ ...t.ctx, actor: { kind: 'user', id, name: `User ${id}` } });

beforeAll(async () => {
  db = await testDatabase();
  app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test' }),
    db,
    modules: [],
    platformRoutes: [
      webhookRoutes,
      eventRoutes,
      (api) => {
        api.post('/test/slow-receipts', { config: { permission: 'test:receive', idempotent: true } }, (request, reply) =>
          idempotent(request, reply, async (tx) => {
            gate?.entered();
            await gate?.release;
            const { rows } = await tx.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM webhook_subscriptions WHERE description = 'slow'",
            );
            await tx.query(
              "INSERT INTO webhook_subscriptions (id, url, description, event_types, secret_sealed) VALUES (mf_uuidv7(), 'http://x.test', 'slow', '{>}', 'x')",
            );
            return { status: 201, body: { before: rows[0]?.n } };
          }),
        );
      },
    ],
  });
  // The identity module's seam: here every request is the current test caller, with every permission.
  app.guard = async () => caller;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const body = { url: 'https://erp.example.com/hooks', events: ['inventory.lot.*'], description: 'ERP lots' };
const create = (key: string | undefined, payload: object = body) =>
  app.inject({ method: 'POST', url: '/api/v1/webhooks', payload, headers: key ? { 'idempotency-key': key } : {} });
const countSubscriptions = async () =>
  (await app.inject({ method: 'GET', url: '/api/v1/webhooks' })).json<{ items: unknown[] }>().items.length;

describe(`webhook routes with Idempotency-Key and If-Match (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('creates once per Idempotency-Key and replays the stored response to the same caller', async () => {
    t = await testTenant(db);
    caller = person('u1');
    const first = await create('create-erp-hook-1');
    expect(first.statusCode).toBe(201);
    expect(first.headers.etag).toBe('"v1"');
    const created = first.json<{ id: string; secret: string }>();
    expect(created.secret).toMatch(/^whsec_/);

    const again = await create('create-erp-hook-1', { description: 'ERP lots', events: ['inventory.lot.*'], url: body.url });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await countSubscriptions()).toBe(1);

    // Another person's key is theirs alone; without a key every POST creates.
    caller = person('u2');
    expect((await create('create-erp-hook-1')).json<{ id: string }>().id).not.toBe(created.id);
    expect((await create(undefined)).statusCode).toBe(201);
    expect(await countSubscriptions()).toBe(3);

    const stored = await db.query<{ sealed: string }>('SELECT response_sealed AS sealed FROM idempotency_keys WHERE tenant_id = $1', [
      t.tenant.id,
    ]);
    expect(stored.rows.every((r) => !r.sealed.includes(created.secret))).toBe(true);
  });

  it('refuses the same key for a different request with 422 and changes nothing', async () => {
    t = await testTenant(db);
    caller = person('u1');
    expect((await create('k-2')).statusCode).toBe(201);
    const other = await create('k-2', { ...body, url: 'https://mes.example.com/hooks' });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'error.idempotency.mismatch', status: 422 });
    expect(await countSubscriptions()).toBe(1);
  });

  it('stores nothing for a refused request, so the corrected request may reuse the key', async () => {
    t = await testTenant(db);
    caller = person('u1');
    const bad = await create('k-3', { ...body, url: 'ftp://erp.example.com/hooks' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'error.webhook.url' });
    expect(await countSubscriptions()).toBe(0);
    expect((await create('k-3')).statusCode).toBe(201);
    expect((await create('k-3', { ...body, extra: true })).statusCode).toBe(400);
  });

  it('answers a duplicate that arrives while the first is in flight without a second effect', async () => {
    t = await testTenant(db);
    caller = person('u1');
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    gate = { entered, release: new Promise((resolve) => (release = resolve)) };
    const send = () => app.inject({ method: 'POST', url: '/api/v1/test/slow-receipts', headers: { 'idempotency-key': 'slow-1' } });
    const first = send();
    await inside;
    gate = undefined;
    const duplicate = send();
    if (onPostgres) {
      // Another connection: the key's advisory lock is held, so the duplicate is refused at once.
      const refused = await duplicate;
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'error.idempotency.inFlight' });
      release();
      expect((await first).statusCode).toBe(201);
    } else {
      // One connection: the duplicate waits for the first to commit, then gets its stored response.
      release();
      const [a, b] = await Promise.all([first, duplicate]);
      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(201);
      expect(b.headers['idempotent-replayed']).toBe('true');
    }
    expect((await send()).json()).toEqual({ before: 0 });
    expect(await countSubscriptions()).toBe(1);
  });

  it('updates only with a current If-Match: 428 without, 412 when stale, new ETag when current', async () => {
    t = await testTenant(db);
    caller = person('u1');
    const { id } = (await create(undefined)).json<{ id: string }>();
    const url = `/api/v1/webhooks/${id}`;
    const read = await app.inject({ method: 'GET', url });
    expect(read.headers.etag).toBe('"v1"');

    const missing = await app.inject({ method: 'PATCH', url, payload: { active: false } });
    expect(missing.statusCode).toBe(428);
    expect(missing.json()).toMatchObject({ code: 'error.precondition.required' });

    const ok = await app.inject({ method: 'PATCH', url, payload: { active: false }, headers: { 'if-match': '"v1"' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"v2"');
    expect(ok.json()).toMatchObject({ active: false, version: 2 });

    // A second editor still holding v1 would overwrite the change: refused, record unchanged.
    const stale = await app.inject({ method: 'PATCH', url, payload: { description: 'mine' }, headers: { 'if-match': '"v1"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'error.precondition.stale' });
    expect((await app.inject({ method: 'GET', url })).json()).toMatchObject({ description: 'ERP lots', version: 2 });

    expect((await app.inject({ method: 'DELETE', url, headers: { 'if-match': '"v1"' } })).statusCode).toBe(412);
    expect((await app.inject({ method: 'DELETE', url, headers: { 'if-match': '"v2"' } })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
  });

  it("keeps one tenant's subscriptions and deliveries away from another", async () => {
    t = await testTenant(db);
    caller = person('u1');
    const { id } = (await create(undefined)).json<{ id: string }>();
    t = await testTenant(db);
    caller = person('u1');
    expect((await app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/webhooks/dead-letters' })).json()).toEqual({ items: [], nextCursor: null });
  });

  it('lists dead-lettered subscriber events and refuses to retry a delivery that does not exist', async () => {
    t = await testTenant(db);
    caller = person('u1');
    expect((await app.inject({ method: 'GET', url: '/api/v1/events/dead-letters' })).json()).toEqual({ items: [], nextCursor: null });
    const missing = await app.inject({ method: 'POST', url: `/api/v1/events/dead-letters/${t.tenant.id}/production.flagOrders/retry` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'error.events.deliveryNotFound' });
  });
});
