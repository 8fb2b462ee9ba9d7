// Sales owns sales orders and their lines, customers' licences to buy medical devices, shipments
// with their cartons (SSCC) and the append-only sales records (distribution records) of every lot
// and serial shipped. Stock leaves only through inventory, in the ship-order flow (src/flows/).
import type { Module } from '../../platform/module.js';
import { SALES_EVENTS, SALES_PERMISSION_LIST, SALES_VOCABULARY } from './contract.js';
import { SALES_RECORD_NAMES } from './record-names.js';
import { salesRoutes } from './routes.js';
import { seedSales } from './seed.js';

export * from './contract.js';
export { addLicence, type CustomerLicence, customerTerms, licenceRefusal, revokeLicence, setLicenceRequired } from './licences.js';
export {
  createSalesOrder,
  getSalesOrder,
  listSalesOrders,
  type SalesOrder,
  salesOrderDetail,
  transitionSalesOrder,
  updateSalesOrder,
} from './orders.js';
export { describeShipment, getShipment, onTimeDelivery, type SalesRecord, searchSalesRecords } from './records.js';
export { NewShipmentBody, RecordedShipmentSchema } from './routes.js';
export { demoOrderToShip } from './seed.js';
export {
  type AcceptedShipment,
  acceptShipment,
  checkScan,
  type NewShipment,
  pickList,
  type RecordedShipment,
  recordShipment,
} from './shipping.js';
export { isSscc, nextSsccs, salesSettings, setSalesSettings, ssccOf } from './sscc.js';

export const salesModule: Module = {
  name: 'sales',
  events: SALES_EVENTS,
  vocabulary: SALES_VOCABULARY,
  recordNames: SALES_RECORD_NAMES,
  auditedTables: {
    sales_customer_terms: 'sales:read',
    sales_customer_licences: 'sales:read',
    sales_settings: 'sales:read',
    sales_orders: 'sales:read',
    sales_order_lines: 'sales:read',
    shipments: 'sales:read',
    shipment_cartons: 'sales:read',
    sales_records: 'sales:read',
  },
  permissions: SALES_PERMISSION_LIST,
  routes: (api) => salesRoutes(api),
  seedDemo: seedSales,
};
