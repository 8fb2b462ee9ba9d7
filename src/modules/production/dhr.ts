import { dayIn } from '../../platform/dates.js';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Decimal, decText } from '../../platform/decimal.js';
import { defineSignable, listSignaturesOfContent, withManifestations } from '../../platform/esign/index.js';
import { getSite } from '../../platform/tenancy/index.js';
import { getDeviation } from '../deviations/index.js';
import { getLot, producedLots } from '../inventory/index.js';
import { getEquipment, getItem, getItemRevision, getWorkCenter } from '../masterdata/index.js';
import { ncrsConcerning } from '../nonconformance/index.js';
import { labelsOfWorkOrder, needsInspection } from '../traceability/index.js';
import {
  type CalibrationState,
  type DeviceHistoryRecord,
  type DhrBlocker,
  type DhrMaterial,
  type DhrOperation,
  PRODUCTION_PERMISSIONS,
  type WoOutputReport,
} from './contract.js';
import { withDevices } from './execution-source.js';
import { person } from './operation-views.js';
import { getMaterials, getWorkOrder } from './work-orders.js';

/**
 * The electronic device history record of a work order (ISO 13485 7.5.1, 21 CFR 820): assembled
 * from what was recorded on it — frozen revisions, material and the lots consumed, each operation
 * with operator, equipment and its calibration at the time, parameters, inspection results and
 * downtime, the output lots and serials, the NCRs and deviation, the labels — in a handful of
 * set-based reads whatever the number of operations or serials. What the signatures cover is the
 * record's content without what moves on after release: lot statuses, the order's status and its
 * review state, the signatures themselves and the blockers.
 */

/** The signatures of the record are the work order's: it has no other. */
const ENTITY = 'work_orders';

interface OperationRow {
  sequence: number;
  name: string;
  workCenterId: string;
  status: DhrOperation['status'];
  operator: DhrOperation['operator'];
  equipmentId: string | null;
  calibrationDue: string | null;
  startedAt: string | null;
  completedAt: string | null;
  goodQuantity: string | null;
  scrapQuantity: string | null;
  scrapReason: DhrOperation['scrapReason'];
  reworkQuantity: string | null;
  inspectionPoints: string[];
  held: boolean;
}

type Recorded = { recordedBy: DhrOperation['operator']; recordedAt: string; source: 'web' | 'api' | 'system'; deviceId: string | null };

const RECORDED = `${person('actor_id', 'actor_name')} AS "recordedBy", created_at AS "recordedAt", source, device_id AS "deviceId"`;

/** Labels printed for the order (UDI labels through traceability's face), their inspection and their reconciliation. */
async function labelsOf(tx: Tx, workOrderId: string): Promise<DeviceHistoryRecord['labels']> {
  const { jobs, totals } = await labelsOfWorkOrder(tx, workOrderId);
  return {
    printed: totals.printed,
    used: totals.used,
    destroyed: totals.destroyed,
    jobs: jobs.map((j) => ({
      id: j.id,
      description: `${j.number} · ${j.itemCode} · GTIN ${j.gtin} (${j.packagingLevel}, ${j.format.toUpperCase()})`,
      printed: j.quantityPrinted,
      used: j.quantityUsed,
      destroyed: j.quantityDestroyed,
      reconciled: j.status === 'reconciled',
      printedAt: j.printedAt,
      printedBy: { id: j.printedBy.id ?? '', name: j.printedBy.name },
      inspection: j.inspection && {
        result: j.inspection.result,
        findings: j.inspection.findings.length,
        inspectedAt: j.inspection.inspectedAt,
        inspectedBy: { id: j.inspection.inspectedBy.id ?? '', name: j.inspection.inspectedBy.name },
      },
      needsInspection: needsInspection(j),
    })),
  };
}

/** Names looked up once per distinct id. */
async function namesOf(ids: Iterable<string>, look: (id: string) => Promise<{ code: string; name: string }>) {
  const names = new Map<string, { code: string; name: string }>();
  for (const id of new Set(ids)) {
    const r = await look(id);
    names.set(id, { code: r.code, name: r.name });
  }
  return names;
}

/** The calibration of the equipment an operation started on, as it stood on the day it started at the site. */
function calibrationOf(
  due: string | null,
  startedAt: string | null,
  equipmentId: string | null,
  timeZone: string,
): CalibrationState | null {
  if (!equipmentId) return null;
  if (!due) return 'notCalibrated';
  return startedAt && due < dayIn(timeZone, startedAt) ? 'overdue' : 'inDate';
}

async function operationsOf(
  tx: Tx,
  workOrderId: string,
  ncrNumbers: ReadonlyMap<string, string>,
  timeZone: string,
): Promise<{ ops: DhrOperation[]; held: number[] }> {
  const where = sql`work_order_id = ${workOrderId}`;
  const [ops, params, values, checks, downtime] = await Promise.all([
    tx.query<OperationRow>(sql`SELECT o.sequence, o.name, o.work_center_id AS "workCenterId", o.status,
        ${raw(person('o.operator_id', 'o.operator_name'))} AS operator, o.equipment_id AS "equipmentId",
        (SELECT s.calibration_due::text FROM work_order_operation_steps s
          WHERE s.work_order_id = o.work_order_id AND s.sequence = o.sequence AND s.step = 'start' ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
          AS "calibrationDue",
        o.started_at AS "startedAt", o.completed_at AS "completedAt", trim_scale(o.good_quantity)::text AS "goodQuantity",
        trim_scale(o.scrap_quantity)::text AS "scrapQuantity", o.scrap_reason AS "scrapReason",
        trim_scale(o.rework_quantity)::text AS "reworkQuantity", o.inspection_points AS "inspectionPoints", o.held
      FROM work_order_operations o WHERE o.${where} ORDER BY o.sequence`),
    tx.query<{ sequence: number; position: number; name: string; unit: string; lowerLimit: string | null; upperLimit: string | null }>(
      sql`SELECT sequence, position, name, unit, trim_scale(lower_limit)::text AS "lowerLimit", trim_scale(upper_limit)::text AS "upperLimit"
        FROM work_order_operation_parameters WHERE ${where} ORDER BY sequence, position`,
    ),
    tx.query<{ sequence: number; position: number; value: string; withinLimits: boolean; ncrId: string | null } & Recorded>(
      sql`SELECT sequence, position, trim_scale(value)::text AS value, within_limits AS "withinLimits", ncr_id AS "ncrId", ${raw(RECORDED)}
        FROM work_order_parameter_values WHERE ${where} ORDER BY sequence, position, created_at, id`,
    ),
    tx.query<{ sequence: number } & DhrOperation['checks'][number]>(
      sql`SELECT sequence, kind, point, result, note, ${raw(RECORDED)}
        FROM work_order_operation_checks WHERE ${where} ORDER BY sequence, created_at, id`,
    ),
    tx.query<{ sequence: number } & DhrOperation['downtime'][number]>(
      sql`SELECT sequence, reason, note, started_at AS "startedAt", ended_at AS "endedAt", ${raw(person('actor_id', 'actor_name'))} AS "recordedBy"
        FROM work_order_operation_downtime WHERE ${where} ORDER BY sequence, started_at, id`,
    ),
  ]);
  const centers = await namesOf(
    ops.rows.map((o) => o.workCenterId),
    (id) => getWorkCenter(tx, id),
  );
  const equipment = await namesOf(
    ops.rows.flatMap((o) => (o.equipmentId ? [o.equipmentId] : [])),
    (id) => getEquipment(tx, id),
  );
  const bySequence = <T extends { sequence: number }>(rows: T[]) => {
    const m = new Map<number, Omit<T, 'sequence'>[]>();
    for (const { sequence, ...rest } of rows) m.set(sequence, [...(m.get(sequence) ?? []), rest]);
    return m;
  };
  const paramsBy = bySequence(params.rows);
  const valuesBy = bySequence(values.rows);
  const checksBy = bySequence(checks.rows);
  const downtimeBy = bySequence(downtime.rows);
  return {
    held: ops.rows.filter((o) => o.held).map((o) => o.sequence),
    ops: ops.rows.map(({ workCenterId, equipmentId, held: _held, ...o }) => ({
      ...o,
      workCenter: centers.get(workCenterId)!,
      equipment: equipmentId ? equipment.get(equipmentId)! : null,
      calibration: calibrationOf(o.calibrationDue, o.startedAt, equipmentId, timeZone),
      parameters: (paramsBy.get(o.sequence) ?? []).map((p) => ({
        ...p,
        values: (valuesBy.get(o.sequence) ?? [])
          .filter((v) => v.position === p.position)
          .map(({ position: _p, ncrId, ...v }) => ({ ...v, ncrNumber: ncrId ? (ncrNumbers.get(ncrId) ?? null) : null })),
      })),
      checks: (checksBy.get(o.sequence) ?? []) as DhrOperation['checks'],
      downtime: (downtimeBy.get(o.sequence) ?? []) as DhrOperation['downtime'],
    })),
  };
}

async function materialsOf(tx: Tx, workOrderId: string): Promise<DhrMaterial[]> {
  const materials = await getMaterials(tx, workOrderId);
  const { rows } = await tx.query<{ lineNo: number; lotId: string; quantity: string }>(sql`SELECT line_no AS "lineNo", lot_id AS "lotId",
      trim_scale(sum(CASE WHEN kind = 'issue' THEN quantity ELSE -quantity END))::text AS quantity
    FROM work_order_material_movements WHERE work_order_id = ${workOrderId} AND lot_id IS NOT NULL
    GROUP BY line_no, lot_id HAVING sum(CASE WHEN kind = 'issue' THEN quantity ELSE -quantity END) > 0
    ORDER BY line_no, min(created_at)`);
  const lots = new Map<string, { number: string; supplierLot: string | null; expiresOn: string | null }>();
  for (const id of new Set(rows.map((r) => r.lotId))) {
    const lot = await getLot(tx, id);
    lots.set(id, { number: lot.number, supplierLot: lot.supplierLot, expiresOn: lot.expiresOn });
  }
  const revisions = new Map<string, string>();
  for (const id of new Set(materials.flatMap((m) => (m.componentRevisionId ? [m.componentRevisionId] : [])))) {
    revisions.set(id, (await getItemRevision(tx, id)).revision);
  }
  return materials.map((m) => ({
    lineNo: m.lineNo,
    component: { code: m.componentCode, name: m.componentName },
    revision: m.componentRevisionId ? revisions.get(m.componentRevisionId)! : null,
    requiredQuantity: m.requiredQuantity,
    issuedQuantity: m.issuedQuantity,
    baseUnit: m.baseUnit,
    lots: rows
      .filter((r) => r.lineNo === m.lineNo)
      .map((r) => {
        const lot = lots.get(r.lotId)!;
        return { lotId: r.lotId, lotNumber: lot.number, supplierLot: lot.supplierLot, expiresOn: lot.expiresOn, quantity: r.quantity };
      }),
  }));
}

type Blocker = DeviceHistoryRecord['blockers'][number];
const blocker = (code: DhrBlocker, params: Record<string, string> = {}): Blocker => ({ code, params });

/** The record without what may change after it is signed: the content a review or release signature covers. */
function signedContent(dhr: Omit<DeviceHistoryRecord, 'signatures' | 'blockers' | 'allowed'>): Record<string, unknown> {
  const { status: _s, dhrStatus: _d, version: _v, ...order } = dhr.workOrder;
  return {
    ...dhr,
    workOrder: order,
    dates: { ...dhr.dates, reviewedAt: null, releasedOutputAt: null },
    quantities: { ...dhr.quantities, released: null },
    output: { ...dhr.output, lots: dhr.output.lots.map(({ status: _st, ...lot }) => lot) },
  };
}

interface Assembled {
  dhr: Omit<DeviceHistoryRecord, 'signatures' | 'blockers' | 'allowed'>;
  content: Record<string, unknown>;
  /** Blockers of review and release alike (review state aside). */
  blockers: Blocker[];
}

async function assemble(tx: Tx, workOrderId: string): Promise<Assembled> {
  const order = await getWorkOrder(tx, workOrderId);
  const [site, item, materials, reports, produced, times, labels] = await Promise.all([
    getSite(tx, order.siteId),
    getItem(tx, order.itemId),
    materialsOf(tx, workOrderId),
    tx
      .query<Omit<WoOutputReport, 'device'>>(sql`SELECT o.id, trim_scale(o.quantity)::text AS quantity, o.lot_count AS "lotCount",
        o.operation_id AS "operationId", o.reason, o.created_at AS "createdAt", o.source, o.device_id AS "deviceId",
        ${raw(person('o.created_by_id', 'o.created_by_name'))} AS "createdBy"
      FROM work_order_outputs o WHERE o.work_order_id = ${workOrderId} ORDER BY o.created_at, o.id`)
      .then((r) => withDevices(tx, r.rows)),
    producedLots(tx, workOrderId, 1_000_000),
    tx.query<{ reviewedAt: string | null; releasedOutputAt: string | null }>(sql`SELECT reviewed_at AS "reviewedAt",
        released_output_at AS "releasedOutputAt" FROM work_orders WHERE id = ${workOrderId}`),
    labelsOf(tx, workOrderId),
  ]);
  const deviation = order.deviationId ? await getDeviation(tx, order.deviationId) : null;
  const lots = produced.lots as DeviceHistoryRecord['output']['lots'];
  const ncrs = await ncrsConcerning(tx, { sourceId: workOrderId, lotIds: lots.map((l) => l.id) });
  // The NCRs an out-of-limit value opened are among the order's own: one read names them all.
  const ops = await operationsOf(tx, workOrderId, new Map(ncrs.map((n) => [n.id, n.number])), site.timeZone);
  const sum = (xs: Array<string | null>) => xs.reduce((acc, x) => (x ? acc.plus(x) : acc), new Decimal(0));
  const started = ops.ops.flatMap((o) => (o.startedAt ? [o.startedAt] : [])).sort();
  const completed = ops.ops.flatMap((o) => (o.completedAt ? [o.completedAt] : [])).sort();
  const dhr: Assembled['dhr'] = {
    workOrder: order,
    site: { code: site.code, name: site.name },
    deviation: deviation && { id: deviation.id, number: deviation.number, title: deviation.title, status: deviation.status },
    dates: {
      releasedAt: order.releasedAt,
      firstStartedAt: started[0] ?? null,
      lastCompletedAt: completed.at(-1) ?? null,
      ...times.rows[0]!,
    },
    quantities: {
      ordered: order.quantity,
      made: decText(sum(reports.map((r) => r.quantity))),
      scrapped: decText(sum(ops.ops.map((o) => o.scrapQuantity))),
      released: decText(sum(lots.filter((l) => ['released', 'consumed', 'shipped'].includes(l.status)).map((l) => l.quantity))),
      unit: item.baseUnit,
    },
    materials,
    operations: ops.ops,
    output: { reports, lots },
    ncrs: ncrs.map((n) => ({ ...n, status: n.status as string, defectClass: n.defectClass as string })),
    labels,
  };

  const blockers: Blocker[] = [];
  if (!['completed', 'closed'].includes(order.status)) blockers.push(blocker('orderNotCompleted', { status: order.status }));
  for (const o of ops.ops) {
    if (o.status !== 'completed') blockers.push(blocker('operationNotCompleted', { sequence: String(o.sequence), name: o.name }));
    const latest = new Map(o.checks.filter((c) => c.kind === 'inspection_point').map((c) => [c.point, c.result]));
    for (const point of o.inspectionPoints) {
      if (latest.get(point) !== 'pass') {
        blockers.push(blocker('inspectionMissing', { sequence: String(o.sequence), point }));
      }
    }
  }
  for (const sequence of ops.held) blockers.push(blocker('operationHeld', { sequence: String(sequence) }));
  if (!lots.length) blockers.push(blocker('noOutput'));
  for (const n of ncrs.filter((n) => !['closed', 'cancelled'].includes(n.status))) blockers.push(blocker('ncrOpen', { number: n.number }));
  if (order.dhrStatus !== 'released') {
    const notQuarantined = lots.filter((l) => l.status !== 'quarantine');
    if (notQuarantined.length) {
      blockers.push(
        blocker('outputNotInQuarantine', {
          lots: notQuarantined
            .slice(0, 5)
            .map((l) => l.number)
            .join(', '),
          count: String(notQuarantined.length),
        }),
      );
    }
  }
  const unreconciled = labels.jobs.filter((j) => !j.reconciled).length;
  if (unreconciled) blockers.push(blocker('labelsNotReconciled', { count: String(unreconciled) }));
  const uninspected = labels.jobs.filter((j) => j.needsInspection).length;
  if (uninspected) blockers.push(blocker('labelsNotInspected', { count: String(uninspected) }));
  return { dhr, content: signedContent(dhr), blockers };
}

/** The device history record for the screen and the PDF: with its signatures, what blocks its review or release, and what may be done now. */
export async function deviceHistoryRecord(tx: Tx, workOrderId: string): Promise<DeviceHistoryRecord> {
  const { dhr, content, blockers } = await assemble(tx, workOrderId);
  const signatures = await withManifestations(tx, await listSignaturesOfContent(tx, ENTITY, workOrderId, content));
  const review = signatures.filter((s) => s.meaning === 'reviewed').at(-1);
  const status = dhr.workOrder.dhrStatus;
  const releaseBlockers = [...blockers];
  if (status === 'open') releaseBlockers.push(blocker('notReviewed'));
  else if (status === 'reviewed' && review && !review.valid) releaseBlockers.push(blocker('reviewInvalid', { signedAt: review.signedAt }));
  return {
    ...dhr,
    blockers: status === 'released' ? [] : releaseBlockers,
    signatures,
    allowed: {
      review: !blockers.length && (status === 'open' || (status === 'reviewed' && !review?.valid)),
      release: status === 'reviewed' && !releaseBlockers.length,
    },
  };
}

/** The signed content and the blockers, for the signing steps (review, release). */
export async function dhrForSigning(tx: Tx, workOrderId: string): Promise<Assembled> {
  return assemble(tx, workOrderId);
}

/** The people who recorded production on the order: none of them may review its record. */
export async function productionRecorders(tx: Tx, workOrderId: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(sql`SELECT DISTINCT id FROM (
      SELECT actor_id AS id FROM work_order_operation_steps WHERE work_order_id = ${workOrderId}
      UNION SELECT actor_id FROM work_order_parameter_values WHERE work_order_id = ${workOrderId}
      UNION SELECT actor_id FROM work_order_operation_checks WHERE work_order_id = ${workOrderId}
      UNION SELECT created_by_id FROM work_order_outputs WHERE work_order_id = ${workOrderId}
      UNION SELECT created_by_id FROM work_order_material_movements WHERE work_order_id = ${workOrderId}) p
    WHERE id IS NOT NULL`);
  return rows.map((r) => r.id);
}

export const dhrSignable = defineSignable({
  entity: ENTITY,
  async content(tx, id) {
    const { rowCount } = await tx.query(sql`SELECT 1 FROM work_orders WHERE id = ${id}`);
    return rowCount ? (await assemble(tx, id)).content : undefined;
  },
  permissionFor: (meaning) =>
    meaning === 'reviewed' ? PRODUCTION_PERMISSIONS.signReviewed : meaning === 'released' ? PRODUCTION_PERMISSIONS.signReleased : undefined,
});
