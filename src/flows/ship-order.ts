// An order's goods leave for the customer (POST /sales/shipments). In one transaction:
//   1. Sales accepts the shipment (acceptShipment): the order is confirmed, the customer holds a
//      valid licence covering every line today, the ship-to is the customer's, no line gets more
//      than it has open. It locks the order and writes nothing.
//   2. Inventory ships the exact lots and serials (shipOut): each released, unexpired, of the
//      line's item and on hand at the site; ledger rows of type shipment link to the shipment and
//      its order line; lots whose last unit left become shipped. Set-based, whatever the count.
//   3. Sales records the shipment (recordShipment): cartons with SSCCs, one sales record per lot
//      or serial with its UDI, the lines' shipped quantities, the order's next status, the event.
// A refusal at any step leaves nothing behind: no stock out without its sales record, and no
// record of goods that did not leave.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { shipOut, suggestFefo } from '../modules/inventory/index.js';
import {
  acceptShipment,
  demoOrderToShip,
  type NewShipment,
  NewShipmentBody,
  type RecordedShipment,
  RecordedShipmentSchema,
  recordShipment,
  SALES_PERMISSIONS,
} from '../modules/sales/index.js';
import type { Tx } from '../platform/db/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { DemoSeed, Module } from '../platform/module.js';
import { systemContext, type TenantContext } from '../platform/tenancy/index.js';

/** Ships goods against an order: the three steps above, in the caller's transaction. */
export async function shipOrder(tx: Tx, ctx: TenantContext, input: NewShipment): Promise<RecordedShipment> {
  const accepted = await acceptShipment(tx, input);
  const stock = await shipOut(tx, {
    source: { kind: 'shipment', id: accepted.shipmentId },
    siteId: accepted.order.siteId,
    picks: accepted.picks,
  });
  return recordShipment(tx, ctx, accepted, stock);
}

function shipOrderRoute(app: App): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/sales/shipments',
    {
      config: { permission: SALES_PERMISSIONS.ship, idempotent: true },
      // 30,000 serials with their ids are about 2.5 MB of JSON.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['sales'],
        summary: 'Ship the exact lots and serials of a confirmed order',
        description:
          "Refused (409) when the customer licence is missing, expired or out of scope (error.sales.licence.*), beyond a line's open quantity (error.sales.overShipment), or for a lot that is not released, expired, of another item or not in stock (error.inventory.ship.*). Nothing is written on a refusal.",
        body: NewShipmentBody,
        response: { 201: RecordedShipmentSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({ status: 201, body: await shipOrder(tx, tenantOf(request), request.body) })),
  );
}

/** The demo: the distributor's confirmed order ships from the lots first-expiry-first-out suggests. */
async function shipDemoOrder(tx: Tx, seed: DemoSeed): Promise<void> {
  const order = await demoOrderToShip(tx);
  if (!order) return;
  const fefo = await suggestFefo(tx, order.itemId, order.quantity, seed.siteId);
  if (fefo.shortfall !== '0') return;
  await shipOrder(tx, systemContext(seed.tenantId, 'seed', seed.siteId), {
    orderId: order.id,
    carrier: 'DHL Express',
    lines: [{ lineNo: 1, lots: fefo.lines.map((l) => ({ lotId: l.lotId, quantity: l.take })) }],
  });
}

export const shipOrderFlow: Module = {
  name: 'ship-order',
  routes: (api) => shipOrderRoute(api),
  seedDemo: shipDemoOrder,
};
