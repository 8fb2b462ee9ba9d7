// Purchasing owns purchase orders and their lines, goods receipts with their receiving
// conditions and certificates of analysis, and each receipt's on-time delivery record.
// It writes only its own tables: goods arrive through the post-receipt flow (src/flows/).
import type { Module } from '../../platform/module.js';
import { PURCHASING_PERMISSIONS as P } from './model.js';
import { PURCHASING_RECORD_NAMES } from './record-names.js';
import { purchasingRoutes } from './routes.js';
import { seedPurchasing } from './seed.js';

export { type PoStatus, PURCHASING_EVENTS, PURCHASING_PERMISSIONS } from './model.js';
export { getPurchaseOrder, listPurchaseOrders, type PurchaseOrder } from './orders.js';
export {
  type AcceptedDelivery,
  acceptDelivery,
  getReceipt,
  listReceipts,
  type NewReceipt,
  type Receipt,
  type ReceiptPosted,
  recordReceipt,
  supplierDeliveryPerformance,
} from './receiving.js';
export { NewReceiptBody, ReceiptSchema } from './routes.js';
export { demoDeliveries } from './seed.js';
export { describeReceipt } from './views.js';

export const purchasingModule: Module = {
  name: 'purchasing',
  recordNames: PURCHASING_RECORD_NAMES,
  auditedTables: {
    purchase_orders: 'purchasing:read',
    purchase_order_lines: 'purchasing:read',
    receipts: 'purchasing:read',
    receipt_certificates: 'purchasing:read',
  },
  permissions: [
    { name: P.read, description: 'See purchase orders, receipts, certificates and supplier delivery performance' },
    { name: P.write, description: 'Create and change draft purchase orders; send, close and cancel orders' },
    { name: P.receive, description: 'Receive goods against purchase orders into quarantine and attach certificates' },
    { name: P.signApproved, description: 'Approve purchase orders by e-signature (meaning approved)' },
  ],
  routes: (api) => purchasingRoutes(api),
  seedDemo: seedPurchasing,
};
