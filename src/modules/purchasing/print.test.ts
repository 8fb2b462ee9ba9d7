import type { FastifyInstance } from 'fastify';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { TEST_SITE_TIME_ZONE, testDatabase } from '../../../test/db.js';
import { type Caller, createRole, createUser, loginAs, TestClock } from '../../../test/identity.js';
import { aLine, type PurchasingWorld, purchasingWorld } from '../../../test/purchasing.js';
import type { Database } from '../../platform/db/index.js';
import { formatSignedAt, listSignatures } from '../../platform/esign/index.js';
import { completeDocument, documentHash } from '../../platform/pdf/index.js';
import { createPurchaseOrder, type PurchaseOrder, transitionPurchaseOrder } from './orders.js';
import { purchaseOrderRecord } from './print.js';

let db: Database;
let app: FastifyInstance;
let w: PurchasingWorld;
let other: PurchasingWorld;
let reader: Caller;
let outsider: Caller;
let po: PurchaseOrder;
const clock = new TestClock();

/** An order of two lines with a Chinese note, approved (signed by Wang Fang) and sent. */
async function approvedOrder(world: PurchasingWorld): Promise<PurchaseOrder> {
  return world.tx(async (tx) => {
    const draft = await createPurchaseOrder(tx, {
      supplierId: world.suppliers.approved,
      siteId: world.site.id,
      currency: 'CNY',
      notes: '请按批次分别包装，并随货附分析证书。',
      lines: [
        aLine(world.items.luer, { quantity: '1200', unitPrice: '0.85', dueDate: '2026-12-15' }),
        aLine(world.items.tubing, { quantity: '350.5', unit: 'm', unitPrice: '2.40', dueDate: '2026-12-20' }),
      ],
    });
    await transitionPurchaseOrder(tx, world.approver, world.verifier, draft.id, {
      to: 'approved',
      credentials: world.credentialsOf(world.approver),
    });
    return transitionPurchaseOrder(tx, world.person, null, draft.id, { to: 'sent' });
  });
}

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  w = await purchasingWorld(db);
  other = await purchasingWorld(db);
  po = await approvedOrder(w);
  reader = await loginAs(app, await createUser(db, w, { fullName: 'Zhao Min', roles: ['Auditor'] }), clock);
  await createRole(db, w, { name: 'Inspection reader', grants: ['quality:read'] });
  outsider = await loginAs(app, await createUser(db, w, { roles: ['Inspection reader'] }), clock);
});

afterAll(async () => {
  await app.close();
  await db.close();
});

async function print(caller: Caller, id: string, lang?: string) {
  const res = await caller.request('GET', `/api/v1/purchasing/orders/${id}/pdf${lang ? `?lang=${lang}` : ''}`);
  return res;
}

async function pages(body: Buffer): Promise<string[]> {
  const { text } = await extractText(new Uint8Array(body));
  return text.map((page) => page.replace(/\s+/g, ' '));
}

const footerHash = (page: string) => /SHA-256[)）]?[:：]\s*([0-9a-f]{64})/.exec(page)?.[1];

describe('the purchase order as a printed record', () => {
  it('[P11.10b] prints the order as a PDF named by its number, field by field with every line', async () => {
    const res = await print(reader, po.id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="${po.number}.pdf"`);
    // The browser's PDF viewer draws with inline styles and a plugin: the answer allows those, and no framing.
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    const [page = '', ...rest] = await pages(res.rawPayload);
    expect(rest).toHaveLength(0);
    expect(page).toContain(`Purchase order ${po.number}`);
    expect(page).toContain(`Record id: ${po.id}`);
    expect(page).toContain('Status: Sent');
    expect(page).toContain('Supplier SUP-OK SUP-OK Co.');
    expect(page).toContain('Site P1 Plant 1');
    expect(page).toMatch(/Order total 1,861\.20* CNY/);
    expect(page).toContain('1 LUER-M Luer connector 1,200 ea 0.85 15 Dec 2026');
    expect(page).toContain('2 PVC-TUBE PVC tubing 350.5 m 2.40 20 Dec 2026');
    expect(page).toContain('请按批次分别包装，并随货附分析证书。');
    expect(page).toContain('Page 1 of 1');
    expect(page).toContain('by Zhao Min');
  });

  it('[P11.50] manifests the approval: printed name, local date and time with offset, meaning, signature id', async () => {
    const [signature] = await w.tx((tx) => listSignatures(tx, 'purchase_orders', po.id));
    const local = formatSignedAt(signature!.signedAt, TEST_SITE_TIME_ZONE);
    const [page = ''] = await pages((await print(reader, po.id)).rawPayload);
    expect(page).toContain(`Signed by Wang Fang (${signature!.signer.login}), ${local}, meaning: Approved`);
    expect(page).toContain(`Signature id: ${signature!.id} · Valid`);
  });

  it('[P11.10b] prints the hash of the record document in the footer, the same on every print and in every language', async () => {
    const expected = await w.tx(async (tx) => documentHash(await completeDocument(tx, await purchaseOrderRecord(tx, po.id))));
    const first = await print(reader, po.id);
    const again = await print(reader, po.id);
    const chinese = await print(reader, po.id, 'zh-CN');
    expect(footerHash((await pages(first.rawPayload))[0]!)).toBe(expected);
    expect(footerHash((await pages(again.rawPayload))[0]!)).toBe(expected);
    expect(footerHash((await pages(chinese.rawPayload))[0]!)).toBe(expected);
    expect(first.headers['x-content-sha256']).toBe(expected);
  });

  it('prints in Chinese for a reader who asks for it, the Chinese text extracted intact', async () => {
    const [signature] = await w.tx((tx) => listSignatures(tx, 'purchase_orders', po.id));
    const byHeader = await reader.request('GET', `/api/v1/purchasing/orders/${po.id}/pdf`, undefined, {
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
    });
    expect(byHeader.headers['content-language']).toBe('zh-CN');
    const [page = ''] = await pages(byHeader.rawPayload);
    expect(page).toContain(`采购订单 ${po.number}`);
    expect(page).toContain('状态: 已下达');
    expect(page).toContain('供应商 SUP-OK SUP-OK Co.');
    expect(page).toContain('2026年12月15日');
    expect(page).toContain('请按批次分别包装，并随货附分析证书。');
    expect(page).toContain(
      `签名人：Wang Fang（${signature!.signer.login}），时间：${formatSignedAt(signature!.signedAt, TEST_SITE_TIME_ZONE)}，含义：批准`,
    );
    expect(page).toContain('第 1 页，共 1 页');
  });

  it('[P11.10d] refuses a person without the read permission (403)', async () => {
    expect((await print(outsider, po.id)).statusCode).toBe(403);
  });

  it("answers 404 for another tenant's order, as for any record not found", async () => {
    const theirs = await approvedOrder(other);
    const res = await print(reader, theirs.id);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'error.purchasing.po.notFound' });
  });
});
