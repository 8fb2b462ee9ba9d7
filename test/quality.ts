import type { Receipt } from '../src/modules/purchasing/receiving.js';
import { getInspection, recordResult } from '../src/modules/quality/inspections.js';
import type { Tx } from '../src/platform/db/index.js';
import { aLine, aSentOrder, type PurchasingWorld, receive } from './purchasing.js';

/** The inspection the receipt event opened for a lot. */
export const inspectionOf = async (tx: Tx, lotId: string) =>
  getInspection(tx, (await tx.query<{ id: string }>('SELECT id FROM inspections WHERE lot_id = $1', [lotId])).rows[0]!.id);

/** A received lot of connectors (500 unless said) with its inspection opened by the receipt event. */
export async function receivedLot(w: PurchasingWorld, quantity = '500'): Promise<Receipt> {
  const po = await aSentOrder(w, [aLine(w.items.luer, { quantity })]);
  const receipt = await receive(w, po.lines[0]!.id, { quantity });
  await w.deliverEvents();
  return receipt;
}

/** Records every characteristic of the lot's inspection with `defectives` in the first and none elsewhere. */
export async function inspect(w: PurchasingWorld, lotId: string, defectives: number) {
  return w.tx(async (tx) => {
    const inspection = await inspectionOf(tx, lotId);
    for (const [i, c] of inspection.characteristics.entries()) {
      await recordResult(tx, w.person, inspection.id, c.id, { defectives: i === 0 ? defectives : 0 });
    }
    return getInspection(tx, inspection.id);
  });
}
