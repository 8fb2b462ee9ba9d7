import { sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { type FieldError, invalidFields } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import type { ReceivedReturn, ReturnedPick } from '../inventory/index.js';
import { getItem, quantityErrors } from '../masterdata/index.js';
import { RECEIVABLE_RETURN_STATUSES, type ReturnStatus, SALES_EVENTS } from './contract.js';
import { assertReturnStatus, type CustomerReturn, getCustomerReturn, moveReturn, returnRefused, userOf } from './returns.js';

/**
 * Returned goods arriving, in two steps around inventory's `receiveReturn` (the
 * receive-customer-return flow): `acceptReturnReceipt` checks the receipt against the return and
 * writes nothing; `recordReturnReceipt` writes what came back and moves the return on.
 */

export interface ReturnReceiptInput {
  /** A quarantine location of the site the goods were shipped from. */
  locationId: string;
  /** The lots and serials that came back; `lineNo` (the return's line) only where one lot is on two lines. */
  lines: Array<{ lotId: string; quantity: string; lineNo?: number | undefined }>;
}

/** What the receipt's checks established: handed to inventory and back to `recordReturnReceipt`. */
export interface AcceptedReturnReceipt {
  ret: CustomerReturn;
  locationId: string;
  picks: ReturnedPick[];
}

/**
 * Checks a receipt before anything moves: the return expects goods, every lot or serial is on it,
 * and no line gets more than it has authorised and not yet received. Locks the return, so two
 * receipts of one return take turns. Writes nothing.
 */
export async function acceptReturnReceipt(tx: Tx, id: string, input: ReturnReceiptInput): Promise<AcceptedReturnReceipt> {
  const ret = await getCustomerReturn(tx, id, { lock: true });
  assertReturnStatus(ret, RECEIVABLE_RETURN_STATUSES, 'notReceivable', 'received');
  const errors: FieldError[] = [];
  const incoming = new Map<number, Decimal>();
  const picks: ReturnedPick[] = [];
  for (const [i, requested] of input.lines.entries()) {
    const candidates = ret.lines.filter(
      (l) => l.lotId === requested.lotId && (requested.lineNo === undefined || l.lineNo === requested.lineNo),
    );
    if (candidates.length === 0) {
      throw returnRefused('lotNotOnReturn', `lot ${requested.lotId} is not on return ${ret.number}`, { number: ret.number });
    }
    const line =
      candidates.find((l) =>
        dec(l.toReceive)
          .sub(incoming.get(l.lineNo) ?? 0)
          .gt(0),
      ) ?? (candidates[0] as CustomerReturn['lines'][number]);
    const at = `/body/lines/${i}/quantity`;
    if (line.lotKind === 'serial' && !dec(requested.quantity, 'quantity').eq(1)) {
      errors.push({ pointer: at, message: `serial ${line.lotNumber} is one unit`, code: 'error.sales.return.serialQuantity' });
      continue;
    }
    const unitErrors = requested.quantity === '1' ? [] : quantityErrors(requested.quantity, (await getItem(tx, line.itemId)).baseUnit, at);
    if (unitErrors.length) {
      errors.push(...unitErrors);
      continue;
    }
    const total = (incoming.get(line.lineNo) ?? new Decimal(0)).add(dec(requested.quantity));
    if (total.gt(dec(line.toReceive))) {
      throw returnRefused(
        'overReceived',
        `line ${line.lineNo} of return ${ret.number} (${line.lotNumber}) has ${line.toReceive} authorised and not yet received: ${decText(total)} is more`,
        { number: ret.number, line: line.lineNo, lot: line.lotNumber, open: line.toReceive, requested: decText(total) },
      );
    }
    if (line.quarantineLocationId && line.quarantineLocationId !== input.locationId) {
      throw returnRefused('otherLocation', `line ${line.lineNo} of return ${ret.number} is received into another quarantine location`, {
        number: ret.number,
        line: line.lineNo,
      });
    }
    incoming.set(line.lineNo, total);
    picks.push({ line: line.lineNo, itemId: line.itemId, lotId: line.lotId, quantity: decText(dec(requested.quantity)) });
  }
  if (errors.length) throw invalidFields('the receipt is not valid', errors, 'error.sales.return.invalid');
  return { ret, locationId: input.locationId, picks };
}

/**
 * Writes what came back: each line's received quantity, location and receiver, the return's next
 * status and `sales.return.received`.
 */
export async function recordReturnReceipt(
  tx: Tx,
  ctx: TenantContext,
  accepted: AcceptedReturnReceipt,
  stock: ReceivedReturn,
): Promise<CustomerReturn> {
  const { ret } = accepted;
  const perLine = new Map<number, Decimal>();
  for (const p of accepted.picks) perLine.set(p.line, (perLine.get(p.line) ?? new Decimal(0)).add(dec(p.quantity)));
  const lines = [...perLine.entries()];
  const receiver = userOf(ctx);
  await tx.query(sql`UPDATE customer_return_lines l SET received_quantity = l.received_quantity + r.quantity,
      quarantine_location_id = ${stock.locationId},
      received_by_ids = CASE WHEN ${receiver}::text IS NULL OR ${receiver}::text = ANY(l.received_by_ids) THEN l.received_by_ids
                             ELSE array_append(l.received_by_ids, ${receiver}::text) END,
      received_by = ${ctx.actor.name}, received_at = now()
    FROM unnest(${lines.map(([n]) => n)}::int[], ${lines.map(([, q]) => decText(q))}::numeric[]) AS r(line_no, quantity)
    WHERE l.return_id = ${ret.id} AND l.line_no = r.line_no`);
  const after = await getCustomerReturn(tx, ret.id);
  const to: ReturnStatus = after.lines.every((l) => dec(l.toReceive).isZero()) ? 'received' : 'partially_received';
  await moveReturn(tx, ctx, after, to);
  await publish(tx, SALES_EVENTS.returnReceived, {
    aggregateId: ret.id,
    siteId: ret.siteId,
    data: {
      returnId: ret.id,
      number: ret.number,
      from: ret.status,
      to,
      locationId: stock.locationId,
      lines: lines.map(([lineNo, q]) => ({ lineNo, lotId: ret.lines.find((l) => l.lineNo === lineNo)!.lotId, quantity: decText(q) })),
    },
  });
  return getCustomerReturn(tx, ret.id);
}
