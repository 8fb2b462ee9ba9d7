import { IconWebhook } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import type { ModuleScreens } from '../../app/screens';

export const integrationScreens: ModuleScreens = {
  navigation: [{ group: 'admin', to: '/admin/webhooks', labelKey: 'nav.webhooks', icon: IconWebhook, permission: P.webhooks }],
};
