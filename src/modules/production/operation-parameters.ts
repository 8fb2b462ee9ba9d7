import { sql, type Tx } from '../../platform/db/index.js';
import { dec, decText } from '../../platform/decimal.js';
import { type FieldError, invalidFields } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { isPlausibleMeasurement, measurementBounds } from '../masterdata/index.js';
import type { WorkOrder } from './contract.js';
import { OPERATION_EVENTS, type OperationExecution } from './contract.js';
import { executionSource } from './execution-source.js';
import { operationExecution, operationParameters } from './operation-views.js';
import { checkTrained, lockForExecution, refuse } from './operations.js';
import { getWorkOrder } from './work-orders.js';

/**
 * Process parameter values at an operation, checked against the limits frozen at release. A value
 * that cannot be a measurement in its unit at all (−500 °C) is refused as a typing error; a value
 * merely out of limits is recorded, never refused; the record-operation-parameters flow opens an NCR for
 * it, and the operation is held by that NCR until it is closed or cancelled.
 */

export interface ParameterValueInput {
  position: number;
  value: string;
}

/** A value checked against its frozen limits. */
export interface EvaluatedValue {
  position: number;
  name: string;
  unit: string;
  value: string;
  lowerLimit: string | null;
  upperLimit: string | null;
  withinLimits: boolean;
}

/**
 * The first half of recording parameter values: the order and operation locked, the operation
 * running or paused, the operator trained, each value checked against its frozen limits. Out of
 * limits is not refused: the caller opens an NCR for it and records the values with it.
 */
export async function evaluateParameterValues(
  tx: Tx,
  ctx: TenantContext,
  workOrderId: string,
  sequence: number,
  values: readonly ParameterValueInput[],
): Promise<{ order: WorkOrder; operationName: string; values: EvaluatedValue[] }> {
  const { order, op } = await lockForExecution(tx, ctx, workOrderId, sequence);
  const parameters = new Map((await operationParameters(tx, order.id, op.sequence)).map((p) => [p.position, p]));
  const errors: FieldError[] = [];
  const seen = new Set<number>();
  values.forEach((v, i) => {
    if (!parameters.has(v.position)) {
      errors.push({
        pointer: `/body/values/${i}/position`,
        message: 'is not a parameter of the operation',
        code: 'error.production.operation.unknownParameter',
      });
    }
    if (seen.has(v.position))
      errors.push({ pointer: `/body/values/${i}/position`, message: 'appears twice', code: 'error.production.operation.parameterTwice' });
    seen.add(v.position);
    const p = parameters.get(v.position);
    if (p && !isPlausibleMeasurement(v.value, p.unit)) {
      const { lower, upper } = measurementBounds(p.unit);
      errors.push({
        pointer: `/body/values/${i}/value`,
        message: `cannot be a measurement of ${p.name} in ${p.unit} (between ${lower} and ${upper})`,
        code: 'error.production.operation.implausibleValue',
        params: { name: p.name, unit: p.unit, lower: String(lower), upper: String(upper) },
      });
    }
  });
  if (errors.length)
    throw invalidFields(
      `the values are not valid: ${errors.map((e) => e.message).join('; ')}`,
      errors,
      'error.production.operation.invalid',
    );
  if (op.status !== 'running' && op.status !== 'paused') {
    throw refuse(`operation ${op.sequence} of ${order.number} is ${op.status}: parameters are recorded while it runs`, 'notRunning', {
      number: order.number,
      sequence: op.sequence,
      status: op.status,
    });
  }
  await checkTrained(tx, ctx, op);
  return {
    order,
    operationName: op.name,
    values: values.map((v) => {
      const p = parameters.get(v.position)!;
      const value = dec(v.value);
      const withinLimits = (p.lowerLimit === null || value.gte(p.lowerLimit)) && (p.upperLimit === null || value.lte(p.upperLimit));
      return {
        position: p.position,
        name: p.name,
        unit: p.unit,
        value: decText(value),
        lowerLimit: p.lowerLimit,
        upperLimit: p.upperLimit,
        withinLimits,
      };
    }),
  };
}

/**
 * The second half: writes the values; with an NCR for those out of limits, the operation is held
 * by it (and linked to it) until the NCR is closed or cancelled.
 */
export async function recordParameterValues(
  tx: Tx,
  ctx: TenantContext,
  order: WorkOrder,
  sequence: number,
  values: readonly EvaluatedValue[],
  ncr: { id: string; number: string } | null,
): Promise<OperationExecution> {
  const outOfLimits = values.filter((v) => !v.withinLimits);
  if (outOfLimits.length && !ncr) throw new Error('values out of limits are recorded with the NCR they opened');
  const { source, deviceId } = executionSource(ctx);
  // One statement for all values: a request's round trips, not its rows, are what the line waits for.
  await tx.query(sql`INSERT INTO work_order_parameter_values (id, work_order_id, sequence, position, value, within_limits, ncr_id,
      actor_id, actor_name, source, device_id)
    SELECT id, ${order.id}, ${sequence}, position, value, within, CASE WHEN within THEN NULL ELSE ${ncr?.id ?? null}::uuid END,
      ${ctx.actor.id}, ${ctx.actor.name}, ${source}, ${deviceId}
    FROM unnest(${values.map(() => uuidv7())}::uuid[], ${values.map((v) => v.position)}::int[], ${values.map((v) => v.value)}::numeric[],
      ${values.map((v) => v.withinLimits)}::boolean[]) WITH ORDINALITY AS v(id, position, value, within, n)
    ORDER BY n`);
  if (ncr && outOfLimits.length) {
    await tx.query(sql`UPDATE work_order_operations SET held = true, hold_ncr_id = ${ncr.id}, version = version + 1
      WHERE work_order_id = ${order.id} AND sequence = ${sequence}`);
    await publish(tx, OPERATION_EVENTS.operationHeld, {
      aggregateId: order.id,
      siteId: order.siteId,
      data: {
        workOrderId: order.id,
        number: order.number,
        sequence,
        ncrId: ncr.id,
        ncrNumber: ncr.number,
        parameters: outOfLimits.map((v) => ({ name: v.name, value: v.value, unit: v.unit })),
      },
    });
  }
  return operationExecution(tx, order.id, sequence);
}

/** The NCR that held operations is closed or cancelled: they may complete. Idempotent. */
export async function releaseOperationHolds(tx: Tx, ncrId: string): Promise<number> {
  const { rows } = await tx.query<{ workOrderId: string; sequence: number }>(sql`UPDATE work_order_operations
      SET held = false, version = version + 1
    WHERE hold_ncr_id = ${ncrId} AND held RETURNING work_order_id AS "workOrderId", sequence`);
  for (const r of rows) {
    const order = await getWorkOrder(tx, r.workOrderId);
    await publish(tx, OPERATION_EVENTS.operationHoldReleased, {
      aggregateId: order.id,
      siteId: order.siteId,
      data: { workOrderId: order.id, number: order.number, sequence: r.sequence, ncrId },
    });
  }
  return rows.length;
}
