// Process parameters are recorded at a work order's operation; a value outside its frozen limits is
// recorded all the same, and opens a nonconformance. In one transaction:
//   1. Production locks the order and the operation, checks the operation is running or paused and
//      the operator trained, and checks each value against the limits frozen at release.
//   2. Any value out of limits: nonconformance raises an NCR from the production operation (source
//      production_operation, the work order as its source record, the item of the order) naming the
//      parameters, values and limits.
//   3. Production writes the values (those out of limits linked to the NCR) and holds the operation
//      (`held`, `hold_ncr_id`): it cannot complete until the NCR is closed or cancelled. No finished
//      lot exists while the order runs, so the operation is the material held; the NCR names no lot.
// When the NCR is closed or cancelled, the subscription `production.releaseOperationHolds` lifts the
// hold (delivered at least once; lifting twice changes nothing).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NONCONFORMANCE_EVENTS, raiseNcr } from '../modules/nonconformance/index.js';
import {
  type EvaluatedValue,
  evaluateParameterValues,
  OPERATION_PERMISSIONS,
  OperationExecution,
  type ParameterValueInput,
  recordParameterValues,
  releaseOperationHolds,
} from '../modules/production/index.js';
import type { Tx } from '../platform/db/index.js';
import { subscribe } from '../platform/events/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { Module } from '../platform/module.js';
import { DecimalString, Id } from '../platform/schema.js';
import type { TenantContext } from '../platform/tenancy/index.js';

const limits = (v: EvaluatedValue) =>
  v.lowerLimit !== null && v.upperLimit !== null
    ? `${v.lowerLimit}–${v.upperLimit} ${v.unit}`
    : v.lowerLimit !== null
      ? `≥ ${v.lowerLimit} ${v.unit}`
      : `≤ ${v.upperLimit} ${v.unit}`;

/** Records the values of an operation's parameters; out of limits opens an NCR and holds the operation. */
export async function recordOperationParameters(
  tx: Tx,
  ctx: TenantContext,
  workOrderId: string,
  sequence: number,
  values: readonly ParameterValueInput[],
) {
  const evaluated = await evaluateParameterValues(tx, ctx, workOrderId, sequence, values);
  const outOfLimits = evaluated.values.filter((v) => !v.withinLimits);
  let ncr: { id: string; number: string } | null = null;
  if (outOfLimits.length) {
    const { order } = evaluated;
    const found = outOfLimits.map((v) => `${v.name} ${v.value} ${v.unit} (limits ${limits(v)})`).join('; ');
    ncr = await raiseNcr(tx, ctx, {
      source: 'production_operation',
      sourceId: order.id,
      description: `Work order ${order.number}, operation ${sequence} ${evaluated.operationName}: out of limits — ${found}.`,
      defectClass: 'major',
      containment: `Operation ${sequence} of ${order.number} held: it cannot be completed until this NCR is closed or cancelled.`,
      affected: [],
      itemId: order.itemId,
      siteId: order.siteId,
      supplierCaused: false,
    });
  }
  return recordParameterValues(tx, ctx, evaluated.order, sequence, evaluated.values, ncr);
}

function parametersRoute(app: App): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/production/work-orders/:id/operations/:sequence/parameters',
    {
      config: { permission: OPERATION_PERMISSIONS.execute, idempotent: true },
      schema: {
        tags: ['production'],
        summary: 'Record process parameter values of a running operation; out of limits opens an NCR and holds the operation',
        description:
          'Values outside the limits frozen at release are recorded, not refused: an NCR (source production_operation) is raised in the same transaction and the operation is held until it is closed or cancelled. Publishes production.operation.held and nonconformance.ncr.raised.',
        params: Type.Object({ id: Id, sequence: Type.Integer({ minimum: 1, maximum: 9999 }) }, { additionalProperties: false }),
        body: Type.Object(
          {
            values: Type.Array(
              Type.Object(
                { position: Type.Integer({ minimum: 1, maximum: 999 }), value: DecimalString() },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 50 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: OperationExecution },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await recordOperationParameters(tx, tenantOf(request), request.params.id, request.params.sequence, request.body.values),
      })),
  );
}

export const recordOperationParametersFlow: Module = {
  name: 'record-operation-parameters',
  routes(api) {
    parametersRoute(api);
  },
  subscriptions: [
    subscribe({
      name: 'production.releaseOperationHolds',
      to: [NONCONFORMANCE_EVENTS.closed, NONCONFORMANCE_EVENTS.cancelled],
      handle: async (tx, event) => {
        await releaseOperationHolds(tx, event.data.nonconformanceId);
      },
    }),
  ],
};
