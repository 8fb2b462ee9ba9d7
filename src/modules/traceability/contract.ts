import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { SignatureComment, SignerPassword, SignerTotpCode } from '../../platform/esign/contract.js';
import { DateTime, Id, IsoDate, Nullable } from '../../platform/schema.js';
import { LOT_KINDS } from '../inventory/contract.js';
import { PACKAGING_LEVELS } from '../masterdata/contract.js';

/**
 * Traceability's contract: what a scanned GS1 data carrier says (UDI device identifier and
 * production identifiers), as the scan endpoint answers it and scan fields use it; UDI labels
 * printed and their reconciliation.
 */

/** Where a scanned text came from: a barcode's element string, its printed form, or a GS1 Digital Link URI. */
export const SCAN_FORMS = ['elementString', 'humanReadable', 'digitalLink'] as const;
export type ScanForm = (typeof SCAN_FORMS)[number];

export const ScanQuery = Type.Object(
  {
    scan: Type.String({
      minLength: 1,
      maxLength: 500,
      description:
        'what the scanner sent: element string (group separators %1D allowed, a trailing one too), printed form or Digital Link URI',
    }),
  },
  { additionalProperties: false },
);

export const Gs1DataSchema = Type.Object({
  sscc: Type.Optional(Type.String({ description: '(00)' })),
  gtin: Type.Optional(Type.String({ description: '(01) the device identifier (UDI-DI)' })),
  contentGtin: Type.Optional(Type.String({ description: '(02)' })),
  batch: Type.Optional(Type.String({ description: '(10) lot' })),
  productionDate: Type.Optional(IsoDate),
  expiryDate: Type.Optional(IsoDate),
  serial: Type.Optional(Type.String({ description: '(21)' })),
  variableCount: Type.Optional(Type.Integer({ description: '(30)' })),
  count: Type.Optional(Type.Integer({ description: '(37)' })),
  expiryDateTime: Type.Optional(Type.String({ description: '(7003) YYYY-MM-DDTHH:MM' })),
  elements: Type.Optional(
    Type.Array(
      Type.Object({
        ai: Type.String({ description: 'GS1 application identifier, e.g. "3103"' }),
        value: Type.String({ description: 'the data as carried in the barcode' }),
        title: Type.String({ description: 'GS1 data title, e.g. "NET WEIGHT (kg)"' }),
        decimal: Type.Optional(Type.String({ description: 'for AIs placing a decimal point: the number, e.g. "1.250"' })),
      }),
      { description: 'every element read, in the order read' },
    ),
  ),
});

export const ScanResult = Type.Object({
  form: Type.Enum(SCAN_FORMS),
  data: Gs1DataSchema,
  humanReadable: Type.String({ description: 'the (AI)value form printed under a barcode' }),
  digitalLink: Type.Union([Type.String(), Type.Null()], { description: 'the GS1 Digital Link URI, when the data has a primary key' }),
});
export type ScanResult = Static<typeof ScanResult>;

// ---------------------------------------------------------------------------------------------
// UDI labels

/** A label layout: one label per page (a label printer's roll), or labels tiled on an A4 sheet. */
export const LABEL_TEMPLATES = ['single', 'sheet'] as const;
export type LabelTemplate = (typeof LABEL_TEMPLATES)[number];
/** What the printer takes: a PDF, or ZPL for a thermal printer. */
export const LABEL_FORMATS = ['pdf', 'zpl'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];
/** A print job is open until every label printed is accounted for as used or destroyed. */
export const LABEL_JOB_STATUSES = ['printed', 'reconciled'] as const;
export type LabelJobStatus = (typeof LABEL_JOB_STATUSES)[number];
/** A job's inspection before its labels are used: pass, or fail (its labels are destroyed, none used). */
export const LABEL_INSPECTION_RESULTS = ['pass', 'fail'] as const;
export type LabelInspectionResult = (typeof LABEL_INSPECTION_RESULTS)[number];
/** What an inspection finding is about: a field of a unit's UDI, or the label scanned by the inspector. */
export const LABEL_FINDING_FIELDS = ['gtin', 'lot', 'serial', 'expiry', 'production', 'scan'] as const;
export type LabelFindingField = (typeof LABEL_FINDING_FIELDS)[number];
/** The record a job was printed for, as a typed link. */
export const LABEL_LINK_KINDS = ['work_order'] as const;

export const TRACEABILITY_VOCABULARY = {
  'traceability.labelTemplates': LABEL_TEMPLATES,
  'traceability.labelFormats': LABEL_FORMATS,
  'traceability.labelStatuses': LABEL_JOB_STATUSES,
  'traceability.labelInspectionResults': LABEL_INSPECTION_RESULTS,
  'traceability.labelFindingFields': LABEL_FINDING_FIELDS,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: {
    name: 'traceability:read',
    description:
      "See UDI labels printed and their reconciliation; export the UDI device identifiers and a lot's or serial's history as an EPCIS 2.0 document (with its orders, suppliers and customers)",
  },
  print: { name: 'traceability:label.print', description: 'Print UDI labels for lots and serials (PDF or ZPL); each print is recorded' },
  reconcile: {
    name: 'traceability:label.reconcile',
    description: 'Reconcile printed labels: used plus destroyed (with a reason) must equal printed',
  },
  signVerified: {
    name: 'traceability:sign.verified',
    description: 'Inspect printed labels before they are used, by e-signature (meaning verified; not the person who printed them)',
  },
});
export const TRACEABILITY_PERMISSIONS = permissions.names;
export const TRACEABILITY_PERMISSION_LIST = permissions.list;

/** One line of text as a person types it: no line breaks (those are refused at the edge). */
const Line = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const LabelLink = Type.Object({ kind: Type.Enum(LABEL_LINK_KINDS), id: Id });
export type LabelLink = Static<typeof LabelLink>;

export const PrintLabelsBody = Type.Object(
  {
    lotIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true, description: 'one lot, or the serials to label' }),
    packagingLevel: Type.Enum(PACKAGING_LEVELS, {
      description: "the level labelled; its GTIN is the UDI-DI (each: the item's GTIN when no level is set)",
    }),
    template: Type.Enum(LABEL_TEMPLATES),
    format: Type.Enum(LABEL_FORMATS),
    copies: Type.Integer({ minimum: 1, maximum: 100, description: 'labels per lot or serial' }),
    workOrderId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type PrintLabelsBody = Static<typeof PrintLabelsBody>;

export const LabelUnit = Type.Object({
  lotId: Id,
  kind: Type.Enum(LOT_KINDS),
  number: Type.String(),
  manufacturedOn: Nullable(IsoDate),
  expiresOn: Nullable(IsoDate),
  udi: Type.String({ description: 'GS1 element string as encoded (group separator \\u001d after variable-length fields)' }),
  humanReadable: Type.String({ description: 'the (01)…(17)…(10)… text printed under the barcode' }),
});
export type LabelUnit = Static<typeof LabelUnit>;

const Person = Type.Object({ id: Nullable(Type.String()), name: Type.String() });

export const LabelFinding = Type.Object({
  position: Nullable(Type.Integer({ description: "the unit's position in the job; null for the label scanned" })),
  field: Type.Enum(LABEL_FINDING_FIELDS),
  onLabel: Nullable(Type.String({ description: 'what the label carries' })),
  expected: Nullable(Type.String({ description: 'what it should carry now' })),
});
export type LabelFinding = Static<typeof LabelFinding>;

export const LabelInspection = Type.Object({
  id: Id,
  result: Type.Enum(LABEL_INSPECTION_RESULTS),
  printLegible: Type.Boolean(),
  barcodeScans: Type.Boolean(),
  scanned: Nullable(Type.String({ description: 'the label scanned by the inspector, as the scanner sent it' })),
  remarks: Nullable(Type.String()),
  inspectedBy: Type.Object({ id: Nullable(Type.String()), name: Type.String(), login: Type.String() }),
  inspectedAt: DateTime,
  meaning: Type.Literal('verified', { description: "the meaning of the inspector's signature" }),
  findings: Type.Array(LabelFinding),
});
export type LabelInspection = Static<typeof LabelInspection>;

export const LabelJob = Type.Object({
  id: Id,
  number: Type.String({ description: 'LBL-YYYY-NNNNN' }),
  itemId: Id,
  itemCode: Type.String(),
  itemName: Type.String(),
  packagingLevel: Type.Enum(PACKAGING_LEVELS),
  gtin: Type.String({ description: 'GTIN-14, the UDI-DI' }),
  template: Type.Enum(LABEL_TEMPLATES),
  format: Type.Enum(LABEL_FORMATS),
  copies: Type.Integer(),
  quantityPrinted: Type.Integer(),
  link: Nullable(LabelLink),
  printedBy: Person,
  printedAt: DateTime,
  status: Type.Enum(LABEL_JOB_STATUSES),
  quantityUsed: Nullable(Type.Integer()),
  quantityDestroyed: Nullable(Type.Integer()),
  destroyedReason: Nullable(Type.String()),
  reconciledBy: Nullable(Person),
  reconciledAt: Nullable(DateTime),
  version: Type.Integer(),
  units: Type.Array(LabelUnit),
  inspection: Nullable(LabelInspection),
});
export type LabelJob = Static<typeof LabelJob>;

const Count = (description: string) => Type.Integer({ minimum: 0, maximum: 100000, description });
export const ReconcileLabelsBody = Type.Object(
  {
    used: Count('labels applied to product'),
    destroyed: Count('labels destroyed (spoiled, surplus, test prints)'),
    destroyedReason: Type.Optional(Line(1000)),
  },
  { additionalProperties: false },
);
export type ReconcileLabelsBody = Static<typeof ReconcileLabelsBody>;
export const ReconcileWorkOrderLabelsBody = Type.Object(
  {
    jobs: Type.Array(Type.Object({ jobId: Id, ...ReconcileLabelsBody.properties }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 200,
    }),
  },
  { additionalProperties: false },
);
export type ReconcileWorkOrderLabelsBody = Static<typeof ReconcileWorkOrderLabelsBody>;

/** The inspector's checks and signature; the system's own check of every unit needs no input. */
export const InspectLabelsBody = Type.Object(
  {
    printLegible: Type.Boolean({ description: 'the printed text and barcode are legible and complete' }),
    barcodeScans: Type.Boolean({ description: 'the barcode scans' }),
    scan: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: "one label's barcode as the scanner sent it; compared with the job's units",
      }),
    ),
    remarks: Type.Optional(Line(2000)),
    password: SignerPassword,
    totpCode: Type.Optional(SignerTotpCode),
    comment: Type.Optional(SignatureComment),
  },
  { additionalProperties: false },
);
export type InspectLabelsBody = Static<typeof InspectLabelsBody>;

export const LabelTotals = Type.Object({
  jobs: Type.Integer(),
  printed: Type.Integer(),
  used: Type.Integer(),
  destroyed: Type.Integer(),
  open: Type.Integer({ description: 'jobs not reconciled yet' }),
  reconciled: Type.Boolean({ description: 'every job reconciled (true for none)' }),
  uninspected: Type.Integer({ description: 'jobs whose labels may be used without a passed inspection' }),
});
export const WorkOrderLabels = Type.Object({ workOrderId: Id, jobs: Type.Array(LabelJob), totals: LabelTotals });
export type WorkOrderLabels = Static<typeof WorkOrderLabels>;

const JobStep = Type.Object({ number: Type.String(), itemId: Id, quantityPrinted: Type.Integer(), link: Nullable(LabelLink) });
export const TRACEABILITY_EVENTS = defineEvents({
  labelsPrinted: {
    type: 'traceability.labelJob.printed',
    aggregate: 'traceability.labelJob',
    when: 'UDI labels are printed for lots or serials',
    data: JobStep,
  },
  labelsReconciled: {
    type: 'traceability.labelJob.reconciled',
    aggregate: 'traceability.labelJob',
    when: 'a label print job is reconciled: used plus destroyed equals printed',
    data: Type.Object({ ...JobStep.properties, used: Type.Integer(), destroyed: Type.Integer() }),
  },
  labelsInspected: {
    type: 'traceability.labelJob.inspected',
    aggregate: 'traceability.labelJob',
    when: "a label print job's labels are inspected (signed, meaning verified): pass, or fail and its labels are to be destroyed",
    data: Type.Object({ ...JobStep.properties, result: Type.Enum(LABEL_INSPECTION_RESULTS), findings: Type.Integer() }),
  },
});

/** Which history to export: a lot or serial by id, or a serial by its number (and GTIN when several items share it). */
export const EpcisQuery = Type.Object(
  {
    lot: Type.Optional(Id),
    serial: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the serial number' })),
    gtin: Type.Optional(Type.String({ pattern: '^[0-9]{14}$', description: 'GTIN-14 of the serial, when several items use the number' })),
  },
  { additionalProperties: false },
);
export type EpcisQuery = Static<typeof EpcisQuery>;

/** An EPCIS document to check: JSON-LD, read as it is (the reader, not the schema, judges it). */
export const EpcisUpload = Type.Unknown({ description: 'an EPCIS 2.0 JSON / JSON-LD document or a single event' });

export const EpcisValidation = Type.Object({
  valid: Type.Literal(true),
  events: Type.Integer({ minimum: 0, description: 'how many events the document holds' }),
});
export type EpcisValidation = Static<typeof EpcisValidation>;
