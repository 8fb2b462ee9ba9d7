import type { FastifyInstance } from 'fastify';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerCaller, testApp } from '../../test/app.js';
import { testDatabase } from '../../test/db.js';
import { aWorkOrder, CAP_GTIN, type ProductionWorld, productionWorld, stockLot } from '../../test/production.js';
import { INVENTORY_PERMISSIONS } from '../modules/inventory/index.js';
import { MASTERDATA } from '../modules/masterdata/index.js';
import { issueMaterial, PRODUCTION_PERMISSIONS, reportOutput } from '../modules/production/index.js';
import { composeUdi, GS, TRACEABILITY_PERMISSIONS } from '../modules/traceability/index.js';
import type { Database } from '../platform/db/index.js';
import { AUDIT_PERMISSIONS } from '../platform/permissions.js';
import { withTenant } from '../platform/tenancy/index.js';

const EACH = '09506000134369';
const BOX = '19506000134366';
const CASE = '29506000134363';

let db: Database;
let w: ProductionWorld;
let other: ProductionWorld;
let app: FastifyInstance;
let order: { id: string; number: string };
let lot: { id: string; number: string; manufacturedOn: string | null };

beforeAll(async () => {
  db = await testDatabase();
  w = await productionWorld(db);
  other = await productionWorld(db);
  const all = [
    TRACEABILITY_PERMISSIONS.read,
    TRACEABILITY_PERMISSIONS.print,
    TRACEABILITY_PERMISSIONS.reconcile,
    MASTERDATA.read,
    MASTERDATA.write,
    INVENTORY_PERMISSIONS.read,
    AUDIT_PERMISSIONS.recordRead,
  ];
  app = await testApp(db, {
    callers: {
      labeller: headerCaller(w, 'u-lab', 'Li Na', all),
      viewer: headerCaller(w, 'u-view', 'Ana Ruiz', [TRACEABILITY_PERMISSIONS.read, PRODUCTION_PERMISSIONS.read]),
      planner: headerCaller(w, 'u-plan', 'Wang Lei', [PRODUCTION_PERMISSIONS.read]),
      outsider: headerCaller(other, 'u-out', 'Otto Fremd', all),
    },
  });
  ({ order, lot } = await withTenant(db, w.ctx, async (tx) => {
    const created = await aWorkOrder(tx, w);
    const tubing = await stockLot(tx, w, w.items.tubing, '20');
    await issueMaterial(tx, w.ctx, created.id, { lotId: tubing.id, quantity: '10' });
    const output = await reportOutput(tx, w.ctx, created.id, { quantity: '7' });
    const made = output.lots[0]!;
    return { order: created, lot: { id: made.id, number: made.number, manufacturedOn: w.today } };
  }));
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const call = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { 'x-test-caller': who, ...headers },
    ...(payload === undefined ? {} : { payload }),
  });

async function setLevels(levels: object[]) {
  const current = await call('labeller', 'GET', `/items/${w.device.id}/packaging-levels`);
  return call('labeller', 'PUT', `/items/${w.device.id}/packaging-levels`, { levels }, { 'if-match': current.headers.etag as string });
}

const print = (who: string, body: object) =>
  call(who, 'POST', '/traceability/labels', {
    packagingLevel: 'box',
    template: 'single',
    format: 'pdf',
    copies: 2,
    lotIds: [lot.id],
    workOrderId: order.id,
    ...body,
  });

describe('UDI element strings', () => {
  it('[Q.LBL] composes (01)(11)(17) with (10) or (21) last, so no group separator is needed', () => {
    const udi = composeUdi({ gtin: '9506000134352', kind: 'lot', number: 'A1', expiresOn: '2027-06-30', manufacturedOn: '2026-06-30' });
    expect(udi.humanReadable).toBe('(01)09506000134352(11)260630(17)270630(10)A1');
    expect(udi.elementString).toBe('0109506000134352112606301727063010A1');
    const both = composeUdi({ gtin: EACH, kind: 'serial', number: 'SN-9', expiresOn: null });
    expect(both.elementString).toBe(`01${EACH}21SN-9`);
    expect(() => composeUdi({ gtin: '09506000134353', kind: 'lot', number: 'A1', expiresOn: null })).toThrow(/csum/);
    expect(GS).toBe('\x1d');
  });
});

describe('packaging levels on the item', () => {
  it('refuses wrong check digits and a level containing a higher one, all at once, and a GTIN another item holds', async () => {
    const bad = await setLevels([
      { level: 'each', gtin: '09506000134368', quantity: 1, contains: null },
      { level: 'box', gtin: BOX, quantity: 10, contains: 'case' },
    ]);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { code: string }) => e.code)).toEqual([
      'error.gtin.checkDigit',
      'error.masterdata.packaging.containsMissing',
    ]);
    const taken = await setLevels([{ level: 'each', gtin: CAP_GTIN, quantity: 1, contains: null }]);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('error.masterdata.item.gtinInUse');
    const noMatch = await call('labeller', 'PUT', `/items/${w.device.id}/packaging-levels`, { levels: [] });
    expect(noMatch.statusCode).toBe(428);
  });

  it('keeps each level with its GTIN-14, the level it contains and the units of use it holds', async () => {
    const saved = await setLevels([
      { level: 'each', gtin: EACH.slice(1), quantity: 1, contains: null },
      { level: 'box', gtin: BOX, quantity: 10, contains: 'each' },
      { level: 'case', gtin: CASE, quantity: 4, contains: 'box' },
    ]);
    expect(saved.statusCode).toBe(200);
    expect(saved.json().levels).toEqual([
      { level: 'each', gtin: EACH, quantity: 1, contains: null, baseQuantity: 1 },
      { level: 'box', gtin: BOX, quantity: 10, contains: 'each', baseQuantity: 10 },
      { level: 'case', gtin: CASE, quantity: 4, contains: 'box', baseQuantity: 40 },
    ]);
    expect((await call('outsider', 'GET', `/items/${w.device.id}/packaging-levels`)).statusCode).toBe(404);
  });
});

describe('printing and reconciling labels', () => {
  it('[Q.LBL] records a print job for a work order with the UDI per lot and prints a PDF with barcode text, in English and Chinese', async () => {
    const printed = await print('labeller', {});
    expect(printed.statusCode).toBe(201);
    const job = printed.json();
    const hri = `(01)${BOX}(11)${lot.manufacturedOn!.slice(2).replaceAll('-', '')}(10)${lot.number}`;
    expect(job).toMatchObject({
      packagingLevel: 'box',
      gtin: BOX,
      quantityPrinted: 2,
      status: 'printed',
      link: { kind: 'work_order', id: order.id },
      printedBy: { id: 'u-lab', name: 'Li Na' },
      units: [{ lotId: lot.id, number: lot.number, humanReadable: hri }],
    });
    const pdf = await call('labeller', 'GET', `/traceability/labels/${job.id}/output?lang=en`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(`${job.number}.pdf`);
    const { text, totalPages } = await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true });
    expect(totalPages).toBe(2);
    for (const expected of [hri, `LOT: ${lot.number}`, `UDI-DI: ${BOX}`, 'Manufacturer: Test Devices', 'Level: Box'])
      expect(text).toContain(expected);
    const zh = await call('labeller', 'GET', `/traceability/labels/${job.id}/output?lang=zh-CN`);
    expect((await extractText(new Uint8Array(zh.rawPayload), { mergePages: true })).text).toContain(`批号: ${lot.number}`);
  });

  it('[Q.LBL] writes ZPL with a GS1 DataMatrix (^BX, FNC1) and GS1-128 (^BC, >8) per label', async () => {
    const job = (await print('labeller', { format: 'zpl', template: 'sheet', packagingLevel: 'each', copies: 3 })).json();
    const zpl = await call('labeller', 'GET', `/traceability/labels/${job.id}/output`);
    expect(zpl.statusCode).toBe(200);
    expect(zpl.headers['content-type']).toContain('application/vnd.zebra-zpl');
    const body = zpl.body;
    expect(body.match(/\^XA/g)).toHaveLength(3);
    expect(body).toContain(`^BXN,6,200,,,,_^FD_101${EACH}11`);
    expect(body).toContain(`^BCN,160,N,N,N^FD>;>801${EACH}11`);
    expect(body).toContain(`(01)${EACH}`);
    expect(body).toContain(`LOT: ${lot.number}`);
  });

  it('[P11.10e] refuses to reconcile when used + destroyed is not printed (409, nothing changed), needs a reason for destroyed, then closes it in the audit trail', async () => {
    const job = (await print('labeller', { copies: 5 })).json();
    const off = await call('labeller', 'POST', `/traceability/labels/${job.id}/reconcile`, {
      used: 3,
      destroyed: 1,
      destroyedReason: 'smudged',
    });
    expect(off.statusCode).toBe(409);
    expect(off.json()).toMatchObject({ code: 'error.traceability.label.unbalanced', params: { printed: 5, used: 3, destroyed: 1 } });
    const noReason = await call('labeller', 'POST', `/traceability/labels/${job.id}/reconcile`, { used: 3, destroyed: 2 });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().code).toBe('error.traceability.label.destroyedReason');
    expect((await call('viewer', 'GET', `/traceability/labels/${job.id}`)).json()).toMatchObject({ status: 'printed', quantityUsed: null });
    const done = await call('labeller', 'POST', `/traceability/labels/${job.id}/reconcile`, {
      used: 3,
      destroyed: 2,
      destroyedReason: 'smudged',
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'reconciled',
      quantityUsed: 3,
      quantityDestroyed: 2,
      destroyedReason: 'smudged',
      reconciledBy: { name: 'Li Na' },
    });
    const history = await call('labeller', 'GET', `/audit/history?entity=label_print_jobs&id=${job.id}`);
    const trail = history.json().items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['insert', 'update']));
    expect(trail.find((e: { action: string }) => e.action === 'update')).toMatchObject({ actor: { id: 'u-lab', name: 'Li Na' } });
    const again = await call('labeller', 'POST', `/traceability/labels/${job.id}/reconcile`, { used: 5, destroyed: 0 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('error.traceability.label.alreadyReconciled');
  });

  it("[Q.DHR] reconciles a work order's jobs all or none and lists them with totals for the device history record", async () => {
    const before = (await call('viewer', 'GET', `/traceability/work-orders/${order.id}/labels`)).json();
    const open = before.jobs.filter((j: { status: string }) => j.status === 'printed');
    expect(open.length).toBeGreaterThanOrEqual(2);
    const counts = open.map((j: { id: string; quantityPrinted: number }) => ({ jobId: j.id, used: j.quantityPrinted, destroyed: 0 }));
    const bad = [{ ...counts[0], used: counts[0].used - 1 }, ...counts.slice(1)];
    const refused = await call('labeller', 'POST', `/traceability/work-orders/${order.id}/labels/reconcile`, {
      jobs: [...counts.slice(1), bad[0]],
    });
    expect(refused.statusCode).toBe(409);
    const still = (await call('viewer', 'GET', `/traceability/work-orders/${order.id}/labels`)).json();
    expect(still.totals.open).toBe(before.totals.open);
    const done = await call('labeller', 'POST', `/traceability/work-orders/${order.id}/labels/reconcile`, { jobs: counts });
    expect(done.statusCode).toBe(200);
    expect(done.json().totals).toMatchObject({ open: 0, reconciled: true, printed: before.totals.printed, destroyed: 2 });
    expect(done.json().totals.used + done.json().totals.destroyed).toBe(done.json().totals.printed);
    const history = await call('viewer', 'GET', `/traceability/labels?lotId=${lot.id}`);
    expect(history.json().items.length).toBe(before.jobs.length);
  });

  it('[P11.10d] refuses callers without the print permission (403) and other tenants (404); refuses bad input', async () => {
    expect((await print('viewer', {})).statusCode).toBe(403);
    expect((await print('outsider', {})).statusCode).toBe(404);
    const job = (await call('viewer', 'GET', `/traceability/labels?workOrderId=${order.id}`)).json().items[0];
    expect((await call('outsider', 'GET', `/traceability/labels/${job.id}`)).statusCode).toBe(404);
    expect((await call('planner', 'GET', `/traceability/labels/${job.id}/output`)).statusCode).toBe(403);
    expect((await call('planner', 'GET', `/traceability/labels?lotId=${lot.id}`)).statusCode).toBe(403);
    expect((await print('labeller', { copies: 0 })).statusCode).toBe(400);
    expect((await print('labeller', { lotIds: [] })).statusCode).toBe(400);
    expect((await print('labeller', { template: 'poster' })).statusCode).toBe(400);
    const control = await call('labeller', 'POST', `/traceability/labels/${job.id}/reconcile`, {
      used: 1,
      destroyed: 1,
      destroyedReason: 'a\u0007b',
    });
    expect(control.statusCode).toBe(400);
  });

  it('refuses lots the work order did not make, and a level without a GTIN', async () => {
    const tubing = await withTenant(db, w.ctx, (tx) => stockLot(tx, w, w.items.tubing, '5'));
    const foreign = await print('labeller', { lotIds: [tubing.id] });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().code).toBe('error.traceability.label.notFromWorkOrder');
    const noLevel = await print('labeller', { packagingLevel: 'unit_of_use' });
    expect(noLevel.statusCode).toBe(409);
    expect(noLevel.json().code).toBe('error.traceability.label.noGtin');
  });
});

describe('UDI database export', () => {
  it('[Q.LBL] lists every device identifier with the NMPA and GUDID columns as CSV', async () => {
    const csv = await call('viewer', 'GET', '/traceability/udi/device-identifiers.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('primary_di,issuing_agency,packaging_level,quantity_per_package,contains_di');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${BOX},GS1,box,10,${EACH},`)),
        expect.stringMatching(new RegExp(`^${CAP_GTIN},GS1,each,1,,Cap`)),
      ]),
    );
    expect((await call('outsider', 'GET', '/traceability/udi/device-identifiers.csv')).body).not.toContain(BOX);
  });
});
