import type { Tx } from '../../platform/db/index.js';
import { publish } from '../../platform/events/index.js';
import type { StepEvent } from '../../platform/statemachine/index.js';
import { INVENTORY_EVENTS, type LotStatusChanged, type StockMoved, type StockReceived } from './contract.js';

/** The event the lot state machine declares for the step taken. */
export function emitLotStatusChanged(tx: Tx, event: StepEvent, change: LotStatusChanged): Promise<string> {
  return publish(tx, event.def, { aggregateId: change.lotId, data: change });
}

/** A receipt (`inventory.lot.quarantined`) or stock taken over at go-live (`inventory.stock.takenOver`). */
export function emitStockReceived(
  tx: Tx,
  def: typeof INVENTORY_EVENTS.quarantined | typeof INVENTORY_EVENTS.takenOver,
  receipt: StockReceived,
  siteId: string,
): Promise<string> {
  return publish(tx, def, { aggregateId: receipt.operationId, data: receipt, siteId });
}

export function emitStockMoved(tx: Tx, moved: StockMoved, siteId: string): Promise<string> {
  return publish(tx, INVENTORY_EVENTS.moved, {
    ...(moved.lotId ? { aggregateId: moved.lotId } : { aggregateId: moved.itemId, aggregateType: 'inventory.item' }),
    data: moved,
    siteId,
  });
}
