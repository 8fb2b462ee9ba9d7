import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { createSigner, type Signer } from '../../../test/identity.js';
import { anItem, firstRevisionId, release, standardUnits, uniqueCode } from '../../../test/masterdata.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { createDocument } from '../documents/service.js';
import { getBom, setBom } from './bom.js';
import { listItems } from './items.js';
import { createLocation, listLocations } from './locations.js';
import { createCustomer, createSupplier, listCustomers, listSupplierApprovals, listSuppliers, setSupplierApproval } from './partners.js';
import { createEquipment, createWorkCenter, listEquipment, listWorkCenters } from './resources.js';
import { createNextRevision } from './revisions.js';
import { getRouting, setRouting } from './routing.js';

/** What the screens read from the lists: names beside ids, revision summaries, and the filters people use. */

let db: Database;
let t: TestTenant;
/** Releases revisions. */
let qa: Signer;
beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  await withTenant(db, t.ctx, standardUnits);
  qa = await createSigner(db, t, { roles: ['QA Manager'] });
});
afterAll(() => db.close());

const inTenant = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, t.ctx, fn);
const aWorkCenter = (tx: Tx, extra: { active?: boolean } = {}) =>
  createWorkCenter(tx, { code: uniqueCode('WC'), name: 'Clean-room assembly', siteId: t.site.id, capacityHoursPerDay: '8', ...extra });
const aSupplier = (tx: Tx, extra: { active?: boolean } = {}) =>
  createSupplier(tx, { code: uniqueCode('SUP'), name: 'Ningbo Moulding', addressLine1: 'Road 1', city: 'Ningbo', country: 'CN', ...extra });

describe('master data lists', () => {
  it('lists an item with its released and in-work revision, and finds it by part of its GTIN', async () => {
    await inTenant(async (tx) => {
      const device = await anItem(tx, { type: 'finished_device', gtin: '6941234599912' });
      await release(tx, qa, await firstRevisionId(tx, device.id));
      await createNextRevision(tx, device.id, 'new housing seal');
      const fresh = await anItem(tx);

      // A scanned GTIN-13 is found in the stored GTIN-14.
      const found = await listItems(tx, { q: '6941234599912' });
      expect(found.items).toMatchObject([
        { id: device.id, gtin: '06941234599912', releasedRevision: 'A', inWorkRevision: 'B', inWorkStatus: 'draft' },
      ]);
      expect((await listItems(tx, { q: fresh.code })).items).toMatchObject([
        { releasedRevision: null, inWorkRevision: 'A', inWorkStatus: 'draft' },
      ]);
    });
  });

  it('reads a BOM with each component’s code, name and base unit', async () => {
    await inTenant(async (tx) => {
      const device = await anItem(tx, { type: 'finished_device' });
      const tubing = await anItem(tx, { type: 'raw', baseUnit: 'm', name: 'PVC tubing 3 mm' });
      const rev = await firstRevisionId(tx, device.id);
      await setBom(tx, rev, [{ lineNo: 10, componentItemId: tubing.id, quantityPer: '150', unit: 'cm' }]);
      expect(await getBom(tx, rev)).toMatchObject([
        { lineNo: 10, componentCode: tubing.code, componentName: 'PVC tubing 3 mm', componentBaseUnit: 'm', unit: 'cm' },
      ]);
    });
  });

  it('reads a routing with its work center and the work instruction each operation names', async () => {
    await inTenant(async (tx) => {
      const device = await anItem(tx, { type: 'finished_device' });
      const wc = await aWorkCenter(tx);
      const wi = await createDocument(tx, t.ctx, { kind: 'work_instruction', title: 'Bond tubing to drip chamber', owner: 'Production' });
      const rev = await firstRevisionId(tx, device.id);
      await setRouting(tx, rev, [
        { sequence: 10, name: 'Bond', workCenterId: wc.id, workInstructionDocumentId: wi.id },
        { sequence: 20, name: 'Inspect', workCenterId: wc.id },
      ]);
      expect(await getRouting(tx, rev)).toMatchObject([
        {
          sequence: 10,
          workCenterCode: wc.code,
          workCenterName: 'Clean-room assembly',
          workInstruction: { number: wi.number, revision: 1, title: 'Bond tubing to drip chamber', status: 'draft' },
        },
        { sequence: 20, workInstruction: null },
      ]);
    });
  });

  it('filters equipment by status and calibration, naming the work center of each', async () => {
    await inTenant(async (tx) => {
      const wc = await aWorkCenter(tx);
      const sealer = await createEquipment(tx, { code: uniqueCode('SEAL'), name: 'Heat sealer', workCenterId: wc.id });
      const tester = await createEquipment(tx, {
        code: uniqueCode('LEAK'),
        name: 'Leak tester',
        workCenterId: wc.id,
        status: 'out_of_service',
        calibrationDue: '2020-01-31',
      });
      expect(sealer).toMatchObject({ workCenterCode: wc.code, workCenterName: 'Clean-room assembly' });
      const out = await listEquipment(tx, { workCenterId: wc.id, status: 'out_of_service' });
      expect(out.items.map((e) => e.id)).toEqual([tester.id]);
      expect((await listEquipment(tx, { workCenterId: wc.id, calibrationOverdue: true })).items).toMatchObject([
        { id: tester.id, calibrationOverdue: true, workCenterCode: wc.code },
      ]);
    });
  });

  it('names the supplier and the item on every approved supplier list entry, and filters by status', async () => {
    await inTenant(async (tx) => {
      const supplier = await aSupplier(tx);
      const clamp = await anItem(tx, { name: 'Roller clamp' });
      const spike = await anItem(tx, { name: 'Bottle spike' });
      await setSupplierApproval(tx, supplier.id, clamp.id, { status: 'approved', evidence: 'audit 2026-01' });
      await setSupplierApproval(tx, supplier.id, spike.id, { status: 'conditional', evidence: 'first article passed' });
      const conditional = await listSupplierApprovals(tx, { supplierId: supplier.id, status: 'conditional' });
      expect(conditional.items).toMatchObject([
        { itemId: spike.id, itemCode: spike.code, itemName: 'Bottle spike', supplierCode: supplier.code, supplierName: 'Ningbo Moulding' },
      ]);
      expect((await listSupplierApprovals(tx, { itemId: clamp.id })).items.map((a) => a.status)).toEqual(['approved']);
    });
  });

  it('leaves inactive suppliers, customers, work centers and locations out when asked for active ones', async () => {
    await inTenant(async (tx) => {
      const retired = await aSupplier(tx, { active: false });
      const current = await aSupplier(tx);
      const q = 'Ningbo';
      const activeSuppliers = (await listSuppliers(tx, { q, active: true, limit: 200 })).items.map((s) => s.id);
      expect(activeSuppliers).toContain(current.id);
      expect(activeSuppliers).not.toContain(retired.id);
      expect((await listSuppliers(tx, { q, active: false, limit: 200 })).items.map((s) => s.id)).toContain(retired.id);

      const customer = await createCustomer(tx, { code: uniqueCode('CUST'), name: 'Closed hospital', active: false });
      expect((await listCustomers(tx, { q: customer.code, active: true })).items).toEqual([]);
      expect((await listCustomers(tx, { q: customer.code, active: false })).items.map((c) => c.id)).toEqual([customer.id]);

      const oldLine = await aWorkCenter(tx, { active: false });
      expect((await listWorkCenters(tx, { q: oldLine.code, active: true })).items).toEqual([]);
      expect((await listWorkCenters(tx, { q: oldLine.code })).items.map((w) => w.id)).toEqual([oldLine.id]);

      const cage = await createLocation(tx, {
        siteId: t.site.id,
        warehouse: 'WH9',
        zone: 'OLD',
        name: 'Old cage',
        kind: 'rejected',
        active: false,
      });
      expect((await listLocations(tx, { siteId: t.site.id, q: 'WH9', active: true })).items).toEqual([]);
      expect((await listLocations(tx, { siteId: t.site.id, q: 'WH9', active: false })).items.map((l) => l.id)).toEqual([cage.id]);
    });
  });
});
