// Deviations and concessions: planned, signed permissions to depart from a specification within
// bounds (item, supplier, lots, quantity, dates), and what used them. Owns `deviations` and
// `deviation_uses`; receipts (post-receipt flow) and later work orders use them through `recordDeviationUse`.
import type { Module } from '../../platform/module.js';
import { DEVIATION_EVENTS, DEVIATION_PERMISSION_LIST, DEVIATIONS_VOCABULARY } from './contract.js';
import { startDeviationExpiryJob } from './expiry.js';
import { deviationSignable } from './lifecycle.js';
import { DEVIATION_RECORD_NAMES } from './record-names.js';
import { deviationRoutes } from './routes.js';
import { seedDeviations } from './seed.js';

export * from './contract.js';
export { expireTenantsDeviations } from './expiry.js';
export {
  type Deviation,
  type DeviationUse,
  type DeviationUseRequest,
  expireDeviations,
  getDeviation,
  listDeviationUses,
  recordDeviationUse,
} from './service.js';

export const deviationsModule: Module = {
  name: 'deviations',
  events: DEVIATION_EVENTS,
  vocabulary: DEVIATIONS_VOCABULARY,
  signables: [deviationSignable],
  recordNames: DEVIATION_RECORD_NAMES,
  auditedTables: {
    deviations: 'deviations:read',
    deviation_uses: 'deviations:read',
  },
  permissions: DEVIATION_PERMISSION_LIST,
  routes: deviationRoutes,
  start: ({ db, log }) => startDeviationExpiryJob(db, { onError: (err) => log('deviation expiry job failed', err) }),
  seedDemo: seedDeviations,
};
