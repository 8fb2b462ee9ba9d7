import type { FastifyInstance } from 'fastify';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.js';
import { testDatabase } from '../../test/db.js';
import { createSigner, type Signer } from '../../test/identity.js';
import { signedBy } from '../../test/inventory.js';
import { firstRevisionId } from '../../test/masterdata.js';
import { confirmedOrder, inTx, releasedSerials, type SalesWorld, salesWorld, setLot } from '../../test/sales.js';
import { hold, INVENTORY_PERMISSIONS, receiveIntoQuarantine, release } from '../modules/inventory/index.js';
import { getItemRevision } from '../modules/masterdata/index.js';
import { describeShipment, isSscc, type RecordedShipment, SALES_PERMISSIONS } from '../modules/sales/index.js';
import { addDays } from '../platform/dates.js';
import type { Database } from '../platform/db/index.js';
import { formatSignedAt, listSignatures } from '../platform/esign/index.js';
import { completeDocument, documentHash } from '../platform/pdf/index.js';
import { certificateRecord, packingListRecord } from './print-shipment-documents.js';
import { shipOrder } from './ship-order.js';

let db: Database;
let app: FastifyInstance;
let w: SalesWorld;
let other: SalesWorld;
let qa: Signer;
/** Two pump serials in carton 1, 30 of a QA-released set lot in carton 2. */
let small: RecordedShipment;
let setLotId: string;
let setLotNumber: string;
/** 200 pump serials in 4 cartons. */
let large: RecordedShipment;
/** A shipment whose lot was put on hold after it left. */
let heldShipment: RecordedShipment;
let heldLotNumber: string;
let theirs: RecordedShipment;

async function shipSmall(world: SalesWorld, prefix: string, signer: Signer) {
  return inTx(db, world, async (tx) => {
    const serials = await releasedSerials(tx, world, [`${prefix}-001`, `${prefix}-002`]);
    const { lots } = await receiveIntoQuarantine(tx, {
      itemId: world.devices.set,
      itemRevisionId: await firstRevisionId(tx, world.devices.set),
      locationId: world.locations.quarantine,
      quantity: '50',
      manufacturedOn: addDays(world.today, -20),
      expiresOn: addDays(world.today, 700),
    });
    const lot = lots[0]!;
    await release(tx, { lotId: lot.id, reason: '批记录已审核，放行', signing: signedBy(signer) });
    const order = await confirmedOrder(tx, world, [
      { itemId: world.devices.pump, quantity: '2' },
      { itemId: world.devices.set, quantity: '30' },
    ]);
    const shipment = await shipOrder(tx, world.ctx, {
      orderId: order.id,
      carrier: 'SF Express',
      trackingNumber: 'SF1234567890',
      cartons: 2,
      lines: [
        { lineNo: 1, lots: serials.map((s) => ({ lotId: s.id, quantity: '1', carton: 1 })) },
        { lineNo: 2, lots: [{ lotId: lot.id, quantity: '30', carton: 2 }] },
      ],
    });
    return { shipment, lot };
  });
}

beforeAll(async () => {
  db = await testDatabase();
  w = await salesWorld(db);
  qa = await createSigner(db, w, { fullName: 'Chen Jing', roles: ['QA Manager'] });
  const caller = (id: string, name: string, permissions: string[]) => ({
    tenantId: w.tenant.id,
    siteId: w.site.id,
    actor: { kind: 'user' as const, id, name },
    permissions,
  });
  app = await testApp(db, {
    callers: {
      shipping: caller('u-ship', 'Wang Qiang', [SALES_PERMISSIONS.read, INVENTORY_PERMISSIONS.read]),
      salesOnly: caller('u-desk', 'Zhao Lei', [SALES_PERMISSIONS.read]),
      stockOnly: caller('u-stock', 'Li Na', [INVENTORY_PERMISSIONS.read]),
    },
  });
  const first = await shipSmall(w, 'PL', qa);
  small = first.shipment;
  setLotId = first.lot.id;
  setLotNumber = first.lot.number;

  large = await inTx(db, w, async (tx) => {
    const serials = await releasedSerials(
      tx,
      w,
      Array.from({ length: 200 }, (_, i) => `BIG-${String(i + 1).padStart(4, '0')}`),
    );
    const order = await confirmedOrder(tx, w, [{ itemId: w.devices.pump, quantity: '200' }]);
    return shipOrder(tx, w.ctx, {
      orderId: order.id,
      cartons: 4,
      lines: [{ lineNo: 1, lots: serials.map((s, i) => ({ lotId: s.id, quantity: '1', carton: Math.floor(i / 50) + 1 })) }],
    });
  });

  heldShipment = await inTx(db, w, async (tx) => {
    const lot = await setLot(tx, w, '20', { expiresOn: addDays(w.today, 500) });
    heldLotNumber = lot.number;
    const order = await confirmedOrder(tx, w, [{ itemId: w.devices.set, quantity: '5' }]);
    const shipment = await shipOrder(tx, w.ctx, { orderId: order.id, lines: [{ lineNo: 1, lots: [{ lotId: lot.id, quantity: '5' }] }] });
    await hold(tx, { lotId: lot.id, reason: 'customer complaint under investigation' });
    return shipment;
  });

  other = await salesWorld(db);
  const otherQa = await createSigner(db, other, { roles: ['QA Manager'] });
  theirs = (await shipSmall(other, 'OT', otherQa)).shipment;
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const get = (who: string, url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { 'x-test-caller': who } });

async function pages(body: Buffer): Promise<string[]> {
  const { text } = await extractText(new Uint8Array(body));
  return text.map((page) => page.replace(/\s+/g, ' '));
}

/** The GS1 mod-10 check digit of the first 17 digits of an SSCC, computed here independently. */
function checkDigit(first17: string): number {
  const sum = [...first17].reverse().reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

describe('the packing list of a shipment', () => {
  it('[P11.10b] prints shipper, customer, ship-to, cartons with SSCC and every lot and serial, field by field', async () => {
    const res = await get('shipping', `/sales/shipments/${small.id}/packing-list/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="${small.number}.pdf"`);
    const text = (await pages(res.rawPayload)).join(' ');
    const d = await inTx(db, w, (tx) => describeShipment(tx, small.id));
    expect(text).toContain(`Packing list ${small.number}`);
    expect(text).toContain(`Record id: ${small.id}`);
    expect(text).toContain('Status: Shipped');
    expect(text).toContain(w.site.name);
    expect(text).toContain('Customer CUS-HUAMED Huamed Distribution');
    expect(text).toContain('Shipped to Huamed Distribution warehouse, 88 Zhongshan Road, 200001 Shanghai, CN');
    expect(text).toContain(`Shipment ${small.number}`);
    expect(text).toMatch(/Shipped on \d{1,2} [A-Z][a-z]{2} \d{4}/);
    expect(text).toContain(`Order ${d.order.number}`);
    expect(text).toContain('Carrier SF Express');
    expect(text).toContain('Tracking number SF1234567890');
    expect(small.sscc).toHaveLength(2);
    for (const [i, sscc] of small.sscc.entries()) {
      expect(isSscc(sscc)).toBe(true);
      expect(sscc).toMatch(/^\d{18}$/);
      expect(Number(sscc[17])).toBe(checkDigit(sscc.slice(0, 17)));
      expect(text).toContain(`${i + 1} ${sscc} (00)${sscc}`);
    }
    const pump = d.lines[0]!;
    const set = d.lines[1]!;
    for (const serial of pump.lots) {
      expect(text).toContain(`1 ${pump.item.code} Infusion pump IP-7`);
      expect(text).toContain(serial.number);
      expect(serial.udiHri ?? serial.udi).toBeTruthy();
      expect(text.replace(/ /g, '')).toContain(serial.udiHri ?? serial.udi!);
    }
    const lot = set.lots[0]!;
    expect(lot.number).toBe(setLotNumber);
    const revision = await inTx(db, w, async (tx) => (await getItemRevision(tx, await firstRevisionId(tx, w.devices.set))).revision);
    expect(text).toContain(`2 ${set.item.code} Infusion set IS-200, rev. ${revision}`);
    expect(text).toContain(lot.number);
    expect(text).toContain('30 ea');
    expect(text.replace(/ /g, '')).toContain(lot.udiHri ?? lot.udi!);
    expect(text).toContain('Totals');
    expect(text).toContain('Cartons 2');
    expect(text).toContain('Lots and serials 3');
    expect(text).toContain('Total quantity 32 ea');
  });

  it('[P11.10b] runs a 200-serial shipment over pages numbered X of Y, repeating the table header on each', async () => {
    const res = await get('shipping', `/sales/shipments/${large.id}/packing-list/pdf`);
    expect(res.statusCode).toBe(200);
    const all = await pages(res.rawPayload);
    expect(all.length).toBeGreaterThan(2);
    for (const [i, page] of all.entries()) expect(page).toContain(`Page ${i + 1} of ${all.length}`);
    const header = 'Carton Item Lot / serial Expiry Quantity UDI';
    const withHeader = all.filter((p) => p.includes(header));
    expect(withHeader.length).toBeGreaterThan(1);
    // Every page between the first and the totals continues the table under its header.
    for (const page of all.slice(1, -1)) expect(page).toContain(header);
    const text = all.join(' ');
    for (let n = 1; n <= 200; n++) expect(text).toContain(`BIG-${String(n).padStart(4, '0')}`);
    expect(text).toContain('Lots and serials 200');
    expect(text).toContain('Total quantity 200 ea');
    for (const sscc of large.sscc) expect(text).toContain(`(00)${sscc}`);
  });

  it('[P11.10b] prints the hash of the record document, stable from print to print and language to language', async () => {
    const expected = await inTx(db, w, async (tx) => documentHash(await completeDocument(tx, await packingListRecord(tx, small.id))));
    const en = await get('shipping', `/sales/shipments/${small.id}/packing-list/pdf`);
    const again = await get('shipping', `/sales/shipments/${small.id}/packing-list/pdf`);
    const zh = await get('shipping', `/sales/shipments/${small.id}/packing-list/pdf?lang=zh-CN`);
    expect(en.headers['x-content-sha256']).toBe(expected);
    expect(again.headers['x-content-sha256']).toBe(expected);
    expect(zh.headers['x-content-sha256']).toBe(expected);
    expect((await pages(en.rawPayload)).join(' ')).toContain(`Content hash (SHA-256): ${expected}`);
  });

  it('prints in Chinese for a reader of zh-CN', async () => {
    const res = await get('shipping', `/sales/shipments/${small.id}/packing-list/pdf?lang=zh-CN`);
    expect(res.headers['content-language']).toBe('zh-CN');
    const text = (await pages(res.rawPayload)).join(' ');
    expect(text).toContain(`装箱单 ${small.number}`);
    expect(text).toContain('客户 CUS-HUAMED Huamed Distribution');
    expect(text).toContain('GS1 元素串');
    expect(text).toContain('批号/序列号');
    expect(text).toContain('合计');
  });

  it('[P11.10d] refuses a caller without inventory:read or without sales:read (403)', async () => {
    expect((await get('salesOnly', `/sales/shipments/${small.id}/packing-list/pdf`)).statusCode).toBe(403);
    expect((await get('stockOnly', `/sales/shipments/${small.id}/packing-list/pdf`)).statusCode).toBe(403);
  });

  it("answers 404 for another tenant's shipment", async () => {
    expect((await get('shipping', `/sales/shipments/${theirs.id}/packing-list/pdf`)).statusCode).toBe(404);
    expect((await get('shipping', `/sales/shipments/${theirs.id}/certificate-of-conformity/pdf`)).statusCode).toBe(404);
  });
});

describe('the certificate of conformity of a shipment', () => {
  it('[P11.50] states conformity, lists every lot with its release and manifests the QA release signature', async () => {
    const res = await get('shipping', `/sales/shipments/${small.id}/certificate-of-conformity/pdf`);
    expect(res.statusCode).toBe(200);
    const text = (await pages(res.rawPayload)).join(' ');
    const [signature] = await inTx(db, w, (tx) => listSignatures(tx, 'lots', setLotId));
    expect(text).toContain(`Certificate of conformity ${small.number}`);
    expect(text).toContain('Status: Conforms');
    expect(text).toContain('were manufactured, inspected and released under our quality management system (ISO 13485)');
    expect(text).toContain('Shipped to Huamed Distribution warehouse');
    expect(text).toContain('PL-001');
    expect(text).toContain('PL-002');
    expect(text).toContain(setLotNumber);
    expect(text).toMatch(
      new RegExp(
        `${setLotNumber} \\d{1,2} \\w{3} \\d{4} 30 ea Released \\d{1,2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{2}:\\d{2} Chen Jing`,
      ),
    );
    expect(text).toContain('PL-001 — 1 ea Shipped');
    expect(text).toContain(
      `Signed by Chen Jing (${signature!.signer.login}), ${formatSignedAt(signature!.signedAt, w.site.timeZone)}, meaning: Released`,
    );
    expect(text).toContain(`Signature id: ${signature!.id} · Valid`);
    expect(text).toContain('Comment: 批记录已审核，放行');
  });

  it('prints the statement in Chinese, with a hash that does not depend on the language', async () => {
    const expected = await inTx(db, w, async (tx) => documentHash(await completeDocument(tx, await certificateRecord(tx, small.id))));
    const res = await get('shipping', `/sales/shipments/${small.id}/certificate-of-conformity/pdf?lang=zh-CN`);
    expect(res.headers['x-content-sha256']).toBe(expected);
    const text = (await pages(res.rawPayload)).join(' ');
    expect(text).toContain(`合格证明 ${small.number}`);
    expect(text).toContain('合格声明');
    expect(text).toContain('符合其批准的规格要求');
  });

  it('refuses (409) to certify a shipment holding a lot that is not released, naming the lot', async () => {
    const res = await get('shipping', `/sales/shipments/${heldShipment.id}/certificate-of-conformity/pdf`);
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json() as { code: string; params: { lot: string } };
    expect(problem.code).toBe('error.sales.certificate.lotNotReleased');
    expect(problem.params.lot).toBe(heldLotNumber);
    // The packing list of the same shipment still prints: it claims nothing about conformity.
    expect((await get('shipping', `/sales/shipments/${heldShipment.id}/packing-list/pdf`)).statusCode).toBe(200);
  });

  it('[P11.10d] refuses a caller who may read sales but not lots (403)', async () => {
    expect((await get('salesOnly', `/sales/shipments/${small.id}/certificate-of-conformity/pdf`)).statusCode).toBe(403);
  });
});
