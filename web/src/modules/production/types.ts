export {
  CHECK_RESULTS,
  type CheckKind,
  type DeviceHistoryRecord,
  DOWNTIME_REASONS,
  MATERIAL_MOVEMENT_KINDS,
  type OperationExecution,
  type OpParameter,
  type QueuedOperation,
  SCRAP_REASONS,
  WO_STATUSES,
  type WoMaterial,
  type WoMovement,
  type WoOperation,
  type WoOutputReport,
  type WoProducedLot,
  type WorkOrder,
  type WorkOrderDetail,
  type WorkOrderOutput,
  type WoStatus,
} from '@server/modules/production/contract';

/** An item as the master data list answers it, for choosing what to make. */
export interface ItemOption {
  id: string;
  code: string;
  name: string;
  baseUnit: string;
  releasedRevision: string | null;
}

export interface RevisionOption {
  id: string;
  revision: string;
  status: string;
}

export interface LocationOption {
  id: string;
  code: string;
  name: string;
  kind: string;
  siteId: string;
}

export interface WorkCenterOption {
  id: string;
  code: string;
  name: string;
}
