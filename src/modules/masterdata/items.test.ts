import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { anItem, standardUnits, uniqueCode } from '../../../test/masterdata.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { convertQuantity, getItem, listItems, updateItem } from './items.js';
import { createSupplier, getSupplierApproval, isSupplierApprovedFor, listSupplierApprovals, setSupplierApproval } from './partners.js';

let db: Database;
let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  db = await testDatabase();
  a = await testTenant(db, 'Alpha Devices');
  b = await testTenant(db, 'Beta Devices');
  await withTenant(db, a.ctx, standardUnits);
  await withTenant(db, b.ctx, standardUnits);
});
afterAll(() => db.close());

const inA = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, a.ctx, fn);
const inB = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, b.ctx, fn);
const aSupplier = (tx: Tx) =>
  createSupplier(tx, { code: uniqueCode('SUP'), name: 'Moulder Ltd', addressLine1: 'Road 1', city: 'Ningbo', country: 'CN' });

describe('items', () => {
  it('accepts a GTIN only with a valid check digit, stores it as GTIN-14, and keeps it unique per tenant', async () => {
    const item = await inA((tx) => anItem(tx, { type: 'finished_device', gtin: '4006381333931' }));
    expect(item.gtin).toBe('04006381333931');
    await expect(inA((tx) => anItem(tx, { gtin: '4006381333932' }))).rejects.toMatchObject({
      status: 422,
      code: 'error.gtin.checkDigit',
      errors: [{ pointer: '/body/gtin' }],
    });
    await expect(inA((tx) => anItem(tx, { gtin: '04006381333931' }))).rejects.toMatchObject({
      status: 409,
      code: 'error.masterdata.item.gtinInUse',
      params: { item: item.code },
    });
    // The same trade item number may exist in another tenant (another company's catalogue).
    expect((await inB((tx) => anItem(tx, { gtin: '4006381333931' }))).gtin).toBe('04006381333931');
    expect((await inA((tx) => updateItem(tx, item.id, { gtin: null }))).gtin).toBeNull();
  });

  it('converts quantities exactly through global units and the item’s own pack size', async () => {
    const tubing = await inA((tx) => anItem(tx, { type: 'raw', baseUnit: 'm', conversions: [{ unit: 'carton', factor: '250' }] }));
    expect(await inA((tx) => convertQuantity(tx, tubing.id, '2', 'carton', 'cm'))).toBe('50000');
    expect(await inA((tx) => convertQuantity(tx, tubing.id, '1234.5', 'mm', 'm'))).toBe('1.2345');
    await expect(inA((tx) => convertQuantity(tx, tubing.id, '1', 'kg', 'm'))).rejects.toMatchObject({ status: 400 });
  });

  it('keeps one tenant’s master data invisible and untouchable to another', async () => {
    const secret = await inA((tx) => anItem(tx, { code: uniqueCode('SECRET'), name: 'Alpha secret part' }));
    await expect(inB((tx) => getItem(tx, secret.id))).rejects.toMatchObject({ status: 404 });
    expect((await inB((tx) => listItems(tx, { q: 'SECRET' }))).items).toEqual([]);
    await expect(inB((tx) => updateItem(tx, secret.id, { name: 'stolen' }))).rejects.toMatchObject({ status: 404 });
    const bSupplier = await inB(aSupplier);
    await expect(
      inB((tx) => setSupplierApproval(tx, bSupplier.id, secret.id, { status: 'approved', evidence: 'audit' })),
    ).rejects.toMatchObject({ status: 404 });
    expect((await inA((tx) => getItem(tx, secret.id))).name).toBe('Alpha secret part');
  });
});

describe('approved supplier list', () => {
  it('[Q.SUP] treats an expired, disqualified or missing approval as not approved', async () => {
    const { supplier, disqualified } = await inA(async (tx) => {
      const supplier = await aSupplier(tx);
      const [approved, conditional, disqualified, unlisted] = [await anItem(tx), await anItem(tx), await anItem(tx), await anItem(tx)];
      await setSupplierApproval(tx, supplier.id, approved.id, { status: 'approved', evidence: 'audit 2026-01', expiresOn: '2099-06-30' });
      await setSupplierApproval(tx, supplier.id, conditional.id, { status: 'conditional', evidence: 'first article only' });
      await setSupplierApproval(tx, supplier.id, disqualified.id, { status: 'disqualified', evidence: 'audit failed' });

      expect(await isSupplierApprovedFor(tx, supplier.id, approved.id, '2099-06-30')).toBe(true);
      expect(await isSupplierApprovedFor(tx, supplier.id, approved.id, '2099-07-01')).toBe(false);
      expect(await isSupplierApprovedFor(tx, supplier.id, conditional.id, '2099-07-01')).toBe(true);
      expect(await isSupplierApprovedFor(tx, supplier.id, disqualified.id, '2026-01-01')).toBe(false);
      expect(await isSupplierApprovedFor(tx, supplier.id, unlisted.id, '2026-01-01')).toBe(false);

      const onlyValid = await listSupplierApprovals(tx, { supplierId: supplier.id, approvedOn: '2099-07-01' });
      expect(onlyValid.items.map((x) => x.itemId)).toEqual([conditional.id]);
      expect((await getSupplierApproval(tx, supplier.id, approved.id)).approvedToday).toBe(true);

      await expect(
        setSupplierApproval(tx, supplier.id, unlisted.id, { status: 'approved', evidence: 'old audit', expiresOn: '2020-01-01' }),
      ).rejects.toMatchObject({ status: 422, code: 'error.masterdata.approval.expired' });
      return { supplier, disqualified };
    });
    // Re-qualification changes the entry, which needs a reason [A11.9]; the audit trail keeps the old status.
    const requalify = (tx: Tx) =>
      setSupplierApproval(tx, supplier.id, disqualified.id, { status: 'approved', evidence: 'CAPA closed, re-audit passed' });
    await expect(inA(requalify)).rejects.toThrow(/reason is required/);
    await withTenant(db, { ...a.ctx, reason: 'CAPA-2026-0007 closed, re-audit passed' }, requalify);
    expect(await inA((tx) => isSupplierApprovedFor(tx, supplier.id, disqualified.id, '2026-01-01'))).toBe(true);
  });
});
