// Inventory owns lots and serials, their status and holds, the append-only stock ledger and the
// balances derived from it. Other modules move stock only through the services exported here,
// in their own transaction (`tx`); they learn of changes through `inventory.*` events.
import type { Module } from '../../platform/module.js';
import { inventoryCommands } from './cli.js';
import { INVENTORY_EVENTS, INVENTORY_PERMISSION_LIST, INVENTORY_VOCABULARY } from './contract.js';
import { startExpiryJob } from './expiry.js';
import { genealogyRoutes } from './genealogy-routes.js';
import { adjustmentSignable } from './ledger.js';
import { lotSignable } from './lots.js';
import { INVENTORY_RECORD_NAMES } from './record-names.js';
import { inventoryRoutes } from './routes.js';
import { seedInventory } from './seed.js';

export * from './contract.js';
export { expireTenantsLots } from './expiry.js';
export { linkConsumedToProduced, TRACE_DEPTH, type TraceOptions, traceBackward, traceForward, traceForwardFromLots } from './genealogy.js';
export { adjust, issue, transfer } from './ledger.js';
export {
  holdLots,
  type LotOfSet,
  type LotStock,
  lotsOfSupplierLot,
  lotsProducedBy,
  lotsWithChildren,
  serialsInRange,
  stockOfLots,
} from './lot-sets.js';
export { expireLots, getLot, hold, isUsable, listLots, lotHistory, reject, release, unhold } from './lots.js';
export { type OpeningStockInput, takeOverStock } from './opening.js';
export {
  nextSerials,
  type ProducedLot,
  type ProducedStock,
  type ProductionOutputInput,
  producedLots,
  receiveProductionOutput,
  releaseProducedLots,
} from './production-receipts.js';
export { type AlreadyRead, lotDateErrors, type ReceiptInput, type ReceivedStock, receiveIntoQuarantine } from './receipts.js';
export { type ReceivedReturn, type ReturnedLot, type ReturnedPick, type ReturnReceiptInput, receiveReturn } from './returns.js';
export { type RemovalInput, releaseByDisposition, returnToSupplier, scrap } from './scrap.js';
export {
  findLotsByNumber,
  lotStockAtSite,
  type ShipmentPick,
  type ShippedLot,
  type ShippedStock,
  shipOut,
  shipRefusal,
} from './shipping.js';
export { onHand, onHandByItem, suggestFefo, verifyBalances } from './stock.js';
export {
  issueToWorkOrder,
  issueUntrackedToWorkOrder,
  returnFromWorkOrder,
  returnUntrackedFromWorkOrder,
  type UntrackedMovementInput,
  type WorkOrderMovementInput,
} from './work-orders.js';

export const inventoryModule: Module = {
  name: 'inventory',
  events: INVENTORY_EVENTS,
  vocabulary: INVENTORY_VOCABULARY,
  signables: [lotSignable, adjustmentSignable],
  commands: inventoryCommands,
  recordNames: INVENTORY_RECORD_NAMES,
  auditedTables: {
    lots: 'inventory:read',
    lot_status_changes: 'inventory:read',
    stock_movements: 'inventory:read',
    lot_links: 'inventory:read',
  },
  permissions: INVENTORY_PERMISSION_LIST,
  routes: (api, deps) => {
    inventoryRoutes(api, deps);
    genealogyRoutes(api, deps);
  },
  start: ({ db, log }) => startExpiryJob(db, { onError: (err) => log('inventory expiry job failed', err) }),
  seedDemo: seedInventory,
};
