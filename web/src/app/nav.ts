import { DOCUMENT_PERMISSIONS } from '@server/modules/documents/contract';
import { P as IDENTITY } from '@server/modules/identity/contract';
import { INVENTORY_PERMISSIONS } from '@server/modules/inventory/contract';
import { MASTERDATA } from '@server/modules/masterdata/contract';
import { PURCHASING_PERMISSIONS } from '@server/modules/purchasing/contract';
import { QUALITY_PERMISSIONS } from '@server/modules/quality/contract';
import { AUDIT_PERMISSIONS, ESIGN_PERMISSIONS, SITE_PERMISSIONS, WEBHOOK_PERMISSIONS } from '@server/platform/permissions';
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

/** Permissions the screens check: the names the API's routes declare, from the contracts. */
export const P = {
  identityRead: IDENTITY.read,
  users: IDENTITY.users,
  tokens: IDENTITY.tokens,
  webhooks: WEBHOOK_PERMISSIONS.manage,
  auditRead: AUDIT_PERMISSIONS.read,
  auditRecordRead: AUDIT_PERMISSIONS.recordRead,
  signaturesRead: ESIGN_PERMISSIONS.read,
  auditVerify: AUDIT_PERMISSIONS.verify,
  documentsRead: DOCUMENT_PERMISSIONS.read,
  sitesRead: SITE_PERMISSIONS.read,
  sitesManage: SITE_PERMISSIONS.manage,
  masterdataRead: MASTERDATA.read,
  masterdataWrite: MASTERDATA.write,
  masterdataSignReleased: MASTERDATA.signReleased,
  inventoryRead: INVENTORY_PERMISSIONS.read,
  inventoryMove: INVENTORY_PERMISSIONS.move,
  inventoryHold: INVENTORY_PERMISSIONS.hold,
  inventoryAdjust: INVENTORY_PERMISSIONS.adjust,
  inventorySignReleased: INVENTORY_PERMISSIONS.signReleased,
  inventorySignRejected: INVENTORY_PERMISSIONS.signRejected,
  purchasingRead: PURCHASING_PERMISSIONS.read,
  purchasingWrite: PURCHASING_PERMISSIONS.write,
  purchasingReceive: PURCHASING_PERMISSIONS.receive,
  purchasingSignApproved: PURCHASING_PERMISSIONS.signApproved,
  qualityRead: QUALITY_PERMISSIONS.read,
  qualityInspect: QUALITY_PERMISSIONS.inspect,
  qualitySignReleased: QUALITY_PERMISSIONS.signReleased,
  qualitySignRejected: QUALITY_PERMISSIONS.signRejected,
  qualitySignApproved: QUALITY_PERMISSIONS.signApproved,
  qualitySignSupplierApproval: MASTERDATA.signSupplierApproval,
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
