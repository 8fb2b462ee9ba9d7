// The material review board decides an NCR's quantities (POST /nonconformance/ncrs/:id/dispositions),
// engineering concurs with a use as is where the tenant requires it (…/dispositions/:dispositionId/engineering),
// or the NCR is cancelled (…/cancel). In one transaction:
//   1. Nonconformance records the dispositions, each signed by quality (meaning approved; one
//      re-authentication for all), never more than a lot's affected quantity, and publishes
//      nonconformance.ncr.dispositioned. A use as is waits for engineering's signature (meaning
//      verified) by a second person where the tenant requires it.
//   2. Inventory moves the stock of each decided line, the ledger row naming the NCR and the
//      disposition line (source kind `nonconformance`): scrap → a `scrap` movement; return to
//      supplier → a `return` movement out of stock, and nonconformance records the notification
//      sent to the supplier (supplier, NCR, quantity, lots, text, time).
//   3. Once all of a lot's affected quantity is decided, its status follows: a use as is releases it
//      under the quality signature of that disposition; rework keeps it held (or rejected) until it
//      is inspected again; scrapped or returned in full, a lot held for this NCR has its hold lifted
//      on what is left (a rejected lot stays rejected). A lot another open NCR affects is left as it is.
//   4. Reworked quantity is re-inspected (…/lots/:lotId/reinspected): QA signs the NCR (meaning
//      released) with what the re-inspection found, and inventory releases the lot under that signature.
// A refusal at any step (a quantity that exceeds, a closed NCR, a signer without the permission, the
// quality signer signing for engineering) leaves nothing signed, moved or recorded.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getLot, releaseByDisposition, returnToSupplier, scrap, unhold } from '../modules/inventory/index.js';
import {
  cancelNcr,
  concurWithDisposition,
  type Decided,
  DISPOSITION_KINDS,
  type DispositionInput,
  heldByAnotherNcr,
  lotOutcome,
  NcrRecordSchema,
  type NcrRow,
  NONCONFORMANCE_PERMISSIONS,
  ncrRecord,
  recordDispositions,
  recordReinspection,
  recordSupplierNotification,
} from '../modules/nonconformance/index.js';
import type { Tx } from '../platform/db/index.js';
import {
  SignatureComment,
  SignerPassword,
  SignerTotpCode,
  type SignerVerifier,
  SigningBody,
  verifiedOnce,
} from '../platform/esign/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { Module } from '../platform/module.js';
import { DecimalString, Id } from '../platform/schema.js';
import type { TenantContext } from '../platform/tenancy/index.js';

export interface NcrDispositionInput extends DispositionInput {
  /** What the supplier is told with a return; a default names the NCR, lots and quantity. */
  supplierNotice?: string | undefined;
}

/** Records and carries out the MRB's dispositions: the steps above, in the caller's transaction. */
export async function dispositionNonconformance(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: NcrDispositionInput,
): Promise<Decided> {
  const decided = await recordDispositions(tx, ctx, verifiedOnce(verifier), id, input);
  await carryOut(tx, decided, input.supplierNotice);
  return decided;
}

/** Engineering's concurrence with a use as is, and the lot's status once all of it is decided. */
export async function concurWithUseAsIs(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  dispositionId: string,
  input: { credentials: DispositionInput['credentials']; comment?: string | undefined },
): Promise<Decided> {
  const decided = await concurWithDisposition(tx, ctx, verifier, id, dispositionId, input);
  await carryOut(tx, decided, undefined);
  return decided;
}

async function carryOut(tx: Tx, { ncr, dispositions }: Decided, notice: string | undefined): Promise<void> {
  for (const d of dispositions) {
    if (d.status !== 'decided') continue;
    const source = { kind: 'nonconformance', id: ncr.id, line: d.lineNo } as const;
    const reason = `${ncr.number} MRB disposition ${d.lineNo}: ${d.justification}`;
    if (d.kind === 'scrap') await scrap(tx, { lotId: d.lotId, quantity: d.quantity, reason, source });
    if (d.kind === 'return_to_supplier') {
      await returnToSupplier(tx, { lotId: d.lotId, quantity: d.quantity, reason, source });
      const lot = await getLot(tx, d.lotId);
      await recordSupplierNotification(tx, {
        ncrId: ncr.id,
        dispositionId: d.id,
        supplierId: (ncr.supplierId ?? lot.supplierId)!,
        quantity: d.quantity,
        lotNumbers: [lot.supplierLot ? `${lot.number} (${lot.supplierLot})` : lot.number],
        text:
          notice?.trim() ||
          `Nonconformance ${ncr.number}: ${d.quantity} of lot ${lot.number}${lot.supplierLot ? ` (your lot ${lot.supplierLot})` : ''} returned to you. ${ncr.description}`,
      });
    }
  }
  for (const lotId of new Set(dispositions.map((d) => d.lotId))) await settleLot(tx, ncr, lotId);
}

/** Step 3: the lot's status follows its decided dispositions. */
async function settleLot(tx: Tx, ncr: NcrRow, lotId: string): Promise<void> {
  const outcome = await lotOutcome(tx, ncr.id, lotId);
  if (outcome.state === 'pending' || outcome.state === 'rework') return;
  if (await heldByAnotherNcr(tx, lotId, ncr.id)) return;
  const lot = await getLot(tx, lotId);
  if (outcome.state === 'use_as_is') {
    if (lot.status === 'on_hold' || lot.status === 'rejected') {
      await releaseByDisposition(tx, { lotId, reason: `${ncr.number}: use as is (MRB)`, signatureId: outcome.signatureId });
    }
    return;
  }
  if (lot.status === 'on_hold' && lot.onHand !== '0')
    await unhold(tx, { lotId, reason: `${ncr.number}: nonconforming quantity removed (MRB)` });
}

/** Step 4: reworked quantity passed its re-inspection; the lot is released under QA's signature. */
export async function releaseAfterReinspection(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  lotId: string,
  input: { credentials: DispositionInput['credentials']; comment: string },
): Promise<void> {
  const { ncr, signatureId } = await recordReinspection(tx, ctx, verifier, id, lotId, input);
  const lot = await getLot(tx, lotId);
  if (lot.status === 'on_hold' || lot.status === 'rejected') {
    await releaseByDisposition(tx, { lotId, reason: `${ncr.number}: reworked and re-inspected`, signatureId });
  }
}

/** Cancels an NCR raised in error and lifts the holds it put on its lots. */
export async function cancelNonconformance(tx: Tx, ctx: TenantContext, id: string, reason: string): Promise<NcrRow> {
  const { ncr, lotIds } = await cancelNcr(tx, ctx, id, reason);
  for (const lotId of lotIds) {
    const lot = await getLot(tx, lotId);
    if (lot.status === 'on_hold' && !(await heldByAnotherNcr(tx, lotId, id))) {
      await unhold(tx, { lotId, reason: `${ncr.number} cancelled: ${reason.trim()}` });
    }
  }
  return ncr;
}

const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
const tags = ['nonconformance'];

const DispositionBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object({ lotId: Id, kind: Type.Enum(DISPOSITION_KINDS), quantity: DecimalString() }, { additionalProperties: false }),
      { minItems: 1, maxItems: 100 },
    ),
    justification: Type.String({ minLength: 1, maxLength: 4000 }),
    supplierNotice: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    password: SignerPassword,
    totpCode: Type.Optional(SignerTotpCode),
    comment: Type.Optional(SignatureComment),
  },
  { additionalProperties: false },
);

function routes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/nonconformance/ncrs/:id/dispositions',
    {
      config: { permission: NONCONFORMANCE_PERMISSIONS.signDispositioned, idempotent: true },
      schema: {
        tags,
        summary:
          'MRB dispositions of affected quantities, signed by quality (meaning approved): use as is, rework, scrap, return to supplier',
        description:
          'Never more than a lot’s affected quantity over all dispositions; whole units for counted items. Scrap and return move stock out (ledger source kind nonconformance); a return records the supplier notification. Publishes nonconformance.ncr.dispositioned.',
        params: IdParams,
        body: DispositionBody,
        response: { 200: NcrRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment, lines, justification, supplierNotice } = request.body;
        await dispositionNonconformance(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
          lines,
          justification,
          supplierNotice,
          credentials: { password, totpCode },
          comment,
        });
        return { status: 200, body: await ncrRecord(tx, request.params.id) };
      }),
  );

  api.post(
    '/nonconformance/ncrs/:id/dispositions/:dispositionId/engineering',
    {
      config: { permission: NONCONFORMANCE_PERMISSIONS.signEngineering, idempotent: true },
      schema: {
        tags,
        summary: 'Engineering concurs with a use-as-is disposition by e-signature (meaning verified), not by its quality signer',
        params: Type.Object({ id: Id, dispositionId: Id }, { additionalProperties: false }),
        body: SigningBody,
        response: { 200: NcrRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment } = request.body;
        await concurWithUseAsIs(tx, tenantOf(request), request.server.signerVerifier, request.params.id, request.params.dispositionId, {
          credentials: { password, totpCode },
          comment,
        });
        return { status: 200, body: await ncrRecord(tx, request.params.id) };
      }),
  );

  api.post(
    '/nonconformance/ncrs/:id/lots/:lotId/reinspected',
    {
      config: { permission: NONCONFORMANCE_PERMISSIONS.signDispositioned, idempotent: true },
      schema: {
        tags,
        summary: 'Reworked quantity passed re-inspection: QA signs (meaning released) and the lot is released',
        params: Type.Object({ id: Id, lotId: Id }, { additionalProperties: false }),
        body: Type.Object(
          { password: SignerPassword, totpCode: Type.Optional(SignerTotpCode), comment: SignatureComment },
          { additionalProperties: false },
        ),
        response: { 200: NcrRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment } = request.body;
        await releaseAfterReinspection(tx, tenantOf(request), request.server.signerVerifier, request.params.id, request.params.lotId, {
          credentials: { password, totpCode },
          comment,
        });
        return { status: 200, body: await ncrRecord(tx, request.params.id) };
      }),
  );

  api.post(
    '/nonconformance/ncrs/:id/cancel',
    {
      config: { permission: NONCONFORMANCE_PERMISSIONS.raise, idempotent: true },
      schema: {
        tags,
        summary: 'Cancel an NCR raised in error, with a reason, before any disposition; the holds it put are lifted',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: NcrRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        await cancelNonconformance(tx, tenantOf(request), request.params.id, request.body.reason);
        return { status: 200, body: await ncrRecord(tx, request.params.id) };
      }),
  );
}

export const dispositionNonconformanceFlow: Module = { name: 'disposition-nonconformance', routes };
