import { raw, sql, type Tx } from '../../platform/db/index.js';
import { dec, decText } from '../../platform/decimal.js';
import { Conflict, type FieldError, invalidFields, NotFound } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { siteToday, type TenantContext } from '../../platform/tenancy/index.js';
import { lotDateErrors } from '../inventory/index.js';
import { getItem, getLocation, getSupplier, isSupplierApprovedFor, quantityErrors } from '../masterdata/index.js';
import { PURCHASING_EVENTS, type ReceiptPosted } from './contract.js';
import { onTimePercent, openToReceive, RECEIVABLE_STATUSES, statusAfterReceipt } from './model.js';
import { getPurchaseOrder, moveOrder, type PoLine, type PurchaseOrder } from './orders.js';

export interface ReceivingConditions {
  temperature?: { value: string; unit: 'C' | 'F' } | undefined;
  /** Relative humidity in percent. */
  humidity?: { value: string; unit: '%RH' } | undefined;
}

export interface NewReceipt {
  poLineId: string;
  /** In the unit of the order line. */
  quantity: string;
  /** A quarantine location at the order's site. */
  locationId: string;
  supplierLot: string;
  manufacturedOn?: string | undefined;
  expiresOn?: string | undefined;
  conditions?: ReceivingConditions | undefined;
  /** An approved deviation that permits this receipt from a supplier not approved for the item. */
  deviationId?: string | undefined;
}

export interface Receipt {
  id: string;
  number: string;
  poId: string;
  poLineId: string;
  supplierId: string;
  itemId: string;
  siteId: string;
  lotId: string;
  quantity: string;
  unit: string;
  supplierLot: string;
  manufacturedOn: string | null;
  expiresOn: string | null;
  conditions: ReceivingConditions;
  deviationId: string | null;
  receivedOn: string;
  dueDate: string;
  onTime: boolean;
  receivedAt: string;
  receivedBy: string;
}

/**
 * A receipt that names a deviation is recorded only with that deviation's use (the post-receipt
 * flow has the deviations module check and count it in the same transaction). Purchasing does
 * not check deviations itself; without the use it refuses rather than record an unchecked reference.
 */
function assertDeviationUsed(input: NewReceipt, deviationUse: string | undefined): void {
  if (!input.deviationId || deviationUse) return;
  throw new Conflict('the deviation named on the receipt was not checked: the receipt cannot rely on it', {
    code: 'error.purchasing.deviationsUnavailable',
    params: { deviationId: input.deviationId },
  });
}

const RECEIPT_COLUMNS = `r.id, r.number, r.po_id AS "poId", r.po_line_id AS "poLineId", r.supplier_id AS "supplierId",
  r.item_id AS "itemId", r.site_id AS "siteId", r.lot_id AS "lotId", r.quantity::text AS quantity, r.unit,
  r.supplier_lot AS "supplierLot", r.manufactured_on::text AS "manufacturedOn", r.expires_on::text AS "expiresOn",
  r.temperature::text AS temperature, r.temperature_unit AS "temperatureUnit", r.humidity::text AS humidity,
  r.humidity_unit AS "humidityUnit", r.deviation_id AS "deviationId", r.received_on::text AS "receivedOn",
  r.due_date::text AS "dueDate", r.on_time AS "onTime", r.received_at AS "receivedAt", r.received_by AS "receivedBy"`;

type ReceiptRow = Omit<Receipt, 'conditions'> & {
  temperature: string | null;
  temperatureUnit: 'C' | 'F' | null;
  humidity: string | null;
  humidityUnit: '%RH' | null;
};

function toReceipt({ temperature, temperatureUnit, humidity, humidityUnit, ...r }: ReceiptRow): Receipt {
  return {
    ...r,
    conditions: {
      ...(temperature !== null && temperatureUnit ? { temperature: { value: temperature, unit: temperatureUnit } } : {}),
      ...(humidity !== null && humidityUnit ? { humidity: { value: humidity, unit: humidityUnit } } : {}),
    },
  };
}

export async function getReceipt(tx: Tx, id: string): Promise<Receipt> {
  const { rows } = await tx.query<ReceiptRow>(sql`SELECT ${raw(RECEIPT_COLUMNS)} FROM receipts r WHERE r.id = ${id}`);
  if (!rows[0]) throw new NotFound(`receipt ${id} not found`, { code: 'error.purchasing.receipt.notFound', params: { id } });
  return toReceipt(rows[0]);
}

export async function listReceipts(tx: Tx, f: { poId?: string | undefined; supplierId?: string | undefined }): Promise<Receipt[]> {
  const { rows } = await tx.query<ReceiptRow>(
    sql`SELECT ${raw(RECEIPT_COLUMNS)} FROM receipts r
         WHERE (${f.poId ?? null}::uuid IS NULL OR r.po_id = ${f.poId ?? null})
           AND (${f.supplierId ?? null}::uuid IS NULL OR r.supplier_id = ${f.supplierId ?? null})
         ORDER BY r.received_at, r.id`,
  );
  return rows.map(toReceipt);
}

/** Plausible receiving conditions: −100 to +100 °C (−148 to 212 °F), 0 to 100 %RH. */
const TEMPERATURE_RANGE = { C: ['-100', '100'], F: ['-148', '212'] } as const;

function conditionErrors(c: ReceivingConditions | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const humidity = c?.humidity && dec(c.humidity.value, 'humidity');
  if (humidity && (humidity.lt(0) || humidity.gt(100))) {
    errors.push({
      pointer: '/body/conditions/humidity/value',
      message: 'must be between 0 and 100',
      code: 'error.purchasing.receipt.humidity',
    });
  }
  if (c?.temperature) {
    const [low, high] = TEMPERATURE_RANGE[c.temperature.unit];
    const t = dec(c.temperature.value, 'temperature');
    if (t.lt(low) || t.gt(high)) {
      errors.push({
        pointer: '/body/conditions/temperature/value',
        message: `must be between ${low} and ${high} °${c.temperature.unit}`,
        code: 'error.purchasing.receipt.temperature',
        params: { low, high, unit: c.temperature.unit },
      });
    }
  }
  return errors;
}

/** The item and the location of a delivery as masterdata answers them, read once for the whole receipt. */
export type DeliveredItem = Awaited<ReturnType<typeof getItem>>;
export type ReceivingLocation = Awaited<ReturnType<typeof getLocation>>;

/**
 * A delivery purchasing accepted against an order line: what the receipt will record once
 * inventory holds the goods. The receipt's id is fixed now, so the stock can link to it.
 */
export interface AcceptedDelivery {
  receiptId: string;
  input: NewReceipt;
  /** The order, locked until the transaction ends, as read once. */
  po: PurchaseOrder;
  line: PoLine;
  item: DeliveredItem;
  location: ReceivingLocation;
  /** Today at the ordering site. */
  receivedOn: string;
  /** The supplier is approved for the item today; when not, the receipt names a deviation the caller must use. */
  supplierApproved: boolean;
}

/**
 * Accepts a delivery against an order line (ISO 13485 §7.4.3), writing nothing: the order must
 * be sent, the supplier approved for the item on the receipt date (site time zone), the line must
 * have room for the quantity, the item be lot-controlled and the location at the ordering site.
 * Every objection to what was typed at the dock comes at once. The goods then go into quarantine
 * (inventory) and `recordReceipt` writes the receipt: the post-receipt flow runs the three steps
 * in one transaction.
 */
export async function acceptDelivery(tx: Tx, input: NewReceipt): Promise<AcceptedDelivery> {
  const { rows: lineRows } = await tx.query<{ poId: string }>(
    sql`SELECT po_id AS "poId" FROM purchase_order_lines WHERE id = ${input.poLineId}`,
  );
  const poId = lineRows[0]?.poId;
  if (!poId) throw new NotFound(`purchase order line ${input.poLineId} not found`, { code: 'error.purchasing.line.notFound' });
  const po = await getPurchaseOrder(tx, poId, { lock: true });
  const line = po.lines.find((l) => l.id === input.poLineId)!;
  if (!RECEIVABLE_STATUSES.includes(po.status)) {
    throw new Conflict(`purchase order ${po.number} is ${po.status}: goods are received only against a sent order`, {
      code: 'error.purchasing.po.notReceivable',
      params: { number: po.number, status: po.status },
    });
  }
  const quantity = dec(input.quantity, 'quantity');
  const receivedOn = await siteToday(tx, po.siteId);
  // Every objection to what was typed at the dock, at once.
  const errors = [
    ...quantityErrors(quantity, line.unit, '/body/quantity'),
    ...conditionErrors(input.conditions),
    ...lotDateErrors(input, receivedOn),
  ];
  if (errors.length) throw invalidFields('the receipt is not valid', errors, 'error.purchasing.receipt.invalid');
  // Read once here, handed to inventory with the goods and to the refusals below.
  const item = await getItem(tx, line.itemId);
  // A supplier not approved for the item delivers only under a deviation, which the caller checks and counts.
  const supplierApproved = await isSupplierApprovedFor(tx, po.supplierId, item.id, receivedOn);
  if (!input.deviationId && !supplierApproved) await refuseUnapprovedSupplier(tx, po, item, receivedOn);

  const open = openToReceive(line);
  if (quantity.gt(open)) {
    throw new Conflict(
      `line ${line.lineNo} of ${po.number} can take ${decText(open)} ${line.unit} more (ordered ${line.quantity}, received ${line.receivedQuantity}, tolerance ${line.overReceiptTolerancePct} %)`,
      { code: 'error.purchasing.overReceipt', params: { number: po.number, line: line.lineNo, open: decText(open), unit: line.unit } },
    );
  }
  if (item.tracking !== 'lot') {
    throw new Conflict(
      `item ${item.code} is ${item.tracking === 'serial' ? 'serial-controlled' : 'not lot-controlled'}: purchase receipts take lot-controlled items`,
      {
        code: 'error.purchasing.receipt.trackingUnsupported',
        params: { item: item.code, tracking: item.tracking },
      },
    );
  }
  const location = await getLocation(tx, input.locationId);
  if (location.siteId !== po.siteId) {
    throw new Conflict(`location ${location.code} is not at the site that ordered ${po.number}`, {
      code: 'error.purchasing.receipt.wrongSite',
      params: { number: po.number, location: location.code },
    });
  }
  return { receiptId: uuidv7(), input, po, line, item, location, receivedOn, supplierApproved };
}

/**
 * Records an accepted delivery once inventory holds it as `lotId` (`quantity` in the item's base
 * unit): the receipt, the line's received quantity, the order moved to partially received or
 * received, and `purchasing.receipt.posted`, which starts the incoming inspection. Writes only
 * purchasing's tables.
 */
export async function recordReceipt(
  tx: Tx,
  ctx: TenantContext,
  delivery: AcceptedDelivery,
  stock: { lotId: string; quantity: string; deviationUseId?: string | undefined },
): Promise<Receipt> {
  const { receiptId: id, input, po, line, item, receivedOn } = delivery;
  assertDeviationUsed(input, stock.deviationUseId);
  const number = await nextNumber(tx, 'GR');
  const { temperature, humidity } = input.conditions ?? {};
  const { rows } = await tx.query<ReceiptRow>(sql`INSERT INTO receipts AS r (id, number, po_id, po_line_id, supplier_id, item_id, site_id,
      lot_id, quantity, unit, supplier_lot, manufactured_on, expires_on, temperature, temperature_unit, humidity, humidity_unit,
      deviation_id, received_on, due_date, received_by)
    VALUES (${id}, ${number}, ${po.id}, ${line.id}, ${po.supplierId}, ${item.id}, ${po.siteId}, ${stock.lotId}, ${input.quantity},
      ${line.unit}, ${input.supplierLot}, ${input.manufacturedOn ?? null}, ${input.expiresOn ?? null}, ${temperature?.value ?? null},
      ${temperature?.unit ?? null}, ${humidity?.value ?? null}, ${humidity?.unit ?? null}, ${input.deviationId ?? null},
      ${receivedOn}, ${line.dueDate}, ${ctx.actor.name})
    RETURNING ${raw(RECEIPT_COLUMNS)}`);
  await tx.query(sql`UPDATE purchase_order_lines SET received_quantity = received_quantity + ${input.quantity} WHERE id = ${line.id}`);
  await advanceOrder(tx, ctx, po, line.id, input.quantity);

  const posted: ReceiptPosted = {
    receiptId: id,
    number,
    poId: po.id,
    lotId: stock.lotId,
    itemId: item.id,
    supplierId: po.supplierId,
    quantity: stock.quantity,
  };
  await publish(tx, PURCHASING_EVENTS.receiptPosted, { aggregateId: id, siteId: po.siteId, data: posted });
  return toReceipt(rows[0]!);
}

async function refuseUnapprovedSupplier(tx: Tx, po: PurchaseOrder, item: DeliveredItem, onDate: string): Promise<never> {
  const supplier = await getSupplier(tx, po.supplierId);
  throw new Conflict(
    `supplier ${supplier.code} of ${po.number} is not on the approved supplier list for ${item.code} on ${onDate}: nothing was received`,
    {
      code: 'error.purchasing.supplierNotApproved',
      params: { number: po.number, supplierId: po.supplierId, itemId: item.id, date: onDate, supplier: supplier.code, items: item.code },
    },
  );
}

/**
 * After a receipt the order is received when every line is in, else partially received; worked
 * out from the order as locked and read before, with the received quantity added to its line.
 */
async function advanceOrder(tx: Tx, ctx: TenantContext, po: PurchaseOrder, lineId: string, quantity: string): Promise<void> {
  const lines = po.lines.map((l) =>
    l.id === lineId ? { ...l, receivedQuantity: decText(dec(l.receivedQuantity).add(dec(quantity))) } : l,
  );
  const next = statusAfterReceipt(lines);
  if (next !== po.status) await moveOrder(tx, ctx, null, po, next);
}

export interface DeliveryPerformance {
  supplierId: string;
  from: string | null;
  to: string | null;
  receipts: number;
  onTime: number;
  /** null when there were no receipts in the period. */
  onTimePercent: string | null;
}

/** On-time delivery of a supplier: receipts on or before the line's due date, site-local dates. */
export async function supplierDeliveryPerformance(
  tx: Tx,
  supplierId: string,
  period: { from?: string | undefined; to?: string | undefined } = {},
): Promise<DeliveryPerformance> {
  const { rows } = await tx.query<{ receipts: number; onTime: number }>(
    sql`SELECT count(*)::int AS receipts, count(*) FILTER (WHERE on_time)::int AS "onTime" FROM receipts
         WHERE supplier_id = ${supplierId}
           AND (${period.from ?? null}::date IS NULL OR received_on >= ${period.from ?? null}::date)
           AND (${period.to ?? null}::date IS NULL OR received_on <= ${period.to ?? null}::date)`,
  );
  const { receipts, onTime } = rows[0]!;
  return { supplierId, from: period.from ?? null, to: period.to ?? null, receipts, onTime, onTimePercent: onTimePercent(onTime, receipts) };
}
