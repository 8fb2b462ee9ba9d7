import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { DecimalString, Id, Nullable } from '../../platform/schema.js';

/**
 * Nonconformance's contract: the NCR's statuses, sources, defect classes and disposition kinds,
 * its permissions and the events it publishes. The server and the web app both build on it.
 */

export const NCR_STATUSES = ['open', 'closed', 'cancelled'] as const;
export type NcrStatus = (typeof NCR_STATUSES)[number];

/** Where the nonconformance was found; a production operation comes with production; a customer's return when quality takes returned goods into an NCR. */
export const NCR_SOURCES = [
  'incoming_inspection',
  'lot',
  'serial',
  'purchase_receipt',
  'supplier',
  'production_operation',
  'customer_return',
] as const;
export type NcrSource = (typeof NCR_SOURCES)[number];

/** The sources a person raises an NCR from by hand (an inspection raises its own). */
export const MANUAL_NCR_SOURCES = ['lot', 'serial', 'purchase_receipt', 'supplier'] as const;
export type ManualNcrSource = (typeof MANUAL_NCR_SOURCES)[number];

export const DEFECT_CLASSES = ['critical', 'major', 'minor'] as const;
export type DefectClass = (typeof DEFECT_CLASSES)[number];

/** What the material review board decides for a quantity. */
export const DISPOSITION_KINDS = ['use_as_is', 'rework', 'scrap', 'return_to_supplier'] as const;
export type DispositionKind = (typeof DISPOSITION_KINDS)[number];

export const DISPOSITION_STATUSES = ['awaiting_engineering', 'decided'] as const;
export type DispositionStatus = (typeof DISPOSITION_STATUSES)[number];

export const NONCONFORMANCE_VOCABULARY = {
  'nonconformance.statuses': NCR_STATUSES,
  'nonconformance.sources': NCR_SOURCES,
  'nonconformance.defectClasses': DEFECT_CLASSES,
  'nonconformance.dispositionKinds': DISPOSITION_KINDS,
  'nonconformance.dispositionStatuses': DISPOSITION_STATUSES,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'nonconformance:read', description: 'See nonconformance reports, their dispositions, signatures and supplier PPM' },
  raise: {
    name: 'nonconformance:raise',
    description: 'Raise nonconformance reports (the affected lots go on hold), record containment and cancel with a reason',
  },
  signDispositioned: {
    name: 'nonconformance:sign.dispositioned',
    description: 'Decide MRB dispositions by e-signature as quality (meaning approved): use as is, rework, scrap, return to supplier',
  },
  signEngineering: {
    name: 'nonconformance:sign.engineering',
    description: 'Concur with a use-as-is disposition by e-signature as engineering (meaning verified), where the tenant requires it',
  },
  signClosed: {
    name: 'nonconformance:sign.closed',
    description: 'Close fully disposed nonconformance reports by e-signature (meaning approved)',
  },
  admin: { name: 'nonconformance:admin', description: 'Maintain the defect code list and the nonconformance settings' },
});
export const NONCONFORMANCE_PERMISSIONS = permissions.names;
export const NONCONFORMANCE_PERMISSION_LIST = permissions.list;

export const NcrRaised = Type.Object({
  nonconformanceId: Id,
  number: Type.String(),
  source: Type.Enum(NCR_SOURCES),
  sourceId: Id,
  defectClass: Type.Enum(DEFECT_CLASSES),
  supplierId: Nullable(Id),
  lots: Type.Array(Type.Object({ lotId: Id, quantity: DecimalString() })),
});

export const NcrDispositioned = Type.Object({
  nonconformanceId: Id,
  number: Type.String(),
  dispositions: Type.Array(
    Type.Object({
      dispositionId: Id,
      lotId: Id,
      kind: Type.Enum(DISPOSITION_KINDS),
      quantity: DecimalString(),
      status: Type.Enum(DISPOSITION_STATUSES),
    }),
  ),
});

export const NcrStep = Type.Object({
  nonconformanceId: Id,
  number: Type.String(),
  from: Type.Enum(NCR_STATUSES),
  to: Type.Enum(NCR_STATUSES),
  signatureId: Nullable(Id),
});

export const NONCONFORMANCE_EVENTS = defineEvents({
  raised: {
    type: 'nonconformance.ncr.raised',
    aggregate: 'nonconformance.ncr',
    when: 'a nonconformance report is raised (by an inspection rejection or by hand; lots raised by hand go on hold)',
    data: NcrRaised,
  },
  dispositioned: {
    type: 'nonconformance.ncr.dispositioned',
    aggregate: 'nonconformance.ncr',
    when: 'MRB dispositions are signed for quantities of the affected lots (or engineering concurs with a use as is)',
    data: NcrDispositioned,
  },
  closed: {
    type: 'nonconformance.ncr.closed',
    aggregate: 'nonconformance.ncr',
    when: 'a fully disposed nonconformance report is closed (signed)',
    data: NcrStep,
  },
  cancelled: {
    type: 'nonconformance.ncr.cancelled',
    aggregate: 'nonconformance.ncr',
    when: 'a nonconformance report raised in error is cancelled with a reason before any disposition',
    data: NcrStep,
  },
});

const Named = Type.Object({ id: Id, code: Type.String(), name: Type.String() });

export const DefectCodeSchema = Type.Object({ id: Id, code: Type.String(), name: Type.String(), active: Type.Boolean() });
export type DefectCode = Static<typeof DefectCodeSchema>;

export const AffectedSchema = Type.Object({
  id: Id,
  lineNo: Type.Integer(),
  lotId: Id,
  lotNumber: Type.String(),
  lotStatus: Type.String(),
  itemId: Id,
  quantity: DecimalString(),
  disposed: DecimalString({ description: 'quantity with a decided disposition' }),
  open: DecimalString({ description: 'quantity still to be disposed (affected less every disposition, decided or awaiting engineering)' }),
  awaitsReinspection: Type.Boolean({ description: 'fully decided with rework: held until re-inspected and released' }),
  reinspectedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type Affected = Static<typeof AffectedSchema>;

export const DispositionSchema = Type.Object({
  id: Id,
  lineNo: Type.Integer(),
  affectedId: Id,
  lotId: Id,
  lotNumber: Type.String(),
  kind: Type.Enum(DISPOSITION_KINDS),
  quantity: DecimalString(),
  justification: Type.String(),
  status: Type.Enum(DISPOSITION_STATUSES),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type NcrDisposition = Static<typeof DispositionSchema>;

export const SupplierNotificationSchema = Type.Object({
  id: Id,
  dispositionId: Id,
  supplierId: Id,
  quantity: DecimalString(),
  lotNumbers: Type.Array(Type.String()),
  text: Type.String(),
  sentAt: Type.String({ format: 'date-time' }),
});

export const NcrSummarySchema = Type.Object({
  id: Id,
  number: Type.String({ examples: ['NCR-2026-00001'] }),
  status: Type.Enum(NCR_STATUSES),
  source: Type.Enum(NCR_SOURCES),
  sourceId: Id,
  defectClass: Type.Enum(DEFECT_CLASSES),
  description: Type.String(),
  itemId: Nullable(Id),
  supplierId: Nullable(Id),
  supplierCaused: Type.Boolean(),
  receiptId: Nullable(Id),
  inspectionId: Nullable(Id),
  quantity: DecimalString({ description: 'affected quantity over all lots' }),
  openQuantity: DecimalString({ description: 'affected quantity not yet disposed' }),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type NcrSummary = Static<typeof NcrSummarySchema>;

export const NcrDetailSchema = Type.Object({
  ...NcrSummarySchema.properties,
  containment: Nullable(Type.String()),
  cancelReason: Nullable(Type.String()),
  siteId: Nullable(Id),
  createdById: Nullable(Id),
  item: Nullable(Named),
  supplier: Nullable(Named),
  receipt: Nullable(Named),
  inspection: Nullable(Named),
  /** The customer's return it was raised from (source customer_return). */
  customerReturn: Nullable(Named),
  defects: Type.Array(DefectCodeSchema),
  affected: Type.Array(AffectedSchema),
  dispositions: Type.Array(DispositionSchema),
  notifications: Type.Array(SupplierNotificationSchema),
  engineeringRequired: Type.Boolean(),
  allowedTransitions: Type.Array(Type.Enum(NCR_STATUSES)),
});
export type NcrDetail = Static<typeof NcrDetailSchema>;

export const SettingsSchema = Type.Object({ engineeringForUseAsIs: Type.Boolean() }, { additionalProperties: false });
export type NonconformanceSettings = Static<typeof SettingsSchema>;

export const SupplierPpmSchema = Type.Object({
  supplierId: Id,
  supplier: Type.Object({ code: Type.String(), name: Type.String() }),
  received: DecimalString(),
  nonconforming: DecimalString(),
  ncrs: Type.Integer(),
  ppm: Nullable(Type.Integer()),
});
