import { IconCertificate, IconDeviceDesktopAnalytics, IconKey, IconShieldLock, IconUsers } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import type { ModuleScreens } from '../../app/screens';

/** People, roles, API tokens and devices under administration; one's own account for everyone. */
export const identityScreens: ModuleScreens = {
  navigation: [
    { group: 'admin', to: '/admin/users', labelKey: 'nav.users', icon: IconUsers, permission: P.identityRead },
    { group: 'admin', to: '/admin/roles', labelKey: 'nav.roles', icon: IconShieldLock, permission: P.identityRead },
    { group: 'admin', to: '/admin/api-tokens', labelKey: 'nav.apiTokens', icon: IconKey, permission: P.identityRead },
    { group: 'admin', to: '/admin/devices', labelKey: 'nav.devices', icon: IconDeviceDesktopAnalytics, permission: P.identityRead },
    { group: 'me', to: '/account', labelKey: 'nav.account', icon: IconCertificate },
  ],
};
