export {
  LICENCE_KINDS,
  RETURN_DISPOSITIONS,
  RETURN_STATUSES,
  type ReturnableLot,
  type ReturnDisposition,
  type ReturnStatus,
  type ReturnSummary,
  SO_STATUSES,
  type SoStatus,
} from '@server/modules/sales/contract';

import type { ReturnDetail, ReturnSummary, SoStatus } from '@server/modules/sales/contract';
import type { Signature } from '../../components/signatures';

/** A customer's return as its page shows it: lines, dispositions, allowed steps and every disposition's signature. */
export type ReturnRecord = ReturnDetail & { signatures: Signature[] };

/** A stock location as the location list answers it (quarantine to receive into, released to restock to). */
export interface StockPlace {
  id: string;
  code: string;
  name: string;
  active: boolean;
}

export interface SoLine {
  id: string;
  lineNo: number;
  itemId: string;
  quantity: string;
  unitPrice: string;
  requestedDate: string;
  shippedQuantity: string;
  openQuantity: string;
  lineTotal: string;
}

export interface SalesOrder {
  id: string;
  number: string;
  customerId: string;
  shipToId: string;
  siteId: string;
  currency: string;
  customerReference: string | null;
  status: SoStatus;
  notes: string | null;
  total: string;
  nextRequestedDate: string | null;
  version: number;
  createdAt: string;
  lines: SoLine[];
}

export interface ShipmentSummary {
  id: string;
  number: string;
  shippedOn: string;
  lotCount: number;
  carrier: string | null;
}

export interface OrderDetail extends SalesOrder {
  allowedTransitions: SoStatus[];
  shipments: ShipmentSummary[];
}

export interface ScannedLot {
  lineNo: number;
  itemId: string;
  lotId: string;
  lotNumber: string;
  kind: 'lot' | 'serial';
  expiresOn: string | null;
  quantity: string;
}

export interface SalesRecord {
  id: string;
  shipmentId: string;
  shipmentNumber: string;
  orderId: string;
  lineNo: number;
  customerId: string;
  shipToText: string;
  lotKind: string;
  lotNumber: string;
  expiresOn: string | null;
  quantity: string;
  shippedOn: string;
  udiHri: string | null;
}

export interface ShipmentDocument {
  returns: ReturnSummary[];
  shipment: {
    id: string;
    siteId: string;
    number: string;
    orderId: string;
    orderNumber: string;
    shippedOn: string;
    carrier: string | null;
    trackingNumber: string | null;
    shippedBy: string;
  };
  customer: { code: string; name: string };
  shipTo: { name: string; addressLine1: string; city: string; country: string };
  cartons: Array<{ cartonNo: number; sscc: string }>;
  lines: Array<{
    lineNo: number;
    item: { code: string; name: string };
    quantity: string;
    lots: Array<{
      lotId: string;
      kind: 'lot' | 'serial';
      number: string;
      expiresOn: string | null;
      quantity: string;
      cartonNo: number;
      udiHri: string | null;
    }>;
  }>;
}

/** True when the order still has goods to ship past their requested date. */
export const isLate = (o: Pick<SalesOrder, 'nextRequestedDate' | 'status'>, today: string): boolean =>
  (o.status === 'confirmed' || o.status === 'partially_shipped') && !!o.nextRequestedDate && o.nextRequestedDate < today;
