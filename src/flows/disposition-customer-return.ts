// Quality decides what becomes of a customer's returned goods (POST /sales/returns/:id/dispositions).
// In one transaction:
//   1. Sales records the decisions (recordReturnDispositions), each signed by quality: for every line
//      named they add up to what it received and has not dispositioned; restock is signed as
//      released and never by a person who received the goods (rule notReceiver), scrap and ncr as
//      approved. One re-authentication serves every signature of the request (verifiedOnce).
//   2. Inventory carries them out where the goods wait in quarantine, each ledger row naming the
//      return and its line (source kind customer_return): scrap → a scrap movement from the
//      quarantine location; restock → the lot released by the same person's signature (meaning
//      released, inventory's own) and the quantity moved to the chosen released location.
//   3. Quantities taken into a nonconformance raise one NCR for the request, from the return (the
//      raise-nonconformance flow's raiseFromCustomerReturn): its lots go on hold for it.
//   4. Sales links the NCR to its decisions, moves the return to dispositioned once everything
//      authorised came back and is decided, and publishes sales.return.dispositioned.
// A refusal at any step (a sum that does not add up, a restock without its location or by the
// receiver, a lot on hold that cannot be released, a signer without the permission) leaves nothing
// signed, moved or raised.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getLot, release, scrap, transfer } from '../modules/inventory/index.js';
import { DEFECT_CLASSES, type DefectClass } from '../modules/nonconformance/index.js';
import {
  type CustomerReturn,
  completeReturnDispositions,
  customerReturnRecord,
  type DecidedReturn,
  type ReturnDispositionInput,
  ReturnDispositionLine,
  ReturnDispositionSigning,
  ReturnRecordSchema,
  recordReturnDispositions,
  SALES_PERMISSIONS,
} from '../modules/sales/index.js';
import type { Tx } from '../platform/db/index.js';
import { Decimal, dec, decText } from '../platform/decimal.js';
import { invalidFields } from '../platform/errors.js';
import { type SignerVerifier, verifiedOnce } from '../platform/esign/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { Module } from '../platform/module.js';
import { Id } from '../platform/schema.js';
import type { TenantContext } from '../platform/tenancy/index.js';
import { raiseFromCustomerReturn } from './raise-nonconformance.js';

export interface CustomerReturnDispositionInput extends ReturnDispositionInput {
  /** How grave the nonconformance is, for quantities taken into an NCR. */
  defectClass?: DefectClass | undefined;
}

/** Records and carries out quality's decisions on returned goods: the steps above, in the caller's transaction. */
export async function dispositionCustomerReturn(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: CustomerReturnDispositionInput,
): Promise<CustomerReturn> {
  const toNcr = input.lines.some((l) => l.kind === 'ncr');
  if (toNcr && !input.defectClass) {
    throw invalidFields(
      'quantities taken into a nonconformance need its defect class',
      [{ pointer: '/body/defectClass', message: 'is required with an ncr disposition', code: 'error.sales.return.defectClassRequired' }],
      'error.sales.return.invalid',
    );
  }
  const once = verifiedOnce(verifier);
  const decided = await recordReturnDispositions(tx, ctx, once, id, input);
  const reasonOf = (d: DecidedReturn['dispositions'][number]) => `${decided.ret.number} disposition ${d.lineNo}: ${d.justification}`;
  for (const d of decided.dispositions.filter((x) => x.kind === 'scrap')) {
    const source = { kind: 'customer_return', id: decided.ret.id, line: d.returnLineNo } as const;
    await scrap(tx, { lotId: d.lotId, quantity: d.quantity, reason: reasonOf(d), source, locationId: d.quarantineLocationId });
  }
  for (const d of decided.dispositions.filter((x) => x.kind === 'restock')) {
    const source = { kind: 'customer_return', id: decided.ret.id, line: d.returnLineNo } as const;
    const lot = await getLot(tx, d.lotId);
    if (lot.status !== 'released') {
      await release(tx, { lotId: d.lotId, reason: reasonOf(d), signing: { ctx, verifier: once, credentials: input.credentials } });
    }
    await transfer(tx, {
      itemId: d.itemId,
      lotId: d.lotId,
      fromLocationId: d.quarantineLocationId,
      toLocationId: d.restockLocationId!,
      quantity: d.quantity,
      reason: reasonOf(d),
      source,
    });
  }
  const ncr = toNcr ? await raiseNcrFor(tx, ctx, decided, input.defectClass!) : null;
  return completeReturnDispositions(tx, ctx, decided, ncr && { id: ncr.id, number: ncr.number });
}

/** Step 3: one NCR for the request's ncr decisions, a lot named once with its quantities summed. */
async function raiseNcrFor(tx: Tx, ctx: TenantContext, decided: DecidedReturn, defectClass: DefectClass) {
  const { ret } = decided;
  const perLot = new Map<string, Decimal>();
  for (const d of decided.dispositions.filter((x) => x.kind === 'ncr')) {
    perLot.set(d.lotId, (perLot.get(d.lotId) ?? new Decimal(0)).add(dec(d.quantity)));
  }
  const lots = decided.dispositions.filter((d) => d.kind === 'ncr').map((d) => `${d.lotNumber} × ${d.quantity}`);
  const justification = decided.dispositions.find((d) => d.kind === 'ncr')!.justification;
  return raiseFromCustomerReturn(tx, ctx, {
    returnId: ret.id,
    siteId: ret.siteId,
    description: `Customer return ${ret.number} (shipment ${ret.shipmentNumber}): ${ret.reason}\nQuality's decision: ${justification}`,
    defectClass,
    containment: `Returned goods held in quarantine under ${ret.number}: ${lots.join(', ')}.`,
    affected: [...perLot.entries()].map(([lotId, quantity]) => ({ lotId, quantity: decText(quantity) })),
  });
}

const DispositionBody = Type.Object(
  {
    lines: Type.Array(ReturnDispositionLine, { minItems: 1, maxItems: 200 }),
    defectClass: Type.Optional(Type.Enum(DEFECT_CLASSES)),
    ...ReturnDispositionSigning,
  },
  { additionalProperties: false },
);

function dispositionRoute(app: App): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/sales/returns/:id/dispositions',
    {
      config: { permission: SALES_PERMISSIONS.signReturnDisposition, idempotent: true },
      schema: {
        tags: ['sales'],
        summary:
          'Disposition received returned goods by e-signature: restock (meaning released), scrap or a nonconformance (meaning approved)',
        description:
          "For every line named the quantities add up to what it received and has not dispositioned (409 error.sales.return.dispositionSum). A restock names a released location of the site (422 error.sales.return.locationRequired), releases the lot under the signer's own signature (inventory:sign.released) and is never signed by a person who received the goods (409 error.esign.separationOfDuties, rule notReceiver). Scrap moves stock out of the quarantine location; ncr raises one NCR from the return (defectClass required) and holds its lots. Ledger rows name the return (source kind customer_return). Publishes sales.return.dispositioned.",
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        body: DispositionBody,
        response: { 200: ReturnRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment, lines, justification, defectClass } = request.body;
        await dispositionCustomerReturn(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
          lines,
          justification,
          defectClass,
          credentials: { password, totpCode },
          comment,
        });
        return { status: 200, body: await customerReturnRecord(tx, request.params.id) };
      }),
  );
}

export const dispositionCustomerReturnFlow: Module = { name: 'disposition-customer-return', routes: dispositionRoute };
