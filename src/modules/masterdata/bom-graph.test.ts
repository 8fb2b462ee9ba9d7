import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { createSigner, type Signer } from '../../../test/identity.js';
import { anItem, firstRevisionId, release, standardUnits, uniqueCode } from '../../../test/masterdata.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { getBom, getEffectiveBom, setBom } from './bom.js';
import { explodeBom, whereUsed } from './bom-graph.js';
import type { Item } from './items.js';
import { createNextRevision } from './revisions.js';

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
const line = (lineNo: number, component: Item, quantityPer: string, unit = 'ea', scrapFactor = '0') => ({
  lineNo,
  componentItemId: component.id,
  quantityPer,
  unit,
  scrapFactor,
});

/** device → sub-assembly → part → raw material, each revision A released with the given BOM. */
async function threeLevels(tx: Tx) {
  const raw = await anItem(tx, { code: uniqueCode('RAW'), type: 'raw', baseUnit: 'm' });
  const part = await anItem(tx, { code: uniqueCode('PART'), type: 'component' });
  const assembly = await anItem(tx, { code: uniqueCode('ASSY'), type: 'sub_assembly' });
  const device = await anItem(tx, { code: uniqueCode('DEV'), type: 'finished_device' });
  await setBom(tx, await firstRevisionId(tx, part.id), [line(10, raw, '12.5', 'cm', '0.04')]);
  await setBom(tx, await firstRevisionId(tx, assembly.id), [line(10, part, '3', 'ea', '0.02')]);
  await setBom(tx, await firstRevisionId(tx, device.id), [line(10, assembly, '2', 'ea', '0.005'), line(20, part, '1')]);
  for (const i of [raw, part, assembly, device]) await release(tx, qa, await firstRevisionId(tx, i.id));
  return { raw, part, assembly, device };
}

describe('BOM structure', () => {
  it('refuses a BOM that would make an item contain itself at any depth, and keeps the old BOM', async () => {
    const { a, c, cRev } = await inTenant(async (tx) => {
      const a = await anItem(tx, { type: 'sub_assembly' });
      const b = await anItem(tx, { type: 'sub_assembly' });
      const c = await anItem(tx, { type: 'sub_assembly' });
      const filler = await anItem(tx);
      await setBom(tx, await firstRevisionId(tx, a.id), [line(10, b, '1')]);
      await setBom(tx, await firstRevisionId(tx, b.id), [line(10, c, '1')]);
      const cRev = await firstRevisionId(tx, c.id);
      await setBom(tx, cRev, [line(10, filler, '1')]);
      return { a, c, cRev };
    });
    await expect(inTenant((tx) => setBom(tx, cRev, [line(10, a, '1')]))).rejects.toMatchObject({
      status: 409,
      code: 'error.masterdata.bom.cycle',
      params: { item: c.code, via: a.code },
    });
    await expect(inTenant((tx) => setBom(tx, cRev, [line(10, c, '1')]))).rejects.toMatchObject({ code: 'error.masterdata.bom.invalid' });
    expect(await inTenant((tx) => getBom(tx, cRev))).toHaveLength(1);
    expect(await inTenant((tx) => whereUsed(tx, a.id))).toEqual([]);
  });

  it('finds where an item is used over three levels, with the path up and each revision', async () => {
    await inTenant(async (tx) => {
      const { raw, part, assembly, device } = await threeLevels(tx);
      const rows = await whereUsed(tx, raw.id);
      expect(rows.map((r) => [r.level, r.itemCode, r.componentItemId, r.quantityPer, r.unit, r.revision, r.revisionStatus])).toEqual([
        [1, part.code, raw.id, '12.5', 'cm', 'A', 'released'],
        [2, assembly.code, part.id, '3', 'ea', 'A', 'released'],
        [2, device.code, part.id, '1', 'ea', 'A', 'released'],
        [3, device.code, assembly.id, '2', 'ea', 'A', 'released'],
      ]);
      // A new draft revision of the assembly is a second user of the part until it is released.
      const revB = await createNextRevision(tx, assembly.id, 'second source');
      expect((await whereUsed(tx, part.id)).filter((r) => r.itemId === assembly.id).map((r) => r.itemRevisionId)).toContain(revB.id);
    });
  });

  it('explodes over all levels with scrap, in exact decimals, converting into each base unit', async () => {
    await inTenant(async (tx) => {
      const { raw, part, assembly, device } = await threeLevels(tx);
      const today = (await tx.query<{ d: string }>('SELECT current_date::text AS d')).rows[0]!.d;
      const explosion = await explodeBom(tx, await firstRevisionId(tx, device.id), '1000', today);
      expect(explosion.lines.map((l) => [l.path, l.level, l.componentCode, l.quantity, l.baseUnit])).toEqual([
        // 1000 × 2 × 1.005
        ['10', 1, assembly.code, '2010', 'ea'],
        // 2010 × 3 × 1.02
        ['10.10', 2, part.code, '6150.6', 'ea'],
        // 6150.6 × 12.5 cm × 1.04 = 79957.8 cm = 799.578 m
        ['10.10.10', 3, raw.code, '799.578', 'm'],
        ['20', 1, part.code, '1000', 'ea'],
        // 1000 × 12.5 cm × 1.04 = 13000 cm
        ['20.10', 2, raw.code, '130', 'm'],
      ]);
      expect(explosion.totals.map((x) => [x.componentCode, x.quantity])).toEqual(
        [
          [assembly.code, '2010'],
          [part.code, '7150.6'],
          [raw.code, '929.578'],
        ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
    });
  });

  it('applies line effectivity: a line is in effect from its first day up to, not including, its end day', async () => {
    await inTenant(async (tx) => {
      const old = await anItem(tx);
      const replacement = await anItem(tx);
      const device = await anItem(tx, { type: 'finished_device' });
      const rev = await firstRevisionId(tx, device.id);
      await setBom(tx, rev, [
        { ...line(10, old, '1'), effectiveTo: '2026-07-01' },
        { ...line(11, replacement, '1'), effectiveFrom: '2026-07-01' },
      ]);
      expect((await getEffectiveBom(tx, rev, '2026-06-30')).map((l) => l.componentItemId)).toEqual([old.id]);
      expect((await getEffectiveBom(tx, rev, '2026-07-01')).map((l) => l.componentItemId)).toEqual([replacement.id]);
    });
  });
});
