// Recall (召回): from where suspect material starts — a supplier's lot, one of our lots, a serial
// range, an equipment or a person over days — to every lot and serial made from it, its stock and
// the customers it reached; the recall record that keeps that answer, its classification and
// deadlines, the notices and acknowledgements, and the effectiveness check. Owns `recalls`,
// `recall_lots`, `recall_shipments` and `recall_notifications`; reads inventory, production, sales
// and master data through their faces. Holding the stock is the flow `initiate-recall`.
import type { Module } from '../../platform/module.js';
import { RECALL_EVENTS, RECALL_PERMISSION_LIST, RECALL_VOCABULARY } from './contract.js';
import { recallSignable } from './lifecycle.js';
import { RECALL_RECORD_NAMES } from './record-names.js';
import { recallRoutes } from './routes.js';

export * from './contract.js';
export { findAffected } from './query.js';
export {
  getRecall,
  type RecallDetail,
  raiseRecall,
  recallDetail,
  recallLotIds,
  recordHold,
  transitionRecall,
} from './records.js';

export const recallModule: Module = {
  name: 'recall',
  events: RECALL_EVENTS,
  vocabulary: RECALL_VOCABULARY,
  signables: [recallSignable],
  recordNames: RECALL_RECORD_NAMES,
  auditedTables: {
    recalls: 'recall:read',
    recall_lots: 'recall:read',
    recall_shipments: 'recall:read',
    recall_notifications: 'recall:read',
  },
  permissions: RECALL_PERMISSION_LIST,
  routes: recallRoutes,
};
