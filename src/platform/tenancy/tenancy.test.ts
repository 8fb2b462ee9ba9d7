import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import type { Database } from '../db/index.js';
import { withTenant } from './context.js';
import { createSite, listSites } from './service.js';

let db: Database;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  db = await testDatabase();
  a = await testTenant(db, 'Alpha Devices');
  b = await testTenant(db, 'Beta Devices');
});
afterAll(() => db.close());

describe(`tenant isolation by row-level security (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('shows nothing without a tenant context, even to a query with no WHERE clause', async () => {
    const rows = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE mediforge_app');
      return (await tx.query('SELECT * FROM sites')).rows;
    });
    expect(rows).toEqual([]);
  });

  it('lets a tenant see only its own sites and tenant row', async () => {
    const sites = await withTenant(db, a.ctx, (tx) => listSites(tx));
    expect(sites.map((s) => s.id)).toEqual([a.site.id]);
    const tenants = await withTenant(db, a.ctx, async (tx) => (await tx.query<{ id: string }>('SELECT id FROM tenants')).rows);
    expect(tenants).toEqual([{ id: a.tenant.id }]);
  });

  it("cannot read, update or delete another tenant's row by its crafted id", async () => {
    await withTenant(db, a.ctx, async (tx) => {
      expect((await tx.query('SELECT * FROM sites WHERE id = $1', [b.site.id])).rowCount).toBe(0);
      expect((await tx.query("UPDATE sites SET name = 'stolen' WHERE id = $1", [b.site.id])).rowCount).toBe(0);
    });
    await expect(withTenant(db, a.ctx, (tx) => tx.query('DELETE FROM sites WHERE id = $1', [b.site.id]))).rejects.toThrow(
      /permission denied/,
    );
    const bSites = await withTenant(db, b.ctx, (tx) => listSites(tx));
    expect(bSites[0]?.name).toBe('Plant 1');
  });

  it('cannot insert a row into another tenant', async () => {
    await expect(
      withTenant(db, a.ctx, (tx) =>
        tx.query("INSERT INTO sites (tenant_id, code, name, time_zone) VALUES ($1, 'X1', 'Intruder', 'UTC')", [b.tenant.id]),
      ),
    ).rejects.toThrow(/row-level security/);
    expect((await withTenant(db, b.ctx, (tx) => listSites(tx))).map((s) => s.code)).toEqual(['P1']);
  });

  it('runs requests under a role that is neither superuser nor exempt from row-level security', async () => {
    const { rows } = await db.query<{ rolbypassrls: boolean; rolsuper: boolean }>(
      "SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = 'mediforge_app'",
    );
    expect(rows[0]).toEqual({ rolbypassrls: false, rolsuper: false });
  });

  it('adds a site with a validated IANA time zone and refuses duplicates', async () => {
    const site = await withTenant(db, a.ctx, (tx) => createSite(tx, { code: 'P2', name: 'Plant 2', timeZone: 'America/Chicago' }));
    expect(site).toMatchObject({ code: 'P2', timeZone: 'America/Chicago', active: true });
    await expect(withTenant(db, a.ctx, (tx) => createSite(tx, { code: 'P3', name: 'Nowhere', timeZone: 'Mars/Olympus' }))).rejects.toThrow(
      /IANA time zone/,
    );
    await expect(withTenant(db, a.ctx, (tx) => createSite(tx, { code: 'P2', name: 'Again', timeZone: 'UTC' }))).rejects.toThrow(
      /already exists/,
    );
  });
});
