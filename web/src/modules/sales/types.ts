export { LICENCE_KINDS, SO_STATUSES, type SoStatus } from '@server/modules/sales/contract';

import type { SoStatus } from '@server/modules/sales/contract';

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
  shipment: {
    id: string;
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
      kind: string;
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
