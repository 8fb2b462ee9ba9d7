import type { ModuleScreens } from '../app/screens';
import { auditScreens } from './audit/screens';
import { deviationsScreens } from './deviations/screens';
import { documentsScreens } from './documents/screens';
import { identityScreens } from './identity/screens';
import { integrationScreens } from './integration/screens';
import { inventoryScreens } from './inventory/screens';
import { masterdataScreens } from './masterdata/screens';
import { nonconformanceScreens } from './nonconformance/screens';
import { productionScreens } from './production/screens';
import { purchasingScreens } from './purchasing/screens';
import { qualityScreens } from './quality/screens';
import { recallScreens } from './recall/screens';
import { salesScreens } from './sales/screens';
import { trainingScreens } from './training/screens';

/** Every screen folder's navigation entries and dashboard queues, in the order they are shown. */
export const SCREENS: ModuleScreens[] = [
  purchasingScreens,
  salesScreens,
  productionScreens,
  inventoryScreens,
  qualityScreens,
  nonconformanceScreens,
  deviationsScreens,
  recallScreens,
  trainingScreens,
  documentsScreens,
  identityScreens,
  masterdataScreens,
  integrationScreens,
  auditScreens,
];
