import { IconFileAlert } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import type { ModuleScreens } from '../../app/screens';

/** Deviations and concessions in the quality navigation. */
export const deviationsScreens: ModuleScreens = {
  navigation: [{ group: 'quality', to: '/deviations', labelKey: 'nav.deviations', icon: IconFileAlert, permission: P.deviationsRead }],
};
