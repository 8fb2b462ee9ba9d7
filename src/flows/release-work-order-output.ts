// The finished lots of a work order are released with its device history record. In one transaction:
//   1. Production locks the order, assembles its record and refuses the release while anything
//      blocks it (an NCR open, a step missing, the review missing or no longer matching the record),
//      then signs it (meaning released, never by the reviewer: rule notReviewer) and marks the
//      record released.
//   2. Inventory releases every lot and serial the order produced under that signature, set-based;
//      a lot no longer in quarantine or past its expiry refuses the whole release.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { releaseProducedLots } from '../modules/inventory/index.js';
import { DeviceHistoryRecord, deviceHistoryRecord, PRODUCTION_PERMISSIONS, signDhrRelease } from '../modules/production/index.js';
import type { Tx } from '../platform/db/index.js';
import type { SignerVerifier, SigningCredentials } from '../platform/esign/index.js';
import { SigningBody } from '../platform/esign/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { Module } from '../platform/module.js';
import { Id } from '../platform/schema.js';
import type { TenantContext } from '../platform/tenancy/index.js';

export async function releaseWorkOrderOutput(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  workOrderId: string,
  input: { credentials: SigningCredentials; comment?: string | undefined },
) {
  const { order, signature } = await signDhrRelease(tx, ctx, verifier, workOrderId, input);
  return releaseProducedLots(tx, {
    workOrderId,
    signatureId: signature.id,
    reason: `released with the device history record of ${order.number}`,
  });
}

function releaseRoute(app: App): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/production/work-orders/:id/dhr/release',
    {
      config: { permission: PRODUCTION_PERMISSIONS.signReleased, idempotent: true },
      schema: {
        tags: ['production'],
        summary: 'Release the finished lots of a reviewed work order by e-signature (meaning released)',
        description:
          'Refused (409 error.production.dhr.<blocker>) while an NCR on the order is open, a required step is missing, or the review is missing or no longer matches the record; never signed by the reviewer (409 error.esign.separationOfDuties, rule notReviewer). Every lot and serial the order made moves from quarantine to released under this signature. Publishes production.output.released and inventory.output.released.',
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        body: SigningBody,
        response: { 200: DeviceHistoryRecord },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment } = request.body;
        await releaseWorkOrderOutput(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
          credentials: { password, totpCode },
          comment,
        });
        return { status: 200, body: await deviceHistoryRecord(tx, request.params.id) };
      }),
  );
}

export const releaseWorkOrderOutputFlow: Module = {
  name: 'release-work-order-output',
  routes(api) {
    releaseRoute(api);
  },
};
