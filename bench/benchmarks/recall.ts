/**
 * Recall benchmark: over the generated genealogy (bench/genealogy-data.ts) with its serials shipped
 * to customers, the recall query from one supplier lot — every affected lot with its status and
 * stock, every sales record reached, and the customers with their counts — through the service
 * (`findAffected`, what `GET /recalls/query` answers), against the fastest hand-written SQL giving
 * the same lots and the same customer counts on the same database in the same run.
 */
import { createCustomer } from '../../src/modules/masterdata/partners.js';
import { findAffected } from '../../src/modules/recall/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { withTenant } from '../../src/platform/tenancy/index.js';
import { GENEALOGY_SIZES, type Genealogy, generateGenealogy, lotId, TIERS } from '../genealogy-data.js';
import { type BenchEnv, type Benchmark, type Measurement, timed } from '../lib.js';

const SERIAL_TIER = String(TIERS.length);

/**
 * Ships every device order's serials to one of the customers (order i to customer i mod n): one
 * sales order, shipment and carton per device order and one sales record per serial, on the
 * shipment ids the generated ledger already names. Written once per genealogy, as the owner.
 */
async function distribute(env: BenchEnv, g: Genealogy): Promise<number> {
  const size = GENEALOGY_SIZES[env.scale];
  const count = env.n(200, 10);
  const { rows } = await env.db.query<{ n: string }>('SELECT count(*) AS n FROM customers WHERE tenant_id = $1', [g.ctx.tenantId]);
  if (Number(rows[0]!.n) >= count) return count;
  const customers = await withTenant(env.db, g.ctx, async (tx) => {
    const made: { id: string; shipTo: string }[] = [];
    for (let k = 1; k <= count; k++) {
      const c = await createCustomer(tx, {
        code: `CUS-${String(k).padStart(4, '0')}`,
        name: `Hospital ${k}`,
        contactName: `Buyer ${k}`,
        email: `buyer${k}@hospital.example`,
        shipTos: [
          { code: 'MAIN', name: 'Stores', addressLine1: `${k} Hospital Road`, city: 'Shanghai', postalCode: '200001', country: 'CN' },
        ],
      });
      made.push({ id: c.id, shipTo: c.shipTos[0]!.id });
    }
    return made;
  });
  await env.db.transaction(async (tx) => {
    await tx.exec('SET LOCAL session_replication_role = replica');
    const params = [g.ctx.tenantId, customers.map((c) => c.id), customers.map((c) => c.shipTo), g.ctx.siteId, size.orders, count];
    const shipmentOf = (order: string) => `md5($1::text || ':shipment:' || ${order})::uuid`;
    const [shipment, customer, shipTo] = [shipmentOf('o'), '($2::uuid[])[1 + o % $6::int]', '($3::uuid[])[1 + o % $6::int]'];
    await tx.query(
      `INSERT INTO sales_orders (tenant_id, id, number, customer_id, ship_to_id, site_id, currency, status)
       SELECT $1::uuid, ${shipment}, 'SO-B-' || o, ${customer}, ${shipTo}, $4::uuid, 'CNY', 'shipped' FROM generate_series(0, $5::int - 1) o`,
      params,
    );
    await tx.query(
      `INSERT INTO shipments (tenant_id, id, number, order_id, customer_id, ship_to_id, ship_to, site_id, shipped_on, lot_count)
       SELECT $1::uuid, ${shipment}, 'SH-B-' || o, ${shipment}, ${customer}, ${shipTo}, '{}'::jsonb, $4::uuid, date '2026-06-15', 100
         FROM generate_series(0, $5::int - 1) o WHERE $6::int > 0`,
      params,
    );
    await tx.query(
      `INSERT INTO shipment_cartons (tenant_id, shipment_id, carton_no, sscc)
       SELECT $1::uuid, md5($1::text || ':shipment:' || o)::uuid, 1, lpad(o::text, 18, '0') FROM generate_series(0, $2::int - 1) o`,
      [g.ctx.tenantId, size.orders],
    );
    await tx.query(
      `INSERT INTO sales_records (tenant_id, shipment_id, order_id, line_no, carton_no, customer_id, ship_to_id, ship_to_text, item_id,
                                  lot_id, lot_kind, lot_number, quantity, shipped_on)
       SELECT $1::uuid, ${shipmentOf('(s / $7::int)')}, ${shipmentOf('(s / $7::int)')}, 1, 1,
              ($2::uuid[])[1 + (s / $7::int) % $6::int], ($3::uuid[])[1 + (s / $7::int) % $6::int], 'Stores, Hospital Road, Shanghai',
              l.item_id, l.id, 'serial', l.number, 1, date '2026-06-15'
         FROM generate_series(0, $5::int * $7::int - 1) s
         JOIN lots l ON l.tenant_id = $1::uuid AND l.id = ${lotId(`'${SERIAL_TIER}'`, 's::text')}
        WHERE $4::uuid IS NOT NULL`,
      [...params, size.serialsPerOrder],
    );
  });
  for (const table of ['customers', 'shipments', 'sales_records']) await env.db.query(`VACUUM ANALYZE ${table}`);
  return count;
}

interface RawAnswer {
  lots: number;
  customers: { name: string; lots: number }[];
}

/**
 * The same answer by hand: the forward walk from the start lot (each lot once, at its shortest depth)
 * with its status and stock, then the sales records of those lots counted per customer.
 */
function rawRecall(db: Database, tenantId: string, start: string): Promise<RawAnswer> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT set_config('jit', 'off', true)");
    await tx.query(
      `CREATE TEMP TABLE reached ON COMMIT DROP AS
       WITH RECURSIVE walk AS (
         SELECT child_lot_id AS lot_id, 1 AS depth FROM lot_links WHERE tenant_id = $1 AND parent_lot_id = $2
         UNION ALL
         SELECT l.child_lot_id, w.depth + 1 FROM walk w JOIN lot_links l ON l.tenant_id = $1 AND l.parent_lot_id = w.lot_id WHERE w.depth < 20)
       SELECT $2::uuid AS lot_id, 0 AS depth UNION ALL SELECT DISTINCT ON (lot_id) lot_id, depth FROM walk`,
      [tenantId, start],
    );
    const lots = await tx.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT r.lot_id, t.status, i.code, (SELECT sum(quantity) FROM stock_balances b WHERE b.tenant_id = $1 AND b.lot_id = r.lot_id) AS on_hand
           FROM reached r JOIN lots t ON t.tenant_id = $1 AND t.id = r.lot_id JOIN items i ON i.tenant_id = $1 AND i.id = t.item_id) x`,
      [tenantId],
    );
    const customers = await tx.query<{ name: string; lots: string }>(
      `SELECT c.name, count(DISTINCT s.lot_id) AS lots, count(DISTINCT s.shipment_id) AS shipments, sum(s.quantity) AS quantity
         FROM sales_records s JOIN reached r ON r.lot_id = s.lot_id JOIN customers c ON c.tenant_id = $1 AND c.id = s.customer_id
        WHERE s.tenant_id = $1 GROUP BY c.id, c.name ORDER BY c.name`,
      [tenantId],
    );
    return { lots: Number(lots.rows[0]!.n), customers: customers.rows.map((c) => ({ name: c.name, lots: Number(c.lots) })) };
  });
}

export const recallQuery: Benchmark = {
  name: 'recall',
  description:
    'recall query from a supplier lot with the customers reached, over a generated genealogy shipped to customers, vs hand-written SQL',
  async run(env): Promise<Measurement[]> {
    const g = await generateGenealogy(env);
    const customers = await distribute(env, g);
    const service = () => withTenant(env.db, g.ctx, (tx) => findAffected(tx, { kind: 'component_lot', lotId: g.supplierLotId }));
    const raw = () => rawRecall(env.db, g.ctx.tenantId, g.supplierLotId);
    const [ours, theirs] = [await service(), await raw()];
    const byName = (xs: { name: string; lots: number }[]) =>
      JSON.stringify(xs.map((c) => [c.name, c.lots]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    if (ours.truncated || ours.lots.length !== theirs.lots || byName(ours.customers) !== byName(theirs.customers)) {
      throw new Error('recall: the service and the raw SQL answer differently');
    }
    const runs = { service: [] as number[], raw: [] as number[] };
    for (let turn = 0; turn < env.n(11, 3); turn++) {
      runs.raw.push(await timed(raw));
      runs.service.push(await timed(service));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const reach = `${ours.lots.length} lots, ${ours.shipments.length} sales records, ${ours.customers.length} of ${customers} customers`;
    const baseline = `from a supplier lot: hand-written SQL (${reach})`;
    return [
      { name: baseline, n: ours.lots.length, seconds: median(runs.raw) },
      {
        name: `from a supplier lot: findAffected() with customers (${reach})`,
        n: ours.lots.length,
        seconds: median(runs.service),
        baseline,
      },
    ];
  },
};
