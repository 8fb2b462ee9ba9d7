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
  // A tenant-owned table with every privilege, so only row-level security stands between tenants.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(4242)');
    const exists = await tx.query<{ t: string | null }>("SELECT to_regclass('test_notes')::text AS t");
    if (exists.rows[0]?.t) return;
    await tx.query(`CREATE TABLE test_notes (
      tenant_id uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
      id uuid NOT NULL DEFAULT mf_uuidv7(), body text NOT NULL, PRIMARY KEY (tenant_id, id))`);
    await tx.query("SELECT mf_tenant_table('test_notes')");
  });
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
    const note = await withTenant(db, b.ctx, async (tx) => {
      const { rows } = await tx.query<{ id: string }>("INSERT INTO test_notes (body) VALUES ('Beta only') RETURNING id");
      return rows[0]!.id;
    });
    await withTenant(db, a.ctx, async (tx) => {
      expect((await tx.query('SELECT * FROM sites WHERE id = $1', [b.site.id])).rowCount).toBe(0);
      expect((await tx.query("UPDATE sites SET name = 'stolen' WHERE id = $1", [b.site.id])).rowCount).toBe(0);
      expect((await tx.query('SELECT * FROM test_notes WHERE id = $1', [note])).rowCount).toBe(0);
      expect((await tx.query("UPDATE test_notes SET body = 'stolen' WHERE id = $1", [note])).rowCount).toBe(0);
      expect((await tx.query('DELETE FROM test_notes WHERE id = $1', [note])).rowCount).toBe(0);
      expect((await tx.query('DELETE FROM test_notes')).rowCount).toBe(0);
    });
    const bNotes = await withTenant(db, b.ctx, async (tx) => (await tx.query('SELECT body FROM test_notes')).rows);
    expect(bNotes).toEqual([{ body: 'Beta only' }]);
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
    // A tenant transaction runs as that role; the pooled connection is the owner again afterwards.
    const inside = await withTenant(db, a.ctx, (tx) => tx.query<{ role: string }>('SELECT current_user AS role'));
    expect(inside.rows[0]?.role).toBe('mediforge_app');
    const after = await db.query<{ role: string }>('SELECT current_user AS role');
    expect(after.rows[0]?.role).not.toBe('mediforge_app');
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
