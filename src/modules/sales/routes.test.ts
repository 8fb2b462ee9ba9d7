import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { testDatabase } from '../../../test/db.js';
import { inTx, releasedSerials, type SalesWorld, salesWorld } from '../../../test/sales.js';
import { addDays } from '../../platform/dates.js';
import type { Database } from '../../platform/db/index.js';
import { SALES_PERMISSIONS as P } from './index.js';

let db: Database;
let w: SalesWorld;
let app: FastifyInstance;

beforeAll(async () => {
  db = await testDatabase();
  w = await salesWorld(db);
  const caller = (id: string, name: string, permissions: string[]) => ({
    tenantId: w.tenant.id,
    siteId: w.site.id,
    actor: { kind: 'user' as const, id, name },
    permissions,
  });
  app = await testApp(db, {
    callers: {
      desk: caller('u-desk', 'Zhao Lei', [P.read, P.order, P.licence]),
      picker: caller('u-pick', 'Wang Qiang', [P.read, P.ship]),
      viewer: caller('u-view', 'Ana Ruiz', [P.read]),
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const call = (who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
  app.inject({ method, url: `/api/v1${url}`, headers: { 'x-test-caller': who }, ...(payload === undefined ? {} : { payload }) });

const newOrder = (quantity = '2') => ({
  customerId: w.customers.distributor.id,
  shipToId: w.customers.distributor.shipTo,
  siteId: w.site.id,
  currency: 'CNY',
  lines: [{ itemId: w.devices.pump, quantity, unitPrice: '1200.00', requestedDate: addDays(w.today, 3) }],
});

describe('sales over HTTP', () => {
  it('creates, confirms, picks by scan and ships an order; the sales record is found by serial', async () => {
    await inTx(db, w, (tx) => releasedSerials(tx, w, ['HTTP-1', 'HTTP-2']));
    const created = await call('desk', 'POST', '/sales/orders', newOrder());
    expect(created.statusCode).toBe(201);
    const order = created.json();
    expect((await call('desk', 'POST', `/sales/orders/${order.id}/confirm`, {})).json().status).toBe('confirmed');
    const scans = [];
    for (const scan of ['(01)09506000134352(21)HTTP-1', 'HTTP-2']) {
      const res = await call('picker', 'POST', `/sales/orders/${order.id}/scan`, { scan });
      expect(res.statusCode).toBe(200);
      scans.push(res.json());
    }
    const shipped = await call('picker', 'POST', '/sales/shipments', {
      orderId: order.id,
      lines: [{ lineNo: 1, lots: scans.map((s) => ({ lotId: s.lotId, quantity: s.quantity })) }],
    });
    expect(shipped.statusCode).toBe(201);
    const doc = (await call('viewer', 'GET', `/sales/shipments/${shipped.json().id}`)).json();
    expect(doc.lines[0].lots.map((l: { number: string }) => l.number).sort()).toEqual(['HTTP-1', 'HTTP-2']);
    const records = (await call('viewer', 'GET', '/sales/records?lot=HTTP-1')).json();
    expect(records.items).toHaveLength(1);
    const detail = await call('viewer', 'GET', `/sales/orders/${order.id}`);
    expect(detail.json()).toMatchObject({ status: 'shipped', shipments: [{ lotCount: 2 }] });
  });

  it('[P11.10d] refuses callers without the permission', async () => {
    expect((await call('viewer', 'POST', '/sales/orders', newOrder())).statusCode).toBe(403);
    expect((await call('desk', 'POST', '/sales/shipments', { orderId: w.customers.distributor.id, lines: [] })).statusCode).toBe(403);
    expect((await call('picker', 'PUT', `/sales/customers/${w.customers.hospital.id}/terms`, { licenceRequired: false })).statusCode).toBe(
      403,
    );
  });

  it('refuses bad input with every field error and writes nothing', async () => {
    const before = (await call('viewer', 'GET', '/sales/orders')).json().items.length;
    const bad = await call('desk', 'POST', '/sales/orders', {
      ...newOrder(),
      currency: 'cny',
      customerReference: 'PO\u0007',
      lines: [{ itemId: w.devices.pump, quantity: 'many', unitPrice: '1', requestedDate: 'tomorrow' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.length).toBeGreaterThanOrEqual(3);
    const fraction = await call('desk', 'POST', '/sales/orders', newOrder('1.5'));
    expect(fraction.statusCode).toBe(422);
    expect((await call('viewer', 'GET', '/sales/orders')).json().items.length).toBe(before);
  });

  it('answers a licence refusal as a 409 problem naming the reason', async () => {
    const created = (
      await call('desk', 'POST', '/sales/orders', {
        ...newOrder(),
        customerId: w.customers.hospital.id,
        shipToId: w.customers.hospital.shipTo,
      })
    ).json();
    const res = await call('desk', 'POST', `/sales/orders/${created.id}/confirm`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('error.sales.licence.missing');
    expect((await call('viewer', 'GET', `/sales/customers/${w.customers.hospital.id}/licences`)).json().licenceRequired).toBe(true);
  });

  it('lists late orders and on-time delivery', async () => {
    expect((await call('viewer', 'GET', '/sales/orders?late=true')).statusCode).toBe(200);
    const kpi = await call('viewer', 'GET', `/sales/kpi/on-time-delivery?from=${addDays(w.today, -31)}&to=${addDays(w.today, 31)}`);
    expect(kpi.statusCode).toBe(200);
    expect(kpi.json()[0].onTime).toBe(1);
  });
});
