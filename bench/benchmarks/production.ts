/**
 * Production benchmark (issue 13), each case against the same rows written by raw SQL into the
 * production tables on the same database (the ledger's balance triggers and the audit trail fire
 * for both):
 *   1. operations executed one request at a time: start at calibrated equipment, five process
 *      parameters within their limits, complete — three transactions per operation, as at the line;
 *   2. one output report commissioning the order's serials into quarantine, linked to the
 *      material issued to the order;
 *   3. the eDHR of that order: its page data against the same reads by raw SQL, and its PDF.
 * The world is built through the services where that is cheap and by raw inserts where a signed
 * step would only be ceremony here (the revision's release, the work instruction in force and the
 * operator's training record); none of it is timed.
 */
import { randomUUID } from 'node:crypto';
import { recordOperationParameters } from '../../src/flows/record-operation-parameters.js';
import { takeOverStock } from '../../src/modules/inventory/index.js';
import { setBom } from '../../src/modules/masterdata/bom.js';
import { createItem } from '../../src/modules/masterdata/items.js';
import { createLocation } from '../../src/modules/masterdata/locations.js';
import { createEquipment, createWorkCenter } from '../../src/modules/masterdata/resources.js';
import { listItemRevisions } from '../../src/modules/masterdata/revisions.js';
import { setRouting } from '../../src/modules/masterdata/routing.js';
import { deviceHistoryRecord } from '../../src/modules/production/dhr.js';
import { dhrPrintRecord } from '../../src/modules/production/dhr-print.js';
import { createWorkOrder, issueMaterial, reportOutput, transitionWorkOrder } from '../../src/modules/production/index.js';
import { completeOperation, startOperation } from '../../src/modules/production/operations.js';
import { sql, type Tx } from '../../src/platform/db/index.js';
import { translator } from '../../src/platform/i18n.js';
import { completeDocument, renderRecord } from '../../src/platform/pdf/index.js';
import { siteToday, type TenantContext, withTenant } from '../../src/platform/tenancy/index.js';
import { type BenchEnv, type Benchmark, type Measurement, timed } from '../lib.js';

/** Operations of the routing (the routing's maximum is 50); orders are added until the count is reached. */
const OPERATIONS_PER_ORDER = 20;
const PARAMETERS_PER_OPERATION = 5;

interface World {
  operator: TenantContext;
  revision: string;
  equipment: string;
  component: { item: string; lot: string };
  device: { item: string; code: string };
  quarantine: string;
  today: string;
}

const inDays = (isoDate: string, days: number) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

async function buildWorld(env: BenchEnv, serials: number, orders: number): Promise<World> {
  const { db, ctx } = env;
  const operator: TenantContext = {
    ...ctx,
    actor: { kind: 'user', id: randomUUID(), name: 'Bench Operator' },
    requestId: 'bench-operator',
  };
  const world = await withTenant(db, ctx, async (tx) => {
    const today = await siteToday(tx, ctx.siteId);
    const site = ctx.siteId!;
    const place = async (warehouse: string, kind: 'quarantine' | 'released' | 'production') =>
      (await createLocation(tx, { siteId: site, warehouse, name: warehouse, kind, active: true })).id;
    const store = await place('RM', 'released');
    await place('LINE', 'production');
    const quarantine = await place('QA', 'quarantine');
    const line = await createWorkCenter(tx, { code: 'BENCH-LINE', name: 'Bench line', siteId: site, capacityHoursPerDay: '24' });
    const equipment = await createEquipment(tx, {
      code: 'BENCH-EQ',
      name: 'Calibrated station',
      workCenterId: line.id,
      calibrationDue: inDays(today, 90),
    });
    // The work instruction in force and the operator's training on it, as the documents and training modules leave them.
    const { rows: docs } = await tx.query<{ id: string }>(sql`INSERT INTO documents (number, revision, kind, title, owner, author_id,
        author_name, status, effective_at)
      VALUES ('DOC-2026-90001', 1, 'work_instruction', 'Bench assembly', 'Manufacturing Engineering', 'bench', 'bench', 'effective', now())
      RETURNING id`);
    const instruction = docs[0]!.id;
    await tx.query(sql`INSERT INTO training_records (user_id, user_name, document_id, document_number, revision, method, result)
      VALUES (${operator.actor.id}, ${operator.actor.name}, ${instruction}, 'DOC-2026-90001', 1, 'read_and_understood', 'passed')`);
    const component = await createItem(tx, { code: 'BENCH-PART', name: 'Part', type: 'component', baseUnit: 'ea', tracking: 'lot' });
    const device = await createItem(tx, { code: 'BENCH-DEV', name: 'Device', type: 'finished_device', baseUnit: 'ea', tracking: 'serial' });
    const revision = (await listItemRevisions(tx, device.id))[0]!.id;
    await setBom(tx, revision, [{ lineNo: 10, componentItemId: component.id, quantityPer: '1', unit: 'ea' }]);
    await setRouting(
      tx,
      revision,
      Array.from({ length: OPERATIONS_PER_ORDER }, (_, i) => ({
        sequence: (i + 1) * 10,
        name: `Step ${i + 1}`,
        workCenterId: line.id,
        workInstructionDocumentId: instruction,
        firstArticleRequired: false,
        lineClearanceRequired: false,
        parallelWithPrevious: false,
        parameters: Array.from({ length: PARAMETERS_PER_OPERATION }, (_, p) => ({
          name: `Parameter ${p + 1}`,
          unit: 'N',
          lowerLimit: '10',
          upperLimit: '20',
        })),
      })),
    );
    await tx.query(sql`UPDATE item_revisions SET status = 'released', released_at = now() WHERE id = ${revision}`);
    const { lots } = await takeOverStock(tx, {
      itemId: component.id,
      locationId: store,
      quantity: String(serials * 2 + orders * 2),
      status: 'released',
      source: 'bench',
    });
    return {
      operator,
      revision,
      equipment: equipment.id,
      component: { item: component.id, lot: lots[0]!.id },
      device: { item: device.id, code: device.code },
      quarantine,
      today,
    };
  });
  return world;
}

/** Released orders of the device, each with one unit of the component per serial issued (the output's genealogy). */
async function releasedOrders(env: BenchEnv, w: World, count: number, quantity: number): Promise<string[]> {
  return withTenant(env.db, env.ctx, async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const order = await createWorkOrder(tx, {
        itemRevisionId: w.revision,
        quantity: String(quantity),
        siteId: env.ctx.siteId!,
        dueDate: inDays(w.today, 30),
      });
      await transitionWorkOrder(tx, env.ctx, order.id, { to: 'released' });
      ids.push(order.id);
    }
    return ids;
  });
}

const sequences = Array.from({ length: OPERATIONS_PER_ORDER }, (_, i) => (i + 1) * 10);
const values = Array.from({ length: PARAMETERS_PER_OPERATION }, (_, p) => ({ position: p + 1, value: '15' }));

async function operationsByService(env: BenchEnv, w: World, orders: string[], n: number): Promise<void> {
  const as = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(env.db, w.operator, fn);
  let done = 0;
  for (const id of orders) {
    for (const sequence of sequences) {
      if (done++ === n) return;
      await as((tx) => startOperation(tx, w.operator, id, sequence, { equipmentId: w.equipment }));
      await as((tx) => recordOperationParameters(tx, w.operator, id, sequence, values));
      await as((tx) => completeOperation(tx, w.operator, id, sequence, { goodQuantity: '1' }));
    }
  }
}

/**
 * The same three requests per operation by hand, one statement each: the operation's status with
 * its step (the order moved to in progress by the first start), the five values, the completion
 * with its step. No checks, no reads back, no events.
 */
async function operationsByRawSql(env: BenchEnv, w: World, orders: string[], n: number): Promise<void> {
  const as = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(env.db, w.operator, fn);
  const actor = w.operator.actor;
  let done = 0;
  for (const id of orders) {
    for (const sequence of sequences) {
      if (done++ === n) return;
      await as((tx) =>
        tx.query(sql`WITH op AS (
            UPDATE work_order_operations SET status = 'running', operator_id = ${actor.id}, operator_name = ${actor.name},
              equipment_id = ${w.equipment}, started_at = now(), version = version + 1
            WHERE work_order_id = ${id} AND sequence = ${sequence} RETURNING 1),
          wo AS (UPDATE work_orders SET status = 'in_progress', version = version + 1 WHERE id = ${id} AND status = 'released' RETURNING 1)
          INSERT INTO work_order_operation_steps (work_order_id, sequence, step, equipment_id, calibration_due, actor_id, actor_name, source)
          SELECT ${id}, ${sequence}, 'start', ${w.equipment}, ${inDays(w.today, 90)}, ${actor.id}, ${actor.name}, 'web' FROM op`),
      );
      await as((tx) =>
        tx.query(sql`INSERT INTO work_order_parameter_values (work_order_id, sequence, position, value, within_limits, actor_id, actor_name,
            source)
          SELECT ${id}, ${sequence}, p, 15, true, ${actor.id}, ${actor.name}, 'web' FROM generate_series(1, ${PARAMETERS_PER_OPERATION}) p`),
      );
      await as((tx) =>
        tx.query(sql`WITH op AS (
            UPDATE work_order_operations SET status = 'completed', completed_at = now(), good_quantity = 1, scrap_quantity = 0,
              rework_quantity = 0, version = version + 1
            WHERE work_order_id = ${id} AND sequence = ${sequence} RETURNING 1)
          INSERT INTO work_order_operation_steps (work_order_id, sequence, step, equipment_id, calibration_due, actor_id, actor_name, source)
          SELECT ${id}, ${sequence}, 'complete', ${w.equipment}, ${inDays(w.today, 90)}, ${actor.id}, ${actor.name}, 'web' FROM op`),
      );
    }
  }
}

/**
 * One output report by hand: the serials' block of numbers, the serial lots in quarantine with
 * their ledger rows, a link from each to every lot issued to the order, the report and the order's
 * version — the rows `reportOutput` writes, without its checks and events.
 */
async function outputByRawSql(env: BenchEnv, w: World, orderId: string, serials: number): Promise<void> {
  await withTenant(env.db, w.operator, (tx) =>
    tx.query(sql`WITH block AS (
        INSERT INTO number_sequences (tenant_id, kind, period, last_value)
        VALUES (mf_current_tenant(), ${`SN:${w.device.item}`}, extract(year FROM now())::int, ${serials})
        ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = number_sequences.last_value + ${serials}
        RETURNING period, last_value - ${serials} AS before),
      received AS (
        INSERT INTO lots (item_id, item_revision_id, kind, number, manufactured_on, status)
        SELECT ${w.device.item}, ${w.revision}, 'serial', ${w.device.code} || '-' || b.period || '-' || lpad((b.before + s)::text, 6, '0'),
          ${w.today}, 'quarantine'
          FROM block b CROSS JOIN generate_series(1, ${serials}) s
        RETURNING id),
      moved AS (
        INSERT INTO stock_movements (operation_id, movement_type, item_id, lot_id, quantity, to_location_id, to_site_id, source_kind,
          source_id)
        SELECT ${randomUUID()}, 'production_output', ${w.device.item}, id, 1, ${w.quarantine}, ${env.ctx.siteId}, 'work_order', ${orderId}
          FROM received
        RETURNING lot_id),
      linked AS (
        INSERT INTO lot_links (child_lot_id, parent_lot_id, work_order_id, kind, quantity)
        SELECT r.id, ${w.component.lot}, ${orderId}, 'consumed_into', ${serials} FROM received r
        RETURNING 1),
      report AS (
        INSERT INTO work_order_outputs (work_order_id, quantity, lot_count, operation_id, created_by_id, created_by_name, source)
        VALUES (${orderId}, ${serials}, ${serials}, ${randomUUID()}, ${w.operator.actor.id}, ${w.operator.actor.name}, 'web')
        RETURNING 1)
      UPDATE work_orders SET version = version + 1, updated_at = now()
        WHERE id = ${orderId} AND (SELECT count(*) FROM linked) + (SELECT count(*) FROM moved) + (SELECT count(*) FROM report) > 0`),
  );
}

/** What the order's execution and output wrote, to show both sides of a comparison wrote the same rows. */
async function rowsWritten(env: BenchEnv, orderIds: string[]): Promise<string> {
  const { rows } = await withTenant(env.db, env.ctx, (tx) =>
    tx.query<{ counts: string }>(sql`SELECT concat_ws(' ',
        (SELECT count(*) FROM work_order_operation_steps WHERE work_order_id = ANY(${orderIds}::uuid[])),
        (SELECT count(*) FROM work_order_parameter_values WHERE work_order_id = ANY(${orderIds}::uuid[])),
        (SELECT count(*) FROM work_order_operations WHERE work_order_id = ANY(${orderIds}::uuid[]) AND status = 'completed'),
        (SELECT count(*) FROM work_orders WHERE id = ANY(${orderIds}::uuid[]) AND status = 'in_progress'),
        (SELECT count(*) FROM stock_movements WHERE source_id = ANY(${orderIds}::uuid[]) AND movement_type = 'production_output'),
        (SELECT count(*) FROM lot_links WHERE work_order_id = ANY(${orderIds}::uuid[])),
        (SELECT count(*) FROM work_order_outputs WHERE work_order_id = ANY(${orderIds}::uuid[]))) AS counts`),
  );
  return rows[0]!.counts;
}

/**
 * The hand-written reads of everything a device history record shows, in one transaction: the
 * order, its operations with the calibration captured at start, parameters, values, checks and
 * downtime, the lots consumed, the output reports and every lot or serial made, the NCRs on the
 * order or its lots and its label jobs. No names looked up, no shaping: the floor for the page data.
 */
async function edhrByRawSql(tx: Tx, id: string): Promise<number> {
  const reads = [
    sql`SELECT * FROM work_orders WHERE id = ${id}`,
    sql`SELECT o.*, (SELECT s.calibration_due FROM work_order_operation_steps s WHERE s.work_order_id = o.work_order_id
          AND s.sequence = o.sequence AND s.step = 'start' ORDER BY s.created_at DESC LIMIT 1) AS calibration_due
        FROM work_order_operations o WHERE o.work_order_id = ${id} ORDER BY o.sequence`,
    sql`SELECT * FROM work_order_operation_parameters WHERE work_order_id = ${id} ORDER BY sequence, position`,
    sql`SELECT * FROM work_order_parameter_values WHERE work_order_id = ${id} ORDER BY sequence, position, created_at`,
    sql`SELECT * FROM work_order_operation_checks WHERE work_order_id = ${id} ORDER BY sequence, created_at`,
    sql`SELECT * FROM work_order_operation_downtime WHERE work_order_id = ${id} ORDER BY sequence, started_at`,
    sql`SELECT m.line_no, m.lot_id, l.number, l.supplier_lot, l.expires_on, sum(CASE WHEN m.kind = 'issue' THEN m.quantity ELSE -m.quantity END)
        FROM work_order_material_movements m LEFT JOIN lots l ON l.id = m.lot_id WHERE m.work_order_id = ${id}
        GROUP BY m.line_no, m.lot_id, l.number, l.supplier_lot, l.expires_on`,
    sql`SELECT * FROM work_order_outputs WHERE work_order_id = ${id} ORDER BY created_at`,
    sql`SELECT l.id, l.number, l.kind, l.status, m.quantity, l.expires_on FROM stock_movements m JOIN lots l ON l.id = m.lot_id
        WHERE m.source_kind = 'work_order' AND m.source_id = ${id} AND m.movement_type = 'production_output' ORDER BY l.number`,
    sql`SELECT n.* FROM nonconformances n WHERE n.source_id = ${id} OR EXISTS (SELECT 1 FROM ncr_affected a JOIN stock_movements m
          ON m.lot_id = a.lot_id AND m.source_id = ${id} AND m.movement_type = 'production_output' WHERE a.nonconformance_id = n.id)`,
    sql`SELECT * FROM label_print_jobs WHERE link_kind = 'work_order' AND link_id = ${id}`,
  ];
  let rows = 0;
  for (const read of reads) rows += (await tx.query(read)).rowCount;
  return rows;
}

/**
 * Case 3 of issue 13: the device history record of the order whose serials case 2 commissioned —
 * its operations executed in case 1 — assembled as the page reads it (target under 2 s on
 * PostgreSQL) against the same reads by hand, and printed to PDF with every serial (no raw SQL
 * draws a PDF: its own line, no ratio).
 */
async function edhrOfOrder(env: BenchEnv, orderId: string): Promise<Measurement[]> {
  const read = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(env.db, env.ctx, fn);
  let lots = 0;
  const raw = await timed(() => read((tx) => edhrByRawSql(tx, orderId)));
  const service = await timed(async () => {
    lots = (await read((tx) => deviceHistoryRecord(tx, orderId))).output.lots.length;
  });
  const printed = await timed(() =>
    read(async (tx) => {
      const doc = await completeDocument(tx, await dhrPrintRecord(tx, orderId));
      return renderRecord(doc, { printedAt: new Date().toISOString(), printedBy: 'bench', translator: translator('en') });
    }),
  );
  const baseline = 'eDHR page data: the same reads by raw SQL in one transaction';
  return [
    { name: baseline, n: lots, seconds: raw },
    { name: 'eDHR page data assembled by the service (names, blockers, signatures)', n: lots, seconds: service, baseline },
    { name: 'eDHR printed to PDF with every serial (no raw SQL equivalent)', n: lots, seconds: printed },
  ];
}

export const productionExecution: Benchmark = {
  name: 'production',
  description: '1,000 operations with 5 parameters each and 10,000 serials commissioned, against the same rows by raw SQL',
  async run(env: BenchEnv): Promise<Measurement[]> {
    const operations = env.n(1_000, 40);
    const serials = env.n(10_000, 200);
    const orders = Math.ceil(operations / OPERATIONS_PER_ORDER);
    const w = await buildWorld(env, serials, orders);
    const svcOrders = await releasedOrders(env, w, orders, serials);
    const rawOrders = await releasedOrders(env, w, orders, serials);
    // The orders whose serials are commissioned have the component issued (at the line, before output).
    await withTenant(env.db, env.ctx, async (tx) => {
      for (const id of [svcOrders[0]!, rawOrders[0]!]) {
        await issueMaterial(tx, env.ctx, id, { lotId: w.component.lot, quantity: String(serials) });
      }
    });

    const rawOps = await timed(() => operationsByRawSql(env, w, rawOrders, operations));
    const serviceOps = await timed(() => operationsByService(env, w, svcOrders, operations));

    const rawOutput = await timed(() => outputByRawSql(env, w, rawOrders[0]!, serials));
    const serviceOutput = await timed(() =>
      withTenant(env.db, w.operator, (tx) => reportOutput(tx, w.operator, svcOrders[0]!, { quantity: String(serials) })),
    );

    const [byService, byHand] = [await rowsWritten(env, svcOrders), await rowsWritten(env, rawOrders)];
    if (byService !== byHand) throw new Error(`the service and the raw SQL wrote different rows: ${byService} against ${byHand}`);

    const opsBaseline = 'operations: the same rows by raw SQL, three transactions each (audit trail by its triggers)';
    const outputBaseline = 'serials commissioned: the same rows by raw SQL in one statement (balances and audit trail by their triggers)';
    return [
      { name: opsBaseline, n: operations, seconds: rawOps },
      {
        name: `operations started, ${PARAMETERS_PER_OPERATION} parameters recorded, completed through the services (three requests each)`,
        n: operations,
        seconds: serviceOps,
        baseline: opsBaseline,
      },
      { name: outputBaseline, n: serials, seconds: rawOutput },
      {
        name: 'serials commissioned by one output report through the service',
        n: serials,
        seconds: serviceOutput,
        baseline: outputBaseline,
      },
      ...(await edhrOfOrder(env, svcOrders[0]!)),
    ];
  },
};
