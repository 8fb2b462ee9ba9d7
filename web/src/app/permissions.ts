import { DEVIATION_PERMISSIONS } from '@server/modules/deviations/contract';
import { DOCUMENT_PERMISSIONS } from '@server/modules/documents/contract';
import { P as IDENTITY } from '@server/modules/identity/contract';
import { INVENTORY_PERMISSIONS } from '@server/modules/inventory/contract';
import { MASTERDATA } from '@server/modules/masterdata/contract';
import { NONCONFORMANCE_PERMISSIONS } from '@server/modules/nonconformance/contract';
import { OPERATION_PERMISSIONS, PRODUCTION_PERMISSIONS } from '@server/modules/production/contract';
import { PURCHASING_PERMISSIONS } from '@server/modules/purchasing/contract';
import { QUALITY_PERMISSIONS } from '@server/modules/quality/contract';
import { RECALL_PERMISSIONS } from '@server/modules/recall/contract';
import { SALES_PERMISSIONS } from '@server/modules/sales/contract';
import { TRACEABILITY_PERMISSIONS } from '@server/modules/traceability/contract';
import { TRAINING_PERMISSIONS } from '@server/modules/training/contract';
import { AUDIT_PERMISSIONS, ESIGN_PERMISSIONS, SITE_PERMISSIONS, WEBHOOK_PERMISSIONS } from '@server/platform/permissions';

/** Permissions the screens check: the names the API's routes declare, from the contracts. */
export const P = {
  identityRead: IDENTITY.read,
  users: IDENTITY.users,
  tokens: IDENTITY.tokens,
  devices: IDENTITY.devices,
  webhooks: WEBHOOK_PERMISSIONS.manage,
  auditRead: AUDIT_PERMISSIONS.read,
  auditRecordRead: AUDIT_PERMISSIONS.recordRead,
  signaturesRead: ESIGN_PERMISSIONS.read,
  auditVerify: AUDIT_PERMISSIONS.verify,
  documentsRead: DOCUMENT_PERMISSIONS.read,
  deviationsRead: DEVIATION_PERMISSIONS.read,
  trainingRead: TRAINING_PERMISSIONS.read,
  sitesRead: SITE_PERMISSIONS.read,
  sitesManage: SITE_PERMISSIONS.manage,
  traceabilityRead: TRACEABILITY_PERMISSIONS.read,
  traceabilityPrint: TRACEABILITY_PERMISSIONS.print,
  traceabilityReconcile: TRACEABILITY_PERMISSIONS.reconcile,
  traceabilitySignVerified: TRACEABILITY_PERMISSIONS.signVerified,
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
  salesRead: SALES_PERMISSIONS.read,
  salesOrder: SALES_PERMISSIONS.order,
  salesLicence: SALES_PERMISSIONS.licence,
  salesShip: SALES_PERMISSIONS.ship,
  salesReturnAuthorise: SALES_PERMISSIONS.returnAuthorise,
  salesReturnReceive: SALES_PERMISSIONS.returnReceive,
  salesSignReturnDisposition: SALES_PERMISSIONS.signReturnDisposition,
  productionRead: PRODUCTION_PERMISSIONS.read,
  productionPlan: PRODUCTION_PERMISSIONS.plan,
  productionRelease: PRODUCTION_PERMISSIONS.release,
  productionIssue: PRODUCTION_PERMISSIONS.issue,
  productionExecute: OPERATION_PERMISSIONS.execute,
  productionOutput: PRODUCTION_PERMISSIONS.output,
  productionSignReviewed: PRODUCTION_PERMISSIONS.signReviewed,
  productionSignReleased: PRODUCTION_PERMISSIONS.signReleased,
  qualityRead: QUALITY_PERMISSIONS.read,
  qualityInspect: QUALITY_PERMISSIONS.inspect,
  qualitySignReleased: QUALITY_PERMISSIONS.signReleased,
  qualitySignRejected: QUALITY_PERMISSIONS.signRejected,
  qualitySignApproved: QUALITY_PERMISSIONS.signApproved,
  qualitySignSupplierApproval: MASTERDATA.signSupplierApproval,
  ncrRead: NONCONFORMANCE_PERMISSIONS.read,
  ncrRaise: NONCONFORMANCE_PERMISSIONS.raise,
  ncrSignDispositioned: NONCONFORMANCE_PERMISSIONS.signDispositioned,
  ncrSignEngineering: NONCONFORMANCE_PERMISSIONS.signEngineering,
  ncrSignClosed: NONCONFORMANCE_PERMISSIONS.signClosed,
  recallRead: RECALL_PERMISSIONS.read,
  recallWrite: RECALL_PERMISSIONS.write,
  recallNotify: RECALL_PERMISSIONS.notify,
  recallSignApproved: RECALL_PERMISSIONS.signApproved,
  recallSignVerified: RECALL_PERMISSIONS.signVerified,
} as const;
