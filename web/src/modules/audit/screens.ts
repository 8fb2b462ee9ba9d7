import { IconListSearch } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import type { ModuleScreens } from '../../app/screens';

export const auditScreens: ModuleScreens = {
  navigation: [{ group: 'admin', to: '/audit', labelKey: 'nav.audit', icon: IconListSearch, permission: P.auditRead }],
};
