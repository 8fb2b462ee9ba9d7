import type { Signature } from '../../components/signatures';
import type { LotStatus } from '../inventory/types';

/** Purchase orders, receipts and certificates as the purchasing API answers them. */

import type { PoStatus } from '@server/modules/purchasing/contract';

export { PO_STATUSES } from '@server/modules/purchasing/contract';
export type { PoStatus };

export const STATUS_COLORS: Record<string, string> = {
  draft: 'gray',
  approved: 'blue',
  sent: 'indigo',
  partially_received: 'yellow',
  received: 'teal',
  closed: 'dark',
  cancelled: 'red',
};

export interface Named {
  code: string;
  name: string;
}

export interface OrderLine {
  id: string;
  lineNo: number;
  itemId: string;
  item: Named & { baseUnit: string };
  quantity: string;
  unit: string;
  unitPrice: string;
  dueDate: string;
  overReceiptTolerancePct: string;
  receivedQuantity: string;
  openQuantity: string;
  lineTotal: string;
}

export interface PurchaseOrder {
  id: string;
  number: string;
  supplierId: string;
  supplier: Named;
  siteId: string;
  site: Named;
  currency: string;
  status: PoStatus;
  notes: string | null;
  total: string;
  version: number;
  createdAt: string;
  /** Who created the order: separation of duties keeps them from approving it. */
  createdBy: { id: string; name: string } | null;
  lines: OrderLine[];
}

export interface OrderDetail extends PurchaseOrder {
  signatures: Signature[];
  allowedTransitions: PoStatus[];
}

export interface Conditions {
  temperature?: { value: string; unit: 'C' | 'F' };
  humidity?: { value: string; unit: '%RH' };
}

export interface Receipt {
  id: string;
  number: string;
  poId: string;
  poNumber: string;
  poLineId: string;
  lineNo: number;
  supplierId: string;
  supplier: Named;
  itemId: string;
  item: Named;
  siteId: string;
  site: Named;
  lotId: string;
  lot: { number: string; status: LotStatus };
  quantity: string;
  unit: string;
  supplierLot: string;
  manufacturedOn: string | null;
  expiresOn: string | null;
  conditions: Conditions;
  deviationId: string | null;
  receivedOn: string;
  dueDate: string;
  onTime: boolean;
  receivedAt: string;
  receivedBy: string;
}

export interface Certificate {
  id: string;
  receiptId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
  uploadedBy: string;
}

export interface ReceiptDetail extends Receipt {
  certificates: Certificate[];
}

/** Master data the forms pick from. */
export interface Supplier extends Named {
  id: string;
  active: boolean;
}

export interface Item extends Named {
  id: string;
  baseUnit: string;
  tracking: 'lot' | 'serial' | 'none';
  active: boolean;
  conversions: Array<{ unit: string; factor: string }>;
}

export interface Location {
  id: string;
  code: string;
  name: string;
  siteId: string;
  kind: string;
  active: boolean;
}

export interface SupplierApproval {
  id: string;
  supplierId: string;
  itemId: string;
  status: 'approved' | 'conditional' | 'disqualified';
  expiresOn: string | null;
  approvedToday: boolean;
}
