import { IconBox, IconBuildingFactory2, IconMapPin, IconRuler, IconTool, IconTruckDelivery, IconUsersGroup } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import type { ModuleScreens } from '../../app/screens';

/** Master data in the navigation, and the sites of the company under administration. */
export const masterdataScreens: ModuleScreens = {
  navigation: [
    { group: 'masterdata', to: '/items', labelKey: 'nav.items', icon: IconBox, permission: P.masterdataRead },
    { group: 'masterdata', to: '/suppliers', labelKey: 'nav.suppliers', icon: IconTruckDelivery, permission: P.masterdataRead },
    { group: 'masterdata', to: '/customers', labelKey: 'nav.customers', icon: IconUsersGroup, permission: P.masterdataRead },
    { group: 'masterdata', to: '/work-centers', labelKey: 'nav.workCenters', icon: IconBuildingFactory2, permission: P.masterdataRead },
    { group: 'masterdata', to: '/equipment', labelKey: 'nav.equipment', icon: IconTool, permission: P.masterdataRead },
    { group: 'masterdata', to: '/locations', labelKey: 'nav.locations', icon: IconMapPin, permission: P.masterdataRead },
    { group: 'masterdata', to: '/units', labelKey: 'nav.units', icon: IconRuler, permission: P.masterdataRead },
    { group: 'admin', to: '/admin/sites', labelKey: 'nav.sites', icon: IconBuildingFactory2, permission: P.sitesRead },
  ],
};
