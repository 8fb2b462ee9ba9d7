import { sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict, DomainError, invalidFields, NotFound } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { siteToday, type TenantContext } from '../../platform/tenancy/index.js';
import { findLotsByNumber, type ShipmentPick, type ShippedStock, shipRefusal, suggestFefo } from '../inventory/index.js';
import { getCustomer, getItem, quantityErrors } from '../masterdata/index.js';

type ShipTo = Awaited<ReturnType<typeof getCustomer>>['shipTos'][number];

import { decodeScan, type Gs1Data, udiOrNull } from '../traceability/index.js';
import { SALES_EVENTS, SHIPPABLE_STATUSES, type SoStatus } from './contract.js';
import { assertLicensed, getSalesOrder, moveOrder, type SalesOrder } from './orders.js';
import { nextSsccs } from './sscc.js';

/**
 * Picking and shipping: a pick list suggested first-expiry-first-out from released stock, scans
 * checked against the order before anything is written, and the shipment itself in two steps
 * around inventory's `shipOut` (the ship-order flow): `acceptShipment` checks the order, the
 * licence and the quantities and writes nothing; `recordShipment` writes the shipment, its cartons
 * with their SSCCs and one sales record per lot or serial, and moves the order on.
 */

export interface PickSuggestion {
  lineNo: number;
  itemId: string;
  openQuantity: string;
  lots: Array<{ lotId: string; lotNumber: string; expiresOn: string | null; locationId: string; available: string; take: string }>;
  shortfall: string;
}

function assertShippable(order: SalesOrder): void {
  if (!(SHIPPABLE_STATUSES as readonly SoStatus[]).includes(order.status)) {
    throw new Conflict(`sales order ${order.number} is ${order.status}: only confirmed orders are shipped`, {
      code: 'error.sales.order.notShippable',
      params: { number: order.number, status: order.status },
    });
  }
}

/** For every open line, the released lots to take, earliest expiry first. */
export async function pickList(tx: Tx, orderId: string): Promise<PickSuggestion[]> {
  const order = await getSalesOrder(tx, orderId);
  assertShippable(order);
  const list: PickSuggestion[] = [];
  for (const line of order.lines) {
    if (dec(line.openQuantity).lte(0)) continue;
    const fefo = await suggestFefo(tx, line.itemId, line.openQuantity, order.siteId);
    list.push({ lineNo: line.lineNo, itemId: line.itemId, openQuantity: line.openQuantity, lots: fefo.lines, shortfall: fefo.shortfall });
  }
  return list;
}

export interface ScannedLot {
  lineNo: number;
  itemId: string;
  lotId: string;
  lotNumber: string;
  kind: 'lot' | 'serial';
  expiresOn: string | null;
  /** What the picker may take of it: 1 for a serial, else the lot's stock at the site up to the line's open quantity. */
  quantity: string;
}

/**
 * What a scan (a GS1 element string, the printed form, a Digital Link, or a plain lot or serial
 * number) names on this order: the line and the lot, if the lot may be shipped; else the reason.
 */
export async function checkScan(tx: Tx, orderId: string, scan: string): Promise<ScannedLot> {
  const order = await getSalesOrder(tx, orderId);
  assertShippable(order);
  const text = scan.trim();
  let data: Gs1Data | null = null;
  if (/^(\(|https?:\/\/|\d{16,})/i.test(text)) {
    try {
      data = decodeScan(text).data;
    } catch (err) {
      if (!(err instanceof DomainError) || /^\(|https?:/i.test(text)) throw err;
    }
  }
  const number = data ? (data.serial ?? data.batch) : text;
  if (!number) {
    throw new Conflict('the scan names no lot or serial number', { code: 'error.sales.scan.noLot' });
  }
  const open = order.lines.filter((l) => dec(l.openQuantity).gt(0));
  const items = await Promise.all(open.map((l) => getItem(tx, l.itemId)));
  const candidates = data?.gtin ? items.filter((i) => i.gtin && i.gtin.padStart(14, '0') === data!.gtin) : items;
  if (candidates.length === 0) {
    throw new Conflict(`the scanned product ${data?.gtin ?? ''} is not on an open line of order ${order.number}`, {
      code: 'error.sales.scan.wrongItem',
      params: { number: order.number, gtin: data?.gtin ?? '' },
    });
  }
  const lots = await findLotsByNumber(
    tx,
    candidates.map((i) => i.id),
    number,
  );
  const lot = lots[0];
  if (!lot) {
    const any = await findLotsByNumber(
      tx,
      (await Promise.all(order.lines.map((l) => getItem(tx, l.itemId)))).map((i) => i.id),
      number,
    );
    throw new Conflict(
      any.length
        ? `lot ${number} is not of an item still open on order ${order.number}`
        : `no lot or serial ${number} of the ordered items`,
      { code: any.length ? 'error.sales.scan.wrongItem' : 'error.sales.scan.unknownLot', params: { number: order.number, lot: number } },
    );
  }
  const refusal = shipRefusal(lot, await siteToday(tx, order.siteId));
  if (refusal) throw refusal;
  if (!lot.siteIds.includes(order.siteId)) {
    throw new Conflict(`lot ${lot.number} has no stock at the order's site`, {
      code: 'error.inventory.ship.notInStock',
      params: { lot: lot.number },
    });
  }
  const line = open.find((l) => l.itemId === lot.itemId)!;
  const quantity = lot.kind === 'serial' ? '1' : decText(Decimal.min(dec(lot.onHandAtSite), dec(line.openQuantity)));
  return {
    lineNo: line.lineNo,
    itemId: lot.itemId,
    lotId: lot.id,
    lotNumber: lot.number,
    kind: lot.kind,
    expiresOn: lot.expiresOn,
    quantity,
  };
}

export interface ShipmentLotInput {
  lotId: string;
  quantity: string;
  /** The carton (1…cartons) it is packed in; default 1. */
  carton?: number | undefined;
}

export interface NewShipment {
  orderId: string;
  /** Default: the order's ship-to. */
  shipToId?: string | undefined;
  carrier?: string | undefined;
  trackingNumber?: string | undefined;
  /** How many cartons the goods are packed in, each labelled with an SSCC; default 1. */
  cartons?: number | undefined;
  lines: Array<{ lineNo: number; lots: ShipmentLotInput[] }>;
}

/** What the shipment's checks established: handed to inventory and back to `recordShipment`. */
export interface AcceptedShipment {
  shipmentId: string;
  number: string;
  order: SalesOrder;
  customerCode: string;
  shipTo: ShipTo;
  cartons: number;
  carrier: string | null;
  trackingNumber: string | null;
  picks: ShipmentPick[];
  /** Carton per pick, in pick order. */
  cartonOf: number[];
  /** Per order line: its item's GTIN (for the UDI). */
  gtins: Map<string, string | null>;
  shippedOn: string;
}

const addressText = (s: ShipTo) =>
  [s.name, s.addressLine1, s.addressLine2, [s.postalCode, s.city].filter(Boolean).join(' '), s.region, s.country]
    .filter((p) => p && String(p).trim())
    .join(', ');

/**
 * Checks a shipment before anything moves: the order is confirmed, the customer licensed today for
 * every line, the ship-to one of the customer's active addresses, and no line gets more than it
 * still has open. Locks the order, so two shipments of one order take turns. Writes nothing.
 */
export async function acceptShipment(tx: Tx, input: NewShipment): Promise<AcceptedShipment> {
  const order = await getSalesOrder(tx, input.orderId, { lock: true });
  assertShippable(order);
  const shippedOn = await siteToday(tx, order.siteId);
  await assertLicensed(tx, order, shippedOn);
  const customer = await getCustomer(tx, order.customerId);
  const shipTo = customer.shipTos.find((s) => s.id === (input.shipToId ?? order.shipToId));
  if (!shipTo?.active) {
    throw invalidFields(
      'the ship-to is not an active address of the customer',
      [{ pointer: '/body/shipToId', message: `not an active ship-to address of customer ${customer.code}`, code: 'error.sales.shipTo' }],
      'error.sales.shipTo',
    );
  }
  const cartons = input.cartons ?? 1;
  const picks: ShipmentPick[] = [];
  const cartonOf: number[] = [];
  const gtins = new Map<string, string | null>();
  const errors = [];
  const seen = new Set<number>();
  for (const [i, requested] of input.lines.entries()) {
    const line = order.lines.find((l) => l.lineNo === requested.lineNo);
    if (!line) {
      throw new NotFound(`order ${order.number} has no line ${requested.lineNo}`, {
        code: 'error.sales.order.noSuchLine',
        params: { number: order.number, line: requested.lineNo },
      });
    }
    if (seen.has(line.lineNo)) {
      errors.push({
        pointer: `/body/lines/${i}/lineNo`,
        message: `line ${line.lineNo} is listed twice`,
        code: 'error.sales.ship.lineTwice',
      });
      continue;
    }
    seen.add(line.lineNo);
    const item = await getItem(tx, line.itemId);
    gtins.set(line.itemId, item.gtin ?? null);
    let total = new Decimal(0);
    for (const [j, lot] of requested.lots.entries()) {
      const at = `/body/lines/${i}/lots/${j}`;
      // A serial's "1" needs no unit check: only fractions are looked at closely.
      if (lot.quantity !== '1') errors.push(...quantityErrors(lot.quantity, item.baseUnit, `${at}/quantity`));
      const carton = lot.carton ?? 1;
      if (carton > cartons) {
        errors.push({
          pointer: `${at}/carton`,
          message: `there are ${cartons} cartons`,
          code: 'error.sales.ship.carton',
          params: { cartons },
        });
      }
      total = total.add(dec(lot.quantity, 'quantity'));
      picks.push({ line: line.lineNo, itemId: line.itemId, lotId: lot.lotId, quantity: lot.quantity });
      cartonOf.push(carton);
    }
    if (total.gt(dec(line.openQuantity))) {
      throw new Conflict(
        `line ${line.lineNo} of order ${order.number} has ${line.openQuantity} open: ${decText(total)} is more than was ordered`,
        {
          code: 'error.sales.overShipment',
          params: { number: order.number, line: line.lineNo, open: line.openQuantity, requested: decText(total) },
        },
      );
    }
  }
  if (errors.length) throw invalidFields('the shipment is not valid', errors, 'error.sales.ship.invalid');
  return {
    shipmentId: uuidv7(),
    number: await nextNumber(tx, 'SH'),
    order,
    customerCode: customer.code,
    shipTo,
    cartons,
    carrier: input.carrier?.trim() || null,
    trackingNumber: input.trackingNumber?.trim() || null,
    picks,
    cartonOf,
    gtins,
    shippedOn,
  };
}

export interface RecordedShipment {
  id: string;
  number: string;
  orderId: string;
  lotCount: number;
  quantity: string;
  sscc: string[];
}

/**
 * Writes what left: the shipment, its cartons with their SSCCs, one append-only sales record per
 * lot or serial (one statement), the lines' shipped quantities, the order's next status and the
 * `sales.shipment.shipped` event.
 */
export async function recordShipment(tx: Tx, ctx: TenantContext, a: AcceptedShipment, stock: ShippedStock): Promise<RecordedShipment> {
  const { order } = a;
  const shipToJson = JSON.stringify(a.shipTo);
  const lotIds = new Set(stock.lots.map((l) => l.lotId));
  await tx.query(sql`INSERT INTO shipments (id, number, order_id, customer_id, ship_to_id, ship_to, site_id, shipped_on, carrier,
      tracking_number, lot_count)
    VALUES (${a.shipmentId}, ${a.number}, ${order.id}, ${order.customerId}, ${a.shipTo.id}, ${shipToJson}::jsonb, ${order.siteId},
      ${stock.shippedOn}, ${a.carrier}, ${a.trackingNumber}, ${lotIds.size})`);
  const ssccs = await nextSsccs(tx, a.cartons);
  await tx.query(sql`INSERT INTO shipment_cartons (shipment_id, carton_no, sscc)
    SELECT ${a.shipmentId}, n, sscc FROM unnest(${ssccs}::text[]) WITH ORDINALITY AS c(sscc, n)`);

  // Inventory answers per pick in pick order (a lot spread over locations gives several rows): carton by pick.
  const cartonByLot = new Map<string, number>();
  for (const [i, p] of a.picks.entries()) cartonByLot.set(`${p.line}:${p.lotId}`, a.cartonOf[i]!);
  const n = stock.lots.length;
  const cols = {
    line: new Array<number>(n),
    carton: new Array<number>(n),
    item: new Array<string>(n),
    lot: new Array<string>(n),
    kind: new Array<string>(n),
    number: new Array<string>(n),
    expires: new Array<string | null>(n),
    quantity: new Array<string>(n),
    udi: new Array<string | null>(n),
    hri: new Array<string | null>(n),
  };
  const shippedPerLine = new Map<number, Decimal>();
  for (const [i, l] of stock.lots.entries()) {
    const [udi, hri] = udiOrNull(a.gtins.get(l.itemId) ?? null, { kind: l.kind, number: l.number, expiresOn: l.expiresOn });
    cols.line[i] = l.line;
    cols.carton[i] = cartonByLot.get(`${l.line}:${l.lotId}`) ?? 1;
    cols.item[i] = l.itemId;
    cols.lot[i] = l.lotId;
    cols.kind[i] = l.kind;
    cols.number[i] = l.number;
    cols.expires[i] = l.expiresOn;
    cols.quantity[i] = l.quantity;
    cols.udi[i] = udi;
    cols.hri[i] = hri;
    shippedPerLine.set(l.line, (shippedPerLine.get(l.line) ?? new Decimal(0)).add(dec(l.quantity)));
  }
  await tx.query(sql`INSERT INTO sales_records (shipment_id, order_id, line_no, carton_no, customer_id, ship_to_id, ship_to_text, item_id,
      lot_id, lot_kind, lot_number, expires_on, quantity, shipped_on, udi, udi_hri)
    SELECT ${a.shipmentId}, ${order.id}, r.line, r.carton, ${order.customerId}, ${a.shipTo.id}, ${addressText(a.shipTo)}, r.item, r.lot,
      r.kind, r.number, r.expires, r.quantity, ${stock.shippedOn}, r.udi, r.hri
      FROM unnest(${cols.line}::int[], ${cols.carton}::int[], ${cols.item}::uuid[], ${cols.lot}::uuid[], ${cols.kind}::text[],
                  ${cols.number}::text[], ${cols.expires}::date[], ${cols.quantity}::numeric[], ${cols.udi}::text[], ${cols.hri}::text[])
        AS r(line, carton, item, lot, kind, number, expires, quantity, udi, hri)`);
  const lines = [...shippedPerLine.entries()];
  await tx.query(sql`UPDATE sales_order_lines l SET shipped_quantity = l.shipped_quantity + s.quantity
    FROM unnest(${lines.map(([line]) => line)}::int[], ${lines.map(([, q]) => decText(q))}::numeric[]) AS s(line_no, quantity)
    WHERE l.order_id = ${order.id} AND l.line_no = s.line_no`);

  const after = await getSalesOrder(tx, order.id);
  const complete = after.lines.every((l) => dec(l.openQuantity).lte(0));
  const next = complete ? 'shipped' : 'partially_shipped';
  if (next !== order.status) await moveOrder(tx, ctx, order, next);
  const quantity = decText([...shippedPerLine.values()].reduce((sum, q) => sum.add(q), new Decimal(0)));
  await publish(tx, SALES_EVENTS.shipmentShipped, {
    aggregateId: a.shipmentId,
    siteId: order.siteId,
    data: {
      shipmentId: a.shipmentId,
      number: a.number,
      orderId: order.id,
      customerId: order.customerId,
      shipToId: a.shipTo.id,
      lotCount: lotIds.size,
      quantity,
    },
  });
  return { id: a.shipmentId, number: a.number, orderId: order.id, lotCount: lotIds.size, quantity, sscc: ssccs };
}
