import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict, type FieldError, invalidFields, NotFound } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { staleRecord } from '../../platform/http/etag.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { defineMachine, takeTransition } from '../../platform/statemachine/index.js';
import { getSite, siteToday, type TenantContext } from '../../platform/tenancy/index.js';
import { getDeviation, recordDeviationUse } from '../deviations/index.js';
import { explodeBom, findItemByCode, getItem, getItemRevision, getRouting, quantityErrors } from '../masterdata/index.js';
import {
  type DhrStatus,
  PRODUCTION_EVENTS,
  WO_STATUSES,
  type WoMaterial,
  type WoOperation,
  type WorkOrder,
  type WorkOrderDetail,
  type WoStatus,
} from './contract.js';
import { listMaterialMovements } from './material-records.js';

export interface NewWorkOrder {
  itemRevisionId: string;
  /** In the item's base unit; whole for a counted unit. */
  quantity: string;
  siteId: string;
  dueDate: string;
  notes?: string | undefined;
  /** The deviation the order is made under; its quantity is used when the order is released. */
  deviationId?: string | null | undefined;
}

export interface WorkOrderChanges {
  itemRevisionId?: string | undefined;
  quantity?: string | undefined;
  dueDate?: string | undefined;
  notes?: string | null | undefined;
  deviationId?: string | null | undefined;
}

type WorkOrderRow = Omit<WorkOrder, 'itemCode' | 'itemName' | 'revision'>;

/** What a transition of the life cycle looks at. */
interface WoRecord {
  id: string;
  itemRevisionId: string;
  netIssued: Decimal;
  /** Output reported so far (only read for completion). */
  output?: Decimal | undefined;
}

const revisionReleased = async (tx: Tx, wo: WoRecord) => {
  const revision = await getItemRevision(tx, wo.itemRevisionId);
  return revision.status === 'released' ? undefined : `revision ${revision.revision} of the item is ${revision.status}, not released`;
};
const nothingIssued = (_tx: Tx, wo: WoRecord) =>
  wo.netIssued.gt(0) ? `${decText(wo.netIssued)} of material is still issued to it: return it first` : undefined;

const someOutput = (_tx: Tx, wo: WoRecord) =>
  wo.output?.gt(0) ? undefined : 'no output is reported for it: report what it made before completing it';

/**
 * draft → released → in_progress → completed → closed; cancelled from draft or released. Release
 * is a planning decision, not a quality approval, so it is not signed (the eDHR review and the
 * finished lot's release are the signed steps); it is refused unless the item revision is released.
 * Completion needs some output reported (`production/output.ts`).
 */
export const workOrderLifecycle = defineMachine<WoStatus, WoRecord>({
  entity: 'work_orders',
  states: WO_STATUSES,
  transitions: [
    { name: 'release', from: ['draft'], to: 'released', guards: [revisionReleased], event: PRODUCTION_EVENTS.released },
    { name: 'start', from: ['released'], to: 'in_progress', event: PRODUCTION_EVENTS.started },
    { name: 'complete', from: ['in_progress'], to: 'completed', guards: [someOutput], event: PRODUCTION_EVENTS.completed },
    { name: 'close', from: ['completed'], to: 'closed', event: PRODUCTION_EVENTS.closed },
    {
      name: 'cancel',
      from: ['draft', 'released'],
      to: 'cancelled',
      guards: [nothingIssued],
      reasonRequired: true,
      event: PRODUCTION_EVENTS.cancelled,
    },
  ],
});

const person = (id: string, name: string) => `CASE WHEN ${id} IS NULL THEN NULL ELSE json_build_object('id', ${id}, 'name', ${name}) END`;

const WO_COLUMNS = `w.id, w.number, w.item_id AS "itemId", w.item_revision_id AS "itemRevisionId", trim_scale(w.quantity)::text AS quantity,
  w.unit, w.site_id AS "siteId", w.due_date::text AS "dueDate", w.status, w.notes, w.frozen_on::text AS "frozenOn",
  w.released_at AS "releasedAt", ${person('w.released_by_id', 'w.released_by_name')} AS "releasedBy", w.cancel_reason AS "cancelReason",
  w.dhr_status AS "dhrStatus", w.deviation_id AS "deviationId", w.version, w.created_at AS "createdAt", ${person('w.created_by_id', 'w.created_by_name')} AS "createdBy"`;

/** Item code, name and revision letter, read through master data's face once per distinct revision. */
async function named(tx: Tx, rows: WorkOrderRow[]): Promise<WorkOrder[]> {
  const names = new Map<string, { itemCode: string; itemName: string; revision: string }>();
  for (const revisionId of new Set(rows.map((r) => r.itemRevisionId))) {
    const revision = await getItemRevision(tx, revisionId);
    const item = await getItem(tx, revision.itemId);
    names.set(revisionId, { itemCode: item.code, itemName: item.name, revision: revision.revision });
  }
  return rows.map((r) => ({ ...r, ...names.get(r.itemRevisionId)! }));
}

export async function getWorkOrder(tx: Tx, id: string, opts: { lock?: boolean } = {}): Promise<WorkOrder> {
  const { rows } = await tx.query<WorkOrderRow>(
    sql`SELECT ${raw(WO_COLUMNS)} FROM work_orders w WHERE w.id = ${id}${raw(opts.lock ? ' FOR UPDATE' : '')}`,
  );
  if (!rows[0]) throw new NotFound(`work order ${id} not found`, { code: 'error.production.workOrder.notFound', params: { id } });
  return (await named(tx, rows))[0]!;
}

export async function getMaterials(tx: Tx, workOrderId: string): Promise<WoMaterial[]> {
  const { rows } = await tx.query<
    Omit<WoMaterial, 'openQuantity' | 'componentCode' | 'componentName' | 'componentTracking'>
  >(sql`SELECT m.line_no AS "lineNo",
      m.component_item_id AS "componentItemId", m.component_revision_id AS "componentRevisionId",
      trim_scale(m.quantity_per)::text AS "quantityPer", m.unit, trim_scale(m.scrap_factor)::text AS "scrapFactor",
      trim_scale(m.required_quantity)::text AS "requiredQuantity", m.base_unit AS "baseUnit",
      trim_scale(m.issued_quantity)::text AS "issuedQuantity"
    FROM work_order_materials m WHERE m.work_order_id = ${workOrderId} ORDER BY m.line_no`);
  const items = new Map<string, { code: string; name: string; tracking: WoMaterial['componentTracking'] }>();
  for (const id of new Set(rows.map((r) => r.componentItemId))) items.set(id, await getItem(tx, id));
  return rows.map((m) => ({
    ...m,
    componentCode: items.get(m.componentItemId)!.code,
    componentName: items.get(m.componentItemId)!.name,
    componentTracking: items.get(m.componentItemId)!.tracking,
    openQuantity: decText(Decimal.max(dec(m.requiredQuantity).sub(dec(m.issuedQuantity)), 0)),
  }));
}

export async function getOperations(tx: Tx, workOrderId: string): Promise<WoOperation[]> {
  const { rows } = await tx.query<WoOperation>(sql`SELECT o.sequence, o.name, o.work_center_id AS "workCenterId",
      trim_scale(o.setup_minutes)::text AS "setupMinutes", trim_scale(o.run_minutes_per_unit)::text AS "runMinutesPerUnit",
      o.inspection_points AS "inspectionPoints", o.work_instruction_document_id AS "workInstructionDocumentId",
      o.first_article_required AS "firstArticleRequired", o.line_clearance_required AS "lineClearanceRequired",
      o.parallel_with_previous AS "parallelWithPrevious", o.status, o.held
    FROM work_order_operations o WHERE o.work_order_id = ${workOrderId} ORDER BY o.sequence`);
  return rows;
}

/** The order with its frozen requirements (issued and open), operations, material movements and next steps. */
export async function workOrderDetail(tx: Tx, id: string): Promise<WorkOrderDetail> {
  const order = await getWorkOrder(tx, id);
  return {
    ...order,
    materials: await getMaterials(tx, id),
    operations: await getOperations(tx, id),
    movements: await listMaterialMovements(tx, id),
    allowedTransitions: workOrderLifecycle.allowedFrom(order.status),
  };
}

export interface WorkOrderFilter {
  status?: WoStatus | undefined;
  dhrStatus?: DhrStatus | undefined;
  itemId?: string | undefined;
  siteId?: string | undefined;
  /** Part of the order number, or an item's exact code. */
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

const WORK_ORDERS: Listing<WorkOrderRow> = {
  name: 'production.workOrders',
  sorts: { createdAt: [], dueDate: [{ sql: 'w.due_date', type: 'date', of: 'dueDate' }] },
  defaultSort: '-createdAt',
  id: { sql: 'w.id', type: 'uuid', of: 'id' },
};

export const WORK_ORDER_SORTS = Object.keys(WORK_ORDERS.sorts);

export async function listWorkOrders(tx: Tx, f: WorkOrderFilter & { sort?: string | undefined }): Promise<Page<WorkOrder>> {
  const k = keyset(WORK_ORDERS, { sort: f.sort, cursor: f.cursor, limit: f.limit });
  const q = f.q?.trim();
  const items: string[] = [];
  if (q) for (const code of new Set([q, q.toUpperCase()])) items.push(...[(await findItemByCode(tx, code))?.id ?? []].flat());
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where: SqlStatement[] = [
    ...(f.status ? [sql`w.status = ${f.status}`] : []),
    ...(f.dhrStatus ? [sql`w.dhr_status = ${f.dhrStatus}`] : []),
    ...(f.itemId ? [sql`w.item_id = ${f.itemId}`] : []),
    ...(f.siteId ? [sql`w.site_id = ${f.siteId}`] : []),
    ...(pattern ? [sql`(w.number ILIKE ${pattern} OR w.item_id = ANY(${items}::uuid[]))`] : []),
  ];
  const conditions = where.reduce((acc, w) => sql`${acc} AND ${w}`, k.where);
  const { rows } = await tx.query<WorkOrderRow>(
    sql`SELECT ${raw(WO_COLUMNS)} FROM work_orders w WHERE ${conditions} ${k.orderBy} ${k.limit}`,
  );
  const page = toPage(k, rows);
  return { items: await named(tx, page.items), nextCursor: page.nextCursor };
}

const invalid = (detail: string, errors: FieldError[], code = 'error.production.workOrder.invalid') => invalidFields(detail, errors, code);

/** The revision must be released (in force for new work), the quantity plausible for the item's unit, the due date not past. */
/** Deviations an order may be planned under: approved, or still in draft (release then needs it approved). */
const PLANNABLE_DEVIATION = ['draft', 'approved'];

async function deviationErrors(tx: Tx, deviationId: string, item: { id: string; code: string }, revisionId: string): Promise<FieldError[]> {
  const pointer = '/body/deviationId';
  let deviation: Awaited<ReturnType<typeof getDeviation>>;
  try {
    deviation = await getDeviation(tx, deviationId);
  } catch (err) {
    if (err instanceof NotFound) return [{ pointer, message: 'names no deviation', code: 'error.production.deviation.notFound' }];
    throw err;
  }
  const refusal = (message: string, code: string, params: Record<string, string> = {}) => [
    {
      pointer,
      message: `deviation ${deviation.number} ${message}`,
      code: `error.production.deviation.${code}`,
      params: { number: deviation.number, ...params },
    },
  ];
  if (deviation.itemId !== item.id) return refusal(`does not cover ${item.code}`, 'otherItem', { item: item.code });
  if (deviation.itemRevisionId && deviation.itemRevisionId !== revisionId)
    return refusal('covers another revision of the item', 'otherRevision');
  if (!PLANNABLE_DEVIATION.includes(deviation.status)) return refusal(`is ${deviation.status}`, 'notOpen', { status: deviation.status });
  return [];
}

async function checkOrder(
  tx: Tx,
  input: { itemRevisionId: string; quantity: string; siteId: string; dueDate: string; deviationId?: string | null | undefined },
) {
  const revision = await getItemRevision(tx, input.itemRevisionId);
  const item = await getItem(tx, revision.itemId);
  const errors: FieldError[] = [];
  if (input.deviationId) errors.push(...(await deviationErrors(tx, input.deviationId, item, revision.id)));
  if (revision.status !== 'released') {
    errors.push({
      pointer: '/body/itemRevisionId',
      message: `revision ${revision.revision} of ${item.code} is ${revision.status}: work orders are made against a released revision`,
      code: 'error.production.revisionNotReleased',
      params: { item: item.code, revision: revision.revision, status: revision.status },
    });
  }
  errors.push(...quantityErrors(input.quantity, item.baseUnit, '/body/quantity'));
  const today = await siteToday(tx, input.siteId);
  if (input.dueDate < today) {
    errors.push({
      pointer: '/body/dueDate',
      message: `is in the past (today at the site is ${today})`,
      code: 'error.production.dueDatePast',
      params: { today },
    });
  }
  if (errors.length) throw invalid(`the work order is not valid: ${errors.map((e) => e.message).join('; ')}`, errors);
  return { revision, item };
}

export async function createWorkOrder(tx: Tx, input: NewWorkOrder): Promise<WorkOrder> {
  await getSite(tx, input.siteId);
  const { item } = await checkOrder(tx, input);
  const id = uuidv7();
  const number = await nextNumber(tx, 'WO');
  await tx.query(sql`INSERT INTO work_orders (id, number, item_id, item_revision_id, quantity, unit, site_id, due_date, notes,
      deviation_id, created_by_id, created_by_name)
    VALUES (${id}, ${number}, ${item.id}, ${input.itemRevisionId}, ${input.quantity}, ${item.baseUnit}, ${input.siteId},
      ${input.dueDate}, ${input.notes?.trim() || null}, ${input.deviationId ?? null},
      nullif(current_setting('app.actor_id', true), ''), nullif(current_setting('app.actor_name', true), ''))`);
  return getWorkOrder(tx, id);
}

function assertDraft(order: WorkOrder): void {
  if (order.status !== 'draft') {
    throw new Conflict(`work order ${order.number} is ${order.status}: only a draft can be changed`, {
      code: 'error.production.workOrder.notDraft',
      params: { number: order.number, status: order.status },
    });
  }
}

/** Changes a draft; `versions` are those the caller's If-Match accepts. */
export async function updateWorkOrder(tx: Tx, id: string, versions: readonly number[], changes: WorkOrderChanges): Promise<WorkOrder> {
  const order = await getWorkOrder(tx, id, { lock: true });
  if (!versions.includes(order.version)) throw staleRecord(`work order ${order.number}`);
  assertDraft(order);
  const next = {
    itemRevisionId: changes.itemRevisionId ?? order.itemRevisionId,
    quantity: changes.quantity ?? order.quantity,
    siteId: order.siteId,
    dueDate: changes.dueDate ?? order.dueDate,
    deviationId: changes.deviationId === undefined ? order.deviationId : changes.deviationId,
  };
  const { item } = await checkOrder(tx, next);
  await tx.query(sql`UPDATE work_orders SET item_id = ${item.id}, item_revision_id = ${next.itemRevisionId}, quantity = ${next.quantity},
      unit = ${item.baseUnit}, due_date = ${next.dueDate}, deviation_id = ${next.deviationId},
      notes = CASE WHEN ${changes.notes !== undefined} THEN ${changes.notes?.trim() || null} ELSE notes END,
      version = version + 1, updated_at = now()
    WHERE id = ${id}`);
  return getWorkOrder(tx, id);
}

/** The quantity of output reported for the order so far. */
export async function outputReported(tx: Tx, id: string): Promise<Decimal> {
  const { rows } = await tx.query<{ total: string }>(
    sql`SELECT coalesce(sum(quantity), 0)::text AS total FROM work_order_outputs WHERE work_order_id = ${id}`,
  );
  return dec(rows[0]!.total);
}

async function netIssued(tx: Tx, id: string): Promise<Decimal> {
  const { rows } = await tx.query<{ total: string }>(
    sql`SELECT coalesce(sum(issued_quantity), 0)::text AS total FROM work_order_materials WHERE work_order_id = ${id}`,
  );
  return dec(rows[0]!.total);
}

/** One step of the order's life cycle with its event, in the caller's transaction. */
export async function moveWorkOrder(
  tx: Tx,
  ctx: TenantContext,
  order: WorkOrder,
  to: WoStatus,
  opts: { comment?: string | undefined; apply?: (tx: Tx) => Promise<void> } = {},
): Promise<void> {
  const result = await takeTransition(tx, ctx, null, workOrderLifecycle, {
    id: order.id,
    record: {
      id: order.id,
      itemRevisionId: order.itemRevisionId,
      netIssued: await netIssued(tx, order.id),
      output: to === 'completed' ? await outputReported(tx, order.id) : undefined,
    },
    from: order.status,
    to,
    label: `work order ${order.number}`,
    reference: order.number,
    comment: opts.comment,
    apply: async (t, status) => {
      await opts.apply?.(t);
      await t.query(sql`UPDATE work_orders SET status = ${status},
          cancel_reason = CASE WHEN ${status === 'cancelled'} THEN ${opts.comment?.trim() || ctx.reason || null} ELSE cancel_reason END,
          version = version + 1, updated_at = now()
        WHERE id = ${order.id}`);
    },
  });
  await publish(tx, result.event.def, {
    aggregateId: order.id,
    siteId: order.siteId,
    data: {
      ...result.event.data,
      number: order.number,
      itemId: order.itemId,
      itemRevisionId: order.itemRevisionId,
      quantity: order.quantity,
    },
  });
}

/**
 * Freezes the order's structure: the BOM lines of its revision in effect today at the site become
 * its material requirements (gross = order quantity × quantity per × (1 + scrap), in the
 * component's base unit, exact), each with the component revision in force; the routing's
 * operations are copied as they are, with their process parameters and limits. Later changes of master data leave the order as it is.
 */
async function freezeStructure(tx: Tx, order: WorkOrder): Promise<void> {
  const frozenOn = await siteToday(tx, order.siteId);
  const explosion = await explodeBom(tx, order.itemRevisionId, order.quantity, frozenOn, order.siteId);
  const lines = explosion.lines.filter((l) => l.level === 1);
  const routing = await getRouting(tx, order.itemRevisionId);
  for (const l of lines) {
    await tx.query(sql`INSERT INTO work_order_materials (work_order_id, line_no, component_item_id, component_revision_id, quantity_per,
        unit, scrap_factor, required_quantity, base_unit)
      VALUES (${order.id}, ${Number(l.path)}, ${l.componentItemId}, ${l.componentRevisionId}, ${l.quantityPer}, ${l.unit},
        ${l.scrapFactor}, ${l.quantity}, ${l.baseUnit})`);
  }
  for (const op of routing) {
    await tx.query(sql`INSERT INTO work_order_operations (work_order_id, sequence, name, work_center_id, setup_minutes,
        run_minutes_per_unit, inspection_points, work_instruction_document_id, first_article_required, line_clearance_required,
        parallel_with_previous)
      VALUES (${order.id}, ${op.sequence}, ${op.name}, ${op.workCenterId}, ${op.setupMinutes}, ${op.runMinutesPerUnit},
        ${op.inspectionPoints}, ${op.workInstructionDocumentId}, ${op.firstArticleRequired}, ${op.lineClearanceRequired},
        ${op.parallelWithPrevious})`);
    for (const [i, p] of op.parameters.entries()) {
      await tx.query(sql`INSERT INTO work_order_operation_parameters (work_order_id, sequence, position, name, unit, lower_limit, upper_limit)
        VALUES (${order.id}, ${op.sequence}, ${i + 1}, ${p.name}, ${p.unit}, ${p.lowerLimit}, ${p.upperLimit})`);
    }
  }
  await tx.query(sql`UPDATE work_orders SET frozen_on = ${frozenOn}, released_at = now(),
      released_by_id = nullif(current_setting('app.actor_id', true), ''), released_by_name = nullif(current_setting('app.actor_name', true), '')
    WHERE id = ${order.id}`);
}

/** Release: the structure frozen, and the order's quantity used of the deviation it is made under. */
async function releaseOrder(tx: Tx, ctx: TenantContext, order: WorkOrder): Promise<void> {
  await freezeStructure(tx, order);
  if (order.deviationId) {
    await recordDeviationUse(tx, ctx, {
      deviationId: order.deviationId,
      itemId: order.itemId,
      itemRevisionId: order.itemRevisionId,
      quantity: order.quantity,
      on: await siteToday(tx, order.siteId),
      usedBy: { kind: 'work_order', id: order.id },
    });
  }
}

export interface WoTransitionInput {
  to: 'released' | 'completed' | 'closed' | 'cancelled';
  comment?: string | undefined;
}

/** Release (freezing BOM and routing), complete, close or cancel; the first issue starts the order by itself. */
export async function transitionWorkOrder(tx: Tx, ctx: TenantContext, id: string, input: WoTransitionInput): Promise<WorkOrderDetail> {
  const order = await getWorkOrder(tx, id, { lock: true });
  workOrderLifecycle.transition(order.status, input.to, `work order ${order.number}`);
  await moveWorkOrder(tx, ctx, order, input.to, {
    comment: input.comment,
    apply: input.to === 'released' ? (t) => releaseOrder(t, ctx, order) : undefined,
  });
  return workOrderDetail(tx, id);
}
