// A recall is initiated, and the affected stock stops moving, in one transaction:
//   1. Recall locks the record, refuses while it is unclassified or its answer is no longer true
//      (asked again, the query finds other lots, stock or shipments), and signs it (meaning
//      approved, never by its author: rule notAuthor); the deadlines run from that day.
//   2. Inventory puts every lot and serial of the answer that still has stock and is usable on hold
//      under that signature, set-based; the recall records how many.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getLot, holdLots } from '../modules/inventory/index.js';
import {
  RECALL_PERMISSIONS,
  RecallDetailSchema,
  raiseRecall,
  recallDetail,
  recallLotIds,
  recordHold,
  transitionRecall,
} from '../modules/recall/index.js';
import { demoShipmentToReturn } from '../modules/sales/index.js';
import type { Tx } from '../platform/db/index.js';
import type { SignerVerifier, SigningCredentials } from '../platform/esign/index.js';
import { SigningBody } from '../platform/esign/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { DemoSeed, Module } from '../platform/module.js';
import { Id } from '../platform/schema.js';
import { systemContext, type TenantContext } from '../platform/tenancy/index.js';

export async function initiateRecall(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  recallId: string,
  input: { credentials: SigningCredentials; comment: string },
): Promise<{ lotCount: number }> {
  const { recall, signature } = await transitionRecall(tx, ctx, verifier, recallId, { to: 'initiated', ...input });
  const held = await holdLots(tx, {
    lotIds: await recallLotIds(tx, recallId),
    reason: `recall ${recall.number}: ${recall.title}`,
    signatureId: signature!.id,
    source: { kind: 'recall', id: recallId },
  });
  await recordHold(tx, recallId, held.lotCount);
  return held;
}

function initiateRoute(app: App): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/recalls/:id/initiate',
    {
      config: { permission: RECALL_PERMISSIONS.signApproved, idempotent: true },
      schema: {
        tags: ['recall'],
        summary: 'Initiate a draft recall by e-signature (meaning approved) and hold all affected stock',
        description:
          'The comment (the decision) is required. Refused while the recall has no classification (409 error.recall.notClassified) or when its query, asked again, finds other lots, stock or shipments (409 error.recall.answerChanged: refresh and read again); never signed by its author (409 error.esign.separationOfDuties, rule notAuthor). Every affected lot or serial with stock, in quarantine or released, goes on hold under this signature. Publishes recall.recall.initiated and inventory.lots.held.',
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        body: Type.Intersect([SigningBody, Type.Object({ comment: Type.String({ minLength: 1, maxLength: 2000 }) })]),
        response: { 200: RecallDetailSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment } = request.body;
        await initiateRecall(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
          credentials: { password, totpCode },
          comment,
        });
        return { status: 200, body: await recallDetail(tx, request.params.id) };
      }),
  );
}

/**
 * The demo's annual recall simulation (mock recall), kept as a draft: from the infusion-set lot the
 * distributor received (and partly sent back), to the customers reached and the stock still here.
 */
async function seedRecallSimulation(tx: Tx, seed: DemoSeed): Promise<void> {
  const shipped = await demoShipmentToReturn(tx);
  if (!shipped) return;
  const lot = await getLot(tx, shipped.lotId);
  await raiseRecall(tx, systemContext(seed.tenantId, 'seed:recall', seed.siteId), {
    title: `Recall simulation: infusion set lot ${lot.number}`,
    reason: 'Annual mock recall of a finished lot (procedure QP-8.3-02): trace to every customer within two hours.',
    start: { kind: 'component_lot', lotId: lot.id },
    chinaLevel: 3,
    fdaClass: 3,
    healthHazard: 'Simulation: no hazard identified.',
  });
}

export const initiateRecallFlow: Module = {
  name: 'initiate-recall',
  routes(api) {
    initiateRoute(api);
  },
  seedDemo: seedRecallSimulation,
};
