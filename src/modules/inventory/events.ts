import type { Tx } from '../../platform/db/index.js';
import { emit } from '../../platform/events/index.js';
import type { LotStatus, MovementType } from './model.js';

/**
 * What inventory publishes. Lot status changes carry the lot as aggregate, so subscribers see
 * one lot's history in order; a receipt (possibly thousands of serials) is one event.
 */
export const INVENTORY_EVENTS = {
  quarantined: 'inventory.lot.quarantined',
  released: 'inventory.lot.released',
  rejected: 'inventory.lot.rejected',
  held: 'inventory.lot.held',
  unheld: 'inventory.lot.unheld',
  expired: 'inventory.lot.expired',
  consumed: 'inventory.lot.consumed',
  shipped: 'inventory.lot.shipped',
  moved: 'inventory.stock.moved',
  takenOver: 'inventory.stock.takenOver',
} as const;

export interface LotStatusChanged {
  lotId: string;
  itemId: string;
  number: string;
  from: LotStatus;
  to: LotStatus;
  reason: string | null;
  signatureId: string | null;
}

/** `type` is the event the lot state machine declares for the step taken. */
export function emitLotStatusChanged(tx: Tx, type: string, change: LotStatusChanged): Promise<string> {
  return emit(tx, { type, aggregate: { type: 'inventory.lot', id: change.lotId }, data: change });
}

export interface StockReceived {
  operationId: string;
  itemId: string;
  locationId: string;
  movementType: MovementType;
  quantity: string;
  lots: Array<{ id: string; number: string }>;
}

/** A receipt (`inventory.lot.quarantined`) or stock taken over at go-live (`inventory.stock.takenOver`). */
export function emitStockReceived(tx: Tx, type: string, receipt: StockReceived, siteId: string): Promise<string> {
  return emit(tx, {
    type,
    aggregate: { type: 'inventory.receipt', id: receipt.operationId },
    data: receipt,
    siteId,
  });
}

export interface StockMoved {
  operationId: string;
  movementType: MovementType;
  itemId: string;
  lotId: string | null;
  quantity: string;
  fromLocationId: string | null;
  toLocationId: string | null;
}

export function emitStockMoved(tx: Tx, moved: StockMoved, siteId: string): Promise<string> {
  return emit(tx, {
    type: INVENTORY_EVENTS.moved,
    aggregate: moved.lotId ? { type: 'inventory.lot', id: moved.lotId } : { type: 'inventory.item', id: moved.itemId },
    data: moved,
    siteId,
  });
}
