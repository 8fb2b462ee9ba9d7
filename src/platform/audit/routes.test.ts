import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { createLocation } from '../../modules/masterdata/locations.js';
import type { Database } from '../db/index.js';
import { withTenant } from '../tenancy/index.js';

let db: Database;
let t: TestTenant;
let app: FastifyInstance;

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  const base = { tenantId: t.tenant.id, siteId: t.site.id };
  app = await testApp(db, {
    callers: {
      auditor: {
        ...base,
        actor: { kind: 'user', id: 'u-audit', name: 'Wang Fang' },
        permissions: ['audit:read', 'audit:record.read', 'audit:verify', 'sites:read'],
      },
      admin: { ...base, actor: { kind: 'user', id: 'u-admin', name: 'Chen Jie' }, permissions: ['admin:sites'] },
      clerk: { ...base, actor: { kind: 'user', id: 'u-clerk', name: 'Wang Qiang' }, permissions: ['audit:record.read', 'sites:read'] },
      keeper: { ...base, actor: { kind: 'user', id: 'u-keeper', name: 'Zhao Lei' }, permissions: ['audit:record.read', 'masterdata:read'] },
      // Reads the history of records they work with, not of records they may not see at all.
      buyer: { ...base, actor: { kind: 'user', id: 'u-buyer', name: 'Chen Jing' }, permissions: ['audit:record.read', 'purchasing:read'] },
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const as = (caller: string, extra: Record<string, string> = {}) => ({ 'x-test-caller': caller, ...extra });

describe(`audit API (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10e] carries the X-Change-Reason header into the trail and shows the history, as-of view and chain', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: as('admin', { 'x-change-reason': encodeURIComponent('新工厂 opened for catheter assembly') }),
      payload: { code: 'SZ2', name: 'Suzhou 2', timeZone: 'Asia/Shanghai' },
    });
    expect(created.statusCode).toBe(201);
    const siteId = created.json().id as string;

    // Whoever works with a record reads its history, without the whole trail.
    const history = await app.inject({ url: `/api/v1/audit/history?entity=sites&id=${siteId}`, headers: as('clerk') });
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toMatchObject([
      { action: 'insert', actor: { id: 'u-admin', name: 'Chen Jie' }, reason: '新工厂 opened for catheter assembly' },
    ]);

    const asOf = await app.inject({
      url: `/api/v1/audit/record?entity=sites&id=${siteId}&asOf=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      headers: as('clerk'),
    });
    expect(asOf.json()).toMatchObject({ exists: true, record: { code: 'SZ2', time_zone: 'Asia/Shanghai' } });

    const verify = await app.inject({ url: '/api/v1/audit/verify', headers: as('auditor') });
    // Events of this request may wait for other tests' transactions to finish before sealing.
    expect(verify.json()).toMatchObject({ ok: true, firstBroken: null });
    expect(verify.json().checked + verify.json().unsealed.count).toBeGreaterThanOrEqual(3);
  });

  it('pages through the trail by cursor with filters, and keeps tenants apart', async () => {
    const other = await testTenant(db);
    await withTenant(db, other.ctx, (tx) => tx.query("UPDATE sites SET name = 'Elsewhere'"));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await app.inject({
        url: `/api/v1/audit?entity=sites&action=insert&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        headers: as('auditor'),
      });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: Array<{ recordId: string; action: string }>; nextCursor: string | null };
      seen.push(...page.items.map((e) => e.recordId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(2);
    expect(seen).toContain(t.site.id);
    expect(seen).not.toContain(other.site.id);
  });

  it('[P11.10d] refuses bad filters and callers without the audit permission; record histories never show security events', async () => {
    expect((await app.inject({ url: '/api/v1/audit?from=yesterday', headers: as('auditor') })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/audit/history?entity=sites', headers: as('clerk') })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/audit/verify', headers: as('admin') })).statusCode).toBe(403);
    // A record's history is not the whole trail, and security events are the whole trail's.
    expect((await app.inject({ url: '/api/v1/audit?entity=sites', headers: as('clerk') })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/audit/history?entity=security&id=u-admin', headers: as('clerk') })).statusCode).toBe(400);
    expect(
      (await app.inject({ url: '/api/v1/audit/record?entity=sites&id=nope&asOf=2026-01-01T00:00:00Z', headers: as('auditor') })).json(),
    ).toMatchObject({ status: 404, code: 'error.audit.recordNotFound' });
  });

  it('[P11.10d] reads a record through the trail only with the permission that reads the record itself', async () => {
    const site = await app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: as('admin'),
      payload: { code: 'SZ9', name: 'Suzhou 9', timeZone: 'Asia/Shanghai' },
    });
    const siteId = site.json().id as string;
    const refused = await app.inject({ url: `/api/v1/audit/history?entity=sites&id=${siteId}`, headers: as('buyer') });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().params).toMatchObject({ permission: 'sites:read' });
    const asOf = `&asOf=${encodeURIComponent(new Date().toISOString())}`;
    expect((await app.inject({ url: `/api/v1/audit/record?entity=sites&id=${siteId}${asOf}`, headers: as('buyer') })).statusCode).toBe(403);
    // People's records need the identity read right; tables the trail does not hold are not a way in.
    const users = await app.inject({ url: `/api/v1/audit/history?entity=users&id=${siteId}`, headers: as('buyer') });
    expect(users.json().params).toMatchObject({ permission: 'identity:read' });
    const unknown = await app.inject({ url: `/api/v1/audit/history?entity=user_credentials&id=${siteId}`, headers: as('buyer') });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('error.audit.entityUnknown');
    expect((await app.inject({ url: `/api/v1/audit/history?entity=purchase_orders&id=${siteId}`, headers: as('buyer') })).statusCode).toBe(
      200,
    );
  });

  it('[P11.10e] names the records a change refers to by code and name, in one answer', async () => {
    const location = await withTenant(db, t.ctx, (tx) =>
      createLocation(tx, { siteId: t.site.id, warehouse: 'WH9', name: 'Sterile store', kind: 'released' }),
    );
    const res = await app.inject({ url: `/api/v1/audit/history?entity=storage_locations&id=${location.id}`, headers: as('keeper') });
    expect(res.statusCode).toBe(200);
    const { items, names } = res.json();
    expect(items[0].changes).toContainEqual({ field: 'site_id', old: null, new: t.site.id });
    expect(names[t.site.id]).toEqual({ code: 'P1', name: 'Plant 1' });
  });
});
