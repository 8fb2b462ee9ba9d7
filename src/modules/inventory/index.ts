// Inventory owns lots and serials, their status and holds, the append-only stock ledger and the
// balances derived from it. Other modules move stock only through the services exported here,
// in their own transaction (`tx`); they learn of changes through `inventory.*` events.
import type { Module } from '../../platform/module.js';
import { startExpiryJob } from './expiry.js';
import { INVENTORY_PERMISSIONS as P } from './lots.js';
import { INVENTORY_RECORD_NAMES } from './record-names.js';
import { inventoryRoutes } from './routes.js';
import { seedInventory } from './seed.js';

export { INVENTORY_EVENTS } from './events.js';
export { expireTenantsLots, expiryDate } from './expiry.js';
export { adjust, issue, transfer } from './ledger.js';
export { expireLots, getLot, hold, INVENTORY_PERMISSIONS, listLots, lotHistory, reject, release, unhold } from './lots.js';
export {
  isUsable,
  LOT_STATUSES,
  type Lot,
  type LotStatus,
  MOVEMENT_TYPES,
  type MovementType,
  SOURCE_KINDS,
  type SourceKind,
  SourceLink,
} from './model.js';
export { type OpeningStockInput, takeOverStock } from './opening.js';
export { type AlreadyRead, lotDateErrors, type ReceiptInput, type ReceivedStock, receiveIntoQuarantine } from './receipts.js';
export { onHand, onHandByItem, suggestFefo, verifyBalances } from './stock.js';

export const inventoryModule: Module = {
  name: 'inventory',
  recordNames: INVENTORY_RECORD_NAMES,
  auditedTables: {
    lots: 'inventory:read',
    lot_status_changes: 'inventory:read',
    stock_movements: 'inventory:read',
  },
  permissions: [
    { name: P.read, description: 'See lots, serials, stock on hand and movements' },
    { name: P.move, description: 'Receive, transfer and issue stock' },
    { name: P.hold, description: 'Put lots on hold and lift holds, with a reason' },
    { name: P.adjust, description: 'Book inventory adjustments (signed, meaning verified)' },
    { name: P.signReleased, description: 'Release lots by e-signature (meaning released)' },
    { name: P.signRejected, description: 'Reject lots by e-signature (meaning rejected)' },
  ],
  routes: (api, deps) => inventoryRoutes(api, deps),
  start: ({ db, log }) => startExpiryJob(db, { onError: (err) => log('inventory expiry job failed', err) }),
  seedDemo: seedInventory,
};
