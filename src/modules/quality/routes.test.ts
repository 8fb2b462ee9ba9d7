import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { type Caller, createUser, loginAs, signingCredentials, TestClock, type TestUser } from '../../../test/identity.js';
import { aLine, aSentOrder, type PurchasingWorld, purchasingWorld, receive } from '../../../test/purchasing.js';
import type { Database } from '../../platform/db/index.js';

let db: Database;
let app: FastifyInstance;
let w: PurchasingWorld;
const clock = new TestClock();
let inspector: Caller;
let qa: { user: TestUser; caller: Caller };

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  w = await purchasingWorld(db);
  inspector = await loginAs(app, await createUser(db, w, { roles: ['QA Inspector'] }), clock);
  const manager = await createUser(db, w, { roles: ['QA Manager'] });
  qa = { user: manager, caller: await loginAs(app, manager, clock) };
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const plans = '/api/v1/quality/inspection-plans';

/** A lot of `quantity` connectors received and its inspection opened by the receipt event. */
async function receivedLot(quantity: string, supplierLot: string) {
  const po = await aSentOrder(w, [aLine(w.items.luer, { quantity })]);
  const receipt = await receive(w, po.lines[0]!.id, { quantity, supplierLot });
  await w.deliverEvents();
  return receipt;
}

describe(`incoming inspection over HTTP (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('lists the items that have a plan and replaces a plan only with If-Match of the version read', async () => {
    const put = (body: unknown, headers: Record<string, string> = {}) =>
      inspector.request('PUT', `${plans}/${w.items.tubing}`, body, headers);
    const created = await put({
      aql: '0.65',
      characteristics: [{ name: 'Outer diameter', kind: 'variable', lowerLimit: '4.05', upperLimit: '4.15', unit: 'mm' }],
    });
    expect(created.statusCode).toBe(200);
    expect(created.headers.etag).toBe('"v1"');
    expect(created.json()).toMatchObject({ item: { code: 'PVC-TUBE' }, aql: '0.65', version: 1, inUse: false });

    const again = { aql: '1.0', characteristics: [{ name: 'Visual: no kinks', kind: 'attribute' }] };
    expect((await put(again)).statusCode).toBe(428);
    expect((await put(again, { 'if-match': '"v7"' })).statusCode).toBe(412);
    const replaced = await put(again, { 'if-match': created.headers.etag as string });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ aql: '1.0', version: 2, characteristics: [{ name: 'Visual: no kinks' }] });

    const listed = (await inspector.request('GET', plans)).json();
    expect(listed.items).toEqual([
      expect.objectContaining({ itemId: w.items.tubing, item: { code: 'PVC-TUBE', name: 'PVC tubing' }, characteristics: 1, inUse: false }),
    ]);
    expect((await inspector.request('GET', `${plans}?itemId=${w.items.luer}`)).json()).toEqual({ items: [], nextCursor: null });
  });

  it('refuses to replace a plan whose characteristics hold results, and says so before anyone tries', async () => {
    const receipt = await receivedLot('200', 'NB-INUSE-1');
    const inspection = (await inspector.request('GET', `/api/v1/quality/inspections?lotId=${receipt.lotId}`)).json().items[0];
    const detail = (await inspector.request('GET', `/api/v1/quality/inspections/${inspection.id}`)).json();
    await inspector.request('PUT', `/api/v1/quality/inspections/${inspection.id}/results/${detail.characteristics[0].id}`, {
      defectives: 0,
    });

    const plan = await inspector.request('GET', `${plans}/${w.items.luer}`);
    expect(plan.json()).toMatchObject({ inUse: true });
    const refused = await inspector.request(
      'PUT',
      `${plans}/${w.items.luer}`,
      { characteristics: [{ name: 'Something else', kind: 'attribute' }] },
      { 'if-match': plan.headers.etag as string },
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'error.quality.plan.inUse', params: { item: 'LUER-M' } });
  });

  it('lists inspections newest first by item, status and number, a page at a time, naming what they inspect', async () => {
    const first = await receivedLot('50', 'NB-LIST-1');
    const second = await receivedLot('60', 'NB-LIST-2');
    const list = (query: string) => inspector.request('GET', `/api/v1/quality/inspections?${query}`).then((r) => r.json());

    const page1 = await list(`itemId=${w.items.luer}&status=open&limit=1`);
    expect(page1.items).toHaveLength(1);
    expect(page1.items[0]).toMatchObject({
      lotId: second.lotId,
      item: { code: 'LUER-M' },
      supplier: { code: 'SUP-OK' },
      lot: { status: 'quarantine', supplierLot: 'NB-LIST-2' },
      receipt: { number: second.number, poId: second.poId },
      sampleSize: expect.any(Number),
      codeLetter: expect.any(String),
    });
    const page2 = await list(`itemId=${w.items.luer}&status=open&limit=1&cursor=${page1.nextCursor}`);
    expect(page2.items[0].lotId).toBe(first.lotId);

    const byNumber = await list(`q=${page1.items[0].number.slice(-5)}`);
    expect(byNumber.items.map((i: { id: string }) => i.id)).toEqual([page1.items[0].id]);
    expect((await list(`itemId=${w.items.tubing}`)).items).toEqual([]);
    expect((await list('status=accepted')).items).toEqual([]);
  });

  it('takes a switching decision only from the QA manager, signed with a reason, and shows it with its signature', async () => {
    const sampling = `/api/v1/quality/sampling/${w.items.luer}/${w.suppliers.approved}`;
    expect((await inspector.request('GET', sampling)).statusCode).toBe(404);
    const signing = () => signingCredentials(qa.user, clock);

    const byInspector = await inspector.request('POST', `${sampling}/decisions`, {
      decision: 'permitReduced',
      comment: 'steady',
      password: 'irrelevant',
    });
    expect(byInspector.statusCode).toBe(403);
    const blank = await qa.caller.request('POST', `${sampling}/decisions`, { decision: 'permitReduced', comment: '  ', ...signing() });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors).toEqual([expect.objectContaining({ pointer: '/body/comment' })]);
    expect(
      (await qa.caller.request('POST', `${sampling}/decisions`, { decision: 'overrule', comment: 'x', ...signing() })).statusCode,
    ).toBe(400);
    expect((await inspector.request('GET', sampling)).statusCode).toBe(404);

    const permitted = await qa.caller.request('POST', `${sampling}/decisions`, {
      decision: 'permitReduced',
      comment: 'supplier audit passed',
      ...signing(),
    });
    expect(permitted.statusCode).toBe(200);
    expect(permitted.json()).toMatchObject({
      item: { code: 'LUER-M' },
      supplier: { code: 'SUP-OK' },
      severity: 'normal',
      reducedPermitted: true,
      signature: { meaning: 'approved', comment: 'supplier audit passed', manifestation: { code: 'esign.manifestation' } },
    });
    const shown = (await inspector.request('GET', sampling)).json();
    expect(shown).toMatchObject({ reducedPermitted: true, signatures: [{ meaning: 'approved', valid: true }] });
    const listed = (await inspector.request('GET', `/api/v1/quality/sampling?itemId=${w.items.luer}`)).json();
    expect(listed.items).toEqual([expect.objectContaining({ supplierId: w.suppliers.approved, reducedPermitted: true })]);
    expect((await inspector.request('GET', `/api/v1/quality/sampling?severity=discontinued`)).json().items).toEqual([]);
    const spec = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(spec.paths['/api/v1/quality/sampling/{itemId}/{supplierId}/decisions'].post.requestBody).toBeDefined();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/quality/sampling', '/api/v1/quality/sampling/{itemId}/{supplierId}']),
    );
  });
});
