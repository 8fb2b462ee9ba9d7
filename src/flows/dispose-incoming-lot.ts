// QA disposes an incoming inspection (POST /quality/inspections/:id/accept or /reject). In one transaction:
//   1. The person is re-authenticated once for the whole decision (password, and the authenticator
//      code at the session's first signing).
//   2. Quality signs the decision on the inspection (meaning released or rejected), checks it
//      follows the sample, moves the switching state on and publishes quality.inspection.accepted
//      or quality.inspection.rejected.
//   3. Inventory releases or rejects the lot under the same person's signature on the lot, with
//      the inspection's result as the reason.
// A refusal at any step (a permission, separation of duties, an expired lot) leaves nothing signed.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { reject as rejectLot, release as releaseLot } from '../modules/inventory/index.js';
import {
  DISPOSITIONS,
  type Disposition,
  type DispositionInput,
  describeInspection,
  disposeInspection,
  type Inspection,
  InspectionSchema,
  QUALITY_PERMISSIONS,
} from '../modules/quality/index.js';
import type { Tx } from '../platform/db/index.js';
import { type SignerVerifier, SigningBody, verifiedOnce } from '../platform/esign/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { Module } from '../platform/module.js';
import type { TenantContext } from '../platform/tenancy/index.js';

/** Disposes an incoming inspection and its lot: the steps above, in the caller's transaction. */
export async function disposeIncomingLot(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: DispositionInput,
): Promise<Inspection> {
  const signer = verifiedOnce(verifier);
  const inspection = await disposeInspection(tx, ctx, signer, id, input);
  const signing = { ctx, verifier: signer, credentials: input.credentials! };
  const { number, nonconforming, plan } = inspection;
  const why = `incoming inspection ${number}: ${nonconforming} nonconforming in ${plan.sampleSize} (Ac ${plan.accept}, Re ${plan.reject})`;
  if (inspection.status === 'accepted') await releaseLot(tx, { lotId: inspection.lotId, reason: why, signing });
  else await rejectLot(tx, { lotId: inspection.lotId, reason: input.comment ? `${why}; ${input.comment}` : why, signing });
  return inspection;
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

function dispositionRoute(app: App, disposition: Disposition): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `/quality/inspections/:id/${disposition}`,
    {
      config: {
        permission: disposition === 'accept' ? QUALITY_PERMISSIONS.signReleased : QUALITY_PERMISSIONS.signRejected,
        idempotent: true,
      },
      schema: {
        tags: ['quality'],
        summary:
          disposition === 'accept'
            ? 'Accept the lot: signed (meaning released) and the lot released from quarantine'
            : 'Reject the lot: signed (meaning rejected) and the lot rejected; publishes quality.inspection.rejected',
        description:
          'The disposition must follow the sample (accepting with Re or more nonconforming is refused). Signing re-authenticates: password, plus the TOTP code at the first signing of a session. The lot moves through inventory, whose release and reject need inventory:sign.released or inventory:sign.rejected as well.',
        params: IdParams,
        body: SigningBody,
        response: { 200: InspectionSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment } = request.body;
        const inspection = await disposeIncomingLot(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
          disposition,
          credentials: { password, totpCode },
          comment,
        });
        return { status: 200, body: await describeInspection(tx, inspection) };
      }),
  );
}

export const disposeIncomingLotFlow: Module = {
  name: 'dispose-incoming-lot',
  routes(api) {
    for (const disposition of DISPOSITIONS) dispositionRoute(api, disposition);
  },
};
