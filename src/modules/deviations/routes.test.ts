import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeaderCaller, testApp } from '../../../test/app.js';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { anItem, standardUnits } from '../../../test/masterdata.js';
import type { Database } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';

let db: Database;
let t: TestTenant;
let app: FastifyInstance;
let itemId: string;

const caller = (id: string, permissions: string[]): HeaderCaller => ({
  tenantId: t.tenant.id,
  siteId: t.site.id,
  actor: { kind: 'user', id, name: `Person ${id.slice(-2)}` },
  permissions,
});

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  itemId = await withTenant(db, t.ctx, async (tx) => {
    await standardUnits(tx);
    return (await anItem(tx, { code: 'SPIKE-VENT', name: 'Bottle spike', baseUnit: 'ea', tracking: 'lot' })).id;
  });
  app = await testApp(db, {
    callers: {
      qa: caller('0190f5a0-0000-7000-8000-000000000011', ['deviations:read', 'deviations:write', 'training:read', 'training:manage']),
      reader: caller('0190f5a0-0000-7000-8000-000000000012', ['documents:read']),
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { 'x-test-caller': who, 'idempotency-key': crypto.randomUUID() },
    ...(payload ? { payload } : {}),
  });

const body = (overrides: object = {}) => ({
  title: 'Vent membrane from the alternative converter',
  reason: 'Qualified grade on allocation',
  riskAssessment: 'Bacterial retention verified on 30 samples',
  itemId,
  maxQuantity: '2000',
  validFrom: '2026-12-01',
  validUntil: '2027-01-31',
  ...overrides,
});

const count = async () =>
  withTenant(db, t.ctx, async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM deviations')).rows[0]!.n);

describe('deviation and training routes', () => {
  it('[P11.10d] refuses the deviation list and the training matrix without their read permissions', async () => {
    expect((await call('reader', 'GET', '/deviations')).statusCode).toBe(403);
    expect((await call('reader', 'GET', '/training/matrix')).statusCode).toBe(403);
  });

  it('refuses bad input at once and creates nothing: control characters, unbounded text, a validity ending before it starts', async () => {
    const res = await call('qa', 'POST', '/deviations', body({ title: 'bad\u0007title', maxQuantity: '1e9' }));
    expect(res.statusCode).toBe(400);
    const dates = await call('qa', 'POST', '/deviations', body({ validUntil: '2026-11-30' }));
    expect(dates.statusCode).toBe(422);
    expect(dates.json()).toMatchObject({ code: 'error.deviations.validUntilBeforeFrom' });
    expect(await count()).toBe(0);
  });

  it('raises, lists, shows and cancels a deviation with a reason', async () => {
    const created = await call('qa', 'POST', '/deviations', body());
    expect(created.statusCode).toBe(201);
    const { id, number } = created.json() as { id: string; number: string };
    const list = (await call('qa', 'GET', '/deviations?q=membrane')).json() as { items: Array<{ id: string }> };
    expect(list.items.map((d) => d.id)).toContain(id);
    const detail = (await call('qa', 'GET', `/deviations/${id}`)).json();
    expect(detail).toMatchObject({ number, status: 'draft', uses: [], signatures: [], allowedTransitions: ['approved', 'cancelled'] });
    const cancelled = await call('qa', 'POST', `/deviations/${id}/transitions`, { to: 'cancelled', comment: 'Grade available again' });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', allowedTransitions: [] });
  });

  it('answers my training as a page and refuses a requirement naming neither role nor work center', async () => {
    expect((await call('qa', 'GET', '/training/my-tasks')).json()).toEqual({ items: [], nextCursor: null });
    const res = await call('qa', 'POST', '/training/requirements', { documentId: '0190f5a0-0000-7000-8000-000000000099' });
    expect(res.statusCode).toBe(400);
  });
});
