import type { FastifyInstance } from 'fastify';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.js';
import { TEST_SITE_TIME_ZONE, testDatabase } from '../../test/db.js';
import { type Caller, createRole, createUser, loginAs, TestClock } from '../../test/identity.js';
import { aLine, aSentOrder, type PurchasingWorld, purchasingWorld, receive } from '../../test/purchasing.js';
import { inspect, receivedLot } from '../../test/quality.js';
import type { Receipt } from '../modules/purchasing/index.js';
import type { Database } from '../platform/db/index.js';
import { formatSignedAt, listSignatures } from '../platform/esign/index.js';
import { completeDocument, documentHash } from '../platform/pdf/index.js';
import { disposeIncomingLot } from './dispose-incoming-lot.js';
import { receiptInspectionRecord } from './print-receipt-record.js';

let db: Database;
let app: FastifyInstance;
let w: PurchasingWorld;
let receipt: Receipt;
let auditor: Caller;
let warehouse: Caller;
const clock = new TestClock();

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  w = await purchasingWorld(db);
  receipt = await receivedLot(w, '500');
  const inspection = await inspect(w, receipt.lotId, 0);
  await w.tx((tx) =>
    disposeIncomingLot(tx, w.approver, w.verifier, inspection.id, {
      disposition: 'accept',
      credentials: w.credentialsOf(w.approver),
      comment: '分析证书已审核',
    }),
  );
  auditor = await loginAs(app, await createUser(db, w, { fullName: 'Zhao Min', roles: ['Auditor'] }), clock);
  await createRole(db, w, { name: 'Receiving clerk', grants: ['purchasing:read', 'inventory:read'] });
  warehouse = await loginAs(app, await createUser(db, w, { roles: ['Receiving clerk'] }), clock);
});

afterAll(async () => {
  await app.close();
  await db.close();
});

async function pages(body: Buffer): Promise<string[]> {
  const { text } = await extractText(new Uint8Array(body));
  return text.map((page) => page.replace(/\s+/g, ' '));
}

describe('the goods receipt and its incoming inspection as a printed record', () => {
  it('[P11.10b] prints the receipt, the sampling plan and every result, field by field', async () => {
    const res = await auditor.request('GET', `/api/v1/purchasing/receipts/${receipt.id}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`inline; filename="${receipt.number}.pdf"`);
    const text = (await pages(res.rawPayload)).join(' ');
    const lot = await w.tx(
      async (tx) => (await tx.query<{ number: string }>('SELECT number FROM lots WHERE id = $1', [receipt.lotId])).rows[0]!,
    );
    expect(text).toContain(`Goods receipt and incoming inspection ${receipt.number}`);
    expect(text).toContain(`Record id: ${receipt.id}`);
    expect(text).toContain('Status: Accepted');
    expect(text).toMatch(/Purchase order PO-\d{4}-\d{5}, line 1/);
    expect(text).toContain('Supplier SUP-OK SUP-OK Co.');
    expect(text).toContain('Item LUER-M Luer connector');
    expect(text).toContain(`Lot ${lot.number}`);
    expect(text).toContain('Supplier lot S-24-001');
    expect(text).toContain('Quantity received 500 ea');
    expect(text).toContain('Incoming inspection');
    expect(text).toContain('Lot size 500');
    expect(text).toMatch(/Sample size n \d+/);
    expect(text).toContain('Verdict of the sample Sample accepts the lot');
    expect(text).toContain('Decided by Wang Fang');
    expect(text).toContain('Characteristic Kind Limits Nonconforming Measured values Recorded');
    expect(text).toContain('Recorded by Li Na');
  });

  it('[P11.50] manifests the signed decision on the inspection and the release of the lot', async () => {
    const [onInspection] = await w.tx(async (tx) => {
      const { rows } = await tx.query<{ id: string }>('SELECT id FROM inspections WHERE lot_id = $1', [receipt.lotId]);
      return listSignatures(tx, 'inspections', rows[0]!.id);
    });
    const [onLot] = await w.tx((tx) => listSignatures(tx, 'lots', receipt.lotId));
    const text = (await pages((await auditor.request('GET', `/api/v1/purchasing/receipts/${receipt.id}/pdf`)).rawPayload)).join(' ');
    for (const s of [onInspection!, onLot!]) {
      expect(text).toContain(
        `Signed by Wang Fang (${s.signer.login}), ${formatSignedAt(s.signedAt, TEST_SITE_TIME_ZONE)}, meaning: Released`,
      );
      expect(text).toContain(`Signature id: ${s.id} · Valid`);
    }
    expect(text).toContain('Comment: 分析证书已审核');
  });

  it('[P11.10b] prints the hash of the record document, stable from print to print', async () => {
    const expected = await w.tx(async (tx) => documentHash(await completeDocument(tx, await receiptInspectionRecord(tx, receipt.id))));
    const first = await auditor.request('GET', `/api/v1/purchasing/receipts/${receipt.id}/pdf?lang=zh-CN`);
    const again = await auditor.request('GET', `/api/v1/purchasing/receipts/${receipt.id}/pdf`);
    expect(first.headers['x-content-sha256']).toBe(expected);
    expect(again.headers['x-content-sha256']).toBe(expected);
    const [page = ''] = await pages(first.rawPayload);
    expect(page).toContain(`内容哈希（SHA-256）: ${expected}`);
    expect(page).toContain(`收货及来料检验记录 ${receipt.number}`);
    expect(page).toContain('样本判定 判定接收');
    expect(page).toContain('Conforms to the purchase specification 计数型');
  });

  it('prints a receipt whose inspection is not opened yet, saying so', async () => {
    const po = await aSentOrder(w, [aLine(w.items.luer, { quantity: '20' })]);
    const fresh = await receive(w, po.lines[0]!.id, { quantity: '20', supplierLot: 'S-24-002' });
    const res = await auditor.request('GET', `/api/v1/purchasing/receipts/${fresh.id}/pdf`);
    expect(res.statusCode).toBe(200);
    const text = (await pages(res.rawPayload)).join(' ');
    expect(text).toContain('Status: Quarantine');
    expect(text).toContain('No incoming inspection has been opened for this lot yet.');
    expect(text).toContain('This record has no signatures.');
  });

  it('[P11.10d] refuses a person who may read receipts but not inspections (403)', async () => {
    expect((await warehouse.request('GET', `/api/v1/purchasing/receipts/${receipt.id}/pdf`)).statusCode).toBe(403);
  });

  it("answers 404 for another tenant's receipt", async () => {
    const elsewhere = await purchasingWorld(db);
    const theirs = await receivedLot(elsewhere, '10');
    const res = await auditor.request('GET', `/api/v1/purchasing/receipts/${theirs.id}/pdf`);
    expect(res.statusCode).toBe(404);
  });
});
