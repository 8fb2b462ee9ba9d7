import type { FastifyInstance } from 'fastify';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { testDatabase, testTenant } from '../../../test/db.js';
import { createUser, signingCredentials, TestClock, type TestUser } from '../../../test/identity.js';
import { confirmedOrder, inTx, releasedSerials, type SalesWorld, salesWorld, setLot } from '../../../test/sales.js';
import { shipOrder } from '../../flows/ship-order.js';
import type { Database } from '../../platform/db/index.js';
import { NONCONFORMANCE_PERMISSIONS } from '../nonconformance/index.js';
import { SALES_PERMISSIONS as P } from './index.js';

let db: Database;
let w: SalesWorld;
let app: FastifyInstance;
let qa: TestUser;
const clock = new TestClock();
let stranger: string;

beforeAll(async () => {
  db = await testDatabase();
  w = await salesWorld(db);
  qa = await createUser(db, w, { roles: ['QA Manager'], fullName: 'Wang Fang' });
  const other = await testTenant(db, 'Other Devices');
  stranger = other.tenant.id;
  const caller = (tenantId: string, id: string, name: string, permissions: string[]) => ({
    tenantId,
    siteId: tenantId === w.tenant.id ? w.site.id : other.site.id,
    actor: { kind: 'user' as const, id, name },
    permissions,
  });
  app = await testApp(db, {
    clock,
    callers: {
      desk: caller(w.tenant.id, 'u-desk', 'Zhao Lei', [P.read, P.returnAuthorise]),
      dock: caller(w.tenant.id, 'u-dock', 'Chen Jing', [P.read, P.returnReceive]),
      viewer: caller(w.tenant.id, 'u-view', 'Ana Ruiz', [P.read, NONCONFORMANCE_PERMISSIONS.read]),
      [qa.id]: caller(w.tenant.id, qa.id, qa.fullName, [P.read, P.signReturnDisposition]),
      stranger: caller(stranger, 'u-other', 'Someone Else', [P.read, P.returnAuthorise, P.returnReceive, P.signReturnDisposition]),
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url: `/api/v1${url}`, headers: { 'x-test-caller': who }, ...(payload === undefined ? {} : { payload }) });

async function shipped(serial: string) {
  return inTx(db, w, async (tx) => {
    const lot = await setLot(tx, w, '10');
    const [pump] = await releasedSerials(tx, w, [serial]);
    const order = await confirmedOrder(tx, w, [
      { itemId: w.devices.set, quantity: '10' },
      { itemId: w.devices.pump, quantity: '1' },
    ]);
    const shipment = await shipOrder(tx, w.ctx, {
      orderId: order.id,
      lines: [
        { lineNo: 1, lots: [{ lotId: lot.id, quantity: '10' }] },
        { lineNo: 2, lots: [{ lotId: pump!.id, quantity: '1' }] },
      ],
    });
    return { shipmentId: shipment.id, lotId: lot.id, serialId: pump!.id };
  });
}

describe('customer returns over HTTP', () => {
  it('[Q.TRC] authorises, receives, dispositions by signature and closes a return; the shipment and the NCR link to it', async () => {
    const s = await shipped('HTTP-RMA-1');
    const returnable = (await call('viewer', 'GET', `/sales/shipments/${s.shipmentId}/returnable`)).json();
    expect(returnable.map((r: { returnable: string }) => r.returnable)).toEqual(['10', '1']);
    const created = await call('desk', 'POST', '/sales/returns', {
      shipmentId: s.shipmentId,
      reason: 'Pump alarms at start-up; two sets with torn pouches',
      lines: [
        { shipmentLineNo: 1, lotId: s.lotId, quantity: '2' },
        { shipmentLineNo: 2, lotId: s.serialId, quantity: '1' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const ret = created.json();
    expect(ret).toMatchObject({ status: 'authorised', allowedTransitions: ['partially_received', 'received', 'cancelled'] });

    const received = await call('dock', 'POST', `/sales/returns/${ret.id}/receive`, {
      locationId: w.locations.quarantine,
      lines: [
        { lotId: s.lotId, quantity: '2' },
        { lotId: s.serialId, quantity: '1' },
      ],
    });
    expect(received.statusCode).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received', receivedQuantity: '3' });

    const noLocation = await call(qa.id, 'POST', `/sales/returns/${ret.id}/dispositions`, {
      lines: [{ lineNo: 1, kind: 'restock', quantity: '2' }],
      justification: 'Pouches intact',
      ...signingCredentials(qa, clock),
    });
    expect(noLocation.statusCode).toBe(422);
    expect(noLocation.json()).toMatchObject({
      code: 'error.sales.return.locationRequired',
      errors: [{ pointer: '/body/lines/0/locationId' }],
    });

    const decided = await call(qa.id, 'POST', `/sales/returns/${ret.id}/dispositions`, {
      lines: [
        { lineNo: 1, kind: 'restock', quantity: '2', locationId: w.locations.store },
        { lineNo: 2, kind: 'ncr', quantity: '1' },
      ],
      defectClass: 'major',
      justification: 'Sets fine after inspection; pump to investigation',
      ...signingCredentials(qa, clock),
    });
    expect(decided.statusCode).toBe(200);
    const record = decided.json();
    expect(record.status).toBe('dispositioned');
    expect(record.signatures.map((x: { meaning: string }) => x.meaning).sort()).toEqual(['approved', 'released']);
    expect(record.signatures[0].manifestation.text).toContain('Wang Fang');
    const ncrId = record.dispositions[1].nonconformanceId;
    const ncr = (await call('viewer', 'GET', `/nonconformance/ncrs/${ncrId}`)).json();
    expect(ncr).toMatchObject({ source: 'customer_return', customerReturn: { id: ret.id, code: ret.number } });

    expect((await call('desk', 'POST', `/sales/returns/${ret.id}/close`, {})).json().status).toBe('closed');
    const shipment = (await call('viewer', 'GET', `/sales/shipments/${s.shipmentId}`)).json();
    expect(shipment.returns).toMatchObject([{ id: ret.id, number: ret.number, status: 'closed' }]);
    const listed = (await call('viewer', 'GET', `/sales/returns?q=HTTP-RMA-1`)).json();
    expect(listed.items.map((r: { id: string }) => r.id)).toEqual([ret.id]);
    const refused = await call('dock', 'POST', `/sales/returns/${ret.id}/receive`, {
      locationId: w.locations.quarantine,
      lines: [{ lotId: s.lotId, quantity: '1' }],
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('error.sales.return.notReceivable');
  });

  it('[P11.10b] prints the return as a PDF with its lines, dispositions and signatures', async () => {
    const s = await shipped('HTTP-RMA-2');
    const ret = (
      await call('desk', 'POST', '/sales/returns', {
        shipmentId: s.shipmentId,
        reason: 'Wrong item ordered',
        lines: [{ shipmentLineNo: 1, lotId: s.lotId, quantity: '3' }],
      })
    ).json();
    await call('dock', 'POST', `/sales/returns/${ret.id}/receive`, {
      locationId: w.locations.quarantine,
      lines: [{ lotId: s.lotId, quantity: '3' }],
    });
    await call(qa.id, 'POST', `/sales/returns/${ret.id}/dispositions`, {
      lines: [{ lineNo: 1, kind: 'scrap', quantity: '3' }],
      justification: 'Opened sterile packs cannot go back to stock',
      ...signingCredentials(qa, clock),
    });
    const res = await call('viewer', 'GET', `/sales/returns/${ret.id}/pdf?lang=en`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = (await extractText(new Uint8Array(res.rawPayload))).text.join('\n');
    expect(text).toContain(ret.number);
    expect(text).toContain('Opened sterile packs cannot go back to stock');
    expect(text).toContain('Wang Fang');
    expect(text).toContain('Scrap');
  });

  it('[P11.10d] refuses callers without the permission of the step', async () => {
    const s = await shipped('HTTP-RMA-3');
    const body = { shipmentId: s.shipmentId, reason: 'Damaged', lines: [{ shipmentLineNo: 2, lotId: s.serialId, quantity: '1' }] };
    expect((await call('viewer', 'POST', '/sales/returns', body)).statusCode).toBe(403);
    expect((await call('dock', 'POST', '/sales/returns', body)).statusCode).toBe(403);
    const ret = (await call('desk', 'POST', '/sales/returns', body)).json();
    const receipt = { locationId: w.locations.quarantine, lines: [{ lotId: s.serialId, quantity: '1' }] };
    expect((await call('desk', 'POST', `/sales/returns/${ret.id}/receive`, receipt)).statusCode).toBe(403);
    expect((await call('dock', 'POST', `/sales/returns/${ret.id}/receive`, receipt)).statusCode).toBe(200);
    const disposition = {
      lines: [{ lineNo: 1, kind: 'scrap', quantity: '1' }],
      justification: 'x',
      password: 'irrelevant',
    };
    expect((await call('dock', 'POST', `/sales/returns/${ret.id}/dispositions`, disposition)).statusCode).toBe(403);
    expect((await call('dock', 'POST', `/sales/returns/${ret.id}/cancel`, { reason: 'x' })).statusCode).toBe(403);
  });

  it('[P11.10d] keeps another tenant from seeing or acting on a return', async () => {
    const s = await shipped('HTTP-RMA-4');
    const ret = (
      await call('desk', 'POST', '/sales/returns', {
        shipmentId: s.shipmentId,
        reason: 'Damaged',
        lines: [{ shipmentLineNo: 2, lotId: s.serialId, quantity: '1' }],
      })
    ).json();
    expect((await call('stranger', 'GET', `/sales/returns/${ret.id}`)).statusCode).toBe(404);
    expect((await call('stranger', 'GET', `/sales/returns/${ret.id}/pdf`)).statusCode).toBe(404);
    expect((await call('stranger', 'GET', '/sales/returns')).json().items).toEqual([]);
    expect(
      (
        await call('stranger', 'POST', `/sales/returns/${ret.id}/receive`, {
          locationId: w.locations.quarantine,
          lines: [{ lotId: s.serialId, quantity: '1' }],
        })
      ).statusCode,
    ).toBe(404);
    expect((await call('stranger', 'POST', `/sales/returns/${ret.id}/cancel`, { reason: 'not mine' })).statusCode).toBe(404);
    expect(
      (
        await call('stranger', 'POST', '/sales/returns', {
          shipmentId: s.shipmentId,
          reason: 'x',
          lines: [{ shipmentLineNo: 2, lotId: s.serialId, quantity: '1' }],
        })
      ).statusCode,
    ).toBe(404);
    expect((await call('viewer', 'GET', `/sales/returns/${ret.id}`)).json().status).toBe('authorised');
  });
});
