import { Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { Id, Nullable } from '../../platform/schema.js';

/**
 * Quality's contract: inspection statuses and dispositions, the ISO 2859-1 value lists, its
 * permissions and the events of inspections and switching decisions. The server and the web
 * app both build on it.
 */

export const CHARACTERISTIC_KINDS = ['attribute', 'variable'] as const;
export type CharacteristicKind = (typeof CHARACTERISTIC_KINDS)[number];
export const INSPECTION_STATUSES = ['open', 'accepted', 'rejected'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];
export const DISPOSITIONS = ['accept', 'reject'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** ISO 2859-1 inspection levels: special S-1…S-4 and general I–III. */
export const INSPECTION_LEVELS = ['S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III'] as const;
export type InspectionLevel = (typeof INSPECTION_LEVELS)[number];
export const SEVERITIES = ['normal', 'tightened', 'reduced'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** A switching state may also be discontinued (ISO 2859-1 9.4). */
export const SWITCHING_SEVERITIES = [...SEVERITIES, 'discontinued'] as const;
export type SwitchingSeverity = (typeof SWITCHING_SEVERITIES)[number];
/** Decisions of the responsible authority on switching (9.3.3 c, 9.3.4 c, 9.4). */
export const SAMPLING_DECISIONS = ['permitReduced', 'withdrawReduced', 'resume'] as const;
export type SamplingDecision = (typeof SAMPLING_DECISIONS)[number];

/** The lists whose values the screens name, by their catalog prefix. */
export const QUALITY_VOCABULARY = {
  'quality.inspectionStatuses': INSPECTION_STATUSES,
  'quality.characteristicKinds': CHARACTERISTIC_KINDS,
  'quality.severities': SEVERITIES,
  'quality.switchingSeverities': SWITCHING_SEVERITIES,
  'quality.decisions': SAMPLING_DECISIONS,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'quality:read', description: 'See inspection plans, inspections, results and their signatures' },
  inspect: { name: 'quality:inspect', description: 'Maintain inspection plans, record inspection results and submit dispositions' },
  signReleased: { name: 'quality:sign.released', description: 'Accept inspected lots by e-signature (meaning released)' },
  signRejected: { name: 'quality:sign.rejected', description: 'Reject inspected lots by e-signature (meaning rejected)' },
  signApproved: {
    name: 'quality:sign.approved',
    description: 'Decide as responsible authority on switching by e-signature (meaning approved): reduced inspection, resuming',
  },
});
export const QUALITY_PERMISSIONS = permissions.names;
export const QUALITY_PERMISSION_LIST = permissions.list;

const Disposed = Type.Object({
  inspectionId: Id,
  number: Type.String(),
  lotId: Id,
  receiptId: Nullable(Id),
  itemId: Id,
  supplierId: Id,
  sampleSize: Type.Integer(),
  nonconforming: Type.Integer(),
  from: Type.Enum(INSPECTION_STATUSES),
  to: Type.Enum(INSPECTION_STATUSES),
  signatureId: Nullable(Id),
});

export const QUALITY_EVENTS = defineEvents({
  inspectionCreated: {
    type: 'quality.inspection.created',
    aggregate: 'quality.inspection',
    when: 'an incoming inspection opened for a received lot',
    data: Type.Object({
      inspectionId: Id,
      number: Type.String(),
      lotId: Id,
      sampleSize: Type.Integer(),
      accept: Type.Integer(),
      reject: Type.Integer(),
    }),
  },
  inspectionAccepted: {
    type: 'quality.inspection.accepted',
    aggregate: 'quality.inspection',
    when: 'the signed disposition accepts the lot (it is released)',
    data: Disposed,
  },
  inspectionRejected: {
    type: 'quality.inspection.rejected',
    aggregate: 'quality.inspection',
    when: 'the signed disposition rejects the lot; what nonconformance work consumes',
    data: Disposed,
  },
  samplingDecided: {
    type: 'quality.sampling.decided',
    aggregate: 'quality.sampling',
    when: 'a signed switching decision of the responsible authority (aggregate id `<itemId>/<supplierId>`)',
    data: Type.Object({
      decisionId: Id,
      itemId: Id,
      supplierId: Id,
      decision: Type.Enum(SAMPLING_DECISIONS),
      from: Type.Enum(SWITCHING_SEVERITIES),
      to: Type.Enum(SWITCHING_SEVERITIES),
      reducedPermitted: Type.Boolean(),
      signatureId: Id,
    }),
  },
});
