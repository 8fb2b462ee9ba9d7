import type { LotStatus, SourceKind } from '@server/modules/inventory/contract';

export type { Trace, TraceDirection, TracedLot } from '@server/modules/inventory/contract';

import type { LocationKind } from '@server/modules/masterdata/contract';
import type { Signature } from '../../components/signatures';

export type { LocationKind, LotStatus };

/** Inventory as the /inventory endpoints answer it; quantities are decimal strings in the item's base unit. */
export type LotStep = 'hold' | 'unhold' | 'release' | 'reject';

export interface ItemRef {
  id: string;
  code: string;
  name: string;
  baseUnit: string;
  tracking: 'lot' | 'serial' | 'none';
}

export interface LocationRef {
  id: string;
  code: string;
  name: string;
  kind: LocationKind;
  siteId: string;
}

export interface StockAt {
  location: LocationRef;
  quantity: string;
}

export interface Lot {
  id: string;
  itemId: string;
  itemRevisionId: string | null;
  kind: 'lot' | 'serial';
  number: string;
  status: LotStatus;
  holdReason: string | null;
  supplierId: string | null;
  supplierLot: string | null;
  manufacturedOn: string | null;
  expiresOn: string | null;
  onHand: string;
  createdAt: string;
  item: ItemRef;
  revision: string | null;
  supplier: { id: string; code: string; name: string } | null;
  stock: StockAt[];
}

export interface Actor {
  kind: string;
  id: string;
  name: string;
}

export interface StatusChange {
  id: string;
  fromStatus: LotStatus;
  toStatus: LotStatus;
  reason: string | null;
  signatureId: string | null;
  actor: Actor;
  changedAt: string;
}

export interface MovementSource {
  kind: SourceKind;
  id: string;
  /** The line of the record (a receipt: the order line it received); null when the record has none. */
  line: number | null;
  /** The record's number, e.g. GR-2026-00012; null for inventory's own operations. */
  label: string | null;
}

export interface Movement {
  id: string;
  operationId: string;
  movementType: string;
  itemId: string;
  lotId: string | null;
  lotNumber: string | null;
  quantity: string;
  fromLocationId: string | null;
  toLocationId: string | null;
  fromLocation: LocationRef | null;
  toLocation: LocationRef | null;
  reference: { type: string; id: string } | null;
  /** The record the movement was written for: a typed link, labelled with the record's number where it has one. */
  source: MovementSource | null;
  reason: string | null;
  actor: Actor;
  createdAt: string;
  item: ItemRef;
  signature: Signature | null;
}

export interface LotDetail {
  lot: Lot;
  statusChanges: StatusChange[];
  movements: Movement[];
  signatures: Signature[];
  steps: LotStep[];
}

export interface ItemTotal {
  itemId: string;
  item: ItemRef;
  quantity: string;
  available: string;
  quarantine: string;
  blocked: string;
}

export interface Balance {
  itemId: string;
  lotId: string | null;
  lotNumber: string | null;
  lotKind: 'lot' | 'serial' | null;
  lotStatus: LotStatus | null;
  expiresOn: string | null;
  supplierLot: string | null;
  locationId: string;
  siteId: string;
  quantity: string;
  item: ItemRef;
  location: LocationRef;
}

export interface FefoSuggestion {
  lines: Array<{
    lotId: string;
    lotNumber: string;
    supplierLot: string | null;
    expiresOn: string | null;
    location: LocationRef;
    available: string;
    take: string;
  }>;
  shortfall: string;
}

/** A storage location as masterdata's /locations lists it. */
export interface StorageLocation {
  id: string;
  siteId: string;
  code: string;
  name: string;
  kind: LocationKind;
  active: boolean;
}

/** An item as masterdata's /items lists it (what the pickers need of it). */
export interface ItemListed {
  id: string;
  code: string;
  name: string;
  baseUnit: string;
  tracking: 'lot' | 'serial' | 'none';
}

/** An incoming inspection of a lot, as the quality module lists it. */
export interface InspectionSummary {
  id: string;
  number: string;
  lotId: string;
  receiptId: string;
  status: string;
}

export { LOT_STATUSES } from '@server/modules/inventory/contract';

export const STATUS_COLORS: Record<LotStatus, string> = {
  quarantine: 'yellow',
  released: 'green',
  on_hold: 'orange',
  rejected: 'red',
  consumed: 'gray',
  shipped: 'blue',
  expired: 'red',
};

/** Lots that still count as stock: the ones whose expiry matters. */
export const IN_STOCK_STATUSES: readonly LotStatus[] = ['quarantine', 'released', 'on_hold', 'expired'];
