import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { hstore } from '@electric-sql/pglite/contrib/hstore';
import { inject } from 'vitest';
import { type Database, migrate, openDatabase } from '../src/platform/db/index.js';
import { openPgliteFrom } from '../src/platform/db/pglite.js';
import { uuidv7 } from '../src/platform/ids.js';
import { createTenant, type Site, type Tenant, type TenantContext } from '../src/platform/tenancy/index.js';

/** Test databases: PostgreSQL when DATABASE_URL is set (shared, tenants keep tests apart), else PGlite. */
export const onPostgres = Boolean(process.env.DATABASE_URL);

export function snapshotPath(): string {
  return join(tmpdir(), `mediforge-test-snapshot-${process.pid}-${randomBytes(4).toString('hex')}.tar.gz`);
}

export async function writeMigratedSnapshot(path: string): Promise<void> {
  const pg = await PGlite.create({ extensions: { hstore } });
  const db = await openPgliteFrom(pg);
  await migrate(db);
  const dump = await pg.dumpDataDir('gzip');
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  await db.close();
}

/** An empty database of its own (PGlite in memory, or a new PostgreSQL database): for tests that create and break schemas. */
export async function scratchDatabase(): Promise<{ db: Database; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ dataDir: ':memory:', dbPoolMax: 1 });
    return { db, drop: () => db.close() };
  }
  const name = `mf_migrate_${randomBytes(5).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: url, dataDir: '', dbPoolMax: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: scratchUrl.toString(), dataDir: '', dbPoolMax: 2 });
  return {
    db,
    async drop() {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/** A migrated database for one test file; close it in afterAll. */
export async function testDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) return openDatabase({ databaseUrl: url, dataDir: '', dbPoolMax: 8 });
  const snapshot = snapshotFile();
  const pg = await PGlite.create({ extensions: { hstore }, loadDataDir: new Blob([snapshot]) });
  return openPgliteFrom(pg);
}

let cached: Buffer | undefined;
function snapshotFile(): Buffer {
  cached ??= readFileSync(inject('pgliteSnapshot'));
  return cached;
}

export interface TestTenant {
  tenant: Tenant;
  site: Site;
  /** A tenant context for a system actor; tests that need a person use the identity builders. */
  ctx: TenantContext;
}

/**
 * The time zone of every test tenant's site. Berlin is an hour off UTC, so a rule that reads
 * "today" in UTC instead of the site's calendar fails between 23:00 and 24:00 UTC; set
 * MF_TEST_SITE_TIME_ZONE (e.g. Pacific/Kiritimati, Pacific/Pago_Pago) to probe that at any hour.
 */
export const TEST_SITE_TIME_ZONE = process.env.MF_TEST_SITE_TIME_ZONE ?? 'Europe/Berlin';

/** A fresh tenant with one site: every test works in its own tenant, so tests never collide. */
export async function testTenant(db: Database, name = 'Test Devices'): Promise<TestTenant> {
  const code = `t-${randomBytes(6).toString('hex')}`;
  const { tenant, site } = await createTenant(db, { code, name, site: { code: 'P1', name: 'Plant 1', timeZone: TEST_SITE_TIME_ZONE } });
  return {
    tenant,
    site,
    ctx: { tenantId: tenant.id, siteId: site.id, actor: { kind: 'system', id: 'test', name: 'system:test' }, requestId: uuidv7() },
  };
}
