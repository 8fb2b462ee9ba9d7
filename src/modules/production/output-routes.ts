import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { DecimalString, Id, PlainText } from '../../platform/schema.js';
import { PRODUCTION_PERMISSIONS as P, WorkOrderOutput } from './contract.js';
import { reportOutput, workOrderOutput } from './output.js';

const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** A work order's output: report it (into quarantine, with genealogy) and read what the order made. */
export function outputRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['production'];

  api.get(
    '/production/work-orders/:id/output',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'What the order has produced: reports, total against ordered and bound, the lots or serials (first 1,000)',
        params: IdParams,
        response: { 200: WorkOrderOutput },
      },
    },
    async (request) => inTenant(request, (tx) => workOrderOutput(tx, request.params.id)),
  );

  api.post(
    '/production/work-orders/:id/output',
    {
      config: { permission: P.output, idempotent: true },
      schema: {
        tags,
        summary:
          'Report output of an order in progress: a finished lot, or n serials, in quarantine, linked to every lot issued to it net of returns',
        params: IdParams,
        body: Type.Object(
          {
            quantity: DecimalString({ description: "in the item's base unit; for a serial-controlled item the number of serials" }),
            reason: Type.Optional(PlainText(1000)),
          },
          { additionalProperties: false },
        ),
        response: { 201: WorkOrderOutput },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 201,
        body: await reportOutput(tx, tenantOf(request), request.params.id, request.body),
      })),
  );
}
