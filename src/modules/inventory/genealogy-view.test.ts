import type { FastifyInstance } from 'fastify';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { testDatabase } from '../../../test/db.js';
import { signedBy } from '../../../test/inventory.js';
import { aWorkOrder, type ProductionWorld, productionWorld, stockLot } from '../../../test/production.js';
import type { Database } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { createSupplier } from '../masterdata/partners.js';
import { issueMaterial, reportOutput, type WorkOrder } from '../production/index.js';
import { INVENTORY_PERMISSIONS as P, release, type TracedLot, traceInTreeOrder, transfer } from './index.js';
import { receiveIntoQuarantine } from './receipts.js';

let db: Database;
let w: ProductionWorld;
let app: FastifyInstance;
/** Seven devices made of a tubing lot received from a supplier and a cap lot taken over at go-live. */
let g: {
  order: WorkOrder;
  tubing: { id: string; number: string };
  caps: { id: string; number: string };
  device: { id: string; number: string };
};

beforeAll(async () => {
  db = await testDatabase();
  w = await productionWorld(db);
  const caller = (id: string, name: string, permissions: string[]) => ({
    tenantId: w.tenant.id,
    siteId: w.site.id,
    actor: { kind: 'user' as const, id, name },
    permissions,
  });
  app = await testApp(db, { callers: { engineer: caller('u-qe', 'Li Na', [P.read]), stranger: caller('u-x', 'Ana Ruiz', []) } });

  const received = await w.tx(async (tx) => {
    const supplier = await createSupplier(tx, {
      code: 'SUP-TUBE',
      name: 'Suzhou Tubing Co.',
      addressLine1: 'Park Road 1',
      city: 'Suzhou',
      country: 'CN',
    });
    const { lots } = await receiveIntoQuarantine(tx, {
      itemId: w.items.tubing,
      locationId: w.locations.quarantine,
      quantity: '20',
      supplierId: supplier.id,
      supplierLot: 'ST-26-118',
    });
    return lots[0]!;
  });
  await withTenant(db, w.qa.ctx, (tx) => release(tx, { lotId: received.id, signing: signedBy(w.qa) }));
  g = await w.tx(async (tx) => {
    await transfer(tx, {
      itemId: w.items.tubing,
      lotId: received.id,
      fromLocationId: w.locations.quarantine,
      toLocationId: w.locations.store,
      quantity: '20',
    });
    const caps = await stockLot(tx, w, w.parts.cap, '14');
    const order = await aWorkOrder(tx, w);
    await issueMaterial(tx, w.ctx, order.id, { lotId: received.id, quantity: '10' });
    await issueMaterial(tx, w.ctx, order.id, { lotId: caps.id, quantity: '14' });
    const device = (await reportOutput(tx, w.ctx, order.id, { quantity: '7' })).lots[0]!;
    return { order, tubing: received, caps, device };
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const get = (who: string, url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { 'x-test-caller': who } });
const csvRows = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));

describe('genealogy views and exports', () => {
  it('[Q.TRC] answers the work order number of each link and the supplier origin of a received lot', async () => {
    const backward = await get('engineer', `/inventory/lots/${g.device.id}/genealogy/backward`);
    expect(backward.statusCode, backward.body).toBe(200);
    const lots = backward.json().lots as TracedLot[];
    expect(lots.find((l) => l.lotId === g.tubing.id)).toMatchObject({
      depth: 1,
      viaLotId: g.device.id,
      workOrderNumber: g.order.number,
      supplier: { code: 'SUP-TUBE', name: 'Suzhou Tubing Co.' },
      supplierLot: 'ST-26-118',
    });
    const caps = lots.find((l) => l.lotId === g.caps.id)!;
    expect(caps.workOrderNumber).toBe(g.order.number);
    expect(caps).not.toHaveProperty('supplier');
    expect(caps).not.toHaveProperty('supplierLot');

    const forward = await get('engineer', `/inventory/lots/${g.tubing.id}/genealogy/forward`);
    expect(forward.json().lots).toEqual([
      expect.objectContaining({ lotId: g.device.id, number: g.device.number, workOrderNumber: g.order.number }),
    ]);
    expect((await get('engineer', `/inventory/lots/${g.device.id}/genealogy/forward`)).json()).toMatchObject({
      lots: [],
      truncated: false,
    });
  });

  it('[Q.TRC] exports a direction as CSV: translated headers, one row per traced lot with its origin', async () => {
    const res = await get('engineer', `/inventory/lots/${g.device.id}/genealogy/backward/csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="genealogy-backward-${g.device.number}.csv"`);
    const [header, ...rows] = csvRows(res.body);
    expect(header).toEqual([
      'Level',
      'Lot / serial',
      'Kind',
      'Item code',
      'Item name',
      'Status',
      'Reached through',
      'Work order',
      'Supplier',
      'Supplier lot',
    ]);
    expect(rows).toHaveLength(2);
    expect(rows).toContainEqual([
      '1',
      g.tubing.number,
      'Lot',
      'PVC-TUBE',
      'PVC-TUBE',
      'Released',
      g.device.number,
      g.order.number,
      'SUP-TUBE Suzhou Tubing Co.',
      'ST-26-118',
    ]);
    expect(rows.find((r) => r[1] === g.caps.number)!.slice(7)).toEqual([g.order.number, '', '']);

    const chinese = await get('engineer', `/inventory/lots/${g.device.id}/genealogy/backward/csv?lang=zh-CN`);
    expect(csvRows(chinese.body)[0]!.slice(0, 3)).toEqual(['层级', '批次/序列号', '类型']);
    expect(csvRows(chinese.body)[0]![9]).toBe('供应商批号');
    const limited = await get('engineer', `/inventory/lots/${g.device.id}/genealogy/backward/csv?limit=1`);
    expect(csvRows(limited.body)).toHaveLength(2);
  });

  it('[P11.10b] prints both directions in one PDF with the tree, work order and supplier origin', async () => {
    const res = await get('engineer', `/inventory/lots/${g.device.id}/genealogy/pdf?lang=en`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const text = (await extractText(new Uint8Array(res.rawPayload))).text.join(' ').replace(/\s+/g, ' ');
    for (const expected of [
      'Lot genealogy',
      g.device.number,
      'Where used (forward)',
      'This lot has not gone into any other lot.',
      'Made from (backward)',
      g.tubing.number,
      g.caps.number,
      g.order.number,
      'Suzhou Tubing Co.',
      'ST-26-118',
      'Content hash',
    ]) {
      expect(text).toContain(expected);
    }
    const chinese = await get('engineer', `/inventory/lots/${g.tubing.id}/genealogy/pdf?lang=zh-CN`);
    const zh = (await extractText(new Uint8Array(chinese.rawPayload))).text.join(' ').replace(/\s+/g, ' ');
    for (const expected of ['批次谱系', '去向（正向追溯）', g.device.number, '供应商批号', 'ST-26-118']) expect(zh).toContain(expected);
  });

  it('refuses a caller without the inventory read permission, an unknown lot and unbounded input, before reading', async () => {
    for (const url of [`/genealogy/backward/csv`, `/genealogy/pdf`]) {
      expect((await get('stranger', `/inventory/lots/${g.device.id}${url}`)).statusCode).toBe(403);
      expect((await get('engineer', `/inventory/lots/01900000-0000-7000-8000-000000000000${url}`)).statusCode).toBe(404);
    }
    for (const query of ['limit=0', 'limit=10001', 'maxDepth=51', 'lang=fr', 'format=xls']) {
      const res = await get('engineer', `/inventory/lots/${g.device.id}/genealogy/forward/csv?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});

describe('a trace as a tree', () => {
  const lot = (lotId: string, viaLotId: string, depth: number): TracedLot => ({
    lotId,
    viaLotId,
    depth,
    number: lotId,
    kind: 'lot',
    itemId: 'item',
    itemCode: 'I',
    itemName: 'Item',
    status: 'released',
    workOrderId: 'wo',
  });

  it('lists each lot followed by the lots reached through it, keeping the trace order among siblings', () => {
    // the trace answers nearest first: both first-level lots before their children
    const lots = [lot('A', 'S', 1), lot('B', 'S', 1), lot('A1', 'A', 2), lot('B1', 'B', 2), lot('A2', 'A', 2), lot('A11', 'A1', 3)];
    expect(traceInTreeOrder({ lotId: 'S', lots }).map((l) => l.lotId)).toEqual(['A', 'A1', 'A11', 'A2', 'B', 'B1']);
    expect(traceInTreeOrder({ lotId: 'S', lots: [] })).toEqual([]);
  });
});
