import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { SIGNING_PASSWORD, signerWith, standardUnits } from '../../../test/masterdata.js';
import { loadConfig } from '../../platform/config.js';
import type { Database } from '../../platform/db/index.js';
import { Forbidden } from '../../platform/errors.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { createApp } from '../../server.js';
import { MASTERDATA } from './permissions.js';

let db: Database;
let t: TestTenant;
let app: FastifyInstance;

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  await withTenant(db, t.ctx, standardUnits);
  app = await createApp(loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:' }), db);
  // The identity module's seams: a caller of tenant t holding the permissions named in a header,
  // and a signer who re-authenticates with one password.
  app.guard = async (request, permission) => {
    const held = String(request.headers['x-test-permissions'] ?? '').split(',');
    if (!held.includes(permission)) throw new Forbidden(`missing permission ${permission}`, { code: 'error.forbidden' });
    return t.ctx;
  };
  app.signerVerifier = signerWith();
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const engineer = { 'x-test-permissions': `${MASTERDATA.read},${MASTERDATA.write}` };
const auditor = { 'x-test-permissions': MASTERDATA.read };
const qa = { 'x-test-permissions': `${MASTERDATA.read},${MASTERDATA.signReleased}` };
const newItem = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: `Part ${code}`,
  type: 'component',
  baseUnit: 'ea',
  tracking: 'lot',
  ...extra,
});
const post = (url: string, payload: object, headers = engineer) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload });
const get = (url: string, headers = auditor) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

describe('master data over HTTP', () => {
  it('refuses bad input with problem+json listing each field, and changes nothing', async () => {
    const res = await post('/items', { ...newItem('lower-case'), type: 'gadget', shelfLifeDays: 0, colour: 'blue' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/code', '/body/type', '/body/shelfLifeDays', '/body/colour']));

    const badGtin = await post('/items', newItem('HTTP-GTIN', { gtin: '4006381333932' }));
    expect(badGtin.statusCode).toBe(422);
    expect(badGtin.json()).toMatchObject({ code: 'error.gtin.checkDigit', errors: [{ pointer: '/body/gtin' }] });

    const unknownUnit = await post('/items', newItem('HTTP-UNIT', { baseUnit: 'furlong' }));
    expect(unknownUnit.json()).toMatchObject({ status: 422, code: 'error.masterdata.unit.unknown' });

    const list = await get('/items?q=HTTP-');
    expect(list.json()).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a BOM with a bad line as a whole, naming the line', async () => {
    const device = (await post('/items', newItem('HTTP-DEV', { type: 'finished_device' }))).json();
    const part = (await post('/items', newItem('HTTP-PART'))).json();
    const [rev] = (await get(`/items/${device.id}/revisions`)).json().items;
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/item-revisions/${rev.id}/bom`,
      headers: engineer,
      payload: {
        lines: [
          { lineNo: 10, componentItemId: part.id, quantityPer: '2', unit: 'ea' },
          { lineNo: 20, componentItemId: part.id, quantityPer: '1', unit: 'kg', scrapFactor: '1.5' },
        ],
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/lines/1/scrapFactor', '/body/lines/1/unit']);
    expect((await get(`/item-revisions/${rev.id}/bom`)).json()).toEqual({ lines: [] });
  });

  it('[P11.10d] lets a read-only role read but not write, and only a signer with the authority release', async () => {
    const denied = await post('/items', newItem('HTTP-RO'), auditor);
    expect(denied.statusCode).toBe(403);
    expect((await get('/items?q=HTTP-RO')).json().items).toEqual([]);

    const item = (await post('/items', newItem('HTTP-REL'))).json();
    const [rev] = (await get(`/items/${item.id}/revisions`)).json().items;
    expect((await post(`/item-revisions/${rev.id}/transitions`, { to: 'in_review' }, auditor)).statusCode).toBe(403);
    expect((await post(`/item-revisions/${rev.id}/transitions`, { to: 'in_review' })).json().status).toBe('in_review');
    expect((await post(`/item-revisions/${rev.id}/release`, { password: SIGNING_PASSWORD })).statusCode).toBe(403);
    expect((await post(`/item-revisions/${rev.id}/release`, { password: 'guess' }, qa)).statusCode).toBe(401);
    const released = await post(`/item-revisions/${rev.id}/release`, { password: SIGNING_PASSWORD }, qa);
    expect(released.json()).toMatchObject({ status: 'released', releasedBy: 'Quinn Approver' });
  });

  it('pages through lists with a cursor and filters them', async () => {
    for (const code of ['PAGE-1', 'PAGE-2', 'PAGE-3']) await post('/items', newItem(code, { type: 'label' }));
    const first = (await get('/items?q=PAGE-&limit=2')).json();
    expect(first.items.map((i: { code: string }) => i.code)).toEqual(['PAGE-1', 'PAGE-2']);
    const second = (await get(`/items?q=PAGE-&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [{ code: 'PAGE-3' }], nextCursor: null });
    expect((await get('/items?q=PAGE-&type=raw')).json().items).toEqual([]);
  });
});
