import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import type { Database } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { explodeBom } from './bom-graph.js';
import { findItemByCode } from './items.js';
import { listLocations } from './locations.js';
import { isSupplierApprovedFor, listSupplierApprovals } from './partners.js';
import { listEquipment } from './resources.js';
import { getReleasedRevision, listItemRevisions } from './revisions.js';
import { seedMasterdata } from './seed.js';

let db: Database;
let t: TestTenant;
beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  await withTenant(db, t.ctx, (tx) => seedMasterdata(tx, { tenantId: t.tenant.id, siteId: t.site.id, notes: [] }));
});
afterAll(() => db.close());

describe('master data demo seed', () => {
  it('seeds a device maker whose data tells a consistent story', async () => {
    await withTenant(db, t.ctx, async (tx) => {
      const infusionSet = (await findItemByCode(tx, 'IS-200'))!;
      expect(infusionSet).toMatchObject({
        type: 'finished_device',
        tracking: 'lot',
        shelfLifeDays: 1095,
        gtin: expect.stringMatching(/^\d{14}$/),
      });
      const today = (await tx.query<{ d: string }>('SELECT current_date::text AS d')).rows[0]!.d;
      const explosion = await explodeBom(tx, (await getReleasedRevision(tx, infusionSet.id))!.id, '500', today);
      const totals = Object.fromEntries(explosion.totals.map((x) => [x.componentCode, x.quantity]));
      // 500 sets × 1.005 sub-assemblies × 150 cm × 1.02 scrap = 768.825 m of tubing; 500 × 0.02 = 10 cartons.
      expect(totals).toMatchObject({ 'IS-200-SA': '502.5', 'PVC-TUBE-3MM': '768.825', 'CTN-50': '10' });

      const thermometer = (await findItemByCode(tx, 'TH-300'))!;
      expect((await listItemRevisions(tx, thermometer.id)).map((r) => [r.revision, r.status])).toEqual([
        ['A', 'released'],
        ['B', 'in_review'],
      ]);

      const overdue = await listEquipment(tx, { calibrationOverdue: true });
      expect(overdue.items.map((e) => e.code)).toEqual(['LEAK-01']);

      const battery = (await findItemByCode(tx, 'BAT-CR2032'))!;
      const [batteryOffer] = (await listSupplierApprovals(tx, { itemId: battery.id })).items;
      expect(batteryOffer).toMatchObject({ status: 'disqualified', approvedToday: false });
      expect(await isSupplierApprovedFor(tx, batteryOffer!.supplierId, battery.id, today)).toBe(false);

      const kinds = (await listLocations(tx, { siteId: t.site.id })).items.map((l) => l.kind);
      expect(new Set(kinds)).toEqual(new Set(['quarantine', 'released', 'production', 'rejected', 'shipping']));
    });
  });
});
