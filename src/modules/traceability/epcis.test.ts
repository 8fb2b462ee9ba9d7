import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { testDatabase } from '../../../test/db.js';
import { createSigner, type Signer } from '../../../test/identity.js';
import { signedBy } from '../../../test/inventory.js';
import { anItem, firstRevisionId, release as releaseRevision } from '../../../test/masterdata.js';
import { purchasingWorld } from '../../../test/purchasing.js';
import { receivedLot } from '../../../test/quality.js';
import { confirmedOrder, inTx, type SalesWorld, salesWorld } from '../../../test/sales.js';
import { shipOrder } from '../../flows/ship-order.js';
import { addDays } from '../../platform/dates.js';
import type { Database } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { hold, release, takeOverStock, unhold } from '../inventory/index.js';
import { setBom } from '../masterdata/bom.js';
import { createWorkOrder, issueMaterial, reportOutput, transitionWorkOrder } from '../production/index.js';
import { getPurchaseOrder } from '../purchasing/index.js';
import { TRACEABILITY_PERMISSIONS } from './contract.js';
import { checkedDocument, EpcisExportInvalid, localTime, lotEpcis, zoneOffset } from './epcis.js';
import { eventHashId } from './epcis-hash.js';
import { validateEpcisDocument } from './epcis-validate.js';

const PUMP_GTIN = '09506000134352';
const CAP_GTIN = '09506000134390';

let db: Database;
let app: FastifyInstance;
let w: SalesWorld;
let other: SalesWorld;
let qa: Signer;
let capLot: { id: string; number: string };
let serials: Array<{ id: string; number: string }>;
let orderNumber: string;
let shipmentNumber: string;
let sscc: string;

/** Caps in stock → issued to a pump work order → two serials commissioned, inspected and released → one held and freed → both shipped in carton 1. */
beforeAll(async () => {
  db = await testDatabase();
  w = await salesWorld(db);
  other = await salesWorld(db);
  qa = await createSigner(db, w, { fullName: 'Chen Jing', roles: ['QA Manager'] });
  const revision = await inTx(db, w, async (tx) => {
    const cap = await anItem(tx, { name: 'Pump cap', gtin: CAP_GTIN });
    const rev = await firstRevisionId(tx, w.devices.pump);
    await setBom(tx, rev, [{ lineNo: 10, componentItemId: cap.id, quantityPer: '1', unit: 'ea' }]);
    const { lots } = await takeOverStock(tx, {
      itemId: cap.id,
      locationId: w.locations.store,
      quantity: '100',
      status: 'released',
      manufacturedOn: addDays(w.today, -30),
      source: 'legacy ERP',
    });
    capLot = lots[0]!;
    return rev;
  });
  await withTenant(db, qa.ctx, (tx) => releaseRevision(tx, qa, revision));
  serials = await inTx(db, w, async (tx) => {
    const order = await createWorkOrder(tx, { itemRevisionId: revision, quantity: '2', siteId: w.site.id, dueDate: addDays(w.today, 5) });
    await transitionWorkOrder(tx, w.ctx, order.id, { to: 'released' });
    await issueMaterial(tx, w.ctx, order.id, { lotId: capLot.id, quantity: '2' });
    const output = await reportOutput(tx, w.ctx, order.id, { quantity: '2' });
    return output.lots.map((l) => ({ id: l.id, number: l.number }));
  });
  await inTx(db, w, async (tx) => {
    for (const s of serials) await release(tx, { lotId: s.id, reason: 'DHR reviewed', signing: signedBy(qa) });
    await hold(tx, { lotId: serials[0]!.id, reason: 'field notice under review' });
  });
  // Freed in a later request: released and freed at one instant would be one and the same EPCIS event.
  await inTx(db, w, (tx) => unhold(tx, { lotId: serials[0]!.id, reason: 'field notice does not apply' }));
  await inTx(db, w, async (tx) => {
    const order = await confirmedOrder(tx, w, [{ itemId: w.devices.pump, quantity: '2' }]);
    const shipment = await shipOrder(tx, w.ctx, {
      orderId: order.id,
      carrier: 'SF Express',
      trackingNumber: 'SF1234567890',
      cartons: 1,
      lines: [{ lineNo: 1, lots: serials.map((s) => ({ lotId: s.id, quantity: '1', carton: 1 })) }],
    });
    orderNumber = order.number;
    shipmentNumber = shipment.number;
    sscc = shipment.sscc[0]!;
  });
  const caller = (tenant: SalesWorld, permissions: string[]) => ({
    tenantId: tenant.tenant.id,
    siteId: tenant.site.id,
    actor: { kind: 'user' as const, id: 'u-trace', name: 'Liu Yang' },
    permissions,
  });
  app = await testApp(db, {
    callers: {
      tracer: caller(w, [TRACEABILITY_PERMISSIONS.read]),
      plain: caller(w, ['auth:self']),
      theirs: caller(other, [TRACEABILITY_PERMISSIONS.read]),
    },
  });
}, 120_000);
afterAll(async () => {
  await app.close();
  await db.close();
});

const urn = (...parts: string[]) => `urn:mediforge:${w.tenant.id}:${parts.map(encodeURIComponent).join(':')}`;

describe('EPCIS 2.0 export of a serial and a lot', () => {
  it("[Q.TRC] exports a serial's life in order: made from the caps, commissioned, inspected, held, freed, packed into its SSCC, shipped", async () => {
    const doc = await inTx(db, w, (tx) => lotEpcis(tx, w.tenant.id, serials[0]!.id, new Date('2026-12-04T10:00:00Z')));
    expect(validateEpcisDocument(doc)).toEqual([]);
    expect(doc).toMatchObject({ type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-12-04T10:00:00.000Z' });
    const events = doc.epcisBody.eventList;
    expect(events.map((e) => [e.type, e.bizStep, e.disposition])).toEqual([
      ['TransformationEvent', 'creating_class_instance', 'in_progress'],
      ['ObjectEvent', 'commissioning', 'active'],
      ['ObjectEvent', 'inspecting', 'conformant'],
      ['ObjectEvent', 'holding', 'non_sellable_other'],
      ['ObjectEvent', 'inspecting', 'conformant'],
      ['AggregationEvent', 'packing', 'in_progress'],
      ['ObjectEvent', 'shipping', 'in_transit'],
    ]);
    const epc = `https://id.gs1.org/01/${PUMP_GTIN}/21/${serials[0]!.number}`;
    const [made, commissioned, , , , packed, shipped] = events;
    expect(made).toMatchObject({
      inputQuantityList: [{ epcClass: `https://id.gs1.org/01/${CAP_GTIN}/10/${capLot.number}` }],
      outputEPCList: [epc],
    });
    expect(commissioned).toMatchObject({ action: 'ADD', epcList: [epc], ilmd: { 'cbvmda:productionDate': expect.any(String) } });
    expect(packed).toMatchObject({ action: 'ADD', parentID: `https://id.gs1.org/00/${sscc}`, childEPCs: [epc] });
    expect(shipped).toMatchObject({
      action: 'OBSERVE',
      epcList: [epc],
      bizTransactionList: [
        { type: 'po', bizTransaction: urn('sales-order', orderNumber) },
        { type: 'desadv', bizTransaction: urn('shipment', shipmentNumber) },
      ],
      sourceList: [{ type: 'owning_party', source: urn('tenant') }],
      destinationList: [{ type: 'owning_party', destination: urn('customer', 'CUS-HUAMED') }],
      bizLocation: { id: urn('site', w.site.code) },
    });
    for (const e of events) {
      expect(e.eventTimeZoneOffset).toMatch(/^[+-]\d\d:\d\d$/);
      expect(e.eventTime.endsWith(e.eventTimeZoneOffset)).toBe(true);
      // The CBV 2.0 event hash ID of the event as exported.
      const { eventID, ...content } = e;
      expect(eventID).toBe(eventHashId(content));
    }
    expect(new Set(events.map((e) => e.eventID)).size).toBe(events.length);
    const again = await inTx(db, w, (tx) => lotEpcis(tx, w.tenant.id, serials[0]!.id));
    expect(again.epcisBody.eventList.map((e) => e.eventID)).toEqual(events.map((e) => e.eventID));
  });

  it('[Q.TRC] exports a component lot, released at go-live, as the quantity issued into the work order and the serials made of it', async () => {
    const doc = await inTx(db, w, (tx) => lotEpcis(tx, w.tenant.id, capLot.id));
    expect(validateEpcisDocument(doc)).toEqual([]);
    // Taken over as released at go-live: the release is the lot's first event here.
    expect(doc.epcisBody.eventList).toEqual([
      expect.objectContaining({ type: 'ObjectEvent', bizStep: 'inspecting', disposition: 'conformant' }),
      expect.objectContaining({
        type: 'TransformationEvent',
        inputQuantityList: [{ epcClass: `https://id.gs1.org/01/${CAP_GTIN}/10/${capLot.number}`, quantity: 2 }],
        outputEPCList: expect.arrayContaining(serials.map((s) => `https://id.gs1.org/01/${PUMP_GTIN}/21/${s.number}`)),
      }),
    ]);
  });

  it('[Q.TRC] exports a purchased lot as received against its purchase order, from the supplier to us', async () => {
    const p = await purchasingWorld(db);
    const receipt = await receivedLot(p, '40');
    const { doc, po } = await p.tx(async (tx) => ({
      doc: await lotEpcis(tx, p.tenant.id, receipt.lotId),
      po: await getPurchaseOrder(tx, receipt.poId),
    }));
    expect(validateEpcisDocument(doc)).toEqual([]);
    const base = `urn:mediforge:${p.tenant.id}`;
    expect(doc.epcisBody.eventList[0]).toMatchObject({
      type: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'receiving',
      disposition: 'in_progress',
      bizTransactionList: [{ type: 'po', bizTransaction: `${base}:purchase-order:${encodeURIComponent(po.number)}` }],
      sourceList: [{ type: 'owning_party', source: `${base}:supplier:${receipt.supplierId}` }],
      destinationList: [{ type: 'owning_party', destination: `${base}:tenant` }],
    });
  });

  it('never lets an invalid document out', () => {
    const broken = { '@context': [], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: 'yesterday', epcisBody: { eventList: [] } };
    expect(() => checkedDocument(broken)).toThrow(EpcisExportInvalid);
    try {
      checkedDocument(broken);
    } catch (err) {
      expect(err).toMatchObject({ status: 500, code: 'error.epcis.exportInvalid' });
    }
  });

  it('writes local time with the zone offset of the instant', () => {
    const summer = new Date('2026-07-01T12:00:00Z');
    expect(zoneOffset('Asia/Shanghai', summer)).toBe('+08:00');
    expect(zoneOffset('Europe/Berlin', summer)).toBe('+02:00');
    expect(zoneOffset('UTC', summer)).toBe('+00:00');
    expect(localTime(summer, '+08:00')).toBe('2026-07-01T20:00:00.000+08:00');
    expect(localTime(summer, '-05:30')).toBe('2026-07-01T06:30:00.000-05:30');
  });
});

describe('GET /traceability/epcis and POST /traceability/epcis/validate', () => {
  const get = (query: string, who = 'tracer') =>
    app.inject({ method: 'GET', url: `/api/v1/traceability/epcis?${query}`, headers: { 'x-test-caller': who } });

  it('[Q.TRC] answers JSON-LD for a lot or a serial number, to holders of traceability:read in their own tenant only', async () => {
    const byLot = await get(`lot=${serials[1]!.id}`);
    expect(byLot.statusCode).toBe(200);
    expect(byLot.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(validateEpcisDocument(byLot.json())).toEqual([]);
    const bySerial = await get(`serial=${encodeURIComponent(serials[1]!.number)}`);
    expect(bySerial.json().epcisBody.eventList.map((e: { eventID: string }) => e.eventID)).toEqual(
      byLot.json().epcisBody.eventList.map((e: { eventID: string }) => e.eventID),
    );
    expect((await get(`lot=${serials[1]!.id}`, 'plain')).statusCode).toBe(403);
    expect((await get(`lot=${serials[1]!.id}`, 'theirs')).statusCode).toBe(404);
    expect((await get(`serial=${encodeURIComponent(serials[1]!.number)}`, 'theirs')).statusCode).toBe(404);
  });

  it('refuses a request naming neither or both, and bad input', async () => {
    expect((await get('')).json()).toMatchObject({ status: 400, code: 'error.epcis.lotOrSerial' });
    expect((await get(`lot=${serials[0]!.id}&serial=X`)).statusCode).toBe(400);
    expect((await get('lot=not-a-uuid')).statusCode).toBe(400);
    expect((await get('serial=%00')).statusCode).toBe(400);
  });

  it('[Q.TRC] checks an uploaded document: valid answers how many events, invalid answers every problem as a field error', async () => {
    const doc = await inTx(db, w, (tx) => lotEpcis(tx, w.tenant.id, serials[0]!.id));
    const post = (body: unknown, type = 'application/ld+json') =>
      app.inject({
        method: 'POST',
        url: '/api/v1/traceability/epcis/validate',
        headers: { 'x-test-caller': 'plain', 'content-type': type },
        payload: JSON.stringify(body),
      });
    const ok = await post(doc);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ valid: true, events: 7 });
    const bad = structuredClone(doc) as unknown as { epcisBody: { eventList: Array<Record<string, unknown>> } };
    bad.epcisBody.eventList[3]!.action = 'CREATE';
    delete bad.epcisBody.eventList[2]!.eventTimeZoneOffset;
    const refused = await post(bad, 'application/json');
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ pointer: '/body/epcisBody/eventList/2/eventTimeZoneOffset', code: 'error.epcis.required' }),
      expect.objectContaining({ pointer: '/body/epcisBody/eventList/3/action', code: 'error.epcis.value' }),
    ]);
  });
});
