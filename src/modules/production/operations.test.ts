import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { aPouchOrder, type OperationsWorld, operationsWorld } from '../../../test/operations.js';
import { recordOperationParameters, recordOperationParametersFlow } from '../../flows/record-operation-parameters.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { sql } from '../../platform/db/index.js';
import { Dispatcher } from '../../platform/events/index.js';
import { type TenantContext, withTenant } from '../../platform/tenancy/index.js';
import { cancelNcr, getNcr } from '../nonconformance/index.js';
import { transitionWorkOrder, workOrderDetail } from './index.js';
import { operationExecution, operationQueue } from './operation-views.js';
import { completeOperation, pauseOperation, recordCheck, resumeOperation, startOperation } from './operations.js';

let db: Database;
let w: OperationsWorld;

beforeAll(async () => {
  db = await testDatabase();
  w = await operationsWorld(db);
});
afterAll(async () => {
  await db.close();
});

const as = <T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>) => withTenant(db, ctx, fn);
const op = <T>(fn: (tx: Tx, ctx: TenantContext) => Promise<T>) => as(w.operator.ctx, (tx) => fn(tx, w.operator.ctx));

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return { status: (err as { status?: number }).status, code: (err as { code?: string }).code };
  }
  return 'no error';
};

const eventsOf = (id: string) =>
  as(w.ctx, async (tx) =>
    (await tx.query<{ type: string }>(sql`SELECT type FROM outbox_events WHERE aggregate_id = ${id} ORDER BY aggregate_seq`)).rows.map(
      (e) => e.type,
    ),
  );

/** The operation and the order's events, to show a refusal changed nothing. */
const snapshot = async (id: string, sequence: number) => ({
  op: await as(w.ctx, (tx) => operationExecution(tx, id, sequence)),
  order: (await as(w.ctx, (tx) => workOrderDetail(tx, id))).status,
  events: await eventsOf(id),
});

const clearLine = (id: string) => op((tx, ctx) => recordCheck(tx, ctx, id, 10, { kind: 'line_clearance', result: 'pass' }));

describe(`operation execution (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10f] runs an order through all operations: clearance, start, parameters, pause with downtime, resume, checks, complete', async () => {
    const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
    const frozen = await as(w.ctx, (tx) => operationExecution(tx, order.id, 20));
    expect(frozen).toMatchObject({
      status: 'pending',
      firstArticleRequired: true,
      inspectionPoints: ['Seal width ≥ 5 mm'],
      parameters: [{ position: 1, name: 'Temperature', unit: '°C', lowerLimit: '170', upperLimit: '180', value: null }],
    });
    expect(frozen.equipment.map((e) => e.code).sort()).toEqual(['SEALER-1', 'SEALER-2', 'SEALER-3']);
    expect((await as(w.ctx, (tx) => operationQueue(tx, w.line))).filter((q) => q.workOrderId === order.id)).toMatchObject([
      { sequence: 10, ready: true },
      { sequence: 20, ready: false },
      { sequence: 30, ready: false },
    ]);

    await clearLine(order.id);
    const started = await op((tx, ctx) => startOperation(tx, ctx, order.id, 10, { equipmentId: w.equipment.sealer }));
    expect(started).toMatchObject({
      status: 'running',
      operator: { name: 'Chen Jie' },
      equipmentId: w.equipment.sealer,
      orderStatus: 'in_progress',
    });
    expect(started.steps[0]).toMatchObject({ step: 'start', source: 'web', deviceId: null, calibrationDue: expect.any(String) });
    await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 10, [{ position: 1, value: '1.50' }]));
    const paused = await op((tx, ctx) =>
      pauseOperation(tx, ctx, order.id, 10, { reason: 'material_shortage', note: 'waiting for pouches' }),
    );
    expect(paused.downtime).toMatchObject([{ reason: 'material_shortage', endedAt: null, source: 'web' }]);
    const resumed = await op((tx, ctx) => resumeOperation(tx, ctx, order.id, 10));
    expect(resumed.downtime[0]!.endedAt).not.toBeNull();
    const done10 = await op((tx, ctx) =>
      completeOperation(tx, ctx, order.id, 10, { goodQuantity: '9', scrapQuantity: '1', scrapReason: 'damaged' }),
    );
    expect(done10).toMatchObject({
      status: 'completed',
      goodQuantity: '9',
      scrapQuantity: '1',
      scrapReason: 'damaged',
      reworkQuantity: '0',
    });
    expect(done10.parameters[0]).toMatchObject({ value: '1.5', withinLimits: true });

    // 30 may run beside 20; 20 follows 10.
    await op((tx, ctx) => startOperation(tx, ctx, order.id, 30, {}));
    await op((tx, ctx) => startOperation(tx, ctx, order.id, 20, { equipmentId: w.equipment.sealer }));
    await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 20, [{ position: 1, value: '175' }]));
    await op((tx, ctx) => recordCheck(tx, ctx, order.id, 20, { kind: 'first_article', result: 'fail', note: 'seal channel' }));
    await op((tx, ctx) => recordCheck(tx, ctx, order.id, 20, { kind: 'first_article', result: 'pass' }));
    await op((tx, ctx) => recordCheck(tx, ctx, order.id, 20, { kind: 'inspection_point', point: 'Seal width ≥ 5 mm', result: 'pass' }));
    const done20 = await op((tx, ctx) => completeOperation(tx, ctx, order.id, 20, { goodQuantity: '8', reworkQuantity: '1' }));
    expect(done20.checks.map((c) => [c.kind, c.result])).toEqual([
      ['first_article', 'fail'],
      ['first_article', 'pass'],
      ['inspection_point', 'pass'],
    ]);
    await op((tx, ctx) => completeOperation(tx, ctx, order.id, 30, { goodQuantity: '8' }));
    const detail = await as(w.ctx, (tx) => workOrderDetail(tx, order.id));
    expect(detail.operations.map((o) => o.status)).toEqual(['completed', 'completed', 'completed']);
    expect((await as(w.ctx, (tx) => operationQueue(tx, w.line))).some((q) => q.workOrderId === order.id)).toBe(false);
    expect((await eventsOf(order.id)).filter((t) => t.startsWith('production.operation.'))).toEqual([
      'production.operation.started',
      'production.operation.paused',
      'production.operation.resumed',
      'production.operation.completed',
      'production.operation.started',
      'production.operation.started',
      'production.operation.completed',
      'production.operation.completed',
    ]);
  });

  it('[P11.10e] records each step in the audit trail: who, which field, old and new', async () => {
    const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
    await clearLine(order.id);
    await op((tx, ctx) => startOperation(tx, ctx, order.id, 10, {}));
    const audit = await as(
      w.ctx,
      async (tx) =>
        (
          await tx.query<{
            entity: string;
            action: string;
            actor_name: string;
            old_values: Record<string, unknown>;
            new_values: Record<string, unknown>;
          }>(
            sql`SELECT entity, action, actor_name, old_values, new_values FROM audit_event
            WHERE entity IN ('work_order_operations', 'work_order_operation_checks', 'work_order_operation_steps')
              AND (record_id LIKE ${`%${order.id}%`} OR new_values->>'work_order_id' = ${order.id}) ORDER BY id`,
          )
        ).rows,
    );
    const update = audit.find((a) => a.entity === 'work_order_operations' && a.action === 'update' && a.new_values.status === 'running');
    expect(update).toMatchObject({
      actor_name: 'Chen Jie',
      old_values: { status: 'pending' },
      new_values: { status: 'running', operator_name: 'Chen Jie' },
    });
    expect(audit.some((a) => a.entity === 'work_order_operation_checks' && a.action === 'insert')).toBe(true);
  });

  describe('gates: each a 409 with its own code, and nothing changed', () => {
    const refusedWith = async (id: string, sequence: number, attempt: () => Promise<unknown>, code: string) => {
      const before = await snapshot(id, sequence);
      expect(await codeOf(attempt())).toEqual({ status: 409, code: `error.production.operation.${code}` });
      expect(await snapshot(id, sequence)).toEqual(before);
    };

    it('[P11.10f] refuses operations out of sequence, before line clearance, and on an order not open', async () => {
      const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
      await refusedWith(order.id, 20, () => op((tx, ctx) => startOperation(tx, ctx, order.id, 20, {})), 'previousNotCompleted');
      await refusedWith(order.id, 10, () => op((tx, ctx) => startOperation(tx, ctx, order.id, 10, {})), 'lineClearanceMissing');
      await refusedWith(
        order.id,
        10,
        () => op((tx, ctx) => completeOperation(tx, ctx, order.id, 10, { goodQuantity: '1' })),
        'illegalStep',
      );
      const cancelled = await as(w.ctx, (tx) => aPouchOrder(tx, w));
      await as(w.ctx, (tx) => transitionWorkOrder(tx, w.ctx, cancelled.id, { to: 'cancelled', comment: 'plan changed' }));
      await refusedWith(cancelled.id, 10, () => clearLine(cancelled.id), 'orderNotOpen');
    });

    it('[Q.EQP] refuses equipment overdue for calibration, out of service, or of another work center', async () => {
      const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
      await clearLine(order.id);
      const start = (equipmentId: string) => () => op((tx, ctx) => startOperation(tx, ctx, order.id, 10, { equipmentId }));
      await refusedWith(order.id, 10, start(w.equipment.overdue), 'equipmentCalibrationOverdue');
      await refusedWith(order.id, 10, start(w.equipment.broken), 'equipmentOutOfService');
      await refusedWith(order.id, 10, start(w.equipment.press), 'equipmentNotAtWorkCenter');
    });

    it('[P11.10i] refuses an operator not trained on the work instruction in force', async () => {
      const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
      await clearLine(order.id);
      await refusedWith(
        order.id,
        10,
        () => as(w.untrained.ctx, (tx) => startOperation(tx, w.untrained.ctx, order.id, 10, {})),
        'operatorNotTrained',
      );
    });

    it('[P11.10f] refuses completion without the parameters, the inspection results or a passed first article', async () => {
      const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
      await clearLine(order.id);
      await op((tx, ctx) => startOperation(tx, ctx, order.id, 10, {}));
      const complete = (sequence: number) => () => op((tx, ctx) => completeOperation(tx, ctx, order.id, sequence, { goodQuantity: '10' }));
      await refusedWith(order.id, 10, complete(10), 'parametersMissing');
      await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 10, [{ position: 1, value: '2' }]));
      await complete(10)();
      await op((tx, ctx) => startOperation(tx, ctx, order.id, 20, {}));
      await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 20, [{ position: 1, value: '170' }]));
      await refusedWith(order.id, 20, complete(20), 'inspectionMissing');
      await op((tx, ctx) => recordCheck(tx, ctx, order.id, 20, { kind: 'inspection_point', point: 'Seal width ≥ 5 mm', result: 'pass' }));
      await refusedWith(order.id, 20, complete(20), 'firstArticleMissing');
      await op((tx, ctx) => recordCheck(tx, ctx, order.id, 20, { kind: 'first_article', result: 'fail', note: 'short seal' }));
      await refusedWith(order.id, 20, complete(20), 'firstArticleMissing');
    });

    it('refuses fractional counts, scrap without a reason code and more than the order quantity (422)', async () => {
      const order = await as(w.ctx, (tx) => aPouchOrder(tx, w, '5'));
      await clearLine(order.id);
      await op((tx, ctx) => startOperation(tx, ctx, order.id, 10, {}));
      const fail = (input: Parameters<typeof completeOperation>[4]) =>
        op((tx, ctx) => completeOperation(tx, ctx, order.id, 10, input)).catch((e) => e);
      expect((await fail({ goodQuantity: '2.5' })).errors[0].code).toBe('error.quantity.wholeNumber');
      expect((await fail({ goodQuantity: '3', scrapQuantity: '1' })).errors[0].code).toBe('error.production.operation.scrapReasonRequired');
      const above = await fail({ goodQuantity: '4', reworkQuantity: '2' });
      expect([above.status, above.errors[0].code]).toEqual([422, 'error.production.operation.quantityAboveOrder']);
    });
  });

  it('[Q.NC] records an out-of-limit value, opens an NCR from the operation and holds it until the NCR is cancelled', async () => {
    const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
    await clearLine(order.id);
    await op((tx, ctx) => startOperation(tx, ctx, order.id, 10, {}));
    const held = await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 10, [{ position: 1, value: '2.4' }]));
    expect(held).toMatchObject({ held: true, holdNcrId: expect.any(String) });
    expect(held.values).toMatchObject([{ value: '2.4', withinLimits: false, ncrId: held.holdNcrId }]);
    const ncr = await as(w.ctx, (tx) => getNcr(tx, held.holdNcrId!));
    expect(ncr).toMatchObject({ source: 'production_operation', sourceId: order.id, status: 'open', itemId: w.pouch.id });
    expect(await eventsOf(order.id)).toContain('production.operation.held');

    const before = await snapshot(order.id, 10);
    expect(await codeOf(op((tx, ctx) => completeOperation(tx, ctx, order.id, 10, { goodQuantity: '10' })))).toEqual({
      status: 409,
      code: 'error.production.operation.held',
    });
    expect(await snapshot(order.id, 10)).toEqual(before);

    await as(w.qa.ctx, (tx) => cancelNcr(tx, w.qa.ctx, held.holdNcrId!, 'torque wrench misread; re-measured 1.8'));
    const dispatcher = new Dispatcher(db, { subscriptions: recordOperationParametersFlow.subscriptions ?? [], tenants: [w.tenant.id] });
    await dispatcher.drain();
    await dispatcher.drain();
    expect((await as(w.ctx, (tx) => operationExecution(tx, order.id, 10))).held).toBe(false);
    await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 10, [{ position: 1, value: '1.8' }]));
    expect((await op((tx, ctx) => completeOperation(tx, ctx, order.id, 10, { goodQuantity: '10' }))).status).toBe('completed');
  });

  it('[P11.10f] lets one of two people completing the same operation at once win; the other gets a 409', async () => {
    const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
    await clearLine(order.id);
    await op((tx, ctx) => startOperation(tx, ctx, order.id, 10, {}));
    await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 10, [{ position: 1, value: '1.2' }]));
    const results = await Promise.allSettled([
      op((tx, ctx) => completeOperation(tx, ctx, order.id, 10, { goodQuantity: '10' })),
      op((tx, ctx) => completeOperation(tx, ctx, order.id, 10, { goodQuantity: '9', scrapQuantity: '1', scrapReason: 'other' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ status: 409, code: 'error.production.operation.illegalStep' });
    const steps = (await as(w.ctx, (tx) => operationExecution(tx, order.id, 10))).steps.filter((s) => s.step === 'complete');
    expect(steps).toHaveLength(1);
  });

  it('refuses a value that cannot be a measurement in its unit (below absolute zero, negative torque) field by field, recording nothing', async () => {
    const order = await as(w.ctx, (tx) => aPouchOrder(tx, w));
    await clearLine(order.id);
    await op((tx, ctx) => startOperation(tx, ctx, order.id, 10, { equipmentId: w.equipment.sealer }));
    const before = await snapshot(order.id, 10);
    const err = await op((tx, ctx) => recordOperationParameters(tx, ctx, order.id, 10, [{ position: 1, value: '-3' }])).catch((e) => e);
    expect(err).toMatchObject({ status: 422 });
    expect(err.errors).toMatchObject([
      { pointer: '/body/values/0/value', code: 'error.production.operation.implausibleValue', params: { unit: 'N·m', lower: '0' } },
    ]);
    expect(await snapshot(order.id, 10)).toEqual(before);
  });
});
