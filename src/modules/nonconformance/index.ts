// Nonconformance owns nonconformance reports (NCRs): what was found and where, its defect class and
// codes, the lots and serials affected with their quantities, the material review board's
// dispositions per quantity with their signatures, the notifications sent to suppliers, and
// supplier PPM. Holding, releasing, scrapping and returning stock is inventory's, done through
// the flows that raise and disposition an NCR (src/flows/).
import type { Module } from '../../platform/module.js';
import { NONCONFORMANCE_EVENTS, NONCONFORMANCE_PERMISSION_LIST, NONCONFORMANCE_VOCABULARY } from './contract.js';
import { dispositionSignable, ncrSignable } from './ncrs.js';
import { NONCONFORMANCE_RECORD_NAMES } from './record-names.js';
import { nonconformanceRoutes } from './routes.js';
import { seedNonconformance } from './seed.js';

export * from './contract.js';
export {
  type AffectedInput,
  affectedOf,
  cancelNcr,
  concurWithDisposition,
  type Decided,
  type DispositionInput,
  type DispositionLineInput,
  getNcr,
  heldByAnotherNcr,
  type LotOutcome,
  listNcrs,
  lotOutcome,
  type NcrRow,
  ncrOfInspection,
  ncrsConcerning,
  type RaiseInput,
  raiseNcr,
  recordDispositions,
  recordReinspection,
  recordSupplierNotification,
  refused,
} from './ncrs.js';
export { NcrRecordSchema, ncrRecord } from './routes.js';
export { activeDefectCodeIds } from './settings.js';
export { describeNcr } from './views.js';

export const nonconformanceModule: Module = {
  name: 'nonconformance',
  events: NONCONFORMANCE_EVENTS,
  vocabulary: NONCONFORMANCE_VOCABULARY,
  signables: [ncrSignable, dispositionSignable],
  recordNames: NONCONFORMANCE_RECORD_NAMES,
  auditedTables: {
    nonconformances: 'nonconformance:read',
    ncr_defect_codes: 'nonconformance:read',
    ncr_defects: 'nonconformance:read',
    ncr_affected: 'nonconformance:read',
    ncr_dispositions: 'nonconformance:read',
    ncr_supplier_notifications: 'nonconformance:read',
    nonconformance_settings: 'nonconformance:read',
  },
  permissions: NONCONFORMANCE_PERMISSION_LIST,
  routes: (api) => nonconformanceRoutes(api),
  seedDemo: seedNonconformance,
};
