import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict, type FieldError, invalidFields, NotFound } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { defineMachine, type Guard, takeTransition } from '../../platform/statemachine/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getCustomer, getItem, listCustomers, quantityErrors } from '../masterdata/index.js';
import {
  RETURN_STATUSES,
  type ReturnableLot,
  type ReturnDetail,
  type ReturnDispositionRow,
  type ReturnLine,
  type ReturnStatus,
  type ReturnSummary,
  SALES_EVENTS,
} from './contract.js';
import { getShipment } from './records.js';

/**
 * Customers' returns (RMA, 退货): authorised against a shipment for the exact lots and serials that
 * left on its lines — never more than a line shipped, over every return not cancelled — received
 * back into quarantine (return-receipts.ts, around inventory's `receiveReturn`), closed
 * once every received quantity is dispositioned, or cancelled before anything came back.
 * Dispositions are in return-dispositions.ts.
 */

/** A return with its lines and dispositions, as services read it. */
export interface CustomerReturn extends ReturnSummary {
  lines: Array<ReturnLine & { receivedByIds: string[] }>;
  dispositions: ReturnDispositionRow[];
}

const everythingReceivedIsDispositioned: Guard<CustomerReturn> = (_tx, r) => {
  const open = r.lines.find((l) => dec(l.toDisposition).gt(0));
  return open ? `line ${open.lineNo} (${open.lotNumber}) has ${open.toDisposition} received and not dispositioned` : undefined;
};

/**
 * authorised → partially_received → received → dispositioned → closed. A return the customer only
 * sent part of closes from partially_received with a reason once what came back is dispositioned;
 * cancelled only while nothing came back, with a reason.
 */
export const returnLifecycle = defineMachine<ReturnStatus, CustomerReturn>({
  entity: 'customer_returns',
  states: RETURN_STATUSES,
  transitions: [
    { name: 'receive in part', from: ['authorised'], to: 'partially_received', event: SALES_EVENTS.returnReceived },
    { name: 'receive in full', from: ['authorised', 'partially_received'], to: 'received', event: SALES_EVENTS.returnReceived },
    { name: 'disposition in full', from: ['received'], to: 'dispositioned', event: SALES_EVENTS.returnDispositioned },
    { name: 'close', from: ['dispositioned'], to: 'closed', guards: [everythingReceivedIsDispositioned], event: SALES_EVENTS.returnClosed },
    {
      name: 'close short',
      from: ['partially_received'],
      to: 'closed',
      guards: [everythingReceivedIsDispositioned],
      reasonRequired: true,
      event: SALES_EVENTS.returnClosed,
    },
    { name: 'cancel', from: ['authorised'], to: 'cancelled', reasonRequired: true, event: SALES_EVENTS.returnCancelled },
  ],
});

/** A 409 with sales' return code: a rule of returns refused the request, and nothing changed. */
export function returnRefused(reason: string, detail: string, params: Record<string, string | number> = {}): Conflict {
  return new Conflict(detail, { code: `error.sales.return.${reason}`, params });
}

export const userOf = (ctx: TenantContext): string | null => (ctx.actor.kind === 'user' ? ctx.actor.id : null);

const RETURN_COLUMNS = `c.id, c.number, c.shipment_id AS "shipmentId", s.number AS "shipmentNumber", c.order_id AS "orderId",
  o.number AS "orderNumber", c.customer_id AS "customerId", c.site_id AS "siteId", c.reason, c.status, c.cancel_reason AS "cancelReason",
  coalesce((SELECT sum(l.authorised_quantity) FROM customer_return_lines l WHERE l.tenant_id = c.tenant_id AND l.return_id = c.id), 0)::text AS "authorisedQuantity",
  coalesce((SELECT sum(l.received_quantity) FROM customer_return_lines l WHERE l.tenant_id = c.tenant_id AND l.return_id = c.id), 0)::text AS "receivedQuantity",
  coalesce((SELECT sum(l.dispositioned_quantity) FROM customer_return_lines l WHERE l.tenant_id = c.tenant_id AND l.return_id = c.id), 0)::text AS "dispositionedQuantity",
  coalesce((SELECT array_agg(l.lot_number ORDER BY l.line_no) FROM customer_return_lines l WHERE l.tenant_id = c.tenant_id AND l.return_id = c.id), '{}') AS "lotNumbers",
  c.version, c.created_at AS "createdAt", c.closed_at AS "closedAt",
  CASE WHEN c.created_by_id IS NULL THEN NULL ELSE json_build_object('id', c.created_by_id, 'name', c.created_by_name) END AS "createdBy"`;

const RETURN_FROM = `customer_returns c
  JOIN shipments s ON s.tenant_id = c.tenant_id AND s.id = c.shipment_id
  JOIN sales_orders o ON o.tenant_id = c.tenant_id AND o.id = c.order_id`;

const LINE_COLUMNS = `l.id, l.line_no AS "lineNo", l.shipment_line_no AS "shipmentLineNo", l.item_id AS "itemId", l.lot_id AS "lotId",
  l.lot_kind AS "lotKind", l.lot_number AS "lotNumber", l.authorised_quantity::text AS "authorisedQuantity",
  l.received_quantity::text AS "receivedQuantity", l.dispositioned_quantity::text AS "dispositionedQuantity",
  (l.authorised_quantity - l.received_quantity)::text AS "toReceive", (l.received_quantity - l.dispositioned_quantity)::text AS "toDisposition",
  l.quarantine_location_id AS "quarantineLocationId", l.received_by AS "receivedBy", l.received_at AS "receivedAt",
  l.received_by_ids AS "receivedByIds"`;

const DISPOSITION_COLUMNS = `d.id, d.line_no AS "lineNo", l.line_no AS "returnLineNo", l.lot_id AS "lotId", l.lot_number AS "lotNumber", d.kind,
  d.quantity::text AS quantity, d.restock_location_id AS "restockLocationId", d.justification, d.nonconformance_id AS "nonconformanceId",
  d.ncr_number AS "ncrNumber", d.decided_by AS "decidedBy", d.decided_at AS "decidedAt"`;

type SummaryRow = Omit<ReturnSummary, 'customer'>;

/** Each return with its customer's code and name, read once per customer through master data. */
async function withCustomers(tx: Tx, rows: readonly SummaryRow[]): Promise<ReturnSummary[]> {
  const customers = new Map<string, ReturnSummary['customer']>();
  for (const id of new Set(rows.map((r) => r.customerId))) {
    const c = await getCustomer(tx, id);
    customers.set(id, { code: c.code, name: c.name });
  }
  return rows.map((r) => ({ ...r, customer: customers.get(r.customerId)! }));
}

export async function getCustomerReturn(tx: Tx, id: string, opts: { lock?: boolean } = {}): Promise<CustomerReturn> {
  const { rows } = await tx.query<SummaryRow>(
    sql`SELECT ${raw(RETURN_COLUMNS)} FROM ${raw(RETURN_FROM)} WHERE c.id = ${id}${raw(opts.lock ? ' FOR UPDATE OF c' : '')}`,
  );
  const [summary] = await withCustomers(tx, rows);
  if (!summary) throw new NotFound(`customer return ${id} not found`, { code: 'error.sales.return.notFound', params: { id } });
  const [lines, dispositions] = await Promise.all([
    tx.query<CustomerReturn['lines'][number]>(
      sql`SELECT ${raw(LINE_COLUMNS)} FROM customer_return_lines l WHERE l.return_id = ${id} ORDER BY l.line_no`,
    ),
    tx.query<ReturnDispositionRow>(sql`SELECT ${raw(DISPOSITION_COLUMNS)}
      FROM customer_return_dispositions d JOIN customer_return_lines l ON l.tenant_id = d.tenant_id AND l.id = d.return_line_id
      WHERE d.return_id = ${id} ORDER BY d.line_no`),
  ]);
  return { ...summary, lines: lines.rows, dispositions: dispositions.rows };
}

/** The return page's answer: the return with its lines, dispositions and the steps it may take now. */
export async function customerReturnDetail(tx: Tx, id: string): Promise<ReturnDetail> {
  const { lines, ...rest } = await getCustomerReturn(tx, id);
  return {
    ...rest,
    lines: lines.map(({ receivedByIds: _, ...line }) => line),
    allowedTransitions: returnLifecycle.allowedFrom(rest.status),
  };
}

/** How the return is named where another record refers to it (an NCR raised from it). */
export async function customerReturnName(tx: Tx, id: string): Promise<{ id: string; number: string } | null> {
  const { rows } = await tx.query<{ id: string; number: string }>(sql`SELECT id, number FROM customer_returns WHERE id = ${id}`);
  return rows[0] ?? null;
}

const RETURNS: Listing<SummaryRow> = {
  name: 'sales.returns',
  sorts: { createdAt: [] },
  defaultSort: '-createdAt',
  id: { sql: 'c.id', type: 'uuid', of: 'id' },
};

export interface ReturnFilter {
  /** Part of the return number, of a lot or serial number on it, or of the customer's code or name. */
  q?: string | undefined;
  status?: ReturnStatus | undefined;
  customerId?: string | undefined;
  shipmentId?: string | undefined;
  lotId?: string | undefined;
  /** Returns with goods received and not yet dispositioned (quality's queue). */
  toDisposition?: boolean | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listCustomerReturns(tx: Tx, f: ReturnFilter): Promise<Page<ReturnSummary>> {
  const k = keyset(RETURNS, { cursor: f.cursor, limit: f.limit });
  const q = f.q?.trim();
  const customers = q ? (await listCustomers(tx, { q, limit: 50 })).items.map((c) => c.id) : [];
  const where: SqlStatement[] = [
    ...(f.status ? [sql`c.status = ${f.status}`] : []),
    ...(f.customerId ? [sql`c.customer_id = ${f.customerId}`] : []),
    ...(f.shipmentId ? [sql`c.shipment_id = ${f.shipmentId}`] : []),
    ...(f.lotId
      ? [
          sql`EXISTS (SELECT 1 FROM customer_return_lines l WHERE l.tenant_id = c.tenant_id AND l.return_id = c.id AND l.lot_id = ${f.lotId})`,
        ]
      : []),
    ...(f.toDisposition
      ? [
          sql`EXISTS (SELECT 1 FROM customer_return_lines l WHERE l.tenant_id = c.tenant_id AND l.return_id = c.id
                AND l.received_quantity > l.dispositioned_quantity) AND c.status NOT IN ('closed', 'cancelled')`,
        ]
      : []),
    ...(q
      ? [
          sql`(c.number ILIKE ${likePattern(q)} OR c.customer_id = ANY(${customers}::uuid[]) OR EXISTS (SELECT 1 FROM customer_return_lines l
                WHERE l.tenant_id = c.tenant_id AND l.return_id = c.id AND l.lot_number ILIKE ${likePattern(q)}))`,
        ]
      : []),
  ];
  const conditions = where.reduce((acc, w) => sql`${acc} AND ${w}`, k.where);
  const { rows } = await tx.query<SummaryRow>(
    sql`SELECT ${raw(RETURN_COLUMNS)} FROM ${raw(RETURN_FROM)} WHERE ${conditions} ${k.orderBy} ${k.limit}`,
  );
  const page = toPage(k, rows);
  return { items: await withCustomers(tx, page.items), nextCursor: page.nextCursor };
}

/** A shipment's returns, oldest first (the shipment page links them). */
export async function returnsOfShipment(tx: Tx, shipmentId: string): Promise<ReturnSummary[]> {
  const { rows } = await tx.query<SummaryRow>(
    sql`SELECT ${raw(RETURN_COLUMNS)} FROM ${raw(RETURN_FROM)} WHERE c.shipment_id = ${shipmentId} ORDER BY c.created_at, c.id`,
  );
  return withCustomers(tx, rows);
}

/**
 * Per shipment line and lot or serial: what shipped, what returns not cancelled authorised, and
 * what may still be returned. `lotIds` narrows it to those lots (a shipment of thousands of serials).
 */
export async function returnableLots(tx: Tx, shipmentId: string, lotIds?: readonly string[]): Promise<ReturnableLot[]> {
  await getShipment(tx, shipmentId);
  const only = lotIds ? sql`AND r.lot_id = ANY(${lotIds}::uuid[])` : sql``;
  const { rows } = await tx.query<Omit<ReturnableLot, 'returnable'>>(sql`SELECT r.line_no AS "shipmentLineNo", r.item_id AS "itemId",
      r.lot_id AS "lotId", r.lot_kind AS "lotKind", r.lot_number AS "lotNumber", sum(r.quantity)::text AS shipped,
      coalesce((SELECT sum(l.authorised_quantity) FROM customer_return_lines l
          JOIN customer_returns c ON c.tenant_id = l.tenant_id AND c.id = l.return_id
         WHERE c.shipment_id = r.shipment_id AND c.status <> 'cancelled' AND l.shipment_line_no = r.line_no AND l.lot_id = r.lot_id), 0)::text AS authorised
    FROM sales_records r WHERE r.shipment_id = ${shipmentId} ${only}
    GROUP BY r.shipment_id, r.line_no, r.item_id, r.lot_id, r.lot_kind, r.lot_number
    ORDER BY r.line_no, r.lot_number`);
  return rows.map((r) => ({ ...r, returnable: decText(Decimal.max(dec(r.shipped).sub(dec(r.authorised)), 0)) }));
}

export interface NewReturn {
  shipmentId: string;
  /** Why the customer sends the goods back. */
  reason: string;
  lines: Array<{ shipmentLineNo: number; lotId: string; quantity: string }>;
}

/**
 * Authorises a return of exact lots and serials of a shipment. Refused, writing nothing: a lot or
 * serial not shipped on that line (409 error.sales.return.notOnShipment), more than the line shipped
 * less what other returns authorised (error.sales.return.overAuthorised), a serial already returned
 * (error.sales.return.serialReturned), a fraction of a counted unit (422). Returns of one shipment
 * take turns (a transaction lock on the shipment), so two authorisations of one serial cannot both pass.
 */
export async function authoriseReturn(tx: Tx, ctx: TenantContext, input: NewReturn): Promise<CustomerReturn> {
  const shipment = await getShipment(tx, input.shipmentId);
  await tx.query(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`mf:customer-return:${shipment.id}`}, 0))`);
  const reason = input.reason.trim();
  const errors: FieldError[] = [];
  if (!reason) errors.push({ pointer: '/body/reason', message: 'is required', code: 'error.sales.return.reasonRequired' });
  const returnable = await returnableLots(
    tx,
    shipment.id,
    input.lines.map((l) => l.lotId),
  );
  const seen = new Set<string>();
  const accepted: Array<ReturnableLot & { quantity: string }> = [];
  for (const [i, line] of input.lines.entries()) {
    const at = `/body/lines/${i}`;
    const lot = returnable.find((r) => r.shipmentLineNo === line.shipmentLineNo && r.lotId === line.lotId);
    if (!lot) {
      throw returnRefused(
        'notOnShipment',
        `lot ${line.lotId} was not shipped on line ${line.shipmentLineNo} of shipment ${shipment.number}`,
        {
          shipment: shipment.number,
          line: line.shipmentLineNo,
        },
      );
    }
    const key = `${line.shipmentLineNo}:${line.lotId}`;
    if (seen.has(key)) {
      errors.push({ pointer: `${at}/lotId`, message: `${lot.lotNumber} is listed twice`, code: 'error.sales.return.lotTwice' });
      continue;
    }
    seen.add(key);
    if (lot.lotKind === 'serial' && !dec(line.quantity, 'quantity').eq(1)) {
      errors.push({ pointer: `${at}/quantity`, message: `serial ${lot.lotNumber} is one unit`, code: 'error.sales.return.serialQuantity' });
      continue;
    }
    const unitErrors =
      line.quantity === '1' ? [] : quantityErrors(line.quantity, (await getItem(tx, lot.itemId)).baseUnit, `${at}/quantity`);
    if (unitErrors.length) {
      errors.push(...unitErrors);
      continue;
    }
    if (dec(line.quantity).gt(dec(lot.returnable))) {
      if (lot.lotKind === 'serial') {
        throw returnRefused('serialReturned', `serial ${lot.lotNumber} of shipment ${shipment.number} is already returned`, {
          lot: lot.lotNumber,
          shipment: shipment.number,
        });
      }
      throw returnRefused(
        'overAuthorised',
        `lot ${lot.lotNumber}: line ${lot.shipmentLineNo} of shipment ${shipment.number} shipped ${lot.shipped} and ${lot.authorised} is already authorised for return: ${line.quantity} is more than the ${lot.returnable} left`,
        {
          lot: lot.lotNumber,
          shipment: shipment.number,
          shipped: lot.shipped,
          authorised: lot.authorised,
          returnable: lot.returnable,
          requested: line.quantity,
        },
      );
    }
    accepted.push({ ...lot, quantity: decText(dec(line.quantity)) });
  }
  if (errors.length) throw invalidFields('the return is not valid', errors, 'error.sales.return.invalid');

  const id = uuidv7();
  const number = await nextNumber(tx, 'RMA');
  await tx.query(sql`INSERT INTO customer_returns (id, number, shipment_id, order_id, customer_id, site_id, reason, created_by_id, created_by_name)
    VALUES (${id}, ${number}, ${shipment.id}, ${shipment.orderId}, ${shipment.customerId}, ${shipment.siteId}, ${reason},
      ${userOf(ctx)}, ${ctx.actor.name})`);
  await tx.query(sql`INSERT INTO customer_return_lines (return_id, line_no, shipment_line_no, item_id, lot_id, lot_kind, lot_number,
      authorised_quantity)
    SELECT ${id}, n, line, item, lot, kind, number, quantity
      FROM unnest(${accepted.map((a) => a.shipmentLineNo)}::int[], ${accepted.map((a) => a.itemId)}::uuid[],
                  ${accepted.map((a) => a.lotId)}::uuid[], ${accepted.map((a) => a.lotKind)}::text[],
                  ${accepted.map((a) => a.lotNumber)}::text[], ${accepted.map((a) => a.quantity)}::numeric[])
           WITH ORDINALITY AS a(line, item, lot, kind, number, quantity, n)`);
  await publish(tx, SALES_EVENTS.returnAuthorised, {
    aggregateId: id,
    siteId: shipment.siteId,
    data: {
      returnId: id,
      number,
      shipmentId: shipment.id,
      customerId: shipment.customerId,
      lines: accepted.map((a, i) => ({ lineNo: i + 1, lotId: a.lotId, quantity: a.quantity })),
    },
  });
  return getCustomerReturn(tx, id);
}

/** Refuses a step the return's status does not allow (409 with the module's code `reason`), naming the status. */
export function assertReturnStatus(r: CustomerReturn, allowed: readonly ReturnStatus[], reason: string, step: string): void {
  if (!allowed.includes(r.status)) {
    throw returnRefused(reason, `return ${r.number} is ${r.status.replace('_', ' ')}: nothing can be ${step}`, {
      number: r.number,
      status: r.status,
    });
  }
}

/**
 * One step of the return's life cycle, or none when the status stays (a second part received);
 * the return's version moves on either way. The caller publishes the step's event.
 */
export async function moveReturn(tx: Tx, ctx: TenantContext, ret: CustomerReturn, to: ReturnStatus, comment?: string): Promise<void> {
  if (to === ret.status) {
    await tx.query(sql`UPDATE customer_returns SET version = version + 1, updated_at = now() WHERE id = ${ret.id}`);
    return;
  }
  const reason = comment?.trim() || ctx.reason || null;
  await takeTransition(tx, ctx, null, returnLifecycle, {
    id: ret.id,
    record: ret,
    from: ret.status,
    to,
    label: `return ${ret.number}`,
    reference: ret.number,
    comment: reason ?? undefined,
    apply: async (t, status) => {
      await t.query(sql`UPDATE customer_returns SET status = ${status}, version = version + 1, updated_at = now(),
          closed_at = CASE WHEN ${status} = 'closed' THEN now() ELSE closed_at END,
          cancel_reason = CASE WHEN ${status} = 'cancelled' THEN ${reason} ELSE cancel_reason END
        WHERE id = ${ret.id}`);
    },
  });
}

/** Closes a return whose received goods are all dispositioned; one the customer sent only part of needs a reason. */
export function closeReturn(tx: Tx, ctx: TenantContext, id: string, comment?: string | undefined): Promise<CustomerReturn> {
  return endReturn(tx, ctx, id, 'closed', comment);
}

/** Cancels a return before anything came back, with the reason. */
export function cancelReturn(tx: Tx, ctx: TenantContext, id: string, reason: string): Promise<CustomerReturn> {
  return endReturn(tx, ctx, id, 'cancelled', reason);
}

async function endReturn(tx: Tx, ctx: TenantContext, id: string, to: 'closed' | 'cancelled', comment: string | undefined) {
  const ret = await getCustomerReturn(tx, id, { lock: true });
  returnLifecycle.transition(ret.status, to, `return ${ret.number}`);
  await moveReturn(tx, ctx, ret, to, comment);
  await publish(tx, to === 'closed' ? SALES_EVENTS.returnClosed : SALES_EVENTS.returnCancelled, {
    aggregateId: ret.id,
    siteId: ret.siteId,
    data: { returnId: ret.id, number: ret.number, from: ret.status, to, signatureId: null },
  });
  return getCustomerReturn(tx, id);
}
