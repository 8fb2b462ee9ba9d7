import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerCaller, testApp } from '../../../test/app.js';
import { testDatabase } from '../../../test/db.js';
import { aPouchOrder, type OperationsWorld, operationsWorld } from '../../../test/operations.js';
import { type ProductionWorld, productionWorld } from '../../../test/production.js';
import type { Database } from '../../platform/db/index.js';
import { OPERATION_PERMISSIONS as OP, PRODUCTION_PERMISSIONS as P } from './index.js';

let db: Database;
let w: OperationsWorld;
let other: ProductionWorld;
let app: FastifyInstance;

beforeAll(async () => {
  db = await testDatabase();
  w = await operationsWorld(db);
  other = await productionWorld(db);
  app = await testApp(db, {
    callers: {
      operator: headerCaller(w, w.operator.user.id, 'Chen Jie', [P.read, OP.execute]),
      viewer: headerCaller(w, 'u-view', 'Ana Ruiz', [P.read]),
      outsider: headerCaller(other, 'u-out', 'Otto Fremd', [P.read, OP.execute]),
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { 'x-test-caller': who, ...headers },
    ...(payload === undefined ? {} : { payload }),
  });

describe('operation execution over HTTP', () => {
  it('clears the line, starts once however often the tap is repeated, and holds the operation on an out-of-limit value', async () => {
    const order = await w.tx((tx) => aPouchOrder(tx, w));
    const at = `/production/work-orders/${order.id}/operations/10`;
    expect((await call('operator', 'POST', `${at}/checks`, { kind: 'line_clearance', result: 'pass' })).statusCode).toBe(200);
    const tap = () =>
      call('operator', 'POST', `${at}/start`, { equipmentId: w.equipment.sealer }, { 'idempotency-key': `start-${order.id}` });
    const first = await tap();
    const replay = await tap();
    expect(first.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const running = (await call('viewer', 'GET', at)).json();
    expect(running).toMatchObject({ status: 'running', operator: { name: 'Chen Jie' } });
    expect(running.steps).toHaveLength(1);
    const queue = (await call('viewer', 'GET', `/production/operation-queue?workCenterId=${w.line}`)).json();
    expect(queue.items.filter((q: { workOrderId: string }) => q.workOrderId === order.id)).toMatchObject([
      { sequence: 10, status: 'running', ready: true },
      { sequence: 20, ready: false },
      { sequence: 30, ready: false },
    ]);
    const held = await call('operator', 'POST', `${at}/parameters`, { values: [{ position: 1, value: '0.7' }] });
    expect(held.statusCode).toBe(200);
    expect(held.json()).toMatchObject({ held: true, values: [{ withinLimits: false, source: 'web', deviceId: null }] });
    const refused = await call('operator', 'POST', `${at}/complete`, { goodQuantity: '10' });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('error.production.operation.held');
  });

  it('[P11.10d] refuses a caller without production:operation.execute (403); another tenant never sees the operation (404)', async () => {
    const order = await w.tx((tx) => aPouchOrder(tx, w));
    const at = `/production/work-orders/${order.id}/operations/10`;
    expect((await call('viewer', 'POST', `${at}/checks`, { kind: 'line_clearance', result: 'pass' })).statusCode).toBe(403);
    expect((await call('viewer', 'POST', `${at}/start`, {})).statusCode).toBe(403);
    expect((await call('viewer', 'POST', `${at}/parameters`, { values: [{ position: 1, value: '1' }] })).statusCode).toBe(403);
    expect((await call('outsider', 'GET', at)).statusCode).toBe(404);
    expect((await call('outsider', 'POST', `${at}/checks`, { kind: 'line_clearance', result: 'pass' })).statusCode).toBe(404);
    expect((await call('outsider', 'GET', `/production/operation-queue?workCenterId=${w.line}`)).statusCode).toBe(404);
    const untouched = (await call('viewer', 'GET', at)).json();
    expect(untouched).toMatchObject({ status: 'pending', checks: [], steps: [] });
  });
});
