import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { BadRequest, NotFound } from '../../platform/errors.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { getCustomer, getItem } from '../masterdata/index.js';

type ShipTo = Awaited<ReturnType<typeof getCustomer>>['shipTos'][number];

import { getSalesOrder } from './orders.js';

/**
 * Shipments and the sales records (distribution records, 销售记录) they left behind: one row per
 * lot or serial shipped, append-only, searchable by lot or serial — the end of every forward trace.
 */

export interface SalesRecord {
  id: string;
  shipmentId: string;
  shipmentNumber: string;
  orderId: string;
  lineNo: number;
  cartonNo: number;
  customerId: string;
  shipToId: string;
  shipToText: string;
  itemId: string;
  lotId: string;
  lotKind: 'lot' | 'serial';
  lotNumber: string;
  expiresOn: string | null;
  quantity: string;
  shippedOn: string;
  udi: string | null;
  udiHri: string | null;
}

const RECORD_COLUMNS = `r.id, r.shipment_id AS "shipmentId", s.number AS "shipmentNumber", r.order_id AS "orderId", r.line_no AS "lineNo",
  r.carton_no AS "cartonNo", r.customer_id AS "customerId", r.ship_to_id AS "shipToId", r.ship_to_text AS "shipToText",
  r.item_id AS "itemId", r.lot_id AS "lotId", r.lot_kind AS "lotKind", r.lot_number AS "lotNumber", r.expires_on::text AS "expiresOn",
  r.quantity::text AS quantity, r.shipped_on::text AS "shippedOn", r.udi, r.udi_hri AS "udiHri"`;

const RECORDS: Listing<SalesRecord> = {
  name: 'sales.records',
  sorts: { createdAt: [] },
  defaultSort: '-createdAt',
  id: { sql: 'r.id', type: 'uuid', of: 'id' },
};

export interface SalesRecordFilter {
  /** An exact lot or serial number. */
  lot?: string | undefined;
  lotId?: string | undefined;
  customerId?: string | undefined;
  shipmentId?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export async function searchSalesRecords(tx: Tx, f: SalesRecordFilter): Promise<Page<SalesRecord>> {
  const where: SqlStatement[] = [
    ...(f.lot ? [sql`r.lot_number = ${f.lot.trim()}`] : []),
    ...(f.lotId ? [sql`r.lot_id = ${f.lotId}`] : []),
    ...(f.customerId ? [sql`r.customer_id = ${f.customerId}`] : []),
    ...(f.shipmentId ? [sql`r.shipment_id = ${f.shipmentId}`] : []),
  ];
  if (where.length === 0) throw new BadRequest('name a lot or serial, a customer or a shipment', { code: 'error.sales.records.filter' });
  const k = keyset(RECORDS, { cursor: f.cursor, limit: f.limit ?? 100 });
  const conditions = where.reduce((acc, w) => sql`${acc} AND ${w}`, k.where);
  const { rows } = await tx.query<SalesRecord>(sql`SELECT ${raw(RECORD_COLUMNS)}
    FROM sales_records r JOIN shipments s ON s.tenant_id = r.tenant_id AND s.id = r.shipment_id
    WHERE ${conditions} ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}

export interface Shipment {
  id: string;
  number: string;
  orderId: string;
  orderNumber: string;
  customerId: string;
  shipToId: string;
  shipTo: ShipTo;
  siteId: string;
  shippedOn: string;
  carrier: string | null;
  trackingNumber: string | null;
  lotCount: number;
  shippedAt: string;
  shippedBy: string;
  cartons: Array<{ cartonNo: number; sscc: string }>;
  /** Per order line and lot: quantity. Serials in the thousands are summarised per line (`serialCount`). */
  lines: Array<{ lineNo: number; itemId: string; quantity: string; lots: number; serialCount: number }>;
}

const SHIPMENT_COLUMNS = `s.id, s.number, s.order_id AS "orderId", o.number AS "orderNumber", s.customer_id AS "customerId",
  s.ship_to_id AS "shipToId", s.ship_to AS "shipTo", s.site_id AS "siteId", s.shipped_on::text AS "shippedOn", s.carrier,
  s.tracking_number AS "trackingNumber", s.lot_count AS "lotCount", s.shipped_at AS "shippedAt", s.shipped_by AS "shippedBy"`;

export async function getShipment(tx: Tx, id: string): Promise<Shipment> {
  const { rows } = await tx.query<Omit<Shipment, 'cartons' | 'lines'>>(sql`SELECT ${raw(SHIPMENT_COLUMNS)}
    FROM shipments s JOIN sales_orders o ON o.tenant_id = s.tenant_id AND o.id = s.order_id WHERE s.id = ${id}`);
  const shipment = rows[0];
  if (!shipment) throw new NotFound(`shipment ${id} not found`, { code: 'error.sales.shipment.notFound', params: { id } });
  const [cartons, lines] = await Promise.all([
    tx.query<{ cartonNo: number; sscc: string }>(
      sql`SELECT carton_no AS "cartonNo", sscc FROM shipment_cartons WHERE shipment_id = ${id} ORDER BY carton_no`,
    ),
    tx.query<Shipment['lines'][number]>(sql`SELECT line_no AS "lineNo", item_id AS "itemId", sum(quantity)::text AS quantity,
        count(DISTINCT lot_id)::int AS lots, count(*) FILTER (WHERE lot_kind = 'serial')::int AS "serialCount"
      FROM sales_records WHERE shipment_id = ${id} GROUP BY line_no, item_id ORDER BY line_no`),
  ]);
  return { ...shipment, cartons: cartons.rows, lines: lines.rows };
}

export async function listShipments(tx: Tx, orderId: string): Promise<Array<Omit<Shipment, 'cartons' | 'lines'>>> {
  const { rows } = await tx.query<Omit<Shipment, 'cartons' | 'lines'>>(sql`SELECT ${raw(SHIPMENT_COLUMNS)}
    FROM shipments s JOIN sales_orders o ON o.tenant_id = s.tenant_id AND o.id = s.order_id
    WHERE s.order_id = ${orderId} ORDER BY s.shipped_at, s.id`);
  return rows;
}

/**
 * Everything a packing list and a certificate of conformity print for one shipment: the order and
 * the customer, the address the goods went to, the cartons with their SSCCs, and every line's
 * item with its exact lots and serials, quantities, expiry dates and UDIs.
 */
export async function describeShipment(tx: Tx, id: string) {
  const shipment = await getShipment(tx, id);
  const [order, customer, records] = await Promise.all([
    getSalesOrder(tx, shipment.orderId),
    getCustomer(tx, shipment.customerId),
    tx.query<SalesRecord>(sql`SELECT ${raw(RECORD_COLUMNS)}
      FROM sales_records r JOIN shipments s ON s.tenant_id = r.tenant_id AND s.id = r.shipment_id
      WHERE r.shipment_id = ${id} ORDER BY r.line_no, r.carton_no, r.lot_number`),
  ]);
  const items = new Map<string, Awaited<ReturnType<typeof getItem>>>();
  for (const line of shipment.lines) if (!items.has(line.itemId)) items.set(line.itemId, await getItem(tx, line.itemId));
  return {
    shipment: { ...shipment, lines: undefined },
    order: { id: order.id, number: order.number, customerReference: order.customerReference, currency: order.currency },
    customer: { id: customer.id, code: customer.code, name: customer.name },
    shipTo: shipment.shipTo,
    cartons: shipment.cartons,
    lines: shipment.lines.map((line) => {
      const item = items.get(line.itemId)!;
      const ordered = order.lines.find((l) => l.lineNo === line.lineNo);
      return {
        lineNo: line.lineNo,
        item: { id: item.id, code: item.code, name: item.name, gtin: item.gtin ?? null, baseUnit: item.baseUnit },
        orderedQuantity: ordered?.quantity ?? null,
        quantity: line.quantity,
        lots: records.rows
          .filter((r) => r.lineNo === line.lineNo)
          .map((r) => ({
            lotId: r.lotId,
            kind: r.lotKind,
            number: r.lotNumber,
            expiresOn: r.expiresOn,
            quantity: r.quantity,
            cartonNo: r.cartonNo,
            udi: r.udi,
            udiHri: r.udiHri,
          })),
      };
    }),
  };
}

export interface OnTimePeriod {
  period: string;
  lines: number;
  onTime: number;
  /** Share on time in percent, two decimals; null when nothing completed. */
  percent: string | null;
}

/**
 * On-time delivery per month: order lines completed in the month, and those whose last shipment
 * left on or before the requested date.
 */
export async function onTimeDelivery(tx: Tx, from: string, to: string): Promise<OnTimePeriod[]> {
  const { rows } = await tx.query<Omit<OnTimePeriod, 'percent'>>(sql`WITH done AS (
      SELECT l.id, l.requested_date, max(r.shipped_on) AS completed
        FROM sales_order_lines l
        JOIN sales_records r ON r.tenant_id = l.tenant_id AND r.order_id = l.order_id AND r.line_no = l.line_no
       WHERE l.shipped_quantity >= l.quantity
       GROUP BY l.id, l.requested_date)
    SELECT to_char(completed, 'YYYY-MM') AS period, count(*)::int AS lines,
           count(*) FILTER (WHERE completed <= requested_date)::int AS "onTime"
      FROM done WHERE completed BETWEEN ${from} AND ${to}
     GROUP BY 1 ORDER BY 1`);
  return rows.map((r) => ({ ...r, percent: r.lines ? ((r.onTime * 100) / r.lines).toFixed(2) : null }));
}

/** A sales record reached by a trace, with what the customer has sent back of it so far. */
export interface ShippedLotRecord {
  salesRecordId: string;
  shipmentId: string;
  shipmentNumber: string;
  shippedOn: string;
  customerId: string;
  shipToText: string;
  lotId: string;
  lotNumber: string;
  itemId: string;
  quantity: string;
  /** Received back on customer returns of that shipment, for that lot. */
  returned: string;
}

/** Every sales record of the given lots and serials (the customers they reached), oldest shipment first, in one statement. */
export async function shipmentsOfLots(tx: Tx, lotIds: readonly string[]): Promise<ShippedLotRecord[]> {
  const { rows } = await tx.query<ShippedLotRecord>(sql`WITH records AS (
      SELECT r.* FROM unnest(${lotIds}::uuid[]) AS x(id)
        JOIN sales_records r ON r.tenant_id = mf_current_tenant() AND r.lot_id = x.id),
    returned AS (
      SELECT cr.shipment_id, l.lot_id, l.shipment_line_no, sum(l.received_quantity) AS quantity
        FROM customer_return_lines l JOIN customer_returns cr ON cr.tenant_id = l.tenant_id AND cr.id = l.return_id
       WHERE l.tenant_id = mf_current_tenant() AND l.lot_id IN (SELECT lot_id FROM records)
       GROUP BY cr.shipment_id, l.lot_id, l.shipment_line_no)
    SELECT r.id AS "salesRecordId", r.shipment_id AS "shipmentId", s.number AS "shipmentNumber", r.shipped_on::text AS "shippedOn",
      r.customer_id AS "customerId", r.ship_to_text AS "shipToText", r.lot_id AS "lotId", r.lot_number AS "lotNumber",
      r.item_id AS "itemId", r.quantity::text AS quantity, coalesce(t.quantity, 0)::text AS returned
    FROM records r JOIN shipments s ON s.tenant_id = r.tenant_id AND s.id = r.shipment_id
    LEFT JOIN returned t ON t.shipment_id = r.shipment_id AND t.lot_id = r.lot_id AND t.shipment_line_no = r.line_no
    ORDER BY r.shipped_on, s.number, r.line_no, r.lot_number`);
  return rows;
}
