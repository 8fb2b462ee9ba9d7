import type { FastifyInstance } from 'fastify';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerCaller, testApp } from '../../test/app.js';
import { testDatabase } from '../../test/db.js';
import { createSigner, type Signer } from '../../test/identity.js';
import { signedBy } from '../../test/inventory.js';
import { anItem } from '../../test/masterdata.js';
import { aWorkOrder, type ProductionWorld, productionWorld, stockLot } from '../../test/production.js';
import { getLot, release, takeOverStock } from '../modules/inventory/index.js';
import { createCustomer, createSupplier } from '../modules/masterdata/partners.js';
import { createEquipment } from '../modules/masterdata/resources.js';
import { issueMaterial, reportOutput } from '../modules/production/index.js';
import { startOperation } from '../modules/production/operations.js';
import { addWorkingDays } from '../modules/recall/deadlines.js';
import { RECALL_PERMISSIONS, type RecallStart } from '../modules/recall/index.js';
import { findAffected } from '../modules/recall/query.js';
import {
  acknowledgeNotice,
  raiseRecall,
  recallDetail,
  recordNotice,
  refreshRecall,
  transitionRecall,
  updateRecall,
} from '../modules/recall/records.js';
import { createSalesOrder, setSalesSettings, transitionSalesOrder } from '../modules/sales/index.js';
import { addDays } from '../platform/dates.js';
import type { Database, Tx } from '../platform/db/index.js';
import { sql } from '../platform/db/index.js';
import { withTenant } from '../platform/tenancy/index.js';
import { initiateRecall } from './initiate-recall.js';
import { shipOrder } from './ship-order.js';

let db: Database;
let w: ProductionWorld;
let other: ProductionWorld;
let author: Signer;
let app: FastifyInstance;
/** A tubing lot from a supplier (supplier lot RES-8841) made into a device lot; 4 of its 7 devices shipped to Huamed. */
let s: { supplier: string; tubing: string; device: string; customer: string; equipment: string; operatorId: string; pumpItem: string };

const inTx = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, w.ctx, fn);

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as { status?: number; code?: string; errors?: Array<{ code?: string; pointer?: string }> };
    return { status: e.status, code: e.code, fields: (e.errors ?? []).map((f) => `${f.pointer} ${f.code}`) };
  }
  return { status: 0, code: 'no error', fields: [] };
};

beforeAll(async () => {
  db = await testDatabase();
  w = await productionWorld(db);
  other = await productionWorld(db);
  author = await createSigner(db, w, { fullName: 'Huang Min', roles: ['QA Manager'] });
  s = await inTx(async (tx) => {
    const supplier = await createSupplier(tx, {
      code: 'SUP-RESIN',
      name: 'Suzhou Polymers',
      addressLine1: '1 Road',
      city: 'Suzhou',
      country: 'CN',
    });
    const tubing = await stockLot(tx, w, w.items.tubing, '50');
    await tx.query(sql`UPDATE lots SET supplier_id = ${supplier.id}, supplier_lot = 'RES-8841' WHERE id = ${tubing.id}`);
    const caps = await stockLot(tx, w, w.parts.cap, '100');
    const equipment = await createEquipment(tx, { code: 'PRESS-7', name: 'Assembly press', workCenterId: w.workCenter });
    const order = await aWorkOrder(tx, w, '7');
    await issueMaterial(tx, w.ctx, order.id, { lotId: tubing.id, quantity: '10' });
    await issueMaterial(tx, w.ctx, order.id, { lotId: caps.id, quantity: '14' });
    await startOperation(tx, author.ctx, order.id, 10, { equipmentId: equipment.id });
    const output = await reportOutput(tx, w.ctx, order.id, { quantity: '7' });
    const customer = await createCustomer(tx, {
      code: 'CUS-HUAMED',
      name: 'Huamed Distribution',
      contactName: 'Liu Yang',
      email: 'qa@huamed.example',
      shipTos: [
        {
          code: 'MAIN',
          name: 'Huamed warehouse',
          addressLine1: '88 Zhongshan Road',
          city: 'Shanghai',
          postalCode: '200001',
          country: 'CN',
        },
      ],
    });
    await setSalesSettings(tx, { gs1CompanyPrefix: '9506000', ssccExtension: 3 });
    const pump = await anItem(tx, { name: 'Infusion pump', type: 'finished_device', tracking: 'serial' });
    await takeOverStock(tx, {
      itemId: pump.id,
      locationId: w.locations.store,
      serials: ['SN-98', 'SN-99', 'SN-100', 'SN-101'],
      status: 'released',
      source: 'legacy ERP',
    });
    return {
      supplier: supplier.id,
      tubing: tubing.id,
      device: output.lots[0]!.id,
      customer: customer.id,
      shipTo: customer.shipTos[0]!.id,
      equipment: equipment.id,
      operatorId: author.user.id,
      pumpItem: pump.id,
    };
  });
  await withTenant(db, w.qa.ctx, (tx) => release(tx, { lotId: s.device, signing: signedBy(w.qa) }));
  await inTx(async (tx) => {
    const customer = await tx.query<{ id: string }>(sql`SELECT id FROM customer_ship_tos WHERE customer_id = ${s.customer}`);
    const order = await createSalesOrder(tx, {
      customerId: s.customer,
      shipToId: customer.rows[0]!.id,
      siteId: w.site.id,
      currency: 'CNY',
      lines: [{ itemId: w.device.id, quantity: '4', unitPrice: '80.00', requestedDate: addDays(w.today, 3) }],
    });
    await transitionSalesOrder(tx, w.ctx, order.id, { to: 'confirmed' });
    await shipOrder(tx, w.ctx, { orderId: order.id, lines: [{ lineNo: 1, lots: [{ lotId: s.device, quantity: '4' }] }] });
  });
  app = await testApp(db, {
    callers: {
      reader: headerCaller(w, 'u-read', 'Ana Ruiz', [RECALL_PERMISSIONS.read]),
      writer: headerCaller(w, author.user.id, 'Huang Min', [RECALL_PERMISSIONS.read, RECALL_PERMISSIONS.write]),
      outsider: headerCaller(other, 'u-out', 'Otto Fremd', [RECALL_PERMISSIONS.read, RECALL_PERMISSIONS.write]),
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const fromSupplierLot: () => RecallStart = () => ({ kind: 'supplier_lot', supplierId: s.supplier, supplierLot: 'RES-8841' });

describe('recall query', () => {
  it('Q.TRC: from a supplier lot to the finished lot, its stock and the customer it reached', async () => {
    const answer = await inTx((tx) => findAffected(tx, fromSupplierLot()));
    expect(answer.startLots).toBe(1);
    expect(answer.lots.map((l) => [l.lotId, l.depth, l.finished, l.status, l.onHand, l.shipped])).toEqual([
      [s.tubing, 0, false, 'released', '40', '0'],
      [s.device, 1, true, 'released', '3', '4'],
    ]);
    expect(answer.lots[1]!.locations.length).toBe(1);
    expect(answer.customers).toEqual([
      expect.objectContaining({ code: 'CUS-HUAMED', name: 'Huamed Distribution', shipments: 1, lots: 1, quantity: '4', returned: '0' }),
    ]);
    expect(answer.customers[0]!.contact).toBe('Liu Yang, qa@huamed.example');
    expect(answer.customers[0]!.addresses[0]).toContain('88 Zhongshan Road');
    expect(answer.totals).toEqual({
      lots: 2,
      finishedLots: 1,
      units: '7',
      inStock: '3',
      shipped: '4',
      returned: '0',
      customers: 1,
      holdable: 2,
    });
  });

  it('starts as well from the component lot, the equipment over days and the operator over days', async () => {
    const ids = async (start: RecallStart) => (await inTx((tx) => findAffected(tx, start))).lots.map((l) => l.lotId);
    expect(await ids({ kind: 'component_lot', lotId: s.tubing })).toEqual([s.tubing, s.device]);
    expect(await ids({ kind: 'equipment', equipmentId: s.equipment, from: w.today, to: w.today })).toEqual([s.device]);
    expect(await ids({ kind: 'operator', operatorId: s.operatorId, from: addDays(w.today, -1), to: w.today })).toEqual([s.device]);
    // Days when nothing ran on the press: nothing affected.
    expect(await ids({ kind: 'equipment', equipmentId: s.equipment, from: addDays(w.today, -9), to: addDays(w.today, -2) })).toEqual([]);
  });

  it('reads a serial range as a person does: SN-99 to SN-100 is two serials, not none', async () => {
    const answer = await inTx((tx) => findAffected(tx, { kind: 'serial_range', itemId: s.pumpItem, from: 'SN-99', to: 'SN-100' }));
    expect(answer.lots.map((l) => l.number)).toEqual(['SN-99', 'SN-100']);
    expect(answer.totals).toMatchObject({ finishedLots: 2, inStock: '2', customers: 0 });
  });

  it('refuses a reversed range, days in the future and unknown starting points, each by name', async () => {
    expect(
      await refusal(inTx((tx) => findAffected(tx, { kind: 'serial_range', itemId: s.pumpItem, from: 'SN-100', to: 'SN-99' }))),
    ).toMatchObject({
      status: 422,
      code: 'error.recall.rangeReversed',
    });
    const [from, to] = [addDays(w.today, 5), addDays(w.today, 2)];
    expect(await refusal(inTx((tx) => findAffected(tx, { kind: 'equipment', equipmentId: s.equipment, from, to })))).toEqual({
      status: 422,
      code: 'error.recall.invalid',
      fields: ['/body/start/to error.recall.rangeReversed', '/body/start/to error.recall.dateInFuture'],
    });
    expect(
      await refusal(inTx((tx) => findAffected(tx, { kind: 'supplier_lot', supplierId: s.equipment, supplierLot: 'X' }))),
    ).toMatchObject({
      status: 404,
    });
    // Another tenant's lot is not found either.
    expect(await refusal(withTenant(db, other.ctx, (tx) => findAffected(tx, { kind: 'component_lot', lotId: s.tubing })))).toMatchObject({
      status: 404,
    });
  });
});

describe('recall record', () => {
  let recallId: string;

  it('keeps the answer, refuses to initiate unclassified, by its author, or on an answer no longer true', async () => {
    const raised = await withTenant(db, author.ctx, (tx) =>
      raiseRecall(tx, author.ctx, {
        title: 'Tubing resin RES-8841 extractables',
        reason: 'Supplier notice SN-2026-14',
        start: fromSupplierLot(),
      }),
    );
    recallId = raised.id;
    expect(raised).toMatchObject({ status: 'draft', number: expect.stringMatching(/^RCL-\d{4}-\d{5}$/) });

    const initiate = (signer: Signer) =>
      withTenant(db, signer.ctx, (tx) =>
        initiateRecall(tx, signer.ctx, signer.verifier, recallId, {
          credentials: signer.credentials(),
          comment: 'Recall decided by the board',
        }),
      );
    expect(await refusal(initiate(w.qa))).toMatchObject({ status: 409, code: 'error.recall.notClassified' });
    await inTx((tx) =>
      updateRecall(tx, recallId, [raised.version], { chinaLevel: 2, fdaClass: 2, healthHazard: 'Leachables above limit' }),
    );
    expect(await refusal(initiate(author))).toMatchObject({ status: 409, code: 'error.esign.separationOfDuties' });

    // The world moves: one more metre of the tubing goes to production after the answer was taken.
    await inTx(async (tx) => {
      const order = await aWorkOrder(tx, w, '1');
      await issueMaterial(tx, w.ctx, order.id, { lotId: s.tubing, quantity: '1' });
    });
    expect(await refusal(initiate(w.qa))).toMatchObject({ status: 409, code: 'error.recall.answerChanged' });
    expect((await inTx((tx) => getLot(tx, s.tubing))).status).toBe('released');
    expect((await inTx((tx) => recallDetail(tx, recallId))).status).toBe('draft');

    await inTx((tx) => refreshRecall(tx, recallId));
    expect(await initiate(w.qa)).toEqual({ lotCount: 2 });
  });

  it('holds every affected lot with stock under the initiation signature and starts the deadlines', async () => {
    const detail = await inTx((tx) => recallDetail(tx, recallId));
    expect(detail).toMatchObject({ status: 'initiated', initiatedOn: w.today, heldLotCount: 2, chinaLevel: 2, fdaClass: 2 });
    // The kept answer reads back as it was taken: before the hold, with its stock and locations.
    const asked = await inTx((tx) => findAffected(tx, fromSupplierLot()));
    expect(detail.answer.lots.map((l) => [l.number, l.status, l.onHand, l.locations])).toEqual(
      asked.lots.map((l) => [l.number, 'released', l.onHand, l.locations]),
    );
    const signature = detail.signatures.find((x) => x.meaning === 'approved')!;
    expect(signature.signer.id).toBe(w.qa.user.id);
    const changes = await inTx(async (tx) => {
      const { rows } = await tx.query<{
        lot: string;
        from: string;
        signature: string;
      }>(sql`SELECT lot_id AS lot, from_status AS from, signature_id AS signature
        FROM lot_status_changes WHERE to_status = 'on_hold' AND lot_id = ANY(${[s.tubing, s.device]}::uuid[]) ORDER BY lot_id`);
      return rows;
    });
    expect(changes).toHaveLength(2);
    expect(changes.every((c) => c.signature === signature.id && c.from === 'released')).toBe(true);
    for (const id of [s.tubing, s.device]) expect((await inTx((tx) => getLot(tx, id))).status).toBe('on_hold');
    // Held stock cannot be issued.
    const held = await refusal(
      inTx(async (tx) => issueMaterial(tx, w.ctx, (await aWorkOrder(tx, w, '1')).id, { lotId: s.tubing, quantity: '1' })),
    );
    expect(held.status).toBe(409);

    const byKind = Object.fromEntries(detail.deadlines.map((d) => [d.kind, d]));
    expect(byKind.cnNotify).toEqual({ kind: 'cnNotify', due: addDays(w.today, 3), everyDays: null, state: 'open' });
    expect(byKind.cnProgress).toMatchObject({ everyDays: 3, state: 'open' });
    // Ten working days: two calendar weeks less or more a weekend day, never ending on a weekend.
    const fdaDue = byKind.fda806!.due!;
    expect(fdaDue >= addDays(w.today, 12) && fdaDue <= addDays(w.today, 14)).toBe(true);
    expect([0, 6]).not.toContain(new Date(`${fdaDue}T00:00:00Z`).getUTCDay());
    expect(addWorkingDays('2026-12-04', 10)).toBe('2026-12-18');
    expect(addWorkingDays('2026-12-05', 10)).toBe('2026-12-18');
    expect(detail.progress).toMatchObject({ customersReached: 1, customersNotNotified: 1, units: '7', accounted: '3' });
  });

  it('records notices and acknowledgements within bounds, and closes with the effectiveness check', async () => {
    const close = (signer: Signer) =>
      withTenant(db, signer.ctx, (tx) =>
        transitionRecall(tx, signer.ctx, signer.verifier, recallId, {
          to: 'closed',
          credentials: signer.credentials(),
          comment: 'All units accounted for',
        }),
      );
    expect(await refusal(close(w.qa))).toMatchObject({ status: 409, code: 'error.recall.customersNotNotified' });

    const notice = (input: Partial<Parameters<typeof recordNotice>[3]>) =>
      inTx((tx) =>
        recordNotice(tx, w.ctx, recallId, {
          customerId: s.customer,
          method: 'email',
          sentOn: w.today,
          sentTo: 'qa@huamed.example',
          ...input,
        }),
      );
    expect(await refusal(notice({ customerId: s.supplier, sentOn: addDays(w.today, 1) }))).toEqual({
      status: 422,
      code: 'error.recall.invalid',
      fields: ['/body/customerId error.recall.customerNotReached', '/body/sentOn error.recall.dateInFuture'],
    });
    const sent = await notice({});
    const ack = (units: string) =>
      inTx((tx) =>
        acknowledgeNotice(tx, recallId, sent.id, { acknowledgedOn: w.today, acknowledgedBy: 'Liu Yang', unitsAccounted: units }),
      );
    expect(await refusal(ack('5'))).toMatchObject({ status: 422, code: 'error.recall.moreThanShipped' });
    expect(await refusal(ack('-1'))).toMatchObject({ status: 422, code: 'error.quantity.negative' });
    expect(await refusal(ack('2.5'))).toMatchObject({ status: 422, code: 'error.recall.wholeUnits' });
    expect(await ack('4')).toMatchObject({ acknowledgedBy: 'Liu Yang', unitsAccounted: '4' });
    expect(await refusal(ack('0'))).toMatchObject({ status: 409, code: 'error.recall.alreadyAcknowledged' });

    expect(await refusal(close(author))).toMatchObject({ status: 409, code: 'error.esign.separationOfDuties' });
    await close(w.qa);
    const detail = await inTx((tx) => recallDetail(tx, recallId));
    expect(detail).toMatchObject({ status: 'closed', effectiveness: '100.00' });
    expect(detail.deadlines.find((d) => d.kind === 'cnNotify')!.state).toBe('met');
  });

  it('P11.10b: prints the recall report with the customers reached and the signatures', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/recalls/${recallId}/pdf?lang=en`, headers: { 'x-test-caller': 'reader' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const { text } = await extractText(new Uint8Array(res.rawPayload), { mergePages: true });
    for (const words of [
      'Recall report',
      'Huamed Distribution',
      'Level 2',
      'Class II',
      'Supplier lot RES-8841 of SUP-RESIN',
      'Approved',
      '100.00',
    ]) {
      expect(text).toContain(words);
    }
  });

  it('answers over HTTP to its permissions and tenant only; a rejected query changes nothing', async () => {
    const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: { 'x-test-caller': who }, ...(payload ? { payload } : {}) });
    const query = await call('reader', 'GET', `/recalls/query?kind=supplier_lot&supplierId=${s.supplier}&supplierLot=RES-8841`);
    expect(query.statusCode).toBe(200);
    expect(query.json().totals.customers).toBe(1);
    const missing = await call('reader', 'GET', '/recalls/query?kind=equipment');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/querystring/equipmentId',
      '/querystring/from',
      '/querystring/to',
    ]);
    const body = { title: 'Mock recall', reason: 'Annual recall simulation', start: fromSupplierLot() };
    expect((await call('reader', 'POST', '/recalls', body)).statusCode).toBe(403);
    expect((await call('outsider', 'GET', `/recalls/${recallId}`)).statusCode).toBe(404);
    const before = await inTx(async (tx) => (await tx.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM recalls`)).rows[0]!.n);
    const bad = await call('writer', 'POST', '/recalls', { ...body, title: 'Mock\u0007recall', chinaLevel: 4 });
    expect(bad.statusCode).toBe(400);
    const after = await inTx(async (tx) => (await tx.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM recalls`)).rows[0]!.n);
    expect(after).toBe(before);
    expect((await call('writer', 'POST', '/recalls', body)).statusCode).toBe(201);
  });
});
