import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SigningBody } from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { printable } from '../../platform/pdf/index.js';
import { Id } from '../../platform/schema.js';
import { DeviceHistoryRecord, PRODUCTION_PERMISSIONS as P } from './contract.js';
import { deviceHistoryRecord } from './dhr.js';
import { dhrPrintRecord } from './dhr-print.js';
import { reviewDhr } from './dhr-signing.js';

const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** A work order's device history record: read it, print it, review it (release is the flow `release-work-order-output`). */
export function dhrRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['production'];

  api.get(
    '/production/work-orders/:id/dhr',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary:
          'The electronic device history record: dates, quantities, frozen revisions, material lots, operations with operator, equipment and calibration, parameters, inspections, NCRs, deviation, output serials, labels, signatures',
        description:
          'blockers names what stands in the way of review and release; allowed says whether the record may be reviewed or released now (the caller still needs the signing permission).',
        params: IdParams,
        response: { 200: DeviceHistoryRecord },
      },
    },
    async (request) => inTenant(request, (tx) => deviceHistoryRecord(tx, request.params.id)),
  );

  printable(app, {
    path: '/production/work-orders/:id/dhr/pdf',
    permission: P.read,
    tags,
    summary: 'The device history record as a printable PDF: every section of the record, every serial, and its signatures',
    load: (tx, _ctx, id) => dhrPrintRecord(tx, id),
  });

  api.post(
    '/production/work-orders/:id/dhr/review',
    {
      config: { permission: P.signReviewed, idempotent: true },
      schema: {
        tags,
        summary: 'Review the device history record of a completed order by e-signature (meaning reviewed)',
        description:
          'Refused (409 error.production.dhr.<blocker>) while anything blocks it: the order not completed, an operation not completed or held, an inspection point without a pass, no output, an NCR open, output not in quarantine, labels not reconciled. Never signed by a person who recorded production on the order (409 error.esign.separationOfDuties, rule notResultsRecorder). Publishes production.dhr.reviewed.',
        params: IdParams,
        body: SigningBody,
        response: { 200: DeviceHistoryRecord },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment } = request.body;
        await reviewDhr(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
          credentials: { password, totpCode },
          comment,
        });
        return { status: 200, body: await deviceHistoryRecord(tx, request.params.id) };
      }),
  );
}
