// Purchasing owns purchase orders and their lines, goods receipts with their receiving
// conditions and certificates of analysis, and each receipt's on-time delivery record.
// Stock moves through inventory's services; receipts start incoming inspection by event.
import type { Module } from '../../platform/module.js';
import { PURCHASING_EVENTS, PURCHASING_PERMISSION_LIST, PURCHASING_VOCABULARY } from './contract.js';
import { purchaseOrderSignable } from './model.js';
import { PURCHASING_RECORD_NAMES } from './record-names.js';
import { purchasingRoutes } from './routes.js';
import { seedPurchasing } from './seed.js';

export * from './contract.js';
export { getPurchaseOrder, listPurchaseOrders, type PurchaseOrder } from './orders.js';
export { getReceipt, listReceipts, type Receipt, supplierDeliveryPerformance } from './receiving.js';

export const purchasingModule: Module = {
  name: 'purchasing',
  events: PURCHASING_EVENTS,
  vocabulary: PURCHASING_VOCABULARY,
  signables: [purchaseOrderSignable],
  recordNames: PURCHASING_RECORD_NAMES,
  auditedTables: {
    purchase_orders: 'purchasing:read',
    purchase_order_lines: 'purchasing:read',
    receipts: 'purchasing:read',
    receipt_certificates: 'purchasing:read',
  },
  permissions: PURCHASING_PERMISSION_LIST,
  routes: (api) => purchasingRoutes(api),
  seedDemo: seedPurchasing,
};
