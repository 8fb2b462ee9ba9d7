// Flows: the work that crosses modules, each in one place and named for what happens — goods
// arriving, their lot being inspected, the lot being disposed, goods shipped and coming back. A
// flow has a module's shape (routes, subscriptions, demo seed) and owns no tables or permissions;
// it reaches modules only through their faces (`src/modules/<m>/index.ts`), and no module imports
// a flow.
import type { Module } from '../platform/module.js';
import { disposeIncomingLotFlow } from './dispose-incoming-lot.js';
import { dispositionCustomerReturnFlow } from './disposition-customer-return.js';
import { dispositionNonconformanceFlow } from './disposition-nonconformance.js';
import { initiateRecallFlow } from './initiate-recall.js';
import { inspectLabelsFlow } from './inspect-labels.js';
import { inspectReceivedLotFlow } from './inspect-received-lot.js';
import { postReceiptFlow } from './post-receipt.js';
import { printLabelsFlow } from './print-labels.js';
import { printReceiptRecordFlow } from './print-receipt-record.js';
import { printShipmentDocumentsFlow } from './print-shipment-documents.js';
import { raiseNonconformanceFlow } from './raise-nonconformance.js';
import { receiveCustomerReturnFlow } from './receive-customer-return.js';
import { recordOperationParametersFlow } from './record-operation-parameters.js';
import { releaseWorkOrderOutputFlow } from './release-work-order-output.js';
import { shipOrderFlow } from './ship-order.js';

/** Every flow, registered after the modules in this order: routes, subscriptions and demo seeds. */
export const flows: Module[] = [
  postReceiptFlow,
  inspectReceivedLotFlow,
  disposeIncomingLotFlow,
  printReceiptRecordFlow,
  shipOrderFlow,
  printShipmentDocumentsFlow,
  raiseNonconformanceFlow,
  dispositionNonconformanceFlow,
  receiveCustomerReturnFlow,
  dispositionCustomerReturnFlow,
  recordOperationParametersFlow,
  releaseWorkOrderOutputFlow,
  printLabelsFlow,
  initiateRecallFlow,
  inspectLabelsFlow,
];
