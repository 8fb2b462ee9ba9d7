import { sql, type Tx } from '../../platform/db/index.js';
import { dec, decText } from '../../platform/decimal.js';
import { Conflict, type FieldError, invalidFields } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getEquipment, quantityErrors } from '../masterdata/index.js';
import { isTrainedOnDocument } from '../training/index.js';
import {
  type CheckKind,
  type CheckResult,
  type DowntimeReason,
  ISSUABLE_STATUSES,
  OPERATION_EVENTS,
  type OperationExecution,
  type OpStatus,
  type OpStep,
  type ScrapReason,
  type WorkOrder,
} from './contract.js';
import { checkDevice, executionSource } from './execution-source.js';
import {
  blockingOperation,
  latestChecks,
  type OperationRow,
  operationExecution,
  operationParameters,
  readOperation,
  sequenceOf,
} from './operation-views.js';
import { getWorkOrder, moveWorkOrder } from './work-orders.js';

/**
 * Execution of a work order's frozen operations at the line. Every step locks the order's row and
 * then the operation's row FOR UPDATE, so two people acting on one operation queue and the second
 * finds it already moved (a 409, nothing changed). Gates are checked before anything is written,
 * each a 409 with its own code, in this order: the order is not released or in progress; the step
 * is not allowed from the operation's state; the previous operation is not completed (unless this
 * one may run in parallel); the line clearance is missing; the equipment is not at the work center,
 * out of service or overdue for calibration; the operator is not trained on the work instruction in
 * force. Completion also needs every parameter recorded, every inspection point's result, a passed
 * first article where required, and no open hold.
 */

const OPERATION_STEPS: Record<OpStep, { from: readonly OpStatus[]; to: OpStatus }> = {
  start: { from: ['pending'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  complete: { from: ['running'], to: 'completed' },
};

const STEP_EVENTS = {
  start: OPERATION_EVENTS.operationStarted,
  pause: OPERATION_EVENTS.operationPaused,
  resume: OPERATION_EVENTS.operationResumed,
  complete: OPERATION_EVENTS.operationCompleted,
} as const;

export const refuse = (detail: string, code: string, params: Record<string, string | number> = {}) =>
  new Conflict(detail, { code: `error.production.operation.${code}`, params });

/** The order and the operation, both locked, the order open for execution. */
export async function lockForExecution(
  tx: Tx,
  ctx: TenantContext,
  workOrderId: string,
  sequence: number,
): Promise<{ order: WorkOrder; op: OperationRow }> {
  const order = await getWorkOrder(tx, workOrderId, { lock: true });
  const op = await readOperation(tx, workOrderId, sequence, true);
  await checkDevice(tx, ctx, [op.workCenterId]);
  if (!(ISSUABLE_STATUSES as readonly string[]).includes(order.status)) {
    throw refuse(`work order ${order.number} is ${order.status}: operations run on a released order or one in progress`, 'orderNotOpen', {
      number: order.number,
      status: order.status,
    });
  }
  return { order, op };
}

function assertStep(order: WorkOrder, op: OperationRow, step: OpStep): void {
  if (!OPERATION_STEPS[step].from.includes(op.status)) {
    throw refuse(`operation ${op.sequence} of ${order.number} is ${op.status}: it cannot ${step}`, 'illegalStep', {
      number: order.number,
      sequence: op.sequence,
      status: op.status,
      step,
    });
  }
}

async function assertPreviousCompleted(tx: Tx, order: WorkOrder, op: OperationRow): Promise<void> {
  const previous = blockingOperation(await sequenceOf(tx, order.id), op.sequence);
  if (previous) {
    throw refuse(
      `operation ${previous.sequence} of ${order.number} is ${previous.status}: operation ${op.sequence} starts after it is completed`,
      'previousNotCompleted',
      { number: order.number, sequence: op.sequence, previous: previous.sequence },
    );
  }
}

/** Equipment must belong to the operation's work center, be in service and within its calibration. */
async function checkEquipment(tx: Tx, op: OperationRow, equipmentId: string | null): Promise<string | null> {
  if (!equipmentId) return null;
  const equipment = await getEquipment(tx, equipmentId);
  if (equipment.workCenterId !== op.workCenterId) {
    throw refuse(`${equipment.code} is not equipment of the operation's work center`, 'equipmentNotAtWorkCenter', {
      equipment: equipment.code,
    });
  }
  if (equipment.status !== 'active') {
    throw refuse(`${equipment.code} is out of service`, 'equipmentOutOfService', { equipment: equipment.code });
  }
  if (equipment.calibrationOverdue) {
    throw refuse(
      `${equipment.code} was due for calibration on ${equipment.calibrationDue}: it cannot be used`,
      'equipmentCalibrationOverdue',
      {
        equipment: equipment.code,
        due: equipment.calibrationDue ?? '',
      },
    );
  }
  return equipment.calibrationDue;
}

/** The operator must be trained on the version in force of the operation's work instruction (Part 11 §11.10(i)). */
export async function checkTrained(tx: Tx, ctx: TenantContext, op: OperationRow): Promise<void> {
  const document = op.workInstructionDocumentId;
  if (!document) return;
  const trained = ctx.actor.kind === 'user' && (await isTrainedOnDocument(tx, ctx, ctx.actor.id, document));
  if (!trained) {
    throw refuse(`${ctx.actor.name} is not trained on the work instruction in force for operation ${op.sequence}`, 'operatorNotTrained', {
      sequence: op.sequence,
      operator: ctx.actor.name,
    });
  }
}

async function recordStep(
  tx: Tx,
  ctx: TenantContext,
  order: WorkOrder,
  op: OperationRow,
  step: OpStep,
  equipment: { id: string | null; calibrationDue: string | null },
): Promise<void> {
  const { source, deviceId } = executionSource(ctx);
  await tx.query(sql`INSERT INTO work_order_operation_steps (work_order_id, sequence, step, equipment_id, calibration_due, actor_id,
      actor_name, source, device_id)
    VALUES (${order.id}, ${op.sequence}, ${step}, ${equipment.id}, ${equipment.calibrationDue}, ${ctx.actor.id}, ${ctx.actor.name},
      ${source}, ${deviceId})`);
  await publish(tx, STEP_EVENTS[step], {
    aggregateId: order.id,
    siteId: order.siteId,
    data: {
      workOrderId: order.id,
      number: order.number,
      sequence: op.sequence,
      name: op.name,
      workCenterId: op.workCenterId,
      equipmentId: equipment.id,
      from: op.status,
      to: OPERATION_STEPS[step].to,
      source,
    },
  });
}

export interface StartInput {
  equipmentId?: string | null | undefined;
}

/** Starts a pending operation; the first operation started moves a released order to in progress. */
export async function startOperation(
  tx: Tx,
  ctx: TenantContext,
  workOrderId: string,
  sequence: number,
  input: StartInput,
): Promise<OperationExecution> {
  const { order, op } = await lockForExecution(tx, ctx, workOrderId, sequence);
  assertStep(order, op, 'start');
  await assertPreviousCompleted(tx, order, op);
  if (op.lineClearanceRequired && (await latestChecks(tx, order.id, op.sequence)).get('line_clearance:') !== 'pass') {
    throw refuse(`operation ${op.sequence} of ${order.number} needs a passed line clearance before it starts`, 'lineClearanceMissing', {
      number: order.number,
      sequence: op.sequence,
    });
  }
  const equipmentId = input.equipmentId ?? null;
  const calibrationDue = await checkEquipment(tx, op, equipmentId);
  await checkTrained(tx, ctx, op);
  if (order.status === 'released') await moveWorkOrder(tx, ctx, order, 'in_progress');
  await tx.query(sql`UPDATE work_order_operations SET status = 'running', operator_id = ${ctx.actor.id}, operator_name = ${ctx.actor.name},
      equipment_id = ${equipmentId}, started_at = now(), version = version + 1
    WHERE work_order_id = ${order.id} AND sequence = ${op.sequence}`);
  await recordStep(tx, ctx, order, op, 'start', { id: equipmentId, calibrationDue });
  return operationExecution(tx, order.id, op.sequence);
}

export interface PauseInput {
  reason: DowntimeReason;
  note?: string | undefined;
}

/** Pauses a running operation; its downtime runs from now with the reason code until it resumes. */
export async function pauseOperation(
  tx: Tx,
  ctx: TenantContext,
  workOrderId: string,
  sequence: number,
  input: PauseInput,
): Promise<OperationExecution> {
  const { order, op } = await lockForExecution(tx, ctx, workOrderId, sequence);
  assertStep(order, op, 'pause');
  const { source, deviceId } = executionSource(ctx);
  await tx.query(sql`INSERT INTO work_order_operation_downtime (work_order_id, sequence, reason, note, actor_id, actor_name, source, device_id)
    VALUES (${order.id}, ${op.sequence}, ${input.reason}, ${input.note?.trim() || null}, ${ctx.actor.id}, ${ctx.actor.name}, ${source},
      ${deviceId})`);
  await tx.query(sql`UPDATE work_order_operations SET status = 'paused', version = version + 1
    WHERE work_order_id = ${order.id} AND sequence = ${op.sequence}`);
  await recordStep(tx, ctx, order, op, 'pause', { id: op.equipmentId, calibrationDue: null });
  return operationExecution(tx, order.id, op.sequence);
}

/** Resumes a paused operation (its equipment and the operator checked again); the downtime ends now. */
export async function resumeOperation(tx: Tx, ctx: TenantContext, workOrderId: string, sequence: number): Promise<OperationExecution> {
  const { order, op } = await lockForExecution(tx, ctx, workOrderId, sequence);
  assertStep(order, op, 'resume');
  const calibrationDue = await checkEquipment(tx, op, op.equipmentId);
  await checkTrained(tx, ctx, op);
  await tx.query(sql`UPDATE work_order_operation_downtime SET ended_at = now()
    WHERE work_order_id = ${order.id} AND sequence = ${op.sequence} AND ended_at IS NULL`);
  await tx.query(sql`UPDATE work_order_operations SET status = 'running', version = version + 1
    WHERE work_order_id = ${order.id} AND sequence = ${op.sequence}`);
  await recordStep(tx, ctx, order, op, 'resume', { id: op.equipmentId, calibrationDue });
  return operationExecution(tx, order.id, op.sequence);
}

export interface CompleteInput {
  goodQuantity: string;
  scrapQuantity?: string | undefined;
  scrapReason?: ScrapReason | undefined;
  reworkQuantity?: string | undefined;
}

/** Whole numbers for counted units, a reason code for any scrap, and no more in all than the order's quantity. */
function quantityProblems(order: WorkOrder, input: CompleteInput): FieldError[] {
  const errors: FieldError[] = [];
  const fields = [
    ['goodQuantity', input.goodQuantity],
    ['scrapQuantity', input.scrapQuantity ?? '0'],
    ['reworkQuantity', input.reworkQuantity ?? '0'],
  ] as const;
  for (const [field, value] of fields) {
    if (value.startsWith('-')) errors.push({ pointer: `/body/${field}`, message: 'must not be negative', code: 'error.quantity.negative' });
    else if (!dec(value).isZero()) errors.push(...quantityErrors(value, order.unit, `/body/${field}`));
  }
  if (errors.length) return errors;
  if (!dec(input.scrapQuantity ?? '0').isZero() && !input.scrapReason) {
    errors.push({
      pointer: '/body/scrapReason',
      message: 'scrap needs a reason code',
      code: 'error.production.operation.scrapReasonRequired',
    });
  }
  const total = fields.reduce((sum, [, value]) => sum.add(dec(value)), dec('0'));
  if (total.gt(order.quantity)) {
    errors.push({
      pointer: '/body/goodQuantity',
      message: `good, scrap and rework together (${decText(total)}) exceed the order quantity ${order.quantity}`,
      code: 'error.production.operation.quantityAboveOrder',
      params: { total: decText(total), quantity: order.quantity },
    });
  }
  return errors;
}

/** Completes a running operation with its quantities, once everything it requires is recorded and no hold is open. */
export async function completeOperation(
  tx: Tx,
  ctx: TenantContext,
  workOrderId: string,
  sequence: number,
  input: CompleteInput,
): Promise<OperationExecution> {
  const { order, op } = await lockForExecution(tx, ctx, workOrderId, sequence);
  const errors = quantityProblems(order, input);
  if (errors.length) {
    throw invalidFields(
      `the quantities are not valid: ${errors.map((e) => e.message).join('; ')}`,
      errors,
      'error.production.operation.invalid',
    );
  }
  assertStep(order, op, 'complete');
  const calibrationDue = await checkEquipment(tx, op, op.equipmentId);
  await checkTrained(tx, ctx, op);
  const at = { number: order.number, sequence: op.sequence };
  if (op.held) {
    throw refuse(`operation ${op.sequence} of ${order.number} is held by a nonconformance until it is closed`, 'held', {
      ...at,
      ncrId: op.holdNcrId ?? '',
    });
  }
  const parameters = await operationParameters(tx, order.id, op.sequence);
  const unrecorded = parameters.filter((p) => p.value === null);
  if (unrecorded.length) {
    throw refuse(`no value recorded for ${unrecorded.map((p) => p.name).join(', ')}`, 'parametersMissing', {
      ...at,
      parameters: unrecorded.map((p) => p.name).join(', '),
    });
  }
  const checks = await latestChecks(tx, order.id, op.sequence);
  const missing = op.inspectionPoints.filter((point) => !checks.has(`inspection_point:${point}`));
  if (missing.length) {
    throw refuse(`no result recorded for ${missing.join('; ')}`, 'inspectionMissing', { ...at, points: missing.join('; ') });
  }
  if (op.firstArticleRequired && checks.get('first_article:') !== 'pass') {
    throw refuse(`operation ${op.sequence} of ${order.number} needs a passed first-article inspection`, 'firstArticleMissing', at);
  }
  await tx.query(sql`UPDATE work_order_operations SET status = 'completed', completed_at = now(), good_quantity = ${input.goodQuantity},
      scrap_quantity = ${input.scrapQuantity ?? '0'}, scrap_reason = ${input.scrapReason ?? null},
      rework_quantity = ${input.reworkQuantity ?? '0'}, version = version + 1
    WHERE work_order_id = ${order.id} AND sequence = ${op.sequence}`);
  await recordStep(tx, ctx, order, op, 'complete', { id: op.equipmentId, calibrationDue });
  return operationExecution(tx, order.id, op.sequence);
}

export interface CheckInput {
  kind: CheckKind;
  /** The inspection point, for kind inspection_point. */
  point?: string | undefined;
  result: CheckResult;
  /** Required with a fail. */
  note?: string | undefined;
}

/**
 * Records a line clearance (before the operation starts), or an inspection point's result or the
 * first article (while it runs or is paused). A later result for the same check supersedes the
 * earlier one; both stay on record.
 */
export async function recordCheck(
  tx: Tx,
  ctx: TenantContext,
  workOrderId: string,
  sequence: number,
  input: CheckInput,
): Promise<OperationExecution> {
  const { order, op } = await lockForExecution(tx, ctx, workOrderId, sequence);
  const errors: FieldError[] = [];
  const point = input.kind === 'inspection_point' ? (input.point?.trim() ?? '') : null;
  if (point !== null && !op.inspectionPoints.includes(point)) {
    errors.push({
      pointer: '/body/point',
      message: 'is not an inspection point of the operation',
      code: 'error.production.operation.unknownPoint',
    });
  }
  if (input.result === 'fail' && !input.note?.trim()) {
    errors.push({ pointer: '/body/note', message: 'a failed check needs a note', code: 'error.production.operation.noteRequired' });
  }
  if (errors.length)
    throw invalidFields(`the check is not valid: ${errors.map((e) => e.message).join('; ')}`, errors, 'error.production.operation.invalid');
  const allowed: readonly OpStatus[] = input.kind === 'line_clearance' ? ['pending'] : ['running', 'paused'];
  if (!allowed.includes(op.status)) {
    throw refuse(
      `operation ${op.sequence} of ${order.number} is ${op.status}: a ${input.kind.replace('_', ' ')} is recorded while it is ${allowed.join(' or ')}`,
      'checkNotNow',
      {
        number: order.number,
        sequence: op.sequence,
        status: op.status,
        kind: input.kind,
      },
    );
  }
  await checkTrained(tx, ctx, op);
  const { source, deviceId } = executionSource(ctx);
  await tx.query(sql`INSERT INTO work_order_operation_checks (work_order_id, sequence, kind, point, result, note, actor_id, actor_name,
      source, device_id)
    VALUES (${order.id}, ${op.sequence}, ${input.kind}, ${point}, ${input.result}, ${input.note?.trim() || null}, ${ctx.actor.id},
      ${ctx.actor.name}, ${source}, ${deviceId})`);
  return operationExecution(tx, order.id, op.sequence);
}
