// Purchasing owns purchase orders and their lines, goods receipts with their receiving
// conditions and certificates of analysis, and each receipt's on-time delivery record.
// It writes only its own tables: goods arrive through the post-receipt flow (src/flows/).
import type { Module } from '../../platform/module.js';
import { PURCHASING_EVENTS, PURCHASING_PERMISSION_LIST, PURCHASING_VOCABULARY } from './contract.js';
import { purchaseOrderSignable } from './model.js';
import { PURCHASING_RECORD_NAMES } from './record-names.js';
import { purchasingRoutes } from './routes.js';
import { seedPurchasing } from './seed.js';

export * from './contract.js';
export { getPurchaseOrder, listPurchaseOrders, type PurchaseOrder } from './orders.js';
export {
  type AcceptedDelivery,
  acceptDelivery,
  getReceipt,
  listReceipts,
  type NewReceipt,
  type Receipt,
  recordReceipt,
  supplierDeliveryPerformance,
} from './receiving.js';
export { NewReceiptBody, ReceiptSchema } from './routes.js';
export { demoDeliveries } from './seed.js';
export { describeReceipt } from './views.js';

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
