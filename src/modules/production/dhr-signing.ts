import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict } from '../../platform/errors.js';
import {
  declareDuty,
  listSignaturesOfContent,
  type Signature,
  type SignerVerifier,
  type SigningCredentials,
  sign,
} from '../../platform/esign/index.js';
import { publish } from '../../platform/events/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { type DhrBlocker, PRODUCTION_EVENTS, type WorkOrder } from './contract.js';
import { dhrForSigning, productionRecorders } from './dhr.js';
import { getWorkOrder } from './work-orders.js';

/**
 * The two signed steps of a device history record. Review (meaning `reviewed`) is given on a
 * complete record — order completed, every operation completed and not held, every inspection
 * point passed, output made and in quarantine, no NCR open, labels reconciled — and never by a
 * person who recorded production on the order (rule notResultsRecorder). Release (meaning
 * `released`) needs a review that still matches the record and is never given by its reviewer
 * (rule notReviewer); the flow `release-work-order-output` releases the finished lots with it.
 */

declareDuty({ entity: 'work_orders', meaning: 'reviewed', rule: 'notResultsRecorder', step: 'review the device history record' });
declareDuty({ entity: 'work_orders', meaning: 'released', rule: 'notReviewer', step: 'release the output' });

export interface DhrSigningInput {
  credentials: SigningCredentials;
  comment?: string | undefined;
}

function blocked(order: WorkOrder, step: string, blockers: ReadonlyArray<{ code: DhrBlocker; params: Record<string, string> }>): Conflict {
  const first = blockers[0]!;
  return new Conflict(`the device history record of ${order.number} cannot be ${step}: ${blockers.map((b) => b.code).join(', ')}`, {
    code: `error.production.dhr.${first.code}`,
    params: { number: order.number, step, ...first.params },
  });
}

async function signedEvent(
  tx: Tx,
  order: WorkOrder,
  signature: Signature,
  lotCount: number,
  made: string,
  event: 'dhrReviewed' | 'outputReleased',
) {
  await publish(tx, PRODUCTION_EVENTS[event], {
    aggregateId: order.id,
    siteId: order.siteId,
    data: { workOrderId: order.id, number: order.number, itemId: order.itemId, signatureId: signature.id, lotCount, quantity: made },
  });
}

/** The locked order, its assembled record and its reviews, refused once the output is released. */
async function signingState(tx: Tx, id: string) {
  const order = await getWorkOrder(tx, id, { lock: true });
  const { dhr, content, blockers } = await dhrForSigning(tx, id);
  if (order.dhrStatus === 'released') {
    throw new Conflict(`the output of ${order.number} is already released`, {
      code: 'error.production.dhr.alreadyReleased',
      params: { number: order.number },
    });
  }
  const reviews = (await listSignaturesOfContent(tx, 'work_orders', id, content)).filter((s) => s.meaning === 'reviewed');
  return { order, dhr, blockers, reviews };
}

/** Reviews the record by e-signature; a review that no longer matches the record (it changed) may be given again. */
export async function reviewDhr(tx: Tx, ctx: TenantContext, verifier: SignerVerifier | null, id: string, input: DhrSigningInput) {
  const { order, dhr, blockers, reviews } = await signingState(tx, id);
  if (order.dhrStatus === 'reviewed' && reviews.at(-1)?.valid) {
    throw new Conflict(`the device history record of ${order.number} is already reviewed`, {
      code: 'error.production.dhr.alreadyReviewed',
      params: { number: order.number },
    });
  }
  if (blockers.length) throw blocked(order, 'reviewed', blockers);
  const signature = await sign(tx, ctx, verifier, {
    entity: 'work_orders',
    id,
    meaning: 'reviewed',
    credentials: input.credentials,
    comment: input.comment,
    duties: [{ rule: 'notResultsRecorder', userIds: await productionRecorders(tx, id) }],
    subject: { label: `the device history record of ${order.number}`, reference: order.number, step: 'review' },
  });
  await tx.query(sql`UPDATE work_orders SET dhr_status = 'reviewed', reviewed_at = now(), version = version + 1, updated_at = now()
    WHERE id = ${id}`);
  await signedEvent(tx, order, signature, dhr.output.lots.length, dhr.quantities.made, 'dhrReviewed');
  return signature;
}

/**
 * Signs the release of a reviewed record (the flow then releases the lots under this signature).
 * Refused while anything blocks it, without a valid review, or by the reviewer.
 */
export async function signDhrRelease(tx: Tx, ctx: TenantContext, verifier: SignerVerifier | null, id: string, input: DhrSigningInput) {
  const { order, dhr, blockers, reviews } = await signingState(tx, id);
  const review = reviews.at(-1);
  const all = [...blockers];
  if (order.dhrStatus === 'open' || !review) all.push({ code: 'notReviewed', params: {} });
  else if (!review.valid) all.push({ code: 'reviewInvalid', params: { signedAt: review.signedAt } });
  if (all.length) throw blocked(order, 'released', all);
  const signature = await sign(tx, ctx, verifier, {
    entity: 'work_orders',
    id,
    meaning: 'released',
    credentials: input.credentials,
    comment: input.comment,
    duties: [{ rule: 'notReviewer', userIds: reviews.filter((r) => r.valid).map((r) => r.signer.id) }],
    subject: { label: `the device history record of ${order.number}`, reference: order.number, step: 'release' },
  });
  await tx.query(sql`UPDATE work_orders SET dhr_status = 'released', released_output_at = now(), version = version + 1, updated_at = now()
    WHERE id = ${id}`);
  await signedEvent(tx, order, signature, dhr.output.lots.length, dhr.quantities.made, 'outputReleased');
  return { order, signature, lotCount: dhr.output.lots.length };
}
