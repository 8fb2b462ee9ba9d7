import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { dec, decText } from '../../platform/decimal.js';
import { Conflict, DomainError, type FieldError, invalidFields, NotFound, ValidationFailed } from '../../platform/errors.js';
import { manifestedSignatures } from '../../platform/esign/index.js';
import type { SignerVerifier, SigningCredentials } from '../../platform/esign/types.js';
import { publish } from '../../platform/events/index.js';
import { staleRecord } from '../../platform/http/etag.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { takeTransition } from '../../platform/statemachine/index.js';
import { getSite, siteToday, type TenantContext } from '../../platform/tenancy/index.js';
import { convertQuantity, getItem, getSupplier, isSupplierApprovedFor, MAX_QUANTITY, quantityErrors } from '../masterdata/index.js';
import type { PoStatus } from './contract.js';
import { isPoEditable, purchaseOrderLifecycle, RECEIVABLE_STATUSES } from './model.js';

export interface PoLineInput {
  itemId: string;
  quantity: string;
  /** A unit the item can be counted in (its base unit or one with a conversion). */
  unit: string;
  unitPrice: string;
  dueDate: string;
  overReceiptTolerancePct?: string | undefined;
}

export interface NewPurchaseOrder {
  supplierId: string;
  siteId: string;
  currency: string;
  notes?: string | undefined;
  lines: PoLineInput[];
}

export interface PurchaseOrderChanges {
  currency?: string | undefined;
  notes?: string | null | undefined;
  /** Replaces every line. */
  lines?: PoLineInput[] | undefined;
}

export interface PoLine {
  id: string;
  lineNo: number;
  itemId: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  dueDate: string;
  overReceiptTolerancePct: string;
  receivedQuantity: string;
  lineTotal: string;
}

export interface PurchaseOrder {
  id: string;
  number: string;
  supplierId: string;
  siteId: string;
  currency: string;
  status: PoStatus;
  notes: string | null;
  total: string;
  version: number;
  createdAt: string;
  /** The person who created the order; they may not approve it (null on orders from before this was kept). */
  createdBy: { id: string; name: string } | null;
  lines: PoLine[];
}

const ORDER_COLUMNS = `po.id, po.number, po.supplier_id AS "supplierId", po.site_id AS "siteId", po.currency, po.status, po.notes,
  po.version, po.created_at AS "createdAt",
  CASE WHEN po.created_by_id IS NULL THEN NULL ELSE json_build_object('id', po.created_by_id, 'name', po.created_by_name) END AS "createdBy"`;

const LINE_COLUMNS = `l.id, l.line_no AS "lineNo", l.item_id AS "itemId", l.quantity::text AS quantity, l.unit,
  l.unit_price::text AS "unitPrice", l.due_date::text AS "dueDate", l.over_receipt_tolerance_pct::text AS "overReceiptTolerancePct",
  l.received_quantity::text AS "receivedQuantity"`;

type OrderRow = Omit<PurchaseOrder, 'lines' | 'total'>;
type LineRow = Omit<PoLine, 'lineTotal'>;

async function loadLines(tx: Tx, poId: string): Promise<PoLine[]> {
  const { rows } = await tx.query<LineRow>(
    sql`SELECT ${raw(LINE_COLUMNS)} FROM purchase_order_lines l WHERE l.po_id = ${poId} ORDER BY l.line_no`,
  );
  return rows.map((l) => ({ ...l, lineTotal: decText(dec(l.quantity).mul(dec(l.unitPrice))) }));
}

function withTotal(order: OrderRow, lines: PoLine[]): PurchaseOrder {
  const total = lines.reduce((sum, l) => sum.add(dec(l.lineTotal)), dec('0'));
  return { ...order, total: decText(total), lines };
}

export async function getPurchaseOrder(tx: Tx, id: string, opts: { lock?: boolean } = {}): Promise<PurchaseOrder> {
  const { rows } = await tx.query<OrderRow>(
    sql`SELECT ${raw(ORDER_COLUMNS)} FROM purchase_orders po WHERE po.id = ${id}${raw(opts.lock ? ' FOR UPDATE' : '')}`,
  );
  const order = rows[0];
  if (!order) throw new NotFound(`purchase order ${id} not found`, { code: 'error.purchasing.po.notFound', params: { id } });
  return withTotal(order, await loadLines(tx, id));
}

export interface PurchaseOrderFilter {
  supplierId?: string | undefined;
  status?: PoStatus | undefined;
  /** Part of the order number, e.g. `00042` or `PO-2026`. */
  q?: string | undefined;
  /** Only orders goods can be received against: sent or partially received. */
  receivable?: boolean | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** Orders newest first (ids are time-ordered). */
const ORDERS: Listing<OrderRow> = {
  name: 'purchasing.orders',
  sorts: { createdAt: [] },
  defaultSort: '-createdAt',
  id: { sql: 'po.id', type: 'uuid', of: 'id' },
};

export async function listPurchaseOrders(tx: Tx, f: PurchaseOrderFilter): Promise<Page<PurchaseOrder>> {
  const k = keyset(ORDERS, { cursor: f.cursor, limit: f.limit });
  const where: SqlStatement[] = [
    ...(f.supplierId ? [sql`po.supplier_id = ${f.supplierId}`] : []),
    ...(f.status ? [sql`po.status = ${f.status}`] : []),
    ...(f.q ? [sql`po.number ILIKE ${`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`] : []),
    ...(f.receivable ? [sql`po.status = ANY (${[...RECEIVABLE_STATUSES]}::text[])`] : []),
  ];
  const conditions = where.reduce((acc, w) => sql`${acc} AND ${w}`, k.where);
  const { rows } = await tx.query<OrderRow>(
    sql`SELECT ${raw(ORDER_COLUMNS)} FROM purchase_orders po WHERE ${conditions} ${k.orderBy} ${k.limit}`,
  );
  const page = toPage(k, rows);
  const items = await Promise.all(page.items.map(async (o) => withTotal(o, await loadLines(tx, o.id))));
  return { items, nextCursor: page.nextCursor };
}

const invalid = (pointer: string, message: string, code: string, params: Record<string, string | number> = {}) =>
  new ValidationFailed(`${pointer.replace(/^\/body\//, '')}: ${message}`, [{ pointer, message }], { code, params });

/** ISO 4217 codes the runtime knows (Intl), so "EUR" passes and "EUX" does not. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function assertCurrency(currency: string): void {
  if (!CURRENCIES.has(currency)) {
    throw invalid('/body/currency', `${currency} is not an ISO 4217 currency code`, 'error.purchasing.currency', { currency });
  }
}

/**
 * Every line names an active item, a unit it converts from, a plausible quantity (whole for a
 * counted unit) and price, and a due date within ten years. Every objection at once.
 */
async function assertLines(tx: Tx, lines: readonly PoLineInput[]): Promise<void> {
  if (lines.length === 0) throw invalid('/body/lines', 'an order needs at least one line', 'error.purchasing.po.noLines');
  const errors: FieldError[] = [];
  const latestDue = addYears(await siteToday(tx), 10);
  for (const [i, line] of lines.entries()) {
    const at = `/body/lines/${i}`;
    errors.push(...quantityErrors(line.quantity, line.unit, `${at}/quantity`));
    const price = dec(line.unitPrice, 'unitPrice');
    if (price.lt(0)) errors.push({ pointer: `${at}/unitPrice`, message: 'must not be negative', code: 'error.purchasing.line.price' });
    else if (price.gt(MAX_QUANTITY))
      errors.push({ pointer: `${at}/unitPrice`, message: 'is implausibly large', code: 'error.quantity.tooLarge' });
    if (line.dueDate && line.dueDate > latestDue) {
      errors.push({
        pointer: `${at}/dueDate`,
        message: 'is more than ten years ahead',
        code: 'error.date.tooFarAhead',
        params: { latest: latestDue },
      });
    }
    const item = await getItem(tx, line.itemId);
    if (!item.active) {
      errors.push({
        pointer: `${at}/itemId`,
        message: `item ${item.code} is inactive`,
        code: 'error.purchasing.line.itemInactive',
        params: { item: item.code },
      });
      continue;
    }
    await convertQuantity(tx, item.id, line.quantity, line.unit, item.baseUnit).catch((err: unknown) => {
      if (!(err instanceof DomainError)) throw err;
      if (errors.some((e) => e.pointer === `${at}/quantity`)) return;
      errors.push({
        pointer: `${at}/unit`,
        message: `${line.unit} cannot be converted to ${item.code}'s unit ${item.baseUnit}`,
        code: 'error.purchasing.line.unit',
        params: { unit: line.unit, baseUnit: item.baseUnit },
      });
    });
  }
  if (errors.length) throw invalidFields('the order lines are not valid', errors, 'error.purchasing.line.invalid');
}

/** The ISO date `years` after an ISO date. */
const addYears = (isoDate: string, years: number): string => `${Number(isoDate.slice(0, 4)) + years}${isoDate.slice(4)}`;

async function insertLines(tx: Tx, poId: string, lines: readonly PoLineInput[]): Promise<void> {
  for (const [i, l] of lines.entries()) {
    await tx.query(sql`INSERT INTO purchase_order_lines (id, po_id, line_no, item_id, quantity, unit, unit_price, due_date, over_receipt_tolerance_pct)
      VALUES (${uuidv7()}, ${poId}, ${i + 1}, ${l.itemId}, ${l.quantity}, ${l.unit}, ${l.unitPrice}, ${l.dueDate},
              ${l.overReceiptTolerancePct ?? '0'})`);
  }
}

export async function createPurchaseOrder(tx: Tx, input: NewPurchaseOrder): Promise<PurchaseOrder> {
  assertCurrency(input.currency);
  const supplier = await getSupplier(tx, input.supplierId);
  if (!supplier.active) {
    throw invalid('/body/supplierId', `supplier ${supplier.code} is inactive`, 'error.purchasing.supplierInactive', {
      supplier: supplier.code,
    });
  }
  await getSite(tx, input.siteId);
  await assertLines(tx, input.lines);
  const id = uuidv7();
  const number = await nextNumber(tx, 'PO');
  // The creator is the actor of the transaction (the person behind the request): the approval's
  // separation-of-duties rule excludes them.
  await tx.query(sql`INSERT INTO purchase_orders (id, number, supplier_id, site_id, currency, notes, created_by_id, created_by_name)
    VALUES (${id}, ${number}, ${input.supplierId}, ${input.siteId}, ${input.currency}, ${input.notes ?? null},
            nullif(current_setting('app.actor_id', true), ''), nullif(current_setting('app.actor_name', true), ''))`);
  await insertLines(tx, id, input.lines);
  return getPurchaseOrder(tx, id);
}

/** Changes a draft; `versions` are those the caller's If-Match accepts (no lost updates). */
export async function updatePurchaseOrder(
  tx: Tx,
  id: string,
  versions: readonly number[],
  changes: PurchaseOrderChanges,
): Promise<PurchaseOrder> {
  const po = await getPurchaseOrder(tx, id, { lock: true });
  if (!versions.includes(po.version)) throw staleRecord(`purchase order ${po.number}`);
  if (!isPoEditable(po)) {
    throw new Conflict(`purchase order ${po.number} is ${po.status}: only a draft can be changed`, {
      code: 'error.purchasing.po.notDraft',
      params: { number: po.number, status: po.status },
    });
  }
  if (changes.currency !== undefined) assertCurrency(changes.currency);
  if (changes.lines) await assertLines(tx, changes.lines);
  await tx.query(sql`UPDATE purchase_orders SET currency = coalesce(${changes.currency ?? null}, currency),
      notes = CASE WHEN ${changes.notes !== undefined} THEN ${changes.notes ?? null} ELSE notes END,
      version = version + 1, updated_at = now()
    WHERE id = ${id}`);
  if (changes.lines) {
    await tx.query(sql`DELETE FROM purchase_order_lines WHERE po_id = ${id}`);
    await insertLines(tx, id, changes.lines);
  }
  return getPurchaseOrder(tx, id);
}

/** Q.SUP: an order is approved only for items its supplier is approved to supply today. */
async function unapprovedLines(tx: Tx, po: PurchaseOrder): Promise<{ lines: number[]; items: string[]; today: string } | undefined> {
  const today = await siteToday(tx, po.siteId);
  const refused = [];
  for (const line of po.lines) if (!(await isSupplierApprovedFor(tx, po.supplierId, line.itemId, today))) refused.push(line);
  if (refused.length === 0) return undefined;
  const items = await Promise.all(refused.map(async (l) => (await getItem(tx, l.itemId)).code));
  return { lines: refused.map((l) => l.lineNo), items: [...new Set(items)], today };
}

export interface PoTransitionInput {
  to: 'approved' | 'sent' | 'closed' | 'cancelled';
  credentials?: SigningCredentials | undefined;
  comment?: string | undefined;
}

/** Approve (signed), send, close or cancel; receiving moves the order by itself. */
export async function transitionPurchaseOrder(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: PoTransitionInput,
): Promise<PurchaseOrder> {
  const po = await getPurchaseOrder(tx, id, { lock: true });
  if (input.to === 'approved') {
    const refused = await unapprovedLines(tx, po);
    if (refused) {
      const supplier = await getSupplier(tx, po.supplierId);
      const lines = refused.lines.join(', ');
      const items = refused.items.join(', ');
      throw new Conflict(
        `purchase order ${po.number} cannot be approved: supplier ${supplier.code} is not on the approved supplier list on ${refused.today} for ${items} (line ${lines})`,
        {
          code: 'error.purchasing.supplierNotApproved',
          params: { number: po.number, supplier: supplier.code, items, lines, date: refused.today },
        },
      );
    }
  }
  if (input.to === 'cancelled' && po.lines.some((l) => dec(l.receivedQuantity).gt(0))) {
    throw new Conflict(`purchase order ${po.number} has receipts and cannot be cancelled; close it instead`, {
      code: 'error.purchasing.po.hasReceipts',
      params: { number: po.number },
    });
  }
  await moveOrder(tx, ctx, verifier, po, input.to, input);
  return getPurchaseOrder(tx, id);
}

/** One step of the order's life cycle, with its signature and event, in the caller's transaction. */
export async function moveOrder(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  po: Pick<PurchaseOrder, 'id' | 'number' | 'status' | 'supplierId' | 'siteId' | 'createdBy'>,
  to: PoStatus,
  opts: { credentials?: SigningCredentials | undefined; comment?: string | undefined } = {},
): Promise<void> {
  const result = await takeTransition(tx, ctx, verifier, purchaseOrderLifecycle, {
    id: po.id,
    record: { id: po.id, createdById: po.createdBy?.id ?? null },
    from: po.status,
    to,
    label: `purchase order ${po.number}`,
    reference: po.number,
    credentials: opts.credentials,
    comment: opts.comment,
    apply: async (tx, status) => {
      await tx.query(sql`UPDATE purchase_orders SET status = ${status}, version = version + 1, updated_at = now() WHERE id = ${po.id}`);
    },
  });
  await publish(tx, result.event.def, {
    aggregateId: po.id,
    siteId: po.siteId,
    data: { ...result.event.data, number: po.number, supplierId: po.supplierId },
  });
}

/** The order with its signatures, each shown with printed name, time (site zone) and meaning. */
export async function purchaseOrderDetail(tx: Tx, id: string) {
  const po = await getPurchaseOrder(tx, id);
  const signatures = await manifestedSignatures(tx, 'purchase_orders', id);
  return { ...po, signatures, allowedTransitions: purchaseOrderLifecycle.allowedFrom(po.status) };
}
