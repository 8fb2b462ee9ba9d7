import type { Signature } from '../../components/signatures';
import type { LotStatus } from '../inventory/types';
import type { Verdict } from './sample';

/** Inspections and plans as the quality API answers them. */

export const INSPECTION_STATUSES = ['open', 'accepted', 'rejected'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];

export type { Verdict };

export const STATUS_COLORS: Record<string, string> = { open: 'orange', accepted: 'green', rejected: 'red' };

export interface Named {
  code: string;
  name: string;
}

export interface Characteristic {
  id: string;
  name: string;
  kind: 'attribute' | 'variable';
  lowerLimit: string | null;
  upperLimit: string | null;
  unit: string | null;
}

export interface SamplingPlan {
  severity: 'normal' | 'tightened' | 'reduced';
  aql: string;
  codeLetter: string;
  planLetter: string;
  sampleSize: number;
  accept: number;
  reject: number;
  hundredPercent: boolean;
}

/** What the list and the page both say of an inspection, with the names of the records it points at. */
interface InspectionHead {
  id: string;
  number: string;
  lotId: string;
  receiptId: string;
  itemId: string;
  supplierId: string;
  lotSize: number;
  inspectionLevel: string;
  status: InspectionStatus;
  decidedAt: string | null;
  decidedBy: string | null;
  item: Named;
  supplier: Named;
  lot: { number: string; status: LotStatus; supplierLot: string | null };
  receipt: { number: string; poId: string };
}

export interface InspectionRow extends InspectionHead {
  createdAt: string;
  severity: SamplingPlan['severity'];
  aql: string;
  codeLetter: string;
  sampleSize: number;
  accept: number;
  reject: number;
}

export interface InspectionResult {
  characteristicId: string;
  defectives: number;
  measurements: string[] | null;
  recordedAt: string;
  recordedBy: string;
}

export interface Inspection extends InspectionHead {
  plan: SamplingPlan;
  characteristics: Characteristic[];
  results: InspectionResult[];
  nonconforming: number;
  verdict: Verdict;
  complete: boolean;
}

export interface InspectionDetail extends Inspection {
  signatures: Signature[];
}

export interface PlanSummary {
  id: string;
  itemId: string;
  item: Named;
  aql: string;
  inspectionLevel: string;
  version: number;
  inUse: boolean;
  characteristics: number;
  updatedAt: string;
}

export interface Plan extends Omit<PlanSummary, 'characteristics' | 'updatedAt'> {
  characteristics: Characteristic[];
}
