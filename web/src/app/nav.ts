import {
  IconBox,
  IconBuildingFactory2,
  IconBuildingWarehouse,
  IconCertificate,
  IconChecklist,
  IconClipboardCheck,
  IconFileText,
  IconHome,
  IconKey,
  IconListSearch,
  IconMapPin,
  IconPackageImport,
  IconPackages,
  IconRuler,
  IconShieldLock,
  IconShoppingCart,
  IconTool,
  IconTruckDelivery,
  IconUsers,
  IconUsersGroup,
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
  auditRecordRead: 'audit:record.read',
  signaturesRead: 'signatures:read',
  auditVerify: 'audit:verify',
  documentsRead: 'documents:read',
  sitesRead: 'sites:read',
  sitesManage: 'admin:sites',
  masterdataRead: 'masterdata:read',
  masterdataWrite: 'masterdata:write',
  masterdataSignReleased: 'masterdata:sign.released',
  inventoryRead: 'inventory:read',
  inventoryMove: 'inventory:move',
  inventoryHold: 'inventory:hold',
  inventoryAdjust: 'inventory:adjust',
  inventorySignReleased: 'inventory:sign.released',
  inventorySignRejected: 'inventory:sign.rejected',
  purchasingRead: 'purchasing:read',
  purchasingWrite: 'purchasing:write',
  purchasingReceive: 'purchasing:receive',
  purchasingSignApproved: 'purchasing:sign.approved',
  qualityRead: 'quality:read',
  qualityInspect: 'quality:inspect',
  qualitySignReleased: 'quality:sign.released',
  qualitySignRejected: 'quality:sign.rejected',
  qualitySignApproved: 'quality:sign.approved',
  qualitySignSupplierApproval: 'quality:sign.supplierApproval',
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
    labelKey: 'nav.group.supply',
    items: [
      { to: '/purchasing/orders', labelKey: 'nav.purchaseOrders', icon: IconShoppingCart, permission: P.purchasingRead },
      { to: '/purchasing/receive', labelKey: 'nav.receiving', icon: IconPackageImport, permission: P.purchasingReceive },
      { to: '/inventory/lots', labelKey: 'nav.lots', icon: IconPackages, permission: P.inventoryRead },
      { to: '/inventory/on-hand', labelKey: 'nav.onHand', icon: IconBuildingWarehouse, permission: P.inventoryRead },
    ],
  },
  {
    labelKey: 'nav.group.quality',
    items: [
      { to: '/quality/inspections', labelKey: 'nav.inspections', icon: IconClipboardCheck, permission: P.qualityRead },
      { to: '/quality/plans', labelKey: 'nav.inspectionPlans', icon: IconChecklist, permission: P.qualityRead },
      { to: '/documents', labelKey: 'nav.documents', icon: IconFileText, permission: P.documentsRead },
    ],
  },
  {
    labelKey: 'nav.group.masterdata',
    items: [
      { to: '/items', labelKey: 'nav.items', icon: IconBox, permission: P.masterdataRead },
      { to: '/suppliers', labelKey: 'nav.suppliers', icon: IconTruckDelivery, permission: P.masterdataRead },
      { to: '/customers', labelKey: 'nav.customers', icon: IconUsersGroup, permission: P.masterdataRead },
      { to: '/work-centers', labelKey: 'nav.workCenters', icon: IconBuildingFactory2, permission: P.masterdataRead },
      { to: '/equipment', labelKey: 'nav.equipment', icon: IconTool, permission: P.masterdataRead },
      { to: '/locations', labelKey: 'nav.locations', icon: IconMapPin, permission: P.masterdataRead },
      { to: '/units', labelKey: 'nav.units', icon: IconRuler, permission: P.masterdataRead },
    ],
  },
  {
    labelKey: 'nav.group.admin',
    items: [
      { to: '/admin/users', labelKey: 'nav.users', icon: IconUsers, permission: P.identityRead },
      { to: '/admin/roles', labelKey: 'nav.roles', icon: IconShieldLock, permission: P.identityRead },
      { to: '/admin/api-tokens', labelKey: 'nav.apiTokens', icon: IconKey, permission: P.identityRead },
      { to: '/admin/sites', labelKey: 'nav.sites', icon: IconBuildingFactory2, permission: P.sitesRead },
      { to: '/admin/webhooks', labelKey: 'nav.webhooks', icon: IconWebhook, permission: P.webhooks },
      { to: '/audit', labelKey: 'nav.audit', icon: IconListSearch, permission: P.auditRead },
    ],
  },
  { labelKey: 'nav.group.me', items: [{ to: '/account', labelKey: 'nav.account', icon: IconCertificate }] },
];
