import { sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict, type FieldError, invalidFields, ValidationFailed } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { producedLots, receiveProductionOutput } from '../inventory/index.js';
import { getItem, quantityErrors } from '../masterdata/index.js';
import { OUTPUT_TOLERANCE, PRODUCTION_EVENTS, type WoOutputReport, type WorkOrder, type WorkOrderOutput } from './contract.js';
import { checkDevice, executionSource, withDevices } from './execution-source.js';
import { getWorkOrder, outputReported } from './work-orders.js';

/**
 * Output of a work order: what it made goes into quarantine through inventory (a finished lot for a
 * lot-controlled item, one serial per unit for a serial-controlled one), linked in the same
 * transaction to every lot issued to the order net of returns. Refused, before anything is written:
 * an order not in progress (409 `error.production.output.orderNotInProgress`), an item without lot
 * or serial control (409 `untracked`: nothing to trace), a quantity that is not plausible (422;
 * a fractional number of serials is `error.production.output.wholeSerials`), and output beyond the
 * order's quantity × (1 + OUTPUT_TOLERANCE) without a reason (422 `overOutputReason`).
 */

export interface OutputInput {
  /** In the item's base unit; for a serial-controlled item, the number of serials to commission. */
  quantity: string;
  /** Required when the output brings the order beyond its quantity plus the tolerance. */
  reason?: string | undefined;
}

const refuse = (detail: string, code: string, params: Record<string, string | number> = {}) => new Conflict(detail, { code, params });

const limitOf = (order: WorkOrder) => dec(order.quantity).times(dec(OUTPUT_TOLERANCE).plus(1));

function checkedQuantity(value: string, baseUnit: string, serial: boolean): Decimal {
  const errors: FieldError[] = quantityErrors(value, baseUnit, '/body/quantity');
  if (!errors.length && dec(value).lte(0)) errors.push({ pointer: '/body/quantity', message: 'must be greater than zero' });
  if (!errors.length && serial && !dec(value).isInteger()) {
    errors.push({
      pointer: '/body/quantity',
      message: 'is a number of serials: a whole number',
      code: 'error.production.output.wholeSerials',
    });
  }
  if (errors.length) throw invalidFields('the output quantity is not valid', errors, 'error.quantity.invalid');
  return dec(value);
}

export async function reportOutput(tx: Tx, ctx: TenantContext, workOrderId: string, input: OutputInput): Promise<WorkOrderOutput> {
  const order = await getWorkOrder(tx, workOrderId, { lock: true });
  // A machine reports output only from a work center the order's operations run at.
  const centers = await tx.query<{ id: string }>(
    sql`SELECT DISTINCT work_center_id AS id FROM work_order_operations WHERE work_order_id = ${order.id}`,
  );
  await checkDevice(
    tx,
    ctx,
    centers.rows.map((c) => c.id),
  );
  if (order.status !== 'in_progress') {
    throw refuse(
      `work order ${order.number} is ${order.status.replace('_', ' ')}: output is reported only while it is in progress`,
      'error.production.output.orderNotInProgress',
      { number: order.number, status: order.status },
    );
  }
  const item = await getItem(tx, order.itemId);
  if (item.tracking === 'none') {
    throw refuse(`item ${item.code} has neither lot nor serial control: its output cannot be traced`, 'error.production.output.untracked', {
      item: item.code,
    });
  }
  const quantity = checkedQuantity(input.quantity, item.baseUnit, item.tracking === 'serial');
  const reason = input.reason?.trim() || null;
  const total = (await outputReported(tx, order.id)).plus(quantity);
  const limit = limitOf(order);
  if (total.gt(limit) && !reason) {
    throw new ValidationFailed(
      `reporting ${decText(quantity)} would bring work order ${order.number} to ${decText(total)} against ${order.quantity} ordered (at most ${decText(limit)} without a reason)`,
      [
        {
          pointer: '/body/reason',
          message: 'is required beyond the order quantity and its tolerance',
          code: 'error.production.output.overOutputReason',
        },
      ],
      {
        code: 'error.production.output.overOutputReason',
        params: { number: order.number, ordered: order.quantity, after: decText(total), limit: decText(limit) },
      },
    );
  }
  const produced = await receiveProductionOutput(tx, {
    workOrderId: order.id,
    siteId: order.siteId,
    itemId: order.itemId,
    itemRevisionId: order.itemRevisionId,
    quantity: decText(quantity),
  });
  const { source, deviceId } = executionSource(ctx);
  await tx.query(sql`INSERT INTO work_order_outputs (work_order_id, quantity, lot_count, operation_id, reason, created_by_id, created_by_name,
      source, device_id)
    VALUES (${order.id}, ${decText(quantity)}, ${produced.lotCount}, ${produced.operationId}, ${reason},
      nullif(current_setting('app.actor_id', true), ''), nullif(current_setting('app.actor_name', true), ''), ${source}, ${deviceId})`);
  await tx.query(sql`UPDATE work_orders SET version = version + 1, updated_at = now() WHERE id = ${order.id}`);
  await publish(tx, PRODUCTION_EVENTS.outputReported, {
    aggregateId: order.id,
    siteId: order.siteId,
    data: {
      workOrderId: order.id,
      number: order.number,
      itemId: order.itemId,
      quantity: decText(quantity),
      lotCount: produced.lotCount,
      totalReported: decText(total),
      operationId: produced.operationId,
      reason,
    },
  });
  return workOrderOutput(tx, order.id);
}

/** The order's output: its reports, the total against ordered and the bound, and the lots or serials made. */
export async function workOrderOutput(tx: Tx, workOrderId: string): Promise<WorkOrderOutput> {
  const order = await getWorkOrder(tx, workOrderId);
  const item = await getItem(tx, order.itemId);
  const { rows } = await tx.query<
    Omit<WoOutputReport, 'device'>
  >(sql`SELECT o.id, trim_scale(o.quantity)::text AS quantity, o.lot_count AS "lotCount",
      o.operation_id AS "operationId", o.reason, o.created_at AS "createdAt", o.source, o.device_id AS "deviceId",
      CASE WHEN o.created_by_id IS NULL THEN NULL ELSE json_build_object('id', o.created_by_id, 'name', o.created_by_name) END AS "createdBy"
    FROM work_order_outputs o WHERE o.work_order_id = ${workOrderId} ORDER BY o.created_at, o.id`);
  const produced = await producedLots(tx, workOrderId);
  const reported = rows.reduce((sum, r) => sum.plus(r.quantity), new Decimal(0));
  return {
    workOrderId,
    tracking: item.tracking,
    ordered: order.quantity,
    reported: decText(reported),
    limit: decText(limitOf(order)),
    reports: await withDevices(tx, rows),
    lotTotal: produced.total,
    lots: produced.lots as WorkOrderOutput['lots'],
  };
}
