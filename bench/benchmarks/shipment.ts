/**
 * Sales benchmark: one shipment of n serials confirmed in one request through the ship-order flow
 * (order and licence checks, lot locks, ledger, lots shipped with their history, cartons, sales
 * records, order lines), against the same rows written by raw SQL into the production tables on
 * the same database (the ledger's balances and the audit trail by their triggers, as in production).
 */
import { randomUUID } from 'node:crypto';
import { shipOrder } from '../../src/flows/ship-order.js';
import { takeOverStock } from '../../src/modules/inventory/index.js';
import { createItem } from '../../src/modules/masterdata/items.js';
import { createLocation } from '../../src/modules/masterdata/locations.js';
import { createCustomer } from '../../src/modules/masterdata/partners.js';
import { createSalesOrder, setSalesSettings, transitionSalesOrder } from '../../src/modules/sales/index.js';
import { siteToday, withTenant } from '../../src/platform/tenancy/index.js';
import { type BenchEnv, type Benchmark, type Measurement, timed } from '../lib.js';

export const shipmentOfSerials: Benchmark = {
  name: 'shipment',
  description: 'a shipment of 30,000 serials confirmed in one request, against the same rows by raw SQL',
  async run(env: BenchEnv): Promise<Measurement[]> {
    const { db, ctx } = env;
    const n = env.n(30_000, 1_000);
    const world = await withTenant(db, ctx, async (tx) => {
      const item = await createItem(tx, {
        code: 'BENCH-PUMP',
        name: 'pump',
        type: 'finished_device',
        baseUnit: 'ea',
        tracking: 'serial',
        gtin: '09506000134352',
      });
      const store = await createLocation(tx, { siteId: ctx.siteId!, warehouse: 'FG', name: 'FG', kind: 'released', active: true });
      const c = await createCustomer(tx, {
        code: 'CUS-BENCH',
        name: 'Bench customer',
        shipTos: [{ code: 'MAIN', name: 'Main', addressLine1: '1 Road', city: 'Shanghai', country: 'CN' }],
      });
      await setSalesSettings(tx, { gs1CompanyPrefix: '9506000', ssccExtension: 0 });
      return { item: item.id, store: store.id, customer: c.id, shipTo: c.shipTos[0]!.id, today: await siteToday(tx, ctx.siteId) };
    });
    const prepare = (run: string) =>
      withTenant(db, ctx, async (tx) => {
        const serials = Array.from({ length: n }, (_, i) => `SH-${run}-${String(i).padStart(6, '0')}`);
        const { lots } = await takeOverStock(tx, {
          itemId: world.item,
          locationId: world.store,
          serials,
          status: 'released',
          source: 'bench',
        });
        const order = await createSalesOrder(tx, {
          customerId: world.customer,
          shipToId: world.shipTo,
          siteId: ctx.siteId!,
          currency: 'CNY',
          lines: [{ itemId: world.item, quantity: String(n), unitPrice: '100', requestedDate: world.today }],
        });
        await transitionSalesOrder(tx, ctx, order.id, { to: 'confirmed' });
        return { orderId: order.id, lotIds: lots.map((l) => l.id), serials };
      });

    const a = await prepare('svc');
    const service = await timed(() =>
      withTenant(db, ctx, (tx) =>
        shipOrder(tx, ctx, { orderId: a.orderId, lines: [{ lineNo: 1, lots: a.lotIds.map((lotId) => ({ lotId, quantity: '1' })) }] }),
      ),
    );

    const b = await prepare('raw');
    const shipmentId = randomUUID();
    const raw = await timed(() =>
      withTenant(db, ctx, async (tx) => {
        await tx.query(
          `INSERT INTO shipments (id, number, order_id, customer_id, ship_to_id, ship_to, site_id, shipped_on, lot_count)
           VALUES ($1, $2, $3, $4, $5, '{}'::jsonb, $6, $7, $8)`,
          [shipmentId, `SH-RAW-${shipmentId.slice(0, 8)}`, b.orderId, world.customer, world.shipTo, ctx.siteId, world.today, n],
        );
        await tx.query(`INSERT INTO shipment_cartons (shipment_id, carton_no, sscc) VALUES ($1, 1, '395060000000000017')`, [shipmentId]);
        await tx.query(
          `INSERT INTO stock_movements (operation_id, movement_type, item_id, lot_id, quantity, from_location_id, from_site_id, source_kind, source_id, source_line)
           SELECT $1, 'shipment', $2, l, 1, $3, $4, 'shipment', $5, 1 FROM unnest($6::uuid[]) l`,
          [randomUUID(), world.item, world.store, ctx.siteId, shipmentId, b.lotIds],
        );
        await tx.query(
          `WITH s AS (UPDATE lots SET status = 'shipped' WHERE id = ANY($1::uuid[]) RETURNING id)
           INSERT INTO lot_status_changes (lot_id, from_status, to_status, reason) SELECT id, 'released', 'shipped', 'shipped' FROM s`,
          [b.lotIds],
        );
        await tx.query(
          `INSERT INTO sales_records (shipment_id, order_id, line_no, carton_no, customer_id, ship_to_id, ship_to_text, item_id, lot_id,
             lot_kind, lot_number, quantity, shipped_on, udi, udi_hri)
           SELECT $1, $2, 1, 1, $3, $4, '1 Road, Shanghai, CN', $5, l, 'serial', s, 1, $6, '0109506000134352' || '21' || s, '(01)09506000134352(21)' || s
             FROM unnest($7::uuid[], $8::text[]) AS u(l, s)`,
          [shipmentId, b.orderId, world.customer, world.shipTo, world.item, world.today, b.lotIds, b.serials],
        );
        await tx.query(`UPDATE sales_order_lines SET shipped_quantity = quantity WHERE order_id = $1`, [b.orderId]);
        await tx.query(`UPDATE sales_orders SET status = 'shipped', version = version + 1 WHERE id = $1`, [b.orderId]);
      }),
    );
    const baseline =
      'shipment of serials: the same rows by raw SQL into the production tables (balances and audit trail by their triggers)';
    return [
      { name: baseline, n, seconds: raw },
      { name: 'shipment of serials through the ship-order flow (one request)', n, seconds: service, baseline },
    ];
  },
};
