import { IconBuildingFactory2 } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import type { ModuleScreens } from '../../app/screens';

/** Work orders in the navigation. */
export const productionScreens: ModuleScreens = {
  navigation: [
    {
      group: 'supply',
      to: '/production/work-orders',
      labelKey: 'nav.workOrders',
      icon: IconBuildingFactory2,
      permission: P.productionRead,
    },
  ],
};
