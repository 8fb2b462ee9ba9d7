import type { Signature } from '../../components/signatures';

/** Master data as the /api/v1 masterdata endpoints return it (decimals are strings, dates YYYY-MM-DD). */

export {
  APPROVAL_STATUSES,
  EQUIPMENT_STATUSES,
  ITEM_TYPES,
  LOCATION_KINDS,
  TRACKING_MODES,
} from '@server/modules/masterdata/contract';

export interface Conversion {
  unit: string;
  factor: string;
}

export interface Item {
  id: string;
  code: string;
  name: string;
  type: string;
  baseUnit: string;
  tracking: string;
  shelfLifeDays: number | null;
  gtin: string | null;
  active: boolean;
  conversions: Conversion[];
  version: number;
}

export interface ItemSummary extends Item {
  releasedRevision: string | null;
  inWorkRevision: string | null;
  inWorkStatus: 'draft' | 'in_review' | null;
}

export interface ItemRevision {
  id: string;
  itemId: string;
  revision: string;
  status: string;
  description: string;
  releasedAt: string | null;
  releasedBy: string | null;
  obsoletedAt: string | null;
  version: number;
}

export interface ItemRevisionDetail extends ItemRevision {
  signatures: Signature[];
  allowedTransitions: string[];
}

export interface BomLine {
  id: string;
  lineNo: number;
  componentItemId: string;
  componentCode: string;
  componentName: string;
  componentBaseUnit: string;
  quantityPer: string;
  unit: string;
  scrapFactor: string;
  referenceDesignator: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
}

export interface RoutingOperation {
  id: string;
  sequence: number;
  name: string;
  workCenterId: string;
  workCenterCode: string;
  workCenterName: string;
  setupMinutes: string;
  runMinutesPerUnit: string;
  inspectionPoints: string[];
  workInstructionDocumentId: string | null;
  workInstruction: { number: string; revision: number; title: string; status: string } | null;
  firstArticleRequired: boolean;
  lineClearanceRequired: boolean;
  parallelWithPrevious: boolean;
  /** Process parameters recorded at the operation, each with a lower and/or upper limit. */
  parameters: Array<{ name: string; unit: string; lowerLimit: string | null; upperLimit: string | null }>;
}

export interface WhereUsedRow {
  level: number;
  itemId: string;
  itemCode: string;
  itemName: string;
  itemRevisionId: string;
  revision: string;
  revisionStatus: string;
  componentItemId: string;
  quantityPer: string;
  unit: string;
}

export interface ExplosionLine {
  level: number;
  path: string;
  parentItemId: string;
  componentItemId: string;
  componentCode: string;
  componentName: string;
  componentRevisionId: string | null;
  componentRevision: string | null;
  quantityPer: string;
  unit: string;
  scrapFactor: string;
  referenceDesignator: string | null;
  quantity: string;
  baseUnit: string;
}

export interface Explosion {
  itemRevisionId: string;
  quantity: string;
  onDate: string;
  lines: ExplosionLine[];
  totals: Array<{ componentItemId: string; componentCode: string; quantity: string; baseUnit: string }>;
}

export interface Unit {
  code: string;
  name: string;
  dimension: string;
  packaging: boolean;
}

export interface WorkCenter {
  id: string;
  code: string;
  name: string;
  siteId: string;
  capacityHoursPerDay: string;
  workingDays: number[];
  subcontracted: boolean;
  active: boolean;
  version: number;
}

export interface Equipment {
  id: string;
  code: string;
  name: string;
  workCenterId: string;
  workCenterCode: string;
  workCenterName: string;
  status: string;
  calibrationDue: string | null;
  calibrationOverdue: boolean;
  version: number;
}

export interface StorageLocation {
  id: string;
  siteId: string;
  warehouse: string;
  zone: string | null;
  bin: string | null;
  code: string;
  name: string;
  kind: string;
  active: boolean;
  version: number;
}

export interface Address {
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  postalCode: string | null;
  region: string | null;
  country: string;
}

/** What a supplier and a customer both are: a business partner with a contact. */
interface Partner {
  id: string;
  code: string;
  name: string;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  active: boolean;
  version: number;
}

export interface Supplier extends Partner, Address {}

export interface SupplierApproval {
  id: string;
  supplierId: string;
  supplierCode: string;
  supplierName: string;
  itemId: string;
  itemCode: string;
  itemName: string;
  status: string;
  evidence: string;
  evidenceDocumentId: string | null;
  expiresOn: string | null;
  approvedToday: boolean;
}

export interface DeliveryPerformance {
  supplierId: string;
  from: string | null;
  to: string | null;
  receipts: number;
  onTime: number;
  onTimePercent: string | null;
}

export interface ShipTo extends Address {
  id: string;
  code: string;
  name: string;
  active: boolean;
}

export interface Customer extends Partner {
  shipTos: ShipTo[];
}

export interface Site {
  id: string;
  code: string;
  name: string;
  timeZone: string;
  active: boolean;
}

/** A controlled document as the documents list returns it (for choosing work instructions and evidence). */
export interface DocumentRef {
  id: string;
  number: string;
  revision: number;
  title: string;
  kind: string;
  status: string;
}

/** Colours of the server's status values, one meaning per colour across the screens. */
export const REVISION_COLORS: Record<string, string> = { draft: 'gray', in_review: 'yellow', released: 'green', obsolete: 'dark' };
export const EQUIPMENT_COLORS: Record<string, string> = { active: 'green', out_of_service: 'red' };
export const APPROVAL_COLORS: Record<string, string> = { approved: 'green', conditional: 'yellow', disqualified: 'red' };
export const LOCATION_COLORS: Record<string, string> = {
  quarantine: 'yellow',
  released: 'green',
  rejected: 'red',
  production: 'blue',
  shipping: 'grape',
};
