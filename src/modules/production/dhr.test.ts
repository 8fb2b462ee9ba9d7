import type { FastifyInstance } from 'fastify';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { createSigner, type Signer } from '../../../test/identity.js';
import { aPouchOrder, type OperationsWorld, operationsWorld } from '../../../test/operations.js';
import { currentLabelData } from '../../flows/inspect-labels.js';
import { recordOperationParameters } from '../../flows/record-operation-parameters.js';
import { releaseWorkOrderOutput } from '../../flows/release-work-order-output.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { sql } from '../../platform/db/index.js';
import { siteToday, type TenantContext, withTenant } from '../../platform/tenancy/index.js';
import { createDeviation, transitionDeviation } from '../deviations/service.js';
import { getLot, INVENTORY_PERMISSIONS } from '../inventory/index.js';
import { setPackagingLevels } from '../masterdata/packaging.js';
import { NONCONFORMANCE_PERMISSIONS, raiseNcr } from '../nonconformance/index.js';
import { inspectLabelJob, recordLabelPrint } from '../traceability/index.js';
import { reconcileLabelJob } from '../traceability/labels.js';
import {
  createWorkOrder,
  deviceHistoryRecord,
  PRODUCTION_PERMISSIONS as P,
  reportOutput,
  reviewDhr,
  transitionWorkOrder,
} from './index.js';
import { completeOperation, pauseOperation, recordCheck, resumeOperation, startOperation } from './operations.js';

const POUCH_GTIN = '09506000134369';

let db: Database;
let w: OperationsWorld;
/** A second QA person: releases what w.qa reviewed. */
let releaser: Signer;
/** Holds QA's signing permissions and also reports output on the shop floor. */
let qaOperator: Signer;
let app: FastifyInstance;

beforeAll(async () => {
  db = await testDatabase();
  w = await operationsWorld(db);
  releaser = await createSigner(db, w, { fullName: 'Huang Min', roles: ['QA Manager'] });
  qaOperator = await createSigner(db, w, { fullName: 'Ma Lin', roles: ['QA Manager', 'Operator'] });
  app = await testApp(db, {
    callers: {
      auditor: {
        tenantId: w.tenant.id,
        siteId: w.site.id,
        actor: { kind: 'user', id: 'u-audit', name: 'Ana Ruiz' },
        permissions: [P.read, INVENTORY_PERMISSIONS.read, NONCONFORMANCE_PERMISSIONS.read],
      },
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const as = <T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>) => withTenant(db, ctx, fn);
const op = <T>(fn: (tx: Tx, ctx: TenantContext) => Promise<T>) => as(w.operator.ctx, (tx) => fn(tx, w.operator.ctx));
const dhrOf = (id: string) => as(w.ctx, (tx) => deviceHistoryRecord(tx, id));

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as { status?: number; code?: string; params?: Record<string, unknown> };
    return { status: e.status, code: e.code, params: e.params };
  }
  return { status: 0, code: 'no error', params: {} };
};

const review = (signer: Signer, id: string) =>
  as(signer.ctx, (tx) => reviewDhr(tx, signer.ctx, signer.verifier, id, { credentials: signer.credentials(), comment: 'record complete' }));
const release = (signer: Signer, id: string) =>
  as(signer.ctx, (tx) => releaseWorkOrderOutput(tx, signer.ctx, signer.verifier, id, { credentials: signer.credentials() }));

/** A pouch order of 10 run through all three operations (1 scrapped), 9 made into quarantine, completed. */
async function completedOrder(opts: { outputBy?: Signer } = {}) {
  const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
  await op((tx, ctx) => recordCheck(tx, ctx, order.id, 10, { kind: 'line_clearance', result: 'pass' }));
  await op((tx, ctx) => startOperation(tx, ctx, order.id, 10, { equipmentId: w.equipment.sealer }));
  await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 10, [{ position: 1, value: '1.50' }]));
  await op((tx, ctx) => pauseOperation(tx, ctx, order.id, 10, { reason: 'material_shortage', note: 'waiting for pouches' }));
  await op((tx, ctx) => resumeOperation(tx, ctx, order.id, 10));
  await op((tx, ctx) => completeOperation(tx, ctx, order.id, 10, { goodQuantity: '9', scrapQuantity: '1', scrapReason: 'damaged' }));
  await op((tx, ctx) => startOperation(tx, ctx, order.id, 20, { equipmentId: w.equipment.sealer }));
  await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 20, [{ position: 1, value: '175' }]));
  await op((tx, ctx) => recordCheck(tx, ctx, order.id, 20, { kind: 'first_article', result: 'pass' }));
  await op((tx, ctx) => recordCheck(tx, ctx, order.id, 20, { kind: 'inspection_point', point: 'Seal width ≥ 5 mm', result: 'pass' }));
  await op((tx, ctx) => completeOperation(tx, ctx, order.id, 20, { goodQuantity: '9' }));
  await op((tx, ctx) => startOperation(tx, ctx, order.id, 30, {}));
  await op((tx, ctx) => completeOperation(tx, ctx, order.id, 30, { goodQuantity: '9' }));
  const reporter = opts.outputBy ?? w.operator;
  await as(reporter.ctx, (tx) => reportOutput(tx, reporter.ctx, order.id, { quantity: '9' }));
  await as(w.ctx, (tx) => transitionWorkOrder(tx, w.ctx, order.id, { to: 'completed' }));
  return order;
}

const statusOf = (id: string) =>
  as(w.ctx, async (tx) => (await tx.query<{ dhr: string }>(sql`SELECT dhr_status AS dhr FROM work_orders WHERE id = ${id}`)).rows[0]!.dhr);

describe(`device history record (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[Q.DHR] assembles the record field by field: dates, quantities, operations with operator, equipment and calibration, values, checks, downtime, output', async () => {
    const order = await completedOrder();
    const dhr = await dhrOf(order.id);
    expect(dhr.workOrder).toMatchObject({ number: order.number, status: 'completed', dhrStatus: 'open', revision: 'A' });
    expect(dhr.quantities).toEqual({ ordered: '10', made: '9', scrapped: '1', released: '0', unit: 'ea' });
    expect(dhr.dates.releasedAt).not.toBeNull();
    expect(dhr.dates.firstStartedAt! <= dhr.dates.lastCompletedAt!).toBe(true);
    expect(dhr.operations.map((o) => [o.sequence, o.name, o.workCenter.code, o.status])).toEqual([
      [10, 'Assemble', 'SEAL', 'completed'],
      [20, 'Seal', 'SEAL', 'completed'],
      [30, 'Label', 'SEAL', 'completed'],
    ]);
    const [assemble, seal, label] = dhr.operations;
    expect(assemble).toMatchObject({
      operator: { name: 'Chen Jie' },
      equipment: { code: 'SEALER-1', name: 'Sealer' },
      calibration: 'inDate',
      goodQuantity: '9',
      scrapQuantity: '1',
      scrapReason: 'damaged',
      parameters: [
        {
          name: 'Torque',
          unit: 'N·m',
          lowerLimit: '1',
          upperLimit: '2',
          values: [{ value: '1.5', withinLimits: true, ncrNumber: null, recordedBy: { name: 'Chen Jie' }, source: 'web' }],
        },
      ],
      checks: [{ kind: 'line_clearance', result: 'pass', recordedBy: { name: 'Chen Jie' } }],
      downtime: [{ reason: 'material_shortage', note: 'waiting for pouches', recordedBy: { name: 'Chen Jie' } }],
    });
    expect(assemble!.calibrationDue).toBe(
      await as(
        w.ctx,
        async (tx) =>
          (await tx.query<{ d: string }>(sql`SELECT calibration_due::text AS d FROM equipment WHERE id = ${w.equipment.sealer}`)).rows[0]!
            .d,
      ),
    );
    expect(seal!.checks.map((c) => [c.kind, c.point, c.result])).toEqual([
      ['first_article', null, 'pass'],
      ['inspection_point', 'Seal width ≥ 5 mm', 'pass'],
    ]);
    expect(label).toMatchObject({ equipment: null, calibration: null, parameters: [] });
    expect(dhr.output.reports).toMatchObject([{ quantity: '9', lotCount: 1, createdBy: { name: 'Chen Jie' } }]);
    expect(dhr.output.lots).toMatchObject([{ kind: 'lot', status: 'quarantine', quantity: '9' }]);
    expect(dhr.ncrs).toEqual([]);
    expect(dhr.blockers).toEqual([{ code: 'notReviewed', params: {} }]);
    expect(dhr.allowed).toEqual({ review: true, release: false });

    // [Q.LBL] labels printed for the order are in the record and must be reconciled before review
    const lot = dhr.output.lots[0]!;
    const made = await as(w.ctx, (tx) => getLot(tx, lot.id));
    await as(w.ctx, (tx) => setPackagingLevels(tx, w.pouch.id, [{ level: 'each', gtin: POUCH_GTIN, quantity: 1, contains: null }]));
    const job = await as(w.ctx, (tx) =>
      recordLabelPrint(tx, {
        item: { id: w.pouch.id, code: dhr.workOrder.itemCode, name: dhr.workOrder.itemName },
        packagingLevel: 'each',
        gtin: POUCH_GTIN,
        template: 'single',
        format: 'pdf',
        copies: 10,
        link: { kind: 'work_order', id: order.id },
        lots: [{ id: lot.id, kind: 'lot', number: lot.number, manufacturedOn: made.manufacturedOn, expiresOn: made.expiresOn }],
      }),
    );
    const printed = await dhrOf(order.id);
    expect(printed.labels).toMatchObject({ printed: 10, jobs: [{ id: job.id, printed: 10, used: null, reconciled: false }] });
    expect(printed.blockers).toEqual([
      { code: 'labelsNotReconciled', params: { count: '1' } },
      { code: 'labelsNotInspected', params: { count: '1' } },
      { code: 'notReviewed', params: {} },
    ]);
    expect(printed.allowed.review).toBe(false);
    await as(w.ctx, (tx) => reconcileLabelJob(tx, job.id, { used: 9, destroyed: 1, destroyedReason: 'one test print' }));
    const reconciled = await dhrOf(order.id);
    expect(reconciled.labels).toMatchObject({ printed: 10, used: 9, destroyed: 1, jobs: [{ reconciled: true, inspection: null }] });
    // [Q.LBL] labels used without a passed inspection keep the record from review
    expect(reconciled.blockers).toEqual([
      { code: 'labelsNotInspected', params: { count: '1' } },
      { code: 'notReviewed', params: {} },
    ]);
    expect(reconciled.allowed.review).toBe(false);
    await as(w.qa.ctx, async (tx) =>
      inspectLabelJob(tx, w.qa.ctx, w.qa.verifier, job.id, await currentLabelData(tx, job), {
        printLegible: true,
        barcodeScans: true,
        ...w.qa.credentials(),
      }),
    );
    const inspected = await dhrOf(order.id);
    expect(inspected.labels.jobs).toMatchObject([
      { needsInspection: false, inspection: { result: 'pass', findings: 0, inspectedBy: { id: w.qa.user.id } } },
    ]);
    expect(inspected.blockers).toEqual([{ code: 'notReviewed', params: {} }]);
    expect(inspected.allowed.review).toBe(true);
  });

  it('[Q.ACC] is reviewed and released by two different QA people; the finished lot leaves quarantine under the release signature', async () => {
    const order = await completedOrder({ outputBy: qaOperator });
    expect(await refusal(release(releaser, order.id))).toMatchObject({ status: 409, code: 'error.production.dhr.notReviewed' });
    // [P11.10g-sod] whoever recorded production on the order does not review it
    expect(await refusal(review(qaOperator, order.id))).toMatchObject({
      status: 409,
      code: 'error.esign.separationOfDuties',
      params: { rule: 'notResultsRecorder' },
    });
    // [P11.10g] an operator holds no signing permission
    expect(await refusal(review(w.operator, order.id))).toMatchObject({ status: 403, code: 'error.esign.notPermitted' });
    expect(await statusOf(order.id)).toBe('open');

    await review(w.qa, order.id);
    expect(await refusal(review(releaser, order.id))).toMatchObject({ status: 409, code: 'error.production.dhr.alreadyReviewed' });
    const reviewed = await dhrOf(order.id);
    expect(reviewed.workOrder.dhrStatus).toBe('reviewed');
    expect(reviewed.allowed).toEqual({ review: false, release: true });
    // [P11.10g-sod] the reviewer does not release
    expect(await refusal(release(w.qa, order.id))).toMatchObject({
      status: 409,
      code: 'error.esign.separationOfDuties',
      params: { rule: 'notReviewer' },
    });

    await release(releaser, order.id);
    const released = await dhrOf(order.id);
    expect(released.workOrder.dhrStatus).toBe('released');
    expect(released.quantities.released).toBe('9');
    expect(released.dates.releasedOutputAt).not.toBeNull();
    expect(released.signatures.map((s) => [s.meaning, s.signer.name, s.valid])).toEqual([
      ['reviewed', w.qa.user.fullName, true],
      ['released', 'Huang Min', true],
    ]);
    expect(released.signatures[1]!.manifestation.text).toContain('Meaning: Released');
    const lot = await as(w.ctx, (tx) => getLot(tx, released.output.lots[0]!.id));
    expect(lot.status).toBe('released');
    const history = await as(
      w.ctx,
      async (tx) =>
        (
          await tx.query<{ to: string; signature: string }>(
            sql`SELECT to_status AS to, signature_id AS signature FROM lot_status_changes WHERE lot_id = ${lot.id} ORDER BY changed_at DESC, id DESC LIMIT 1`,
          )
        ).rows[0]!,
    );
    expect(history).toEqual({ to: 'released', signature: released.signatures[1]!.id });
    const events = await as(
      w.ctx,
      async (tx) =>
        (await tx.query<{ type: string }>(sql`SELECT type FROM outbox_events WHERE aggregate_id = ${order.id} ORDER BY aggregate_seq`))
          .rows,
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['production.dhr.reviewed', 'production.output.released', 'inventory.output.released']),
    );
    expect(await refusal(release(releaser, order.id))).toMatchObject({ status: 409, code: 'error.production.dhr.alreadyReleased' });
  });

  it('[P11.10f] refuses review and release while an NCR is open or a step is missing, and a record changed after review must be reviewed again', async () => {
    const running = await as(w.ctx, (tx) => aPouchOrder(tx, w));
    expect((await dhrOf(running.id)).blockers.map((b) => b.code)).toEqual([
      'orderNotCompleted',
      'operationNotCompleted',
      'operationNotCompleted',
      'inspectionMissing',
      'operationNotCompleted',
      'noOutput',
      'notReviewed',
    ]);
    expect(await refusal(review(w.qa, running.id))).toMatchObject({ status: 409, code: 'error.production.dhr.orderNotCompleted' });

    // out of limits: an NCR opens and holds operation 10
    await op((tx, ctx) => recordCheck(tx, ctx, running.id, 10, { kind: 'line_clearance', result: 'pass' }));
    await op((tx, ctx) => startOperation(tx, ctx, running.id, 10, { equipmentId: w.equipment.sealer }));
    await op((tx, ctx) => recordOperationParameters(tx, ctx, running.id, 10, [{ position: 1, value: '2.6' }]));
    const held = await dhrOf(running.id);
    expect(held.ncrs).toMatchObject([{ status: 'open', defectClass: 'major' }]);
    expect(held.operations[0]!.parameters[0]!.values[0]).toMatchObject({
      value: '2.6',
      withinLimits: false,
      ncrNumber: held.ncrs[0]!.number,
    });
    expect(held.blockers).toEqual(
      expect.arrayContaining([
        { code: 'operationHeld', params: { sequence: '10' } },
        { code: 'ncrOpen', params: { number: held.ncrs[0]!.number } },
      ]),
    );

    // a reviewed record that changes (an NCR raised on its lot) shows its review as no longer valid
    const order = await completedOrder();
    await review(w.qa, order.id);
    const lotId = (await dhrOf(order.id)).output.lots[0]!.id;
    await as(w.qa.ctx, async (tx) =>
      raiseNcr(tx, w.qa.ctx, {
        source: 'lot',
        sourceId: lotId,
        description: 'Seal creases found at packing',
        defectClass: 'minor',
        containment: 'Lot segregated',
        affected: [{ lot: await getLot(tx, lotId), quantity: '2', pointer: '/body/affected/0' }],
        supplierCaused: false,
      }),
    );
    const changed = await dhrOf(order.id);
    expect(changed.signatures.map((s) => [s.meaning, s.valid])).toEqual([['reviewed', false]]);
    expect(changed.blockers.map((b) => b.code)).toEqual(['ncrOpen', 'reviewInvalid']);
    expect(changed.allowed).toEqual({ review: false, release: false });
    expect(await refusal(release(releaser, order.id))).toMatchObject({ status: 409, code: 'error.production.dhr.ncrOpen' });
    expect((await as(w.ctx, (tx) => getLot(tx, lotId))).status).toBe('quarantine');
  });

  it('[P11.10b] prints the record with every section, the lot numbers and the signatures', async () => {
    const order = await completedOrder();
    await review(w.qa, order.id);
    await release(releaser, order.id);
    const dhr = await dhrOf(order.id);
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/production/work-orders/${order.id}/dhr/pdf`,
      headers: { 'x-test-caller': 'auditor' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/pdf');
    const text = (await extractText(new Uint8Array(res.rawPayload))).text.join(' ').replace(/\s+/g, ' ');
    for (const expected of [
      'Device history record (eDHR)',
      order.number,
      'Assemble',
      'Torque',
      '1.5 N·m',
      'Chen Jie',
      'SEALER-1 Sealer',
      'Seal width ≥ 5 mm',
      'Material shortage',
      dhr.output.lots[0]!.number,
      'meaning: Reviewed',
      'meaning: Released',
      'Huang Min',
      'Content hash',
    ]) {
      expect(text).toContain(expected);
    }
    const json = await app.inject({
      method: 'GET',
      url: `/api/v1/production/work-orders/${order.id}/dhr`,
      headers: { 'x-test-caller': 'auditor' },
    });
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toMatchObject({ workOrder: { dhrStatus: 'released' }, blockers: [] });
  });

  it('[Q.DHR] an order made under a deviation names it, is refused one that covers another item, and uses its quantity at release', async () => {
    const from = await as(w.ctx, (tx) => siteToday(tx));
    const deviation = await as(w.ctx, (tx) =>
      createDeviation(tx, w.ctx, {
        title: 'Pouch seal width 5.5 mm instead of 6 mm',
        reason: 'Sealing jaws being replaced; validated at 5.5 mm.',
        riskAssessment: 'Peel strength verified on 30 samples; risk acceptable.',
        itemId: w.pouch.id,
        maxQuantity: '15',
        validFrom: from,
        validUntil: from,
      }),
    );
    const other = await as(w.ctx, (tx) =>
      createDeviation(tx, w.ctx, {
        title: 'Another device',
        reason: 'r',
        riskAssessment: 'ok',
        itemId: w.device.id,
        maxQuantity: '5',
        validFrom: from,
        validUntil: from,
      }),
    );
    const order = (deviationId: string) =>
      as(w.ctx, (tx) =>
        createWorkOrder(tx, { itemRevisionId: w.pouch.revision, quantity: '10', siteId: w.site.id, dueDate: from, deviationId }),
      );
    expect(await refusal(order(other.id))).toMatchObject({ status: 422, code: 'error.production.deviation.otherItem' });
    const planned = await order(deviation.id);
    expect(planned.deviationId).toBe(deviation.id);
    // a draft deviation may be planned under, but the order is released only once it is approved
    expect(await refusal(as(w.ctx, (tx) => transitionWorkOrder(tx, w.ctx, planned.id, { to: 'released' })))).toMatchObject({
      status: 409,
      code: 'error.deviations.notOpen',
    });
    await as(w.qa.ctx, (tx) =>
      transitionDeviation(tx, w.qa.ctx, w.qa.verifier, deviation.id, { to: 'approved', credentials: w.qa.credentials() }),
    );
    await as(w.ctx, (tx) => transitionWorkOrder(tx, w.ctx, planned.id, { to: 'released' }));
    const uses = await as(
      w.ctx,
      async (tx) =>
        (
          await tx.query<{ kind: string; id: string; quantity: string }>(
            sql`SELECT used_by_kind AS kind, used_by_id AS id, trim_scale(quantity)::text AS quantity FROM deviation_uses WHERE deviation_id = ${deviation.id}`,
          )
        ).rows,
    );
    expect(uses).toEqual([{ kind: 'work_order', id: planned.id, quantity: '10' }]);
    expect((await dhrOf(planned.id)).deviation).toMatchObject({ number: deviation.number, status: 'approved' });
    // the rest of the deviation (5) does not cover a second order of 10
    const second = await order(deviation.id);
    expect(await refusal(as(w.ctx, (tx) => transitionWorkOrder(tx, w.ctx, second.id, { to: 'released' })))).toMatchObject({
      status: 409,
      code: 'error.deviations.quantityExceeded',
    });
  });
});
