// Quality, first part: incoming inspection. Owns inspection plans and characteristics, the
// ISO 2859-1 switching state per item and supplier with the responsible authority's signed
// decisions, inspections of received lots and their results and signed decisions.
// It writes only its own tables: the lot's release or rejection is the dispose-incoming-lot flow's.
import type { Module } from '../../platform/module.js';
import { QUALITY_EVENTS, QUALITY_PERMISSION_LIST, QUALITY_VOCABULARY } from './contract.js';
import { inspectionSignable } from './inspections.js';
import { QUALITY_RECORD_NAMES } from './record-names.js';
import { qualityRoutes } from './routes.js';
import { seedQuality } from './seed.js';
import { samplingDecisionSignable } from './switching.js';

export * from './contract.js';
export {
  type DispositionInput,
  disposeInspection,
  getInspection,
  type Inspection,
  listInspections,
  openInspectionForReceipt,
  type ReceivedLot,
} from './inspections.js';
export { getInspectionPlan } from './plans.js';
export { InspectionSchema } from './routes.js';
export { seedInspections } from './seed.js';
export { samplingState } from './switching.js';
export { describeInspection } from './views.js';

export const qualityModule: Module = {
  name: 'quality',
  events: QUALITY_EVENTS,
  vocabulary: QUALITY_VOCABULARY,
  signables: [inspectionSignable, samplingDecisionSignable],
  recordNames: QUALITY_RECORD_NAMES,
  auditedTables: {
    inspection_plans: 'quality:read',
    inspection_characteristics: 'quality:read',
    inspections: 'quality:read',
    inspection_results: 'quality:read',
    sampling_states: 'quality:read',
    sampling_decisions: 'quality:read',
  },
  permissions: QUALITY_PERMISSION_LIST,
  routes: (api) => qualityRoutes(api),
  seedDemo: seedQuality,
};
