import {
  IconCertificate,
  IconFileText,
  IconHome,
  IconKey,
  IconListSearch,
  IconShieldLock,
  IconUsers,
  IconWebhook,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';

/** Permissions the screens check, named as the API's routes declare them. */
export const P = {
  identityRead: 'identity:read',
  users: 'admin:users',
  tokens: 'admin:tokens',
  webhooks: 'admin:webhooks',
  auditRead: 'audit:read',
  auditVerify: 'audit:verify',
  documentsRead: 'documents:read',
} as const;

export interface NavItem {
  to: string;
  labelKey: string;
  icon: ComponentType<{ size?: number }>;
  /** Shown only to people holding this permission (as the API checks it). */
  permission?: string;
}

export interface NavGroup {
  labelKey: string;
  items: NavItem[];
}

/** Navigation by module, in the order people meet them; one entry per screen folder. */
export const NAVIGATION: NavGroup[] = [
  { labelKey: 'nav.group.work', items: [{ to: '/', labelKey: 'nav.dashboard', icon: IconHome }] },
  {
    labelKey: 'nav.group.quality',
    items: [{ to: '/documents', labelKey: 'nav.documents', icon: IconFileText, permission: P.documentsRead }],
  },
  {
    labelKey: 'nav.group.admin',
    items: [
      { to: '/admin/users', labelKey: 'nav.users', icon: IconUsers, permission: P.identityRead },
      { to: '/admin/roles', labelKey: 'nav.roles', icon: IconShieldLock, permission: P.identityRead },
      { to: '/admin/api-tokens', labelKey: 'nav.apiTokens', icon: IconKey, permission: P.identityRead },
      { to: '/admin/webhooks', labelKey: 'nav.webhooks', icon: IconWebhook, permission: P.webhooks },
      { to: '/audit', labelKey: 'nav.audit', icon: IconListSearch, permission: P.auditRead },
    ],
  },
  { labelKey: 'nav.group.me', items: [{ to: '/account', labelKey: 'nav.account', icon: IconCertificate }] },
];
