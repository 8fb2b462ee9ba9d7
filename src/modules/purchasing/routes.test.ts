import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { type Caller, createUser, loginAs, signingCredentials, TestClock, type TestUser } from '../../../test/identity.js';
import { aLine, type PurchasingWorld, purchasingWorld } from '../../../test/purchasing.js';
import { recordHistory, searchAudit } from '../../platform/audit/index.js';
import { sha256Hex } from '../../platform/crypto.js';
import type { Database } from '../../platform/db/index.js';
import { requestFingerprint } from '../../platform/http/idempotency.js';
import { getLot } from '../inventory/index.js';

let db: Database;
let app: FastifyInstance;
let w: PurchasingWorld;
let admin: { user: TestUser; caller: Caller };
const clock = new TestClock();
const people: Record<'buyer' | 'approver' | 'warehouse' | 'inspector' | 'qa', { user: TestUser; caller: Caller }> = {} as never;

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  w = await purchasingWorld(db);
  for (const [who, role] of [
    ['buyer', 'Buyer'],
    // A second buyer (the purchasing lead): approves the orders the first one creates.
    ['approver', 'Buyer'],
    ['warehouse', 'Warehouse'],
    ['inspector', 'QA Inspector'],
    ['qa', 'QA Manager'],
  ] as const) {
    const user = await createUser(db, w, { roles: [role] });
    people[who] = { user, caller: await loginAs(app, user, clock) };
  }
  const adminUser = await createUser(db, w, { roles: ['Administrator'] });
  admin = { user: adminUser, caller: await loginAs(app, adminUser, clock) };
});

async function draftOrder() {
  const created = await people.buyer.caller.request('POST', '/api/v1/purchasing/orders', {
    supplierId: w.suppliers.approved,
    siteId: w.site.id,
    currency: 'CNY',
    lines: [aLine(w.items.luer)],
  });
  expect(created.statusCode).toBe(201);
  return created.json() as { id: string; number: string };
}
afterAll(async () => {
  await app.close();
  await db.close();
});

/** What the signer types: the password, and a fresh authenticator code (first signing of a session). */
function signingAs(who: 'buyer' | 'approver' | 'qa', extra: Record<string, string> = {}) {
  return { ...signingCredentials(people[who].user, clock), ...extra };
}

function multipart(fileName: string, contentType: string, content: Buffer) {
  const boundary = '----mediforge-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function sentOrder(quantity = '500') {
  const { buyer, approver } = people;
  const created = await buyer.caller.request('POST', '/api/v1/purchasing/orders', {
    supplierId: w.suppliers.approved,
    siteId: w.site.id,
    currency: 'CNY',
    lines: [aLine(w.items.luer, { quantity })],
  });
  expect(created.statusCode).toBe(201);
  const po = created.json();
  expect((await approver.caller.request('POST', `/api/v1/purchasing/orders/${po.id}/approve`, signingAs('approver'))).statusCode).toBe(200);
  expect((await buyer.caller.request('POST', `/api/v1/purchasing/orders/${po.id}/transitions`, { to: 'sent' })).statusCode).toBe(200);
  return po;
}

describe(`purchasing and incoming inspection over HTTP (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[Q.ACC] takes an order from approval through receipt and inspection to a lot released by QA signature', async () => {
    const { buyer, approver, warehouse, inspector, qa } = people;
    const created = await buyer.caller.request('POST', '/api/v1/purchasing/orders', {
      supplierId: w.suppliers.approved,
      siteId: w.site.id,
      currency: 'CNY',
      lines: [aLine(w.items.luer, { quantity: '400' })],
    });
    expect(created.statusCode).toBe(201);
    const po = created.json();
    const edited = await buyer.caller.request(
      'PATCH',
      `/api/v1/purchasing/orders/${po.id}`,
      { lines: [aLine(w.items.luer)] },
      {
        'if-match': created.headers.etag as string,
      },
    );
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ total: '425', lines: [{ quantity: '500' }] });

    const approved = await approver.caller.request('POST', `/api/v1/purchasing/orders/${po.id}/approve`, signingAs('approver'));
    expect(approved.statusCode).toBe(200);
    expect((await buyer.caller.request('POST', `/api/v1/purchasing/orders/${po.id}/transitions`, { to: 'sent' })).json().status).toBe(
      'sent',
    );
    const detail = (await buyer.caller.request('GET', `/api/v1/purchasing/orders/${po.id}`)).json();
    expect(detail.signatures[0]).toMatchObject({ meaning: 'approved', valid: true, signer: { name: approver.user.fullName } });
    expect(detail.signatures[0].manifestation.text).toContain(`Signed by ${approver.user.fullName}`);
    expect(detail.createdBy).toMatchObject({ id: buyer.user.id, name: buyer.user.fullName });

    const received = await warehouse.caller.request('POST', '/api/v1/purchasing/receipts', {
      poLineId: detail.lines[0].id,
      quantity: '500',
      locationId: w.quarantine,
      supplierLot: 'NB-2611-07',
      expiresOn: '2028-11-30',
      conditions: { temperature: { value: '22.0', unit: 'C' }, humidity: { value: '48', unit: '%RH' } },
    });
    expect(received.statusCode).toBe(201);
    const receipt = received.json();
    expect(receipt).toMatchObject({ onTime: true, conditions: { temperature: { value: '22.0', unit: 'C' } } });

    const pdf = Buffer.from('%PDF-1.7\nCertificate of analysis NB-2611-07: dimensions and material conform.\n%%EOF');
    const upload = multipart('COA NB-2611-07.pdf', 'application/pdf', pdf);
    const attached = await warehouse.caller.request(
      'POST',
      `/api/v1/purchasing/receipts/${receipt.id}/certificates`,
      upload.payload,
      upload.headers,
    );
    expect(attached.statusCode).toBe(201);
    expect(attached.json()).toMatchObject({ sha256: sha256Hex(pdf), sizeBytes: pdf.length, fileName: 'COA NB-2611-07.pdf' });
    const download = await buyer.caller.request('GET', `/api/v1/purchasing/receipts/${receipt.id}/certificates/${attached.json().id}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect(download.headers['x-content-sha256']).toBe(sha256Hex(pdf));

    await w.deliverEvents();
    const listed = (await inspector.caller.request('GET', `/api/v1/quality/inspections?lotId=${receipt.lotId}`)).json();
    const inspection = (await inspector.caller.request('GET', `/api/v1/quality/inspections/${listed.items[0].id}`)).json();
    expect(inspection).toMatchObject({ lotSize: 500, plan: { codeLetter: 'H', sampleSize: 50, accept: 1, reject: 2 }, status: 'open' });
    const recorded = await inspector.caller.request(
      'PUT',
      `/api/v1/quality/inspections/${inspection.id}/results/${inspection.characteristics[0].id}`,
      { defectives: 1 },
    );
    expect(recorded.json()).toMatchObject({ nonconforming: 1, verdict: 'accepted', complete: true });
    expect(recorded.json().results).toMatchObject([{ recordedBy: inspector.user.fullName, recordedById: inspector.user.id }]);

    const accepted = await qa.caller.request(
      'POST',
      `/api/v1/quality/inspections/${inspection.id}/accept`,
      signingAs('qa', { comment: 'COA reviewed' }),
    );
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', decidedBy: qa.user.fullName });
    const shown = (await inspector.caller.request('GET', `/api/v1/quality/inspections/${inspection.id}`)).json();
    expect(shown.signatures).toMatchObject([{ meaning: 'released', valid: true, signer: { name: qa.user.fullName } }]);

    await w.tx(async (tx) => {
      expect((await getLot(tx, receipt.lotId)).status).toBe('released');
      const trail = await recordHistory(tx, 'purchase_orders', po.id);
      expect(trail.map((e) => e.changes.find((c) => c.field === 'status')?.new).filter(Boolean)).toEqual([
        'draft',
        'approved',
        'sent',
        'received',
      ]);
      expect(trail.every((e) => e.actor.name)).toBe(true);
    });
  });

  it('[P11.10g] lets only the permitted roles order, approve, receive, record and release', async () => {
    const { buyer, warehouse, inspector, qa } = people;
    const anyOrder = { supplierId: w.suppliers.approved, siteId: w.site.id, currency: 'CNY', lines: [aLine(w.items.luer)] };
    expect((await warehouse.caller.request('POST', '/api/v1/purchasing/orders', anyOrder)).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/purchasing/orders' })).statusCode).toBe(401);

    const po = await sentOrder();
    const lineId = (await buyer.caller.request('GET', `/api/v1/purchasing/orders/${po.id}`)).json().lines[0].id;
    const receiptBody = { poLineId: lineId, quantity: '500', locationId: w.quarantine, supplierLot: 'NB-2611-09' };
    expect((await inspector.caller.request('POST', '/api/v1/purchasing/receipts', receiptBody)).statusCode).toBe(403);
    const receipt = (await warehouse.caller.request('POST', '/api/v1/purchasing/receipts', receiptBody)).json();
    await w.deliverEvents();
    const inspectionId = (await inspector.caller.request('GET', `/api/v1/quality/inspections?lotId=${receipt.lotId}`)).json().items[0].id;
    const characteristicId = (await inspector.caller.request('GET', `/api/v1/quality/inspections/${inspectionId}`)).json()
      .characteristics[0].id;
    const result = `/api/v1/quality/inspections/${inspectionId}/results/${characteristicId}`;
    expect((await buyer.caller.request('PUT', result, { defectives: 0 })).statusCode).toBe(403);
    expect((await inspector.caller.request('PUT', result, { defectives: 0 })).statusCode).toBe(200);

    const byInspector = await inspector.caller.request('POST', `/api/v1/quality/inspections/${inspectionId}/accept`, {
      password: inspector.user.password,
    });
    expect(byInspector.statusCode).toBe(403);
    const wrongPassword = await qa.caller.request('POST', `/api/v1/quality/inspections/${inspectionId}/accept`, {
      password: 'not my password',
    });
    expect(wrongPassword.statusCode).toBe(401);
    await w.tx(async (tx) => expect((await getLot(tx, receipt.lotId)).status).toBe('quarantine'));
  });

  it('answers bad input and refused receipts with problem+json and changes nothing', async () => {
    const { buyer, warehouse } = people;
    const count = async () =>
      w.tx(async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM purchase_orders')).rows[0]!.n);
    const before = await count();
    const bad = await buyer.caller.request('POST', '/api/v1/purchasing/orders', {
      supplierId: w.suppliers.approved,
      siteId: w.site.id,
      currency: 'cny',
      lines: [{ ...aLine(w.items.luer), quantity: '1e3' }],
      discount: '5',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['/body/currency', '/body/lines/0/quantity', '/body/discount']),
    );
    expect(await count()).toBe(before);

    const po = await sentOrder('100');
    const lineId = (await buyer.caller.request('GET', `/api/v1/purchasing/orders/${po.id}`)).json().lines[0].id;
    const over = await warehouse.caller.request('POST', '/api/v1/purchasing/receipts', {
      poLineId: lineId,
      quantity: '101',
      locationId: w.quarantine,
      supplierLot: 'NB-2611-10',
    });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'error.purchasing.overReceipt', params: { open: '100' } });
    expect((await buyer.caller.request('GET', `/api/v1/purchasing/receipts?poId=${po.id}`)).json().items).toEqual([]);
  });

  it('[P11.10a] refuses to serve a certificate whose stored content no longer matches its hash', async () => {
    const { buyer, warehouse } = people;
    const po = await sentOrder();
    const lineId = (await buyer.caller.request('GET', `/api/v1/purchasing/orders/${po.id}`)).json().lines[0].id;
    const receipt = (
      await warehouse.caller.request('POST', '/api/v1/purchasing/receipts', {
        poLineId: lineId,
        quantity: '500',
        locationId: w.quarantine,
        supplierLot: 'NB-2611-11',
      })
    ).json();
    const upload = multipart('coa.pdf', 'application/pdf', Buffer.from('%PDF-1.7 original'));
    const certificate = (
      await warehouse.caller.request('POST', `/api/v1/purchasing/receipts/${receipt.id}/certificates`, upload.payload, upload.headers)
    ).json();
    const refused = multipart('notes.txt', 'text/plain', Buffer.from('not a certificate'));
    expect(
      (await warehouse.caller.request('POST', `/api/v1/purchasing/receipts/${receipt.id}/certificates`, refused.payload, refused.headers))
        .statusCode,
    ).toBe(422);

    // Changed behind the application's back, as the database owner.
    await db.query("UPDATE receipt_certificate_contents SET content = convert_to('%PDF-1.7 forged', 'UTF8') WHERE certificate_id = $1", [
      certificate.id,
    ]);
    const download = await buyer.caller.request('GET', `/api/v1/purchasing/receipts/${receipt.id}/certificates/${certificate.id}`);
    expect(download.statusCode).toBe(409);
    expect(download.json().code).toBe('error.purchasing.certificate.altered');
  });

  it('finds orders by number and by what can be received, naming supplier, site and items', async () => {
    const { buyer, warehouse } = people;
    const sent = await sentOrder('120');
    const draft = (
      await buyer.caller.request('POST', '/api/v1/purchasing/orders', {
        supplierId: w.suppliers.approved,
        siteId: w.site.id,
        currency: 'CNY',
        lines: [aLine(w.items.luer)],
      })
    ).json();
    const byNumber = (await buyer.caller.request('GET', `/api/v1/purchasing/orders?q=${sent.number.slice(-5)}`)).json();
    expect(byNumber.items.map((o: { number: string }) => o.number)).toEqual([sent.number]);
    expect(byNumber.items[0]).toMatchObject({
      supplier: { code: 'SUP-OK', name: 'SUP-OK Co.' },
      site: { code: w.site.code },
      lines: [{ item: { code: 'LUER-M', name: 'Luer connector', baseUnit: 'ea' }, quantity: '120', openQuantity: '120' }],
    });

    const receivable = (await warehouse.caller.request('GET', '/api/v1/purchasing/orders?receivable=true&limit=200')).json();
    const numbers = receivable.items.map((o: { number: string }) => o.number);
    expect(numbers).toContain(sent.number);
    expect(numbers).not.toContain(draft.number);
    expect(receivable.items.every((o: { status: string }) => ['sent', 'partially_received'].includes(o.status))).toBe(true);
    // A % in the search is a character, not a wildcard.
    expect((await buyer.caller.request('GET', '/api/v1/purchasing/orders?q=%25')).json().items).toEqual([]);
  });

  it('[Q.SUP] refuses approval naming the supplier, the items and the lines it is not approved for', async () => {
    const { buyer } = people;
    const po = (
      await buyer.caller.request('POST', '/api/v1/purchasing/orders', {
        supplierId: w.suppliers.unapproved,
        siteId: w.site.id,
        currency: 'CNY',
        lines: [aLine(w.items.luer)],
      })
    ).json();
    const refused = await buyer.caller.request('POST', `/api/v1/purchasing/orders/${po.id}/approve`, signingAs('buyer'));
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'error.purchasing.supplierNotApproved',
      params: { number: po.number, supplier: 'SUP-NEW', items: 'LUER-M', lines: '1' },
    });
    expect((await buyer.caller.request('GET', `/api/v1/purchasing/orders/${po.id}`)).json()).toMatchObject({
      status: 'draft',
      signatures: [],
    });
  });

  it('shows a receipt with its order line, supplier, item and the lot it created in quarantine', async () => {
    const { buyer, warehouse } = people;
    const po = await sentOrder('80');
    const lineId = (await buyer.caller.request('GET', `/api/v1/purchasing/orders/${po.id}`)).json().lines[0].id;
    const posted = await warehouse.caller.request('POST', '/api/v1/purchasing/receipts', {
      poLineId: lineId,
      quantity: '30',
      locationId: w.quarantine,
      supplierLot: 'NB-2611-12',
    });
    expect(posted.statusCode).toBe(201);
    expect(posted.json()).toMatchObject({
      poNumber: po.number,
      lineNo: 1,
      supplier: { code: 'SUP-OK' },
      item: { code: 'LUER-M' },
      lot: { status: 'quarantine', number: expect.stringMatching(/^LOT-/) },
    });
    const shown = (await buyer.caller.request('GET', `/api/v1/purchasing/receipts/${posted.json().id}`)).json();
    expect(shown).toMatchObject({ number: posted.json().number, lot: posted.json().lot, certificates: [] });
    const order = (await buyer.caller.request('GET', `/api/v1/purchasing/orders/${po.id}`)).json();
    expect(order).toMatchObject({ status: 'partially_received', lines: [{ receivedQuantity: '30', openQuantity: '50' }] });
  });
  it('[P11.10g-sod] refuses the approval of the buyer who created the order, naming the rule, and lets a second buyer approve', async () => {
    const { buyer, approver } = people;
    const po = await draftOrder();
    const refused = await buyer.caller.request('POST', `/api/v1/purchasing/orders/${po.id}/approve`, signingAs('buyer'));
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'error.esign.separationOfDuties',
      params: { rule: 'notCreator', meaning: 'approved', record: po.number },
      rule: 'notCreator',
      detail: `separation of duties (notCreator): the person who created purchase order ${po.number} cannot approve it`,
    });
    const still = (await buyer.caller.request('GET', `/api/v1/purchasing/orders/${po.id}`)).json();
    expect(still).toMatchObject({ status: 'draft', signatures: [], createdBy: { id: buyer.user.id } });

    const approved = await approver.caller.request('POST', `/api/v1/purchasing/orders/${po.id}/approve`, signingAs('approver'));
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved' });
  });

  it('[P11.10g-sod] a tenant may relax the creator rule for order approval, with a reason, and the trail records the setting and each use', async () => {
    const { buyer } = people;
    const duties = (await admin.caller.request('GET', '/api/v1/signature-duties')).json();
    expect(duties.items).toContainEqual(
      expect.objectContaining({
        entity: 'purchase_orders',
        meaning: 'approved',
        rule: 'notCreator',
        step: 'approve',
        enforcement: 'enforce',
      }),
    );
    const setting = { entity: 'purchase_orders', meaning: 'approved', rule: 'notCreator' };
    expect(
      (await buyer.caller.request('PUT', '/api/v1/signature-duties', { ...setting, enforcement: 'relax', reason: 'x' })).statusCode,
    ).toBe(403);
    const relaxed = await admin.caller.request('PUT', '/api/v1/signature-duties', {
      ...setting,
      enforcement: 'relax',
      reason: 'two-person company: the only buyer also approves, reviewed monthly by QA',
    });
    expect(relaxed.statusCode).toBe(200);
    expect(relaxed.json()).toMatchObject({ enforcement: 'relax', changedBy: admin.user.fullName });
    const unknown = await admin.caller.request('PUT', '/api/v1/signature-duties', {
      ...setting,
      rule: 'notResultsRecorder',
      enforcement: 'relax',
      reason: 'x',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'error.esign.dutyUnknown' });

    try {
      const po = await draftOrder();
      const approved = await buyer.caller.request('POST', `/api/v1/purchasing/orders/${po.id}/approve`, signingAs('buyer'));
      expect(approved.statusCode).toBe(200);
      await w.tx(async (tx) => {
        const trail = await searchAudit(tx, { entity: 'esign_duty_settings' });
        expect(trail.items).toContainEqual(
          expect.objectContaining({ action: 'insert', reason: 'two-person company: the only buyer also approves, reviewed monthly by QA' }),
        );
        const security = await searchAudit(tx, { entity: 'security' });
        expect(security.items).toContainEqual(
          expect.objectContaining({
            action: 'signature.duty_relaxed',
            recordId: buyer.user.id,
          }),
        );
      });
    } finally {
      const enforced = await admin.caller.request('PUT', '/api/v1/signature-duties', {
        ...setting,
        enforcement: 'enforce',
        reason: 'company grew',
      });
      expect(enforced.statusCode).toBe(200);
    }
    const po = await draftOrder();
    expect((await buyer.caller.request('POST', `/api/v1/purchasing/orders/${po.id}/approve`, signingAs('buyer'))).statusCode).toBe(409);
  });

  it('[P11.70] keeps nothing derived from the password or TOTP code in the idempotency store; a replay with other credentials signs nothing again', async () => {
    const { approver } = people;
    const po = await draftOrder();
    const url = `/api/v1/purchasing/orders/${po.id}/approve`;
    const key = `approve-${po.id}`;
    const body = signingAs('approver', { comment: 'prices checked' });
    const first = await approver.caller.request('POST', url, body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(200);
    const replay = await approver.caller.request(
      'POST',
      url,
      { password: 'anything else', comment: 'prices checked' },
      { 'idempotency-key': key },
    );
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    const stored = await w.tx(
      async (tx) => (await tx.query<Record<string, unknown>>('SELECT * FROM idempotency_keys WHERE key = $1', [key])).rows,
    );
    expect(stored).toHaveLength(1);
    const row = stored[0]!;
    const withoutCredentials = requestFingerprint(
      'POST',
      '/api/v1/purchasing/orders/:id/approve',
      { id: po.id },
      { comment: 'prices checked' },
    );
    expect(row.request_hash).toBe(withoutCredentials);
    expect(requestFingerprint('POST', '/api/v1/purchasing/orders/:id/approve', { id: po.id }, body)).toBe(withoutCredentials);
    const everything = JSON.stringify(row);
    expect(everything).not.toContain(body.password);
    if (body.totpCode) expect(everything).not.toContain(body.totpCode);
    expect((await approver.caller.request('GET', `/api/v1/purchasing/orders/${po.id}`)).json().signatures).toHaveLength(1);
  });
});
