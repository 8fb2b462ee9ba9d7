// A receipt was posted (event purchasing.receipt.posted, delivered after its transaction committed):
//   1. Quality opens the incoming inspection of the received lot: the item's plan, the switching
//      state of the item and supplier, and the ISO 2859-1 sample (code letter, n, Ac, Re).
// Delivery is at least once: a redelivered event finds the lot's inspection and opens nothing twice.
// The subscription's name is its delivery identity: renaming it would deliver every receipt again.

import { getLot } from '../modules/inventory/index.js';
import { listReceipts, PURCHASING_EVENTS } from '../modules/purchasing/index.js';
import { openInspectionForReceipt, seedInspections } from '../modules/quality/index.js';
import type { Tx } from '../platform/db/index.js';
import { subscribe } from '../platform/events/index.js';
import type { DemoSeed, Module } from '../platform/module.js';

/** The demo's received lots are inspected in the seed's own transaction (events are delivered only after start). */
async function seedDemoInspections(tx: Tx, seed: DemoSeed): Promise<void> {
  const lots = [];
  for (const receipt of await listReceipts(tx, {})) {
    const lot = await getLot(tx, receipt.lotId);
    lots.push({
      receiptId: receipt.id,
      lotId: receipt.lotId,
      itemId: receipt.itemId,
      supplierId: receipt.supplierId,
      quantity: lot.onHand,
    });
  }
  await seedInspections(tx, seed, lots);
}

export const inspectReceivedLotFlow: Module = {
  name: 'inspect-received-lot',
  subscriptions: [
    subscribe({
      name: 'quality.inspectReceivedLot',
      to: [PURCHASING_EVENTS.receiptPosted],
      handle: async (tx, event) => void (await openInspectionForReceipt(tx, event.data)),
    }),
  ],
  seedDemo: seedDemoInspections,
};
