// Quality, first part: incoming inspection. Owns inspection plans and characteristics, the
// ISO 2859-1 switching state per item and supplier with the responsible authority's signed
// decisions, inspections of received lots and their results and signed decisions.
// It writes only its own tables: the lot's release or rejection is the dispose-incoming-lot flow's.
import type { Module } from '../../platform/module.js';
import { QUALITY_PERMISSIONS as P } from './inspections.js';
import { QUALITY_RECORD_NAMES } from './record-names.js';
import { qualityRoutes } from './routes.js';
import { seedQuality } from './seed.js';
import { SWITCHING_PERMISSIONS } from './switching.js';

export { DISPOSITIONS, type Disposition } from './inspection-model.js';
export {
  type DispositionInput,
  disposeInspection,
  getInspection,
  type Inspection,
  openInspectionForReceipt,
  QUALITY_EVENTS,
  QUALITY_PERMISSIONS,
  type ReceivedLot,
} from './inspections.js';
export { getInspectionPlan } from './plans.js';
export { InspectionSchema } from './routes.js';
export { seedInspections } from './seed.js';
export { samplingState } from './switching.js';
export { describeInspection } from './views.js';

export const qualityModule: Module = {
  name: 'quality',
  recordNames: QUALITY_RECORD_NAMES,
  auditedTables: {
    inspection_plans: 'quality:read',
    inspection_characteristics: 'quality:read',
    inspections: 'quality:read',
    inspection_results: 'quality:read',
    sampling_states: 'quality:read',
    sampling_decisions: 'quality:read',
  },
  permissions: [
    { name: P.read, description: 'See inspection plans, inspections, results and their signatures' },
    { name: P.inspect, description: 'Maintain inspection plans, record inspection results and submit dispositions' },
    { name: P.signReleased, description: 'Accept inspected lots by e-signature (meaning released)' },
    { name: P.signRejected, description: 'Reject inspected lots by e-signature (meaning rejected)' },
    {
      name: SWITCHING_PERMISSIONS.signApproved,
      description: 'Decide as responsible authority on switching by e-signature (meaning approved): reduced inspection, resuming',
    },
  ],
  routes: (api) => qualityRoutes(api),
  seedDemo: seedQuality,
};
