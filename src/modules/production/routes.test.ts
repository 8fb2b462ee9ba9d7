import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerCaller, testApp } from '../../../test/app.js';
import { testDatabase } from '../../../test/db.js';
import { CAP_GTIN, type ProductionWorld, productionWorld, stockLot } from '../../../test/production.js';
import { addDays } from '../../platform/dates.js';
import type { Database } from '../../platform/db/index.js';
import { PRODUCTION_PERMISSIONS as P } from './index.js';

let db: Database;
let w: ProductionWorld;
let other: ProductionWorld;
let app: FastifyInstance;

beforeAll(async () => {
  db = await testDatabase();
  w = await productionWorld(db);
  other = await productionWorld(db);
  app = await testApp(db, {
    callers: {
      planner: headerCaller(w, 'u-plan', 'Li Na', [P.read, P.plan, P.release]),
      storekeeper: headerCaller(w, 'u-store', 'Wang Qiang', [P.read, P.issue]),
      viewer: headerCaller(w, 'u-view', 'Ana Ruiz', [P.read]),
      outsider: headerCaller(other, 'u-out', 'Otto Fremd', [P.read, P.plan, P.release, P.issue]),
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const call = (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { 'x-test-caller': who, ...headers },
    ...(payload === undefined ? {} : { payload }),
  });

const newOrder = (quantity = '7') => ({ itemRevisionId: w.device.revisionA, quantity, siteId: w.site.id, dueDate: addDays(w.today, 10) });

describe('production over HTTP', () => {
  it('creates, changes (If-Match), releases and lists a work order; a storekeeper issues by GS1 scan', async () => {
    const created = await call('planner', 'POST', '/production/work-orders', newOrder());
    expect(created.statusCode).toBe(201);
    const order = created.json();
    expect(order).toMatchObject({ status: 'draft', revision: 'A', quantity: '7', unit: 'ea' });
    expect((await call('planner', 'PATCH', `/production/work-orders/${order.id}`, { quantity: '8' })).statusCode).toBe(428);
    const changed = await call(
      'planner',
      'PATCH',
      `/production/work-orders/${order.id}`,
      { quantity: '10' },
      { 'if-match': created.headers.etag as string },
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json().quantity).toBe('10');
    const released = await call('planner', 'POST', `/production/work-orders/${order.id}/release`, {});
    expect(released.statusCode).toBe(200);
    expect(released.json().materials.map((m: { requiredQuantity: string }) => m.requiredQuantity)).toEqual(['15.3', '20.2', '10']);
    const caps = await w.tx((tx) => stockLot(tx, w, w.parts.cap, '30'));
    const issued = await call('storekeeper', 'POST', `/production/work-orders/${order.id}/issues`, {
      scan: `01${CAP_GTIN}10${caps.number}`,
      quantity: '20',
    });
    expect(issued.statusCode).toBe(200);
    expect(issued.json()).toMatchObject({ status: 'in_progress' });
    const detail = (await call('viewer', 'GET', `/production/work-orders/${order.id}`)).json();
    expect(detail.materials.find((m: { lineNo: number }) => m.lineNo === 20)).toMatchObject({ issuedQuantity: '20', openQuantity: '0.2' });
    expect(detail.operations).toHaveLength(2);
    // A repeated tap with the same Idempotency-Key gets the stored answer and issues nothing more.
    const tap = () =>
      call(
        'storekeeper',
        'POST',
        `/production/work-orders/${order.id}/issues`,
        { lotId: caps.id, quantity: '1', reason: 'spare' },
        {
          'idempotency-key': `tap-${order.id}`,
        },
      );
    const first = await tap();
    const replay = await tap();
    expect(first.statusCode).toBe(200);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const afterTaps = (await call('viewer', 'GET', `/production/work-orders/${order.id}`)).json();
    expect(afterTaps.materials.find((m: { lineNo: number }) => m.lineNo === 20).issuedQuantity).toBe('21');
    const list = (await call('viewer', 'GET', `/production/work-orders?status=in_progress&q=${order.number}`)).json();
    expect(list.items.map((o: { id: string }) => o.id)).toEqual([order.id]);
  });

  it('answers refusals as problems: 409 with the reason code, 422 for an over-issue without a reason, nothing changed', async () => {
    const order = (await call('planner', 'POST', '/production/work-orders', newOrder())).json();
    await call('planner', 'POST', `/production/work-orders/${order.id}/release`, {});
    const held = await w.tx((tx) => stockLot(tx, w, w.items.tubing, '50', { status: 'on_hold' }));
    const refused = await call('storekeeper', 'POST', `/production/work-orders/${order.id}/issues`, { scan: held.number, quantity: '1' });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('error.production.issue.lotOnHold');
    const tubing = await w.tx((tx) => stockLot(tx, w, w.items.tubing, '50'));
    const over = await call('storekeeper', 'POST', `/production/work-orders/${order.id}/issues`, { lotId: tubing.id, quantity: '11' });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('error.production.issue.overIssueReason');
    const after = (await call('viewer', 'GET', `/production/work-orders/${order.id}`)).json();
    expect(after.status).toBe('released');
    expect(after.movements).toEqual([]);
    const pastDue = await call('planner', 'POST', '/production/work-orders', { ...newOrder(), dueDate: addDays(w.today, -2) });
    expect(pastDue.statusCode).toBe(422);
    expect(pastDue.json().code).toBe('error.production.dueDatePast');
  });

  it('[P11.10d] refuses what the caller may not do (403), and another tenant never sees the order (404)', async () => {
    const order = (await call('planner', 'POST', '/production/work-orders', newOrder())).json();
    expect((await call('viewer', 'POST', '/production/work-orders', newOrder())).statusCode).toBe(403);
    expect((await call('storekeeper', 'POST', `/production/work-orders/${order.id}/release`, {})).statusCode).toBe(403);
    expect((await call('viewer', 'POST', `/production/work-orders/${order.id}/issues`, { scan: 'X', quantity: '1' })).statusCode).toBe(403);
    expect((await call('planner', 'POST', `/production/work-orders/${order.id}/issues`, { scan: 'X', quantity: '1' })).statusCode).toBe(
      403,
    );
    expect((await call('outsider', 'GET', `/production/work-orders/${order.id}`)).statusCode).toBe(404);
    expect((await call('outsider', 'POST', `/production/work-orders/${order.id}/release`, {})).statusCode).toBe(404);
    const theirs = (await call('outsider', 'GET', '/production/work-orders')).json();
    expect(theirs.items.map((o: { id: string }) => o.id)).not.toContain(order.id);
    expect((await call('viewer', 'GET', `/production/work-orders/${order.id}`)).json().status).toBe('draft');
  });
});
