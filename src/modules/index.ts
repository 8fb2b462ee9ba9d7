import type { Module } from '../platform/module.js';
import { deviationsModule } from './deviations/index.js';
import { documentsModule } from './documents/index.js';
import { identity } from './identity/index.js';
import { inventoryModule } from './inventory/index.js';
import { masterdataModule } from './masterdata/index.js';
import { nonconformanceModule } from './nonconformance/index.js';
import { productionModule } from './production/index.js';
import { purchasingModule } from './purchasing/index.js';
import { qualityModule } from './quality/index.js';
import { recallModule } from './recall/index.js';
import { salesModule } from './sales/index.js';
import { traceabilityModule } from './traceability/index.js';
import { trainingModule } from './training/index.js';

/** Every module, in dependency order: routes, hooks, jobs and demo seeds run in this order. */
export const modules: Module[] = [
  identity,
  documentsModule,
  masterdataModule,
  inventoryModule,
  purchasingModule,
  qualityModule,
  nonconformanceModule,
  deviationsModule,
  trainingModule,
  traceabilityModule,
  salesModule,
  productionModule,
  recallModule,
];
