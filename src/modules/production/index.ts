// Production owns work orders with the BOM and routing frozen into them at release (material
// requirements and operations), the material issued to and returned from them lot by lot, and
// their output (into quarantine, linked to the material consumed). Stock moves only through
// inventory's face (ledger source kind `work_order`). Operations are executed at the line
// (operations.ts): start, pause, resume, complete, parameters and checks. The device history record
// of each order (dhr.ts) is assembled from all of it, reviewed and released by e-signature.
import type { Module } from '../../platform/module.js';
import {
  OPERATION_EVENTS,
  OPERATION_PERMISSION_LIST,
  OPERATION_VOCABULARY,
  PRODUCTION_EVENTS,
  PRODUCTION_PERMISSION_LIST,
  PRODUCTION_VOCABULARY,
} from './contract.js';
import { dhrSignable } from './dhr.js';
import { dhrRoutes } from './dhr-routes.js';
import { operationRoutes } from './operation-routes.js';
import { outputRoutes } from './output-routes.js';
import { PRODUCTION_RECORD_NAMES } from './record-names.js';
import { productionRoutes } from './routes.js';
import { seedProduction } from './seed.js';

export * from './contract.js';
export { deviceHistoryRecord } from './dhr.js';
export { type DhrSigningInput, reviewDhr, signDhrRelease } from './dhr-signing.js';
export { checkDevice, executionSource } from './execution-source.js';
export { issueMaterial, type MaterialInput, type ReturnInput, returnMaterial } from './material.js';
export {
  type EvaluatedValue,
  evaluateParameterValues,
  type ParameterValueInput,
  recordParameterValues,
  releaseOperationHolds,
} from './operation-parameters.js';
export { operationExecution, operationQueue } from './operation-views.js';
export { type OutputInput, reportOutput, workOrderOutput } from './output.js';
export { type RunFilter, workOrdersRunWith } from './runs.js';
export {
  createWorkOrder,
  getWorkOrder,
  listWorkOrders,
  type NewWorkOrder,
  transitionWorkOrder,
  updateWorkOrder,
  workOrderDetail,
} from './work-orders.js';

export const productionModule: Module = {
  name: 'production',
  events: { ...PRODUCTION_EVENTS, ...OPERATION_EVENTS },
  vocabulary: { ...PRODUCTION_VOCABULARY, ...OPERATION_VOCABULARY },
  recordNames: PRODUCTION_RECORD_NAMES,
  signables: [dhrSignable],
  auditedTables: {
    work_orders: 'production:read',
    work_order_materials: 'production:read',
    work_order_operations: 'production:read',
    work_order_material_movements: 'production:read',
    work_order_operation_parameters: 'production:read',
    work_order_operation_steps: 'production:read',
    work_order_parameter_values: 'production:read',
    work_order_operation_checks: 'production:read',
    work_order_operation_downtime: 'production:read',
    work_order_outputs: 'production:read',
  },
  permissions: [...PRODUCTION_PERMISSION_LIST, ...OPERATION_PERMISSION_LIST],
  routes: (api) => {
    productionRoutes(api);
    operationRoutes(api);
    outputRoutes(api);
    dhrRoutes(api);
  },
  seedDemo: seedProduction,
};
