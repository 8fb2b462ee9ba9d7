import { raw, sql, type Tx } from '../../platform/db/index.js';
import { NotFound } from '../../platform/errors.js';
import { getWorkCenter, listEquipment } from '../masterdata/index.js';
import type {
  CheckResult,
  OpCheck,
  OpDowntime,
  OperationExecution,
  OpParameter,
  OpParameterValue,
  OpStatus,
  OpStepRecord,
  QueuedOperation,
  ScrapReason,
} from './contract.js';
import { withDevices } from './execution-source.js';
import { getWorkOrder } from './work-orders.js';

/** How operations read: one with all recorded on it, the queue at a work center, the order of operations. */

export interface OperationRow {
  sequence: number;
  name: string;
  workCenterId: string;
  workInstructionDocumentId: string | null;
  inspectionPoints: string[];
  firstArticleRequired: boolean;
  lineClearanceRequired: boolean;
  parallelWithPrevious: boolean;
  status: OpStatus;
  operator: { id: string; name: string } | null;
  equipmentId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  goodQuantity: string | null;
  scrapQuantity: string | null;
  scrapReason: ScrapReason | null;
  reworkQuantity: string | null;
  held: boolean;
  holdNcrId: string | null;
  version: number;
}

export const person = (id: string, name: string) =>
  `CASE WHEN ${id} IS NULL THEN NULL ELSE json_build_object('id', ${id}, 'name', ${name}) END`;

const OP_COLUMNS = `o.sequence, o.name, o.work_center_id AS "workCenterId", o.work_instruction_document_id AS "workInstructionDocumentId",
  o.inspection_points AS "inspectionPoints", o.first_article_required AS "firstArticleRequired",
  o.line_clearance_required AS "lineClearanceRequired", o.parallel_with_previous AS "parallelWithPrevious", o.status,
  ${person('o.operator_id', 'o.operator_name')} AS operator, o.equipment_id AS "equipmentId", o.started_at AS "startedAt",
  o.completed_at AS "completedAt", trim_scale(o.good_quantity)::text AS "goodQuantity", trim_scale(o.scrap_quantity)::text AS "scrapQuantity",
  o.scrap_reason AS "scrapReason", trim_scale(o.rework_quantity)::text AS "reworkQuantity", o.held, o.hold_ncr_id AS "holdNcrId", o.version`;

export async function readOperation(tx: Tx, workOrderId: string, sequence: number, lock: boolean): Promise<OperationRow> {
  const { rows } = await tx.query<OperationRow>(sql`SELECT ${raw(OP_COLUMNS)} FROM work_order_operations o
    WHERE o.work_order_id = ${workOrderId} AND o.sequence = ${sequence}${raw(lock ? ' FOR UPDATE' : '')}`);
  if (!rows[0]) {
    throw new NotFound(`the work order has no operation ${sequence}`, {
      code: 'error.production.operation.notFound',
      params: { sequence },
    });
  }
  return rows[0];
}

export interface SequenceRow {
  sequence: number;
  status: OpStatus;
  parallelWithPrevious: boolean;
}

/**
 * The operation that must be completed before this one may start, if any: operations run in
 * sequence, except that one allowed to run in parallel with its previous operation joins that
 * operation's group and waits only for what comes before the group.
 */
export function blockingOperation(ops: readonly SequenceRow[], sequence: number): SequenceRow | undefined {
  const earlier = ops.filter((o) => o.sequence < sequence).sort((a, b) => b.sequence - a.sequence);
  let parallel = ops.find((o) => o.sequence === sequence)?.parallelWithPrevious ?? false;
  let i = 0;
  while (parallel && i < earlier.length) parallel = earlier[i++]!.parallelWithPrevious;
  return earlier.slice(i).find((o) => o.status !== 'completed');
}

export async function sequenceOf(tx: Tx, workOrderId: string): Promise<SequenceRow[]> {
  const { rows } = await tx.query<SequenceRow & { workOrderId: string }>(sql`SELECT sequence, status,
      parallel_with_previous AS "parallelWithPrevious"
    FROM work_order_operations WHERE work_order_id = ${workOrderId} ORDER BY sequence`);
  return rows;
}

export async function latestChecks(tx: Tx, workOrderId: string, sequence: number): Promise<Map<string, CheckResult>> {
  const { rows } = await tx.query<{ key: string; result: CheckResult }>(sql`SELECT DISTINCT ON (kind, point)
      kind || ':' || coalesce(point, '') AS key, result
    FROM work_order_operation_checks WHERE work_order_id = ${workOrderId} AND sequence = ${sequence}
    ORDER BY kind, point, created_at DESC, id DESC`);
  return new Map(rows.map((r) => [r.key, r.result]));
}

export async function operationParameters(tx: Tx, workOrderId: string, sequence: number): Promise<OpParameter[]> {
  const { rows } = await tx.query<OpParameter>(sql`SELECT p.position, p.name, p.unit, trim_scale(p.lower_limit)::text AS "lowerLimit",
      trim_scale(p.upper_limit)::text AS "upperLimit", trim_scale(v.value)::text AS value, v.within_limits AS "withinLimits"
    FROM work_order_operation_parameters p
    LEFT JOIN LATERAL (SELECT value, within_limits FROM work_order_parameter_values x
      WHERE x.work_order_id = p.work_order_id AND x.sequence = p.sequence AND x.position = p.position
      ORDER BY x.created_at DESC, x.id DESC LIMIT 1) v ON true
    WHERE p.work_order_id = ${workOrderId} AND p.sequence = ${sequence} ORDER BY p.position`);
  return rows;
}

const RECORDED = `${person('actor_id', 'actor_name')} AS "recordedBy", source, device_id AS "deviceId"`;

/** One operation with everything recorded on it and the equipment of its work center. */
export async function operationExecution(tx: Tx, workOrderId: string, sequence: number): Promise<OperationExecution> {
  const order = await getWorkOrder(tx, workOrderId);
  const op = await readOperation(tx, workOrderId, sequence, false);
  const where = sql`work_order_id = ${workOrderId} AND sequence = ${sequence}`;
  const values = await tx.query<
    Omit<OpParameterValue, 'device'>
  >(sql`SELECT id, position, trim_scale(value)::text AS value, within_limits AS "withinLimits",
      ncr_id AS "ncrId", created_at AS "createdAt", ${raw(RECORDED)}
    FROM work_order_parameter_values WHERE ${where} ORDER BY created_at, id`);
  const checks = await tx.query<
    Omit<OpCheck, 'device'>
  >(sql`SELECT id, kind, point, result, note, created_at AS "createdAt", ${raw(RECORDED)}
    FROM work_order_operation_checks WHERE ${where} ORDER BY created_at, id`);
  const downtime = await tx.query<
    Omit<OpDowntime, 'device'>
  >(sql`SELECT id, reason, note, started_at AS "startedAt", ended_at AS "endedAt", ${raw(RECORDED)}
    FROM work_order_operation_downtime WHERE ${where} ORDER BY started_at, id`);
  const steps = await tx.query<
    Omit<OpStepRecord, 'device'>
  >(sql`SELECT id, step, equipment_id AS "equipmentId", calibration_due::text AS "calibrationDue",
      ${raw(person('actor_id', 'actor_name'))} AS by, source, device_id AS "deviceId", created_at AS "createdAt"
    FROM work_order_operation_steps WHERE ${where} ORDER BY created_at, id`);
  const equipment = await listEquipment(tx, { workCenterId: op.workCenterId, limit: 100 });
  return {
    workOrderId: order.id,
    number: order.number,
    orderStatus: order.status,
    itemCode: order.itemCode,
    itemName: order.itemName,
    orderQuantity: order.quantity,
    unit: order.unit,
    ...op,
    parameters: await operationParameters(tx, workOrderId, sequence),
    values: await withDevices(tx, values.rows),
    checks: await withDevices(tx, checks.rows),
    downtime: await withDevices(tx, downtime.rows),
    steps: await withDevices(tx, steps.rows),
    equipment: equipment.items.map((e) => ({
      id: e.id,
      code: e.code,
      name: e.name,
      status: e.status,
      calibrationDue: e.calibrationDue,
      calibrationOverdue: e.calibrationOverdue,
    })),
  };
}

/**
 * The operator's queue at a work center: operations not yet completed of released or in-progress
 * orders, earliest due first, each marked ready when what must come before it is completed.
 */
export async function operationQueue(tx: Tx, workCenterId: string): Promise<QueuedOperation[]> {
  await getWorkCenter(tx, workCenterId);
  const { rows } = await tx.query<Omit<QueuedOperation, 'itemCode' | 'itemName' | 'ready'>>(sql`SELECT
      w.id AS "workOrderId", w.number, trim_scale(w.quantity)::text AS "orderQuantity", w.unit, w.due_date::text AS "dueDate",
      o.sequence, o.name, o.status, o.held
    FROM work_order_operations o JOIN work_orders w ON w.id = o.work_order_id
    WHERE o.work_center_id = ${workCenterId} AND o.status <> 'completed' AND w.status IN ('released', 'in_progress')
    ORDER BY w.due_date, w.number, o.sequence
    LIMIT 200`);
  const orders = new Map<string, { itemCode: string; itemName: string; ops: SequenceRow[] }>();
  const out: QueuedOperation[] = [];
  for (const r of rows) {
    if (!orders.has(r.workOrderId)) {
      const order = await getWorkOrder(tx, r.workOrderId);
      orders.set(r.workOrderId, { itemCode: order.itemCode, itemName: order.itemName, ops: await sequenceOf(tx, r.workOrderId) });
    }
    const { itemCode, itemName, ops } = orders.get(r.workOrderId)!;
    out.push({ ...r, itemCode, itemName, ready: !blockingOperation(ops, r.sequence) });
  }
  return out;
}
