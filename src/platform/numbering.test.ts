import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase, testTenant } from '../../test/db.js';
import type { Database } from './db/index.js';
import { nextNumber } from './numbering.js';
import { withTenant } from './tenancy/index.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

describe('per-tenant human numbering', () => {
  it('numbers per tenant, kind and the site-local year, zero-padded', async () => {
    const a = await testTenant(db);
    const b = await testTenant(db);
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: a.site.timeZone, year: 'numeric' }).format(new Date()));
    expect(await withTenant(db, a.ctx, (tx) => nextNumber(tx, 'WO'))).toBe(`WO-${year}-00001`);
    expect(await withTenant(db, a.ctx, (tx) => nextNumber(tx, 'WO'))).toBe(`WO-${year}-00002`);
    expect(await withTenant(db, a.ctx, (tx) => nextNumber(tx, 'NCR'))).toBe(`NCR-${year}-00001`);
    expect(await withTenant(db, b.ctx, (tx) => nextNumber(tx, 'WO'))).toBe(`WO-${year}-00001`);
  });

  it('leaves no gap when the numbering transaction rolls back', async () => {
    const t = await testTenant(db);
    await withTenant(db, t.ctx, (tx) => nextNumber(tx, 'CAPA'));
    await withTenant(db, t.ctx, async (tx) => {
      await nextNumber(tx, 'CAPA');
      throw new Error('cancelled');
    }).catch(() => undefined);
    expect(await withTenant(db, t.ctx, (tx) => nextNumber(tx, 'CAPA'))).toMatch(/-00002$/);
  });

  it(`hands out distinct, gap-free numbers to concurrent transactions (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, async () => {
    const t = await testTenant(db);
    const numbers = await Promise.all(
      Array.from({ length: 25 }, () =>
        withTenant(db, t.ctx, async (tx) => {
          const n = await nextNumber(tx, 'LOT');
          await new Promise((r) => setTimeout(r, 2));
          return Number(n.split('-')[2]);
        }),
      ),
    );
    expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });
});
