import type { FastifyInstance } from 'fastify';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, TEST_SITE_TIME_ZONE, testDatabase } from '../../../test/db.js';
import { type Caller, createUser, loginAs, signingCredentials, TestClock, type TestUser } from '../../../test/identity.js';
import { type PurchasingWorld, purchasingWorld } from '../../../test/purchasing.js';
import { receivedLot } from '../../../test/quality.js';
import { dayIn } from '../../platform/dates.js';
import type { Database } from '../../platform/db/index.js';
import { completeDocument, documentHash } from '../../platform/pdf/index.js';
import { getLot } from '../inventory/index.js';
import { ncrPrintRecord } from './print.js';

let db: Database;
let app: FastifyInstance;
const clock = new TestClock();
let w: PurchasingWorld;
let inspector: Caller;
let warehouse: Caller;
let qa: { user: TestUser; caller: Caller };
/** The NCR the first scenario raises, disposes and closes: the printed record's subject. */
let closedNcr: { id: string; number: string; lotNumber: string } | undefined;

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  w = await purchasingWorld(db);
  inspector = await loginAs(app, await createUser(db, w, { roles: ['QA Inspector'] }), clock);
  warehouse = await loginAs(app, await createUser(db, w, { roles: ['Warehouse'] }), clock);
  const manager = await createUser(db, w, { roles: ['QA Manager'] });
  qa = { user: manager, caller: await loginAs(app, manager, clock) };
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const ncrs = '/api/v1/nonconformance/ncrs';

describe(`nonconformance over HTTP (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('lets the QA inspector raise (lot held) but only the QA manager disposition and close; others may not read', async () => {
    const receipt = await receivedLot(w);
    const codes = await qa.caller.request('POST', '/api/v1/nonconformance/defect-codes', {
      code: 'DIM-01',
      name: 'Dimension out of tolerance',
    });
    expect(codes.statusCode).toBe(201);
    expect((await inspector.request('POST', '/api/v1/nonconformance/defect-codes', { code: 'X-1', name: 'x' })).statusCode).toBe(403);

    const raised = await inspector.request('POST', ncrs, {
      source: 'purchase_receipt',
      sourceId: receipt.id,
      description: 'Thread diameter over the gauge on 12 samples',
      defectClass: 'major',
      defectCodeIds: [codes.json().id],
      affected: [{ lotId: receipt.lotId, quantity: '120' }],
    });
    expect(raised.statusCode).toBe(201);
    const ncr = raised.json();
    expect(ncr).toMatchObject({
      status: 'open',
      receipt: { code: receipt.number },
      defects: [{ code: 'DIM-01' }],
      affected: [{ quantity: '120', open: '120', lotStatus: 'on_hold' }],
    });
    await w.tx(async (tx) => expect((await getLot(tx, receipt.lotId)).status).toBe('on_hold'));

    expect((await warehouse.request('GET', ncrs)).statusCode).toBe(403);
    const queue = await qa.caller.request('GET', `${ncrs}?toDisposition=true&q=${encodeURIComponent(ncr.number)}`);
    expect(queue.json().items.map((n: { id: string }) => n.id)).toEqual([ncr.id]);

    const dispose = (who: Caller, body: object) => who.request('POST', `${ncrs}/${ncr.id}/dispositions`, body);
    const lines = [
      { lotId: receipt.lotId, kind: 'scrap', quantity: '20' },
      { lotId: receipt.lotId, kind: 'return_to_supplier', quantity: '100' },
    ];
    expect((await dispose(inspector, { lines, justification: 'x', password: 'irrelevant' })).statusCode).toBe(403);
    const over = await dispose(qa.caller, {
      lines: [{ lotId: receipt.lotId, kind: 'scrap', quantity: '121' }],
      justification: 'too much',
      ...signingCredentials(qa.user, clock),
    });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'error.nonconformance.quantityExceeds' });

    const early = await qa.caller.request('POST', `${ncrs}/${ncr.id}/close`, signingCredentials(qa.user, clock));
    expect(early.json()).toMatchObject({ code: 'error.nonconformance.undisposed' });

    const decided = await dispose(qa.caller, {
      lines,
      justification: 'Out of tolerance: scrap the gauged samples, return the rest',
      supplierNotice: 'Please replace 100 connectors and send your 8D report.',
      ...signingCredentials(qa.user, clock),
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      openQuantity: '0',
      dispositions: [
        { kind: 'scrap', status: 'decided' },
        { kind: 'return_to_supplier', status: 'decided' },
      ],
      notifications: [{ quantity: '100', text: 'Please replace 100 connectors and send your 8D report.' }],
      signatures: [{ meaning: 'approved' }, { meaning: 'approved' }],
    });
    // The rest of the lot returns to quarantine once the NCR's quantity is gone.
    await w.tx(async (tx) => expect(await getLot(tx, receipt.lotId)).toMatchObject({ status: 'quarantine', onHand: '380' }));

    expect((await inspector.request('POST', `${ncrs}/${ncr.id}/close`, { password: 'irrelevant' })).statusCode).toBe(403);
    const closed = await qa.caller.request('POST', `${ncrs}/${ncr.id}/close`, {
      ...signingCredentials(qa.user, clock),
      comment: 'MRB 2026-21',
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', allowedTransitions: [] });
    closedNcr = { id: ncr.id, number: ncr.number, lotNumber: ncr.affected[0].lotNumber };

    // Inventory's ledger names the movements by the NCR's number (its record names under nonconformance_id).
    const ledger = await qa.caller.request('GET', `/api/v1/inventory/movements?lotId=${receipt.lotId}`);
    const labels = ledger
      .json()
      .items.filter((m: { source: { kind: string } | null }) => m.source?.kind === 'nonconformance')
      .map((m: { movementType: string; source: { label: string; line: number } }) => [m.movementType, m.source.label, m.source.line]);
    expect(labels.sort()).toEqual([
      ['return', ncr.number, 2],
      ['scrap', ncr.number, 1],
    ]);
  });

  it('[P11.10b] [P11.50] prints the closed NCR: defects, affected lot, each disposition, the supplier notice, every signature and the content hash', async () => {
    expect(closedNcr, 'the NCR of the scenario before').toBeDefined();
    const { id, number, lotNumber } = closedNcr!;
    const res = await qa.caller.request('GET', `${ncrs}/${id}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`inline; filename="${number}.pdf"`);
    const { text } = await extractText(new Uint8Array(res.rawPayload));
    const all = text.join(' ').replace(/\s+/g, ' ');
    expect(all).toContain(`Nonconformance report ${number}`);
    expect(all).toContain('Status: Closed');
    expect(all).toContain('Source Purchase receipt');
    expect(all).toContain('Defect class Major');
    expect(all).toContain('Thread diameter over the gauge on 12 samples');
    expect(all).toContain('DIM-01 Dimension out of tolerance');
    expect(all).toMatch(new RegExp(`1 ${lotNumber} \\S+ 120 ea 120 ea 0 ea`));
    expect(all).toContain(`1 ${lotNumber} Scrap 20 ea Out of tolerance: scrap the gauged samples, return the rest Decided`);
    expect(all).toContain(`2 ${lotNumber} Return to supplier 100 ea`);
    expect(all).toContain('Please replace 100 connectors and send your 8D report.');
    expect(all.match(/meaning: Approved/g)).toHaveLength(3);
    const expected = await w.tx(async (tx) => documentHash(await completeDocument(tx, await ncrPrintRecord(tx, id))));
    expect(res.headers['x-content-sha256']).toBe(expected);
    expect(all).toContain(expected);

    const chinese = await qa.caller.request('GET', `${ncrs}/${id}/pdf?lang=zh-CN`);
    const zh = (await extractText(new Uint8Array(chinese.rawPayload))).text.join(' ').replace(/\s+/g, ' ');
    expect(zh).toContain(`不合格报告 ${number}`);
    expect(zh).toContain('退回供应商');
    expect(chinese.headers['x-content-sha256']).toBe(expected);

    expect((await warehouse.request('GET', `${ncrs}/${id}/pdf`)).statusCode).toBe(403);
  });

  it('answers supplier PPM from supplier-caused NCR quantities against received quantities', async () => {
    const today = dayIn(TEST_SITE_TIME_ZONE);
    const res = await qa.caller.request('GET', `/api/v1/nonconformance/supplier-ppm?from=2020-01-01&to=${today}`);
    expect(res.statusCode).toBe(200);
    const row = res.json().items.find((r: { supplierId: string }) => r.supplierId === w.suppliers.approved);
    expect(row).toMatchObject({ received: '500', nonconforming: '120', ncrs: 1, ppm: 240000 });
  });
});
