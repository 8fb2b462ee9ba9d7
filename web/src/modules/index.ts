import type { ModuleScreens } from '../app/screens';
import { auditScreens } from './audit/screens';
import { documentsScreens } from './documents/screens';
import { identityScreens } from './identity/screens';
import { integrationScreens } from './integration/screens';
import { inventoryScreens } from './inventory/screens';
import { masterdataScreens } from './masterdata/screens';
import { nonconformanceScreens } from './nonconformance/screens';
import { purchasingScreens } from './purchasing/screens';
import { qualityScreens } from './quality/screens';
import { salesScreens } from './sales/screens';

/** Every screen folder's navigation entries and dashboard queues, in the order they are shown. */
export const SCREENS: ModuleScreens[] = [
  purchasingScreens,
  salesScreens,
  inventoryScreens,
  qualityScreens,
  nonconformanceScreens,
  documentsScreens,
  identityScreens,
  masterdataScreens,
  integrationScreens,
  auditScreens,
];
