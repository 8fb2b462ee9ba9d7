// Goods arrive against a purchase order (POST /purchasing/receipts). In one transaction:
//   1. Purchasing accepts the delivery against the order line: the order is sent, the supplier
//      approved for the item today, the quantity fits the line, the item and location are right.
//   2. Inventory takes the goods into quarantine as a new lot; its ledger rows link to the receipt
//      (source kind purchase_receipt, the receipt's id, the order line).
//   3. When the receipt names a deviation (required when the supplier is not approved for the item),
//      the deviations module checks it covers the item, supplier, supplier lot, day and quantity, and
//      counts the use against the receipt; beyond its quantity or dates the whole receipt is refused.
//   4. Purchasing records the receipt, adds it to the line, moves the order on and publishes
//      purchasing.receipt.posted, which opens the incoming inspection (inspect-received-lot.ts).
// A refusal at any step leaves nothing behind: no receipt without its lot, no lot without its receipt,
// no deviation use without its receipt.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { recordDeviationUse } from '../modules/deviations/index.js';
import { receiveIntoQuarantine } from '../modules/inventory/index.js';
import {
  acceptDelivery,
  demoDeliveries,
  describeReceipt,
  type NewReceipt,
  NewReceiptBody,
  PURCHASING_PERMISSIONS,
  type Receipt,
  ReceiptSchema,
  recordReceipt,
} from '../modules/purchasing/index.js';
import type { Tx } from '../platform/db/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { DemoSeed, Module } from '../platform/module.js';
import { systemContext, type TenantContext } from '../platform/tenancy/index.js';

/** Posts a goods receipt against an order line: the three steps above, in the caller's transaction. */
export async function postReceipt(tx: Tx, ctx: TenantContext, input: NewReceipt): Promise<Receipt> {
  const delivery = await acceptDelivery(tx, input);
  const { po, line, item, location, receivedOn } = delivery;
  const stock = await receiveIntoQuarantine(
    tx,
    {
      itemId: item.id,
      locationId: location.id,
      quantity: input.quantity,
      unit: line.unit,
      supplierId: po.supplierId,
      supplierLot: input.supplierLot,
      manufacturedOn: input.manufacturedOn,
      expiresOn: input.expiresOn,
      source: { kind: 'purchase_receipt', id: delivery.receiptId, line: line.lineNo },
    },
    // Purchasing read the item, the location and the site's date: inventory does not read them again.
    { item, location, today: receivedOn },
  );
  const deviationUse = input.deviationId
    ? await recordDeviationUse(tx, ctx, {
        deviationId: input.deviationId,
        itemId: item.id,
        supplierId: po.supplierId,
        lot: input.supplierLot,
        quantity: stock.quantity,
        on: receivedOn,
        usedBy: { kind: 'purchase_receipt', id: delivery.receiptId },
      })
    : undefined;
  return recordReceipt(tx, ctx, delivery, { lotId: stock.lots[0]!.id, quantity: stock.quantity, deviationUseId: deviationUse?.id });
}

function postReceiptRoute(app: App): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/purchasing/receipts',
    {
      config: { permission: PURCHASING_PERMISSIONS.receive, idempotent: true },
      schema: {
        tags: ['purchasing'],
        summary: 'Receive goods against an order line into quarantine',
        description:
          'Refused (409 error.purchasing.supplierNotApproved) when the supplier is not approved for the item on the receipt date, and beyond the ordered quantity plus tolerance (409 error.purchasing.overReceipt). A supplier not approved for the item delivers only under an approved deviation (deviationId) that covers the item, supplier, supplier lot, date and quantity; beyond it 409 error.deviations.*, nothing received.',
        body: NewReceiptBody,
        response: { 201: ReceiptSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const receipt = await postReceipt(tx, tenantOf(request), request.body);
        return { status: 201, body: await describeReceipt(tx, receipt) };
      }),
  );
}

/** The demo's deliveries arrive the way real ones do. */
async function seedDeliveries(tx: Tx, seed: DemoSeed): Promise<void> {
  const ctx = systemContext(seed.tenantId, 'seed:purchasing', seed.siteId);
  const deliveries = await demoDeliveries(tx, seed);
  for (const delivery of deliveries) await postReceipt(tx, ctx, delivery);
  seed.notes.push(`goods received: ${deliveries.length} receipts into quarantine awaiting incoming inspection`);
}

export const postReceiptFlow: Module = {
  name: 'post-receipt',
  routes: (api) => postReceiptRoute(api),
  seedDemo: seedDeliveries,
};
