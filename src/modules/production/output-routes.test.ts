import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerCaller, testApp } from '../../../test/app.js';
import { testDatabase } from '../../../test/db.js';
import { aWorkOrder, type ProductionWorld, productionWorld, stockLot } from '../../../test/production.js';
import type { Database } from '../../platform/db/index.js';
import { sql } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { INVENTORY_PERMISSIONS } from '../inventory/index.js';
import { issueMaterial, PRODUCTION_PERMISSIONS as P } from './index.js';

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
      operator: headerCaller(w, 'u-op', 'Zhao Min', [P.read, P.output, INVENTORY_PERMISSIONS.read]),
      viewer: headerCaller(w, 'u-view', 'Ana Ruiz', [P.read]),
      outsider: headerCaller(other, 'u-out', 'Otto Fremd', [P.read, P.output, INVENTORY_PERMISSIONS.read]),
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url: `/api/v1${url}`, headers: { 'x-test-caller': who }, ...(payload === undefined ? {} : { payload }) });

const outputCount = (orderId: string) =>
  withTenant(
    db,
    w.ctx,
    async (tx) =>
      (await tx.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM work_order_outputs WHERE work_order_id = ${orderId}`)).rows[0]!.n,
  );

describe('output and genealogy over HTTP', () => {
  it('[P11.10d] reports output, lists it and traces the lots both ways; refuses callers without the permission or of another tenant', async () => {
    const { order, tubing } = await withTenant(db, w.ctx, async (tx) => {
      const created = await aWorkOrder(tx, w);
      const lot = await stockLot(tx, w, w.items.tubing, '20');
      await issueMaterial(tx, w.ctx, created.id, { lotId: lot.id, quantity: '10' });
      return { order: created, tubing: lot };
    });
    const denied = await call('viewer', 'POST', `/production/work-orders/${order.id}/output`, { quantity: '7' });
    expect(denied.statusCode).toBe(403);
    expect((await call('outsider', 'POST', `/production/work-orders/${order.id}/output`, { quantity: '7' })).statusCode).toBe(404);
    expect(await outputCount(order.id)).toBe(0);

    const over = await call('operator', 'POST', `/production/work-orders/${order.id}/output`, { quantity: '8' });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('error.production.output.overOutputReason');
    const fractional = await call('operator', 'POST', `/production/work-orders/${order.id}/output`, { quantity: '1.5' });
    expect(fractional.statusCode).toBe(422);
    expect(await outputCount(order.id)).toBe(0);

    const reported = await call('operator', 'POST', `/production/work-orders/${order.id}/output`, { quantity: '7' });
    expect(reported.statusCode).toBe(201);
    const produced = reported.json().lots[0];
    expect(produced).toMatchObject({ kind: 'lot', status: 'quarantine', quantity: '7' });
    const read = await call('viewer', 'GET', `/production/work-orders/${order.id}/output`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ reported: '7', lotTotal: 1, reports: [{ quantity: '7', createdBy: { name: 'Zhao Min' } }] });

    const forward = await call('operator', 'GET', `/inventory/lots/${tubing.id}/genealogy/forward`);
    expect(forward.statusCode).toBe(200);
    expect(forward.json().lots).toEqual([expect.objectContaining({ lotId: produced.id, depth: 1, workOrderId: order.id })]);
    const backward = await call('operator', 'GET', `/inventory/lots/${produced.id}/genealogy/backward?maxDepth=3`);
    expect(backward.json().lots).toEqual([expect.objectContaining({ lotId: tubing.id, depth: 1, number: tubing.number })]);
    expect((await call('viewer', 'GET', `/inventory/lots/${tubing.id}/genealogy/forward`)).statusCode).toBe(403);
    expect((await call('outsider', 'GET', `/inventory/lots/${tubing.id}/genealogy/forward`)).statusCode).toBe(404);
    expect((await call('outsider', 'GET', `/production/work-orders/${order.id}/output`)).statusCode).toBe(404);
  });
});
