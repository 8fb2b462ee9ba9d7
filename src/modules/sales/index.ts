// Sales owns sales orders and their lines, customers' licences to buy medical devices, shipments
// with their cartons (SSCC), the append-only sales records (distribution records) of every lot
// and serial shipped, and customers' returns (RMA) with their signed dispositions. Stock leaves and
// comes back only through inventory, in the flows that ship, receive and disposition (src/flows/).
import type { Module } from '../../platform/module.js';
import { SALES_EVENTS, SALES_PERMISSION_LIST, SALES_VOCABULARY } from './contract.js';
import { SALES_RECORD_NAMES } from './record-names.js';
import { returnDispositionSignable } from './return-dispositions.js';
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
export {
  describeShipment,
  getShipment,
  onTimeDelivery,
  type SalesRecord,
  type ShippedLotRecord,
  searchSalesRecords,
  shipmentsOfLots,
} from './records.js';
export {
  completeReturnDispositions,
  type DecidedReturn,
  type DecidedReturnDisposition,
  type ReturnDispositionInput,
  type ReturnDispositionLineInput,
  recordReturnDispositions,
  returnDispositionSignable,
} from './return-dispositions.js';
export { type AcceptedReturnReceipt, acceptReturnReceipt, type ReturnReceiptInput, recordReturnReceipt } from './return-receipts.js';
export {
  customerReturnRecord,
  ReturnDispositionLine,
  ReturnDispositionSigning,
  ReturnReceiptBody,
  ReturnRecordSchema,
} from './return-routes.js';
export {
  authoriseReturn,
  type CustomerReturn,
  cancelReturn,
  closeReturn,
  customerReturnDetail,
  customerReturnName,
  getCustomerReturn,
  listCustomerReturns,
  type NewReturn,
  returnableLots,
  returnsOfShipment,
} from './returns.js';
export { NewShipmentBody, RecordedShipmentSchema } from './routes.js';
export { demoOrderToShip, demoShipmentToReturn } from './seed.js';
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
  signables: [returnDispositionSignable],
  auditedTables: {
    sales_customer_terms: 'sales:read',
    sales_customer_licences: 'sales:read',
    sales_settings: 'sales:read',
    sales_orders: 'sales:read',
    sales_order_lines: 'sales:read',
    shipments: 'sales:read',
    shipment_cartons: 'sales:read',
    sales_records: 'sales:read',
    customer_returns: 'sales:read',
    customer_return_lines: 'sales:read',
    customer_return_dispositions: 'sales:read',
  },
  permissions: SALES_PERMISSION_LIST,
  routes: (api) => salesRoutes(api),
  seedDemo: seedSales,
};
