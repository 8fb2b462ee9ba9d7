import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict, type FieldError, invalidFields, NotFound, ValidationFailed } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { staleRecord } from '../../platform/http/etag.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { defineMachine, takeTransition } from '../../platform/statemachine/index.js';
import { getSite, siteToday, type TenantContext } from '../../platform/tenancy/index.js';
import { getCustomer, getItem, MAX_QUANTITY, quantityErrors } from '../masterdata/index.js';
import { SALES_EVENTS, SHIPPABLE_STATUSES, SO_STATUSES, type SoStatus } from './contract.js';
import { licenceRefusal } from './licences.js';

export interface SoLineInput {
  itemId: string;
  /** In the item's base unit; whole for a counted unit. */
  quantity: string;
  unitPrice: string;
  requestedDate: string;
}

export interface NewSalesOrder {
  customerId: string;
  shipToId: string;
  siteId: string;
  currency: string;
  customerReference?: string | undefined;
  notes?: string | undefined;
  lines: SoLineInput[];
}

export interface SalesOrderChanges {
  shipToId?: string | undefined;
  currency?: string | undefined;
  customerReference?: string | null | undefined;
  notes?: string | null | undefined;
  lines?: SoLineInput[] | undefined;
}

export interface SoLine {
  id: string;
  lineNo: number;
  itemId: string;
  quantity: string;
  unitPrice: string;
  requestedDate: string;
  shippedQuantity: string;
  openQuantity: string;
  lineTotal: string;
}

export interface SalesOrder {
  id: string;
  number: string;
  customerId: string;
  shipToId: string;
  siteId: string;
  currency: string;
  customerReference: string | null;
  status: SoStatus;
  notes: string | null;
  total: string;
  /** The earliest requested date of a line still open; null when nothing is open. */
  nextRequestedDate: string | null;
  version: number;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  lines: SoLine[];
}

/** draft → confirmed → partially_shipped → shipped → closed; cancelled before anything ships. */
export const salesOrderLifecycle = defineMachine<SoStatus, { id: string }>({
  entity: 'sales_orders',
  states: SO_STATUSES,
  transitions: [
    { name: 'confirm', from: ['draft'], to: 'confirmed', event: SALES_EVENTS.confirmed },
    { name: 'ship in part', from: ['confirmed'], to: 'partially_shipped', event: SALES_EVENTS.partiallyShipped },
    { name: 'ship in full', from: ['confirmed', 'partially_shipped'], to: 'shipped', event: SALES_EVENTS.shipped },
    { name: 'close', from: ['partially_shipped', 'shipped'], to: 'closed', event: SALES_EVENTS.closed },
    { name: 'cancel', from: ['draft', 'confirmed'], to: 'cancelled', reasonRequired: true, event: SALES_EVENTS.cancelled },
  ],
});

const ORDER_COLUMNS = `o.id, o.number, o.customer_id AS "customerId", o.ship_to_id AS "shipToId", o.site_id AS "siteId", o.currency,
  o.customer_reference AS "customerReference", o.status, o.notes, o.version, o.created_at AS "createdAt",
  CASE WHEN o.created_by_id IS NULL THEN NULL ELSE json_build_object('id', o.created_by_id, 'name', o.created_by_name) END AS "createdBy"`;

const LINE_COLUMNS = `l.id, l.line_no AS "lineNo", l.item_id AS "itemId", l.quantity::text AS quantity, l.unit_price::text AS "unitPrice",
  l.requested_date::text AS "requestedDate", l.shipped_quantity::text AS "shippedQuantity"`;

type OrderRow = Omit<SalesOrder, 'lines' | 'total' | 'nextRequestedDate'>;
type LineRow = Omit<SoLine, 'lineTotal' | 'openQuantity'>;

function withLines(order: OrderRow, rows: LineRow[]): SalesOrder {
  const lines = rows.map((l) => ({
    ...l,
    openQuantity: decText(Decimal.max(dec(l.quantity).sub(dec(l.shippedQuantity)), 0)),
    lineTotal: decText(dec(l.quantity).mul(dec(l.unitPrice))),
  }));
  const open = lines.filter((l) => dec(l.openQuantity).gt(0)).map((l) => l.requestedDate);
  const total = lines.reduce((sum, l) => sum.add(dec(l.lineTotal)), new Decimal(0));
  const active = order.status !== 'cancelled' && order.status !== 'closed';
  return { ...order, total: decText(total), nextRequestedDate: active && open.length ? open.sort()[0]! : null, lines };
}

async function loadLines(tx: Tx, ids: readonly string[]): Promise<Map<string, LineRow[]>> {
  const { rows } = await tx.query<LineRow & { orderId: string }>(
    sql`SELECT l.order_id AS "orderId", ${raw(LINE_COLUMNS)} FROM sales_order_lines l WHERE l.order_id = ANY(${ids}::uuid[]) ORDER BY l.line_no`,
  );
  const byOrder = new Map<string, LineRow[]>();
  for (const { orderId, ...line } of rows) byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), line]);
  return byOrder;
}

export async function getSalesOrder(tx: Tx, id: string, opts: { lock?: boolean } = {}): Promise<SalesOrder> {
  const { rows } = await tx.query<OrderRow>(
    sql`SELECT ${raw(ORDER_COLUMNS)} FROM sales_orders o WHERE o.id = ${id}${raw(opts.lock ? ' FOR UPDATE' : '')}`,
  );
  const order = rows[0];
  if (!order) throw new NotFound(`sales order ${id} not found`, { code: 'error.sales.order.notFound', params: { id } });
  return withLines(order, (await loadLines(tx, [id])).get(id) ?? []);
}

export interface SalesOrderFilter {
  customerId?: string | undefined;
  status?: SoStatus | undefined;
  /** Part of the order number or of the customer's reference. */
  q?: string | undefined;
  /** Only orders that may be shipped: confirmed or partially shipped. */
  toShip?: boolean | undefined;
  /** Only orders to ship with a line past its requested date (site today). */
  late?: boolean | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

const ORDERS: Listing<OrderRow> = {
  name: 'sales.orders',
  sorts: { createdAt: [] },
  defaultSort: '-createdAt',
  id: { sql: 'o.id', type: 'uuid', of: 'id' },
};

export async function listSalesOrders(tx: Tx, f: SalesOrderFilter): Promise<Page<SalesOrder>> {
  const k = keyset(ORDERS, { cursor: f.cursor, limit: f.limit });
  const pattern = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const toShip = f.toShip || f.late;
  const today = f.late ? await siteToday(tx) : null;
  const where: SqlStatement[] = [
    ...(f.customerId ? [sql`o.customer_id = ${f.customerId}`] : []),
    ...(f.status ? [sql`o.status = ${f.status}`] : []),
    ...(pattern ? [sql`(o.number ILIKE ${pattern} OR o.customer_reference ILIKE ${pattern})`] : []),
    ...(toShip ? [sql`o.status = ANY(${[...SHIPPABLE_STATUSES]}::text[])`] : []),
    ...(today
      ? [
          sql`EXISTS (SELECT 1 FROM sales_order_lines l WHERE l.order_id = o.id AND l.shipped_quantity < l.quantity AND l.requested_date < ${today})`,
        ]
      : []),
  ];
  const conditions = where.reduce((acc, w) => sql`${acc} AND ${w}`, k.where);
  const { rows } = await tx.query<OrderRow>(
    sql`SELECT ${raw(ORDER_COLUMNS)} FROM sales_orders o WHERE ${conditions} ${k.orderBy} ${k.limit}`,
  );
  const page = toPage(k, rows);
  const lines = await loadLines(
    tx,
    page.items.map((o) => o.id),
  );
  return { items: page.items.map((o) => withLines(o, lines.get(o.id) ?? [])), nextCursor: page.nextCursor };
}

const invalid = (pointer: string, message: string, code: string, params: Record<string, string | number> = {}) =>
  new ValidationFailed(`${pointer.replace(/^\/body\//, '')}: ${message}`, [{ pointer, message, code, params }], { code, params });

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function assertCurrency(currency: string): void {
  if (!CURRENCIES.has(currency))
    throw invalid('/body/currency', `${currency} is not an ISO 4217 currency code`, 'error.sales.currency', { currency });
}

const addYears = (isoDate: string, years: number): string => `${Number(isoDate.slice(0, 4)) + years}${isoDate.slice(4)}`;

/** Every line: an active item, a plausible quantity in its base unit (whole when counted), a price, a date within ten years. */
async function assertLines(tx: Tx, lines: readonly SoLineInput[]): Promise<void> {
  if (lines.length === 0) throw invalid('/body/lines', 'an order needs at least one line', 'error.sales.order.noLines');
  const errors: FieldError[] = [];
  const today = await siteToday(tx);
  const latest = addYears(today, 10);
  const earliest = addYears(today, -1);
  for (const [i, line] of lines.entries()) {
    const at = `/body/lines/${i}`;
    const item = await getItem(tx, line.itemId);
    if (!item.active) {
      errors.push({
        pointer: `${at}/itemId`,
        message: `item ${item.code} is inactive`,
        code: 'error.sales.line.itemInactive',
        params: { item: item.code },
      });
    }
    errors.push(...quantityErrors(line.quantity, item.baseUnit, `${at}/quantity`));
    const price = dec(line.unitPrice, 'unitPrice');
    if (price.lt(0)) errors.push({ pointer: `${at}/unitPrice`, message: 'must not be negative', code: 'error.sales.line.price' });
    else if (price.gt(MAX_QUANTITY))
      errors.push({ pointer: `${at}/unitPrice`, message: 'is implausibly large', code: 'error.quantity.tooLarge' });
    if (line.requestedDate > latest || line.requestedDate < earliest) {
      errors.push({ pointer: `${at}/requestedDate`, message: 'is implausibly far away', code: 'error.date.implausible' });
    }
  }
  if (errors.length) throw invalidFields('the order lines are not valid', errors, 'error.sales.line.invalid');
}

/** The ship-to is one of the customer's active addresses. */
async function assertShipTo(tx: Tx, customerId: string, shipToId: string): Promise<void> {
  const customer = await getCustomer(tx, customerId);
  if (!customer.active)
    throw invalid('/body/customerId', `customer ${customer.code} is inactive`, 'error.sales.customerInactive', { customer: customer.code });
  const shipTo = customer.shipTos.find((s) => s.id === shipToId);
  if (!shipTo?.active) {
    throw invalid('/body/shipToId', `not an active ship-to address of customer ${customer.code}`, 'error.sales.shipTo', {
      customer: customer.code,
    });
  }
}

async function insertLines(tx: Tx, orderId: string, lines: readonly SoLineInput[]): Promise<void> {
  await tx.query(sql`INSERT INTO sales_order_lines (order_id, line_no, item_id, quantity, unit_price, requested_date)
    SELECT ${orderId}, n, item_id, quantity, unit_price, requested_date
      FROM unnest(${lines.map((l) => l.itemId)}::uuid[], ${lines.map((l) => l.quantity)}::numeric[],
                  ${lines.map((l) => l.unitPrice)}::numeric[], ${lines.map((l) => l.requestedDate)}::date[])
           WITH ORDINALITY AS l(item_id, quantity, unit_price, requested_date, n)`);
}

export async function createSalesOrder(tx: Tx, input: NewSalesOrder): Promise<SalesOrder> {
  assertCurrency(input.currency);
  await assertShipTo(tx, input.customerId, input.shipToId);
  await getSite(tx, input.siteId);
  await assertLines(tx, input.lines);
  const id = uuidv7();
  const number = await nextNumber(tx, 'SO');
  await tx.query(sql`INSERT INTO sales_orders (id, number, customer_id, ship_to_id, site_id, currency, customer_reference, notes,
      created_by_id, created_by_name)
    VALUES (${id}, ${number}, ${input.customerId}, ${input.shipToId}, ${input.siteId}, ${input.currency},
      ${input.customerReference?.trim() || null}, ${input.notes?.trim() || null},
      nullif(current_setting('app.actor_id', true), ''), nullif(current_setting('app.actor_name', true), ''))`);
  await insertLines(tx, id, input.lines);
  return getSalesOrder(tx, id);
}

/** Changes a draft; `versions` are those the caller's If-Match accepts. */
export async function updateSalesOrder(tx: Tx, id: string, versions: readonly number[], changes: SalesOrderChanges): Promise<SalesOrder> {
  const order = await getSalesOrder(tx, id, { lock: true });
  if (!versions.includes(order.version)) throw staleRecord(`sales order ${order.number}`);
  if (order.status !== 'draft') {
    throw new Conflict(`sales order ${order.number} is ${order.status}: only a draft can be changed`, {
      code: 'error.sales.order.notDraft',
      params: { number: order.number, status: order.status },
    });
  }
  if (changes.currency !== undefined) assertCurrency(changes.currency);
  if (changes.shipToId) await assertShipTo(tx, order.customerId, changes.shipToId);
  if (changes.lines) await assertLines(tx, changes.lines);
  await tx.query(sql`UPDATE sales_orders SET currency = coalesce(${changes.currency ?? null}, currency),
      ship_to_id = coalesce(${changes.shipToId ?? null}::uuid, ship_to_id),
      customer_reference = CASE WHEN ${changes.customerReference !== undefined} THEN ${changes.customerReference ?? null} ELSE customer_reference END,
      notes = CASE WHEN ${changes.notes !== undefined} THEN ${changes.notes ?? null} ELSE notes END,
      version = version + 1, updated_at = now()
    WHERE id = ${id}`);
  if (changes.lines) {
    await tx.query(sql`DELETE FROM sales_order_lines WHERE order_id = ${id}`);
    await insertLines(tx, id, changes.lines);
  }
  return getSalesOrder(tx, id);
}

/** Refuses when the customer may not buy what the order holds on `onDate` (licence missing, expired or out of scope). */
export async function assertLicensed(tx: Tx, order: Pick<SalesOrder, 'customerId' | 'lines'>, onDate: string): Promise<void> {
  const customer = await getCustomer(tx, order.customerId);
  const types = await Promise.all([...new Set(order.lines.map((l) => l.itemId))].map(async (id) => (await getItem(tx, id)).type));
  const refusal = await licenceRefusal(tx, customer.id, customer.code, types, onDate);
  if (refusal) throw refusal;
}

export interface SoTransitionInput {
  to: 'confirmed' | 'closed' | 'cancelled';
  comment?: string | undefined;
}

/** Confirm (licence checked), close or cancel; shipping moves the order by itself. */
export async function transitionSalesOrder(tx: Tx, ctx: TenantContext, id: string, input: SoTransitionInput): Promise<SalesOrder> {
  const order = await getSalesOrder(tx, id, { lock: true });
  salesOrderLifecycle.transition(order.status, input.to, `sales order ${order.number}`);
  if (input.to === 'confirmed') await assertLicensed(tx, order, await siteToday(tx, order.siteId));
  await moveOrder(tx, ctx, order, input.to, input.comment);
  return getSalesOrder(tx, id);
}

/** One step of the order's life cycle with its event, in the caller's transaction. */
export async function moveOrder(
  tx: Tx,
  ctx: TenantContext,
  order: Pick<SalesOrder, 'id' | 'number' | 'status' | 'customerId' | 'siteId'>,
  to: SoStatus,
  comment?: string | undefined,
): Promise<void> {
  const result = await takeTransition(tx, ctx, null, salesOrderLifecycle, {
    id: order.id,
    record: { id: order.id },
    from: order.status,
    to,
    label: `sales order ${order.number}`,
    reference: order.number,
    comment,
    apply: async (t, status) => {
      await t.query(sql`UPDATE sales_orders SET status = ${status}, version = version + 1, updated_at = now() WHERE id = ${order.id}`);
    },
  });
  await publish(tx, result.event.def, {
    aggregateId: order.id,
    siteId: order.siteId,
    data: { ...result.event.data, number: order.number, customerId: order.customerId },
  });
}

export async function salesOrderDetail(tx: Tx, id: string) {
  const order = await getSalesOrder(tx, id);
  return { ...order, allowedTransitions: salesOrderLifecycle.allowedFrom(order.status) };
}
