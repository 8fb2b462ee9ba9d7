import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import type { Database } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { identity } from '../identity/index.js';
import { traceBackward, verifyBalances } from '../inventory/index.js';
import { seedInventory } from '../inventory/seed.js';
import { seedMasterdata } from '../masterdata/seed.js';
import { deviceHistoryRecord, listWorkOrders, workOrderDetail, workOrderOutput } from './index.js';
import { seedProduction } from './seed.js';

let db: Database;
let t: TestTenant;
beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  const seed = { tenantId: t.tenant.id, siteId: t.site.id, notes: [] };
  await withTenant(db, t.ctx, async (tx) => {
    await identity.seedDemo!(tx, seed);
    await seedMasterdata(tx, seed);
    await seedInventory(tx, seed);
    await seedProduction(tx, seed);
  });
});
afterAll(() => db.close());

describe('production demo seed', () => {
  it('opens with a draft order for infusion sets and a line sub-assembly order in progress with tubing and drip chambers issued and a first batch reported', async () => {
    await withTenant(db, t.ctx, async (tx) => {
      const orders = (await listWorkOrders(tx, {})).items;
      expect(orders.map((o) => [o.itemCode, o.status, o.quantity]).sort()).toEqual([
        ['IS-200', 'draft', '500'],
        ['IS-200-SA', 'completed', '100'],
        ['IS-200-SA', 'in_progress', '200'],
      ]);
      const running = await workOrderDetail(tx, orders.find((o) => o.status === 'in_progress')!.id);
      const issued = Object.fromEntries(running.materials.map((m) => [m.componentCode, [m.requiredQuantity, m.issuedQuantity]]));
      // 200 × 150 cm × 1.02 = 306 m of tubing; 200 × 1 × 1.01 = 202 drip chambers.
      expect(issued['PVC-TUBE-3MM']).toEqual(['306', '306']);
      expect(issued['DRIP-CH-15']).toEqual(['202', '202']);
      expect(running.operations.map((o) => o.sequence)).toEqual([10, 20]);
      const output = await workOrderOutput(tx, running.id);
      expect(output).toMatchObject({ reported: '120', lotTotal: 1 });
      expect(output.lots[0]).toMatchObject({ kind: 'lot', status: 'quarantine', quantity: '120' });
      const madeFrom = await traceBackward(tx, output.lots[0]!.id);
      expect(new Set(madeFrom.lots.map((l) => l.itemCode))).toEqual(new Set(['PVC-TUBE-3MM', 'DRIP-CH-15']));
      expect((await verifyBalances(tx)).differences).toEqual([]);
    });
  });

  it('has a completed order run by the demo operator whose device history record waits only for review', async () => {
    await withTenant(db, t.ctx, async (tx) => {
      const done = (await listWorkOrders(tx, { status: 'completed' })).items[0]!;
      const dhr = await deviceHistoryRecord(tx, done.id);
      expect(dhr.blockers).toEqual([{ code: 'notReviewed', params: {} }]);
      expect(dhr.operations.map((o) => [o.sequence, o.operator?.name, o.equipment?.code ?? null, o.status])).toEqual([
        [10, 'Zhang Min', 'UV-BOND-01', 'completed'],
        [20, 'Zhang Min', null, 'completed'],
      ]);
      expect(dhr.materials.filter((m) => m.lots.length).map((m) => m.component.code)).toEqual(['PVC-TUBE-3MM', 'DRIP-CH-15']);
      expect(dhr.output.lots).toMatchObject([{ status: 'quarantine', quantity: '100' }]);
    });
  });
});
