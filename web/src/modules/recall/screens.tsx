import { IconAlertTriangle } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import type { ModuleScreens } from '../../app/screens';

/** Recalls in the quality navigation. */
export const recallScreens: ModuleScreens = {
  navigation: [{ group: 'quality', to: '/recalls', labelKey: 'nav.recalls', icon: IconAlertTriangle, permission: P.recallRead }],
};
