import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import type { Database } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { findItemByCode } from '../masterdata/index.js';
import { seedMasterdata } from '../masterdata/seed.js';
import { listLots, onHandByItem, suggestFefo, verifyBalances } from './index.js';
import { seedInventory } from './seed.js';

let db: Database;
let t: TestTenant;
beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  const seed = { tenantId: t.tenant.id, siteId: t.site.id, notes: [] };
  await withTenant(db, t.ctx, async (tx) => {
    await seedMasterdata(tx, seed);
    await seedInventory(tx, seed);
  });
});
afterAll(() => db.close());

describe('inventory demo seed', () => {
  it('opens with released stock in the stores, a held pouch lot and finished sets, balanced with the ledger', async () => {
    await withTenant(db, t.ctx, async (tx) => {
      const tubing = (await findItemByCode(tx, 'PVC-TUBE-3MM'))!;
      // First expiry first out: the tubing lot that expires within the month goes first.
      const fefo = await suggestFefo(tx, tubing.id, '500', t.site.id);
      expect(fefo.lines.map((l) => l.take)).toEqual(['420', '80']);
      expect(fefo.lines[0]!.expiresOn! < fefo.lines[1]!.expiresOn!).toBe(true);

      const held = await listLots(tx, { status: 'on_hold' });
      expect(held.items).toHaveLength(1);
      expect(held.items[0]).toMatchObject({ supplierLot: 'SSP-26-3318', onHand: '1500' });

      const sets = (await findItemByCode(tx, 'IS-200'))!;
      const totals = await onHandByItem(tx, { siteId: t.site.id, itemId: sets.id });
      expect(totals.items[0]).toMatchObject({ quantity: '850', available: '850' });
      expect((await verifyBalances(tx)).differences).toEqual([]);
    });
  });
});
