import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { type Caller, createUser, loginAs, TestClock, type TestUser } from '../../../test/identity.js';
import type { Database } from '../../platform/db/index.js';
import { totpAt } from '../identity/totp.js';

let db: Database;
let t: TestTenant;
let app: FastifyInstance;
let engineer: Caller;
let qaUser: TestUser;
let qa: Caller;
let auditor: Caller;
const clock = new TestClock();

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  app = await testApp(db, { sessions: true, clock });
  engineer = await loginAs(app, await createUser(db, t, { roles: ['Engineer'] }), clock);
  qaUser = await createUser(db, t, { roles: ['QA Manager'], fullName: 'Li Wei' });
  qa = await loginAs(app, qaUser, clock);
  auditor = await loginAs(app, await createUser(db, t, { roles: ['Auditor'] }), clock);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const api = (path: string) => `/api/v1${path}`;
const newItem = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: `Part ${code}`,
  type: 'component',
  baseUnit: 'ea',
  tracking: 'lot',
  ...extra,
});
const create = async (code: string, extra?: Record<string, unknown>) =>
  (await engineer.request('POST', api('/items'), newItem(code, extra))).json();
const firstRevision = async (itemId: string) => (await engineer.request('GET', api(`/items/${itemId}/revisions`))).json().items[0];

describe('master data over HTTP, as real users', () => {
  it('refuses bad input with problem+json listing each field, and changes nothing', async () => {
    const res = await engineer.request('POST', api('/items'), {
      ...newItem('lower-case'),
      type: 'gadget',
      shelfLifeDays: 0,
      colour: 'blue',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/code', '/body/type', '/body/shelfLifeDays', '/body/colour']));

    const badGtin = await engineer.request('POST', api('/items'), newItem('HTTP-GTIN', { gtin: '4006381333932' }));
    expect(badGtin.statusCode).toBe(422);
    expect(badGtin.json()).toMatchObject({ code: 'error.gtin.checkDigit', errors: [{ pointer: '/body/gtin' }] });
    const unknownUnit = await engineer.request('POST', api('/items'), newItem('HTTP-UNIT', { baseUnit: 'furlong' }));
    expect(unknownUnit.json()).toMatchObject({ status: 422, code: 'error.masterdata.unit.unknown' });

    expect((await auditor.request('GET', api('/items?q=HTTP-'))).json()).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a BOM with a bad line as a whole, naming the line, and a BOM change without the current ETag', async () => {
    const device = await create('HTTP-DEV', { type: 'finished_device' });
    const part = await create('HTTP-PART');
    const rev = await firstRevision(device.id);
    const url = api(`/item-revisions/${rev.id}/bom`);
    const etag = (await engineer.request('GET', api(`/item-revisions/${rev.id}`))).headers.etag as string;
    const good = { lineNo: 10, componentItemId: part.id, quantityPer: '2', unit: 'ea' };
    const bad = await engineer.request(
      'PUT',
      url,
      { lines: [good, { ...good, lineNo: 20, unit: 'kg', scrapFactor: '1.5' }] },
      { 'if-match': etag },
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/lines/1/scrapFactor', '/body/lines/1/unit']);
    expect((await engineer.request('PUT', url, { lines: [good] })).statusCode).toBe(428);
    const saved = await engineer.request('PUT', url, { lines: [good] }, { 'if-match': etag });
    expect(saved.statusCode).toBe(200);
    expect(saved.headers.etag).not.toBe(etag);
    // A second editor still holding the old ETag cannot overwrite the change.
    const lost = await engineer.request('PUT', url, { lines: [] }, { 'if-match': etag });
    expect(lost.json()).toMatchObject({ status: 412, code: 'error.precondition.stale' });
    expect((await auditor.request('GET', url)).json().lines).toHaveLength(1);
  });

  it('[P11.10d] lets a read-only role read but not write', async () => {
    const item = await create('HTTP-RO');
    expect((await auditor.request('POST', api('/items'), newItem('HTTP-RO2'))).statusCode).toBe(403);
    const etag = (await auditor.request('GET', api(`/items/${item.id}`))).headers.etag as string;
    expect((await auditor.request('PATCH', api(`/items/${item.id}`), { name: 'renamed' }, { 'if-match': etag })).statusCode).toBe(403);
    expect((await auditor.request('GET', api('/items?q=HTTP-RO2'))).json().items).toEqual([]);
    expect((await auditor.request('GET', api(`/items/${item.id}`))).json().name).toBe('Part HTTP-RO');
  });

  it('[P11.10g] [P11.200a] lets only QA release, with the signer’s own password and second factor, and shows the signature', async () => {
    const item = await create('HTTP-REL');
    const rev = await firstRevision(item.id);
    expect((await engineer.request('POST', api(`/item-revisions/${rev.id}/transitions`), { to: 'in_review' })).json().status).toBe(
      'in_review',
    );
    const url = api(`/item-revisions/${rev.id}/release`);
    expect((await engineer.request('POST', url, { password: 'Correct-Horse-Battery-7' })).statusCode).toBe(403);
    expect((await qa.request('POST', url, { password: 'not-my-password' })).statusCode).toBe(401);
    clock.advance(30_000);
    const totpCode = totpAt(qaUser.totpSecret!, clock.now());
    const released = await qa.request('POST', url, { password: qaUser.password, totpCode, comment: 'design transfer complete' });
    expect(released.json()).toMatchObject({ status: 'released', releasedBy: 'Li Wei' });
    const shown = (await auditor.request('GET', api(`/item-revisions/${rev.id}`))).json();
    expect(shown.signatures).toMatchObject([{ meaning: 'released', signer: { name: 'Li Wei' }, valid: true }]);
    expect(shown.signatures[0].manifestation).toBeTruthy();
  });

  it('creates once per Idempotency-Key and pages through lists with a cursor and filters', async () => {
    const once = { 'idempotency-key': 'create-page-1' };
    const first = await engineer.request('POST', api('/items'), newItem('PAGE-1', { type: 'label' }), once);
    const replay = await engineer.request('POST', api('/items'), newItem('PAGE-1', { type: 'label' }), once);
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
    for (const code of ['PAGE-2', 'PAGE-3']) await create(code, { type: 'label' });
    const page1 = (await auditor.request('GET', api('/items?q=PAGE-&limit=2'))).json();
    expect(page1.items.map((i: { code: string }) => i.code)).toEqual(['PAGE-1', 'PAGE-2']);
    const page2 = (await auditor.request('GET', api(`/items?q=PAGE-&limit=2&cursor=${page1.nextCursor}`))).json();
    expect(page2).toMatchObject({ items: [{ code: 'PAGE-3' }], nextCursor: null });
    expect((await auditor.request('GET', api('/items?q=PAGE-&type=raw'))).json().items).toEqual([]);
  });
});
