import { sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { type FieldError, invalidFields } from '../../platform/errors.js';
import { declareDuty, defineSignable, type SignerVerifier, type SigningCredentials, sign } from '../../platform/esign/index.js';
import { publish } from '../../platform/events/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getItem, quantityErrors } from '../masterdata/index.js';
import {
  DISPOSITIONABLE_RETURN_STATUSES,
  SALES_PERMISSIONS as P,
  type ReturnDisposition,
  type ReturnStatus,
  SALES_EVENTS,
} from './contract.js';
import { assertReturnStatus, type CustomerReturn, getCustomerReturn, moveReturn, returnRefused, userOf } from './returns.js';

/**
 * What becomes of returned goods, decided by quality per received quantity and signed: `restock`
 * (meaning released; never by a person who received the goods), `scrap` or `ncr` (meaning
 * approved). For every line named, the quantities decided add up to what was received and not yet
 * dispositioned. The stock and nonconformance effects are the disposition-customer-return flow's
 * steps, in the same transaction; this file records the decisions and their signatures.
 */

/** A disposition is signed for what it decides: the line, the kind, the quantity, where it goes, and why. */
export const returnDispositionSignable = defineSignable({
  entity: 'customer_return_dispositions',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT d.return_id, d.return_line_id, l.lot_id, d.kind, d.quantity::text AS quantity, d.restock_location_id, d.justification
            FROM customer_return_dispositions d JOIN customer_return_lines l ON l.tenant_id = d.tenant_id AND l.id = d.return_line_id
           WHERE d.id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'released' || meaning === 'approved' ? P.signReturnDisposition : undefined),
});

/** Putting returned goods back into stock is not for whoever received them (listed with the tenant's duty settings). */
declareDuty({ entity: 'customer_return_dispositions', meaning: 'released', rule: 'notReceiver', step: 'restock' });

const MEANING: Record<ReturnDisposition, 'released' | 'approved'> = { restock: 'released', scrap: 'approved', ncr: 'approved' };

export interface ReturnDispositionLineInput {
  /** The return's line. */
  lineNo: number;
  kind: ReturnDisposition;
  quantity: string;
  /** Where restocked goods go: a released location of the return's site; only for `restock`. */
  locationId?: string | undefined;
}

export interface ReturnDispositionInput {
  lines: readonly ReturnDispositionLineInput[];
  justification: string;
  credentials: SigningCredentials;
  comment?: string | undefined;
}

/** One decision as the flow carries it out. */
export interface DecidedReturnDisposition {
  id: string;
  lineNo: number;
  returnLineNo: number;
  itemId: string;
  lotId: string;
  lotNumber: string;
  kind: ReturnDisposition;
  quantity: string;
  restockLocationId: string | null;
  /** Where the line's goods wait in quarantine. */
  quarantineLocationId: string;
  justification: string;
  signatureId: string;
}

export interface DecidedReturn {
  ret: CustomerReturn;
  dispositions: DecidedReturnDisposition[];
}

/**
 * Records quality's decisions, each signed (one re-authentication when the caller passes a
 * `verifiedOnce` verifier). Refused, writing nothing: a return not holding received goods (409
 * error.sales.return.notDispositionable), a line not on it (error.sales.return.noSuchLine), decisions
 * that do not add up to what the line received and has not dispositioned (error.sales.return.dispositionSum),
 * a restock without its location or a location for anything else (422), a restock signed by a
 * person who received the goods (error.esign.separationOfDuties, rule notReceiver).
 */
export async function recordReturnDispositions(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: ReturnDispositionInput,
): Promise<DecidedReturn> {
  const ret = await getCustomerReturn(tx, id, { lock: true });
  assertReturnStatus(ret, DISPOSITIONABLE_RETURN_STATUSES, 'notDispositionable', 'dispositioned');
  const justification = input.justification.trim();
  const errors: FieldError[] = [];
  if (!justification)
    errors.push({ pointer: '/body/justification', message: 'is required', code: 'error.sales.return.justificationRequired' });
  const decided = new Map<number, Decimal>();
  for (const [i, d] of input.lines.entries()) {
    const at = `/body/lines/${i}`;
    const line = ret.lines.find((l) => l.lineNo === d.lineNo);
    if (!line) {
      throw returnRefused('noSuchLine', `return ${ret.number} has no line ${d.lineNo}`, { number: ret.number, line: d.lineNo });
    }
    if (d.kind === 'restock' && !d.locationId) {
      errors.push({
        pointer: `${at}/locationId`,
        message: 'a restock names the released location the goods go to',
        code: 'error.sales.return.locationRequired',
      });
    }
    if (d.kind !== 'restock' && d.locationId) {
      errors.push({
        pointer: `${at}/locationId`,
        message: 'only a restock goes to a location',
        code: 'error.sales.return.locationOnlyForRestock',
      });
    }
    const unitErrors = d.quantity === '1' ? [] : quantityErrors(d.quantity, (await getItem(tx, line.itemId)).baseUnit, `${at}/quantity`);
    if (unitErrors.length) {
      errors.push(...unitErrors);
      continue;
    }
    decided.set(line.lineNo, (decided.get(line.lineNo) ?? new Decimal(0)).add(dec(d.quantity, 'quantity')));
  }
  if (errors.length) throw invalidFields('the dispositions are not valid', errors, 'error.sales.return.invalid');
  for (const [lineNo, total] of decided) {
    const line = ret.lines.find((l) => l.lineNo === lineNo)!;
    if (!total.eq(dec(line.toDisposition))) {
      throw returnRefused(
        'dispositionSum',
        `line ${lineNo} of return ${ret.number} (${line.lotNumber}) has ${line.toDisposition} received and not dispositioned: the dispositions add up to ${decText(total)}`,
        { number: ret.number, line: lineNo, lot: line.lotNumber, open: line.toDisposition, decided: decText(total) },
      );
    }
  }

  const { rows: last } = await tx.query<{ n: number }>(
    sql`SELECT coalesce(max(line_no), 0)::int AS n FROM customer_return_dispositions WHERE return_id = ${id}`,
  );
  let lineNo = last[0]!.n;
  const dispositions: DecidedReturnDisposition[] = [];
  for (const d of input.lines) {
    const line = ret.lines.find((l) => l.lineNo === d.lineNo)!;
    lineNo++;
    const quantity = decText(dec(d.quantity));
    const { rows } = await tx.query<{ id: string }>(sql`INSERT INTO customer_return_dispositions (return_id, return_line_id, line_no, kind,
        quantity, restock_location_id, justification, decided_by_id, decided_by)
      VALUES (${id}, ${line.id}, ${lineNo}, ${d.kind}, ${quantity}, ${d.locationId ?? null}, ${justification}, ${userOf(ctx)}, ${ctx.actor.name})
      RETURNING id`);
    const dispositionId = rows[0]!.id;
    const signature = await sign(tx, ctx, verifier, {
      entity: 'customer_return_dispositions',
      id: dispositionId,
      meaning: MEANING[d.kind],
      credentials: input.credentials,
      comment: input.comment ?? justification,
      duties: d.kind === 'restock' ? [{ rule: 'notReceiver', userIds: line.receivedByIds }] : [],
      subject: { label: `return ${ret.number} line ${line.lineNo}`, reference: ret.number, step: d.kind },
    });
    dispositions.push({
      id: dispositionId,
      lineNo,
      returnLineNo: line.lineNo,
      itemId: line.itemId,
      lotId: line.lotId,
      lotNumber: line.lotNumber,
      kind: d.kind,
      quantity,
      restockLocationId: d.locationId ?? null,
      quarantineLocationId: line.quarantineLocationId!,
      justification,
      signatureId: signature.id,
    });
  }
  const sums = [...decided.entries()];
  await tx.query(sql`UPDATE customer_return_lines l SET dispositioned_quantity = l.dispositioned_quantity + d.quantity
    FROM unnest(${sums.map(([n]) => n)}::int[], ${sums.map(([, q]) => decText(q))}::numeric[]) AS d(line_no, quantity)
    WHERE l.return_id = ${id} AND l.line_no = d.line_no`);
  return { ret, dispositions };
}

/**
 * After the flow carried the decisions out: each `ncr` decision names the NCR it raised, the return
 * moves to dispositioned once everything authorised came back and is decided, and
 * `sales.return.dispositioned` is published.
 */
export async function completeReturnDispositions(
  tx: Tx,
  ctx: TenantContext,
  decided: DecidedReturn,
  ncr: { id: string; number: string } | null,
): Promise<CustomerReturn> {
  const { ret } = decided;
  const raised = decided.dispositions.filter((d) => d.kind === 'ncr').map((d) => d.id);
  if (ncr && raised.length) {
    await tx.query(sql`UPDATE customer_return_dispositions SET nonconformance_id = ${ncr.id}, ncr_number = ${ncr.number}
      WHERE id = ANY(${raised}::uuid[])`);
  }
  const after = await getCustomerReturn(tx, ret.id);
  const done = after.lines.every((l) => dec(l.toReceive).isZero() && dec(l.toDisposition).isZero());
  const to: ReturnStatus = after.status === 'received' && done ? 'dispositioned' : after.status;
  await moveReturn(tx, ctx, after, to);
  await publish(tx, SALES_EVENTS.returnDispositioned, {
    aggregateId: ret.id,
    siteId: ret.siteId,
    data: {
      returnId: ret.id,
      number: ret.number,
      from: after.status,
      to,
      dispositions: decided.dispositions.map((d) => ({
        dispositionId: d.id,
        lineNo: d.returnLineNo,
        lotId: d.lotId,
        kind: d.kind,
        quantity: d.quantity,
        nonconformanceId: d.kind === 'ncr' ? (ncr?.id ?? null) : null,
      })),
    },
  });
  return getCustomerReturn(tx, ret.id);
}
