import type { Signature } from '../../components/signatures';
import type { LotStatus } from '../inventory/types';
import type { Verdict } from './sample';
import type { SamplingDecision, SwitchingSeverity } from './switching';

/** Inspections and plans as the quality API answers them. */

import type { InspectionStatus } from '@server/modules/quality/contract';

export { INSPECTION_STATUSES } from '@server/modules/quality/contract';
export type { InspectionStatus, SamplingDecision, SwitchingSeverity, Verdict };

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
  /** Who recorded it: separation of duties keeps them from accepting or rejecting the lot. */
  recordedById: string | null;
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

/** The switching state of an item from a supplier (`GET /quality/sampling`). */
export interface SamplingStateRow {
  id: string;
  itemId: string;
  item: Named;
  supplierId: string;
  supplier: Named;
  severity: SwitchingSeverity;
  /** Verdicts of the latest lots on this severity, oldest first; true: accepted. */
  recentLots: boolean[];
  switchingScore: number;
  notAcceptedOnTightened: number;
  reducedPermitted: boolean;
  updatedAt: string;
}

export interface SamplingStateDetail extends SamplingStateRow {
  /** The signatures of the decisions taken on this item and supplier, oldest first. */
  signatures: Signature[];
}

/** What a decision answers: the state it left, and the signature that made it. */
export interface SamplingDecisionResult extends SamplingStateRow {
  signature: Signature;
}
