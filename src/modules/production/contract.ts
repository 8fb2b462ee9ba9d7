import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { DecimalString, Id, IsoDate, Nullable } from '../../platform/schema.js';
import { LOT_KINDS, LotStatusSchema } from '../inventory/contract.js';

/**
 * Production's contract: work order statuses, the kinds of material movement, permissions, the
 * events of work orders and the shapes the API answers. The server and the web app both build on it.
 */

/** A work order operation's state: pending → running ⇄ paused → completed. */
export const OP_STATUSES = ['pending', 'running', 'paused', 'completed'] as const;
export type OpStatus = (typeof OP_STATUSES)[number];

/** Work order status: one tuple types the database check, the API schema and the UI. */
export const WO_STATUSES = ['draft', 'released', 'in_progress', 'completed', 'closed', 'cancelled'] as const;
export type WoStatus = (typeof WO_STATUSES)[number];

/** Orders material may be issued to and returned from. */
export const ISSUABLE_STATUSES = ['released', 'in_progress'] as const satisfies readonly WoStatus[];

export const MATERIAL_MOVEMENT_KINDS = ['issue', 'return'] as const;

/** Where a work order's device history record stands: open → reviewed (signed) → released (signed, finished lots released). */
export const DHR_STATUSES = ['open', 'reviewed', 'released'] as const;
export type DhrStatus = (typeof DHR_STATUSES)[number];

/**
 * What stands in the way of reviewing or releasing a device history record, each named in the
 * screens and refusals: the order not completed, an operation not completed or held, an
 * inspection point without a passing result, no output, an NCR still open, output lots that are
 * not in quarantine, labels not reconciled, labels used without a passed inspection; for release
 * also the review missing or no longer valid.
 */
export const DHR_BLOCKERS = [
  'orderNotCompleted',
  'operationNotCompleted',
  'operationHeld',
  'inspectionMissing',
  'noOutput',
  'ncrOpen',
  'outputNotInQuarantine',
  'labelsNotReconciled',
  'labelsNotInspected',
  'notReviewed',
  'reviewInvalid',
] as const;
export type DhrBlocker = (typeof DHR_BLOCKERS)[number];

/** The equipment's calibration when the operation started on it: in date, overdue (never, the gate refuses it) or not calibrated. */
export const CALIBRATION_STATES = ['inDate', 'overdue', 'notCalibrated'] as const;
export type CalibrationState = (typeof CALIBRATION_STATES)[number];
export type MaterialMovementKind = (typeof MATERIAL_MOVEMENT_KINDS)[number];

/** The lists whose values the screens name, by their catalog prefix. */
export const PRODUCTION_VOCABULARY = {
  'production.statuses': WO_STATUSES,
  'production.movementKinds': MATERIAL_MOVEMENT_KINDS,
  'production.dhr.statuses': DHR_STATUSES,
  'production.dhr.blockers': DHR_BLOCKERS,
  'production.dhr.calibration': CALIBRATION_STATES,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'production:read', description: 'See work orders, their frozen requirements and operations, and the material issued' },
  plan: { name: 'production:wo.plan', description: 'Create and change draft work orders; complete, close and cancel work orders' },
  release: {
    name: 'production:wo.release',
    description: 'Release a work order: freezes the BOM and routing in effect into it and opens it for material issue',
  },
  issue: { name: 'production:material.issue', description: 'Issue material lot by lot to a work order and return unused material' },
  output: {
    name: 'production:output.report',
    description: "Report a work order's output: the finished lot or serials go into quarantine, linked to the material consumed",
  },
  signReviewed: {
    name: 'production:sign.reviewed',
    description: "Review a completed work order's device history record by e-signature (not by anyone who recorded production on it)",
  },
  signReleased: {
    name: 'production:sign.released',
    description: 'Release the finished lots of a reviewed work order by e-signature (not by its reviewer)',
  },
});
export const PRODUCTION_PERMISSIONS = permissions.names;
export const PRODUCTION_PERMISSION_LIST = permissions.list;

const OrderStep = Type.Object({
  number: Type.String(),
  itemId: Id,
  itemRevisionId: Id,
  quantity: DecimalString(),
  from: Type.Enum(WO_STATUSES),
  to: Type.Enum(WO_STATUSES),
  signatureId: Nullable(Id),
});
const orderStep = (verb: string, when: string) =>
  ({ type: `production.workorder.${verb}`, aggregate: 'production.workorder', when, data: OrderStep }) as const;

export const MaterialMoved = Type.Object({
  workOrderId: Id,
  number: Type.String(),
  lineNo: Type.Integer({ minimum: 1 }),
  kind: Type.Enum(MATERIAL_MOVEMENT_KINDS),
  itemId: Id,
  lotId: Nullable(Id),
  quantity: DecimalString(),
  operationId: Id,
});
export type MaterialMoved = Static<typeof MaterialMoved>;

/**
 * How far the output of an order may go beyond its quantity without a reason: 10 %. Reporting
 * more (a reason given) is allowed and recorded; the eDHR shows quantity made against ordered.
 */
export const OUTPUT_TOLERANCE = '0.1';

export const OutputReported = Type.Object({
  workOrderId: Id,
  number: Type.String(),
  itemId: Id,
  quantity: DecimalString(),
  lotCount: Type.Integer({ minimum: 1 }),
  totalReported: DecimalString(),
  operationId: Id,
  reason: Nullable(Type.String()),
});
export type OutputReported = Static<typeof OutputReported>;

export const DhrSigned = Type.Object({
  workOrderId: Id,
  number: Type.String(),
  itemId: Id,
  signatureId: Id,
  lotCount: Type.Integer({ minimum: 0 }),
  quantity: DecimalString({ description: 'the quantity made (output reported)' }),
});
export type DhrSigned = Static<typeof DhrSigned>;

/** Domain events production publishes. */
export const PRODUCTION_EVENTS = defineEvents({
  released: orderStep('released', 'a work order is released: its BOM and routing are frozen into it'),
  started: orderStep('started', 'the first material is issued to a released work order'),
  completed: orderStep('completed', 'a work order is completed'),
  closed: orderStep('closed', 'a completed work order is closed'),
  cancelled: orderStep('cancelled', 'a draft or released work order is cancelled (with a reason)'),
  materialIssued: {
    type: 'production.workorder.materialIssued',
    aggregate: 'production.workorder',
    when: 'a lot is issued to a requirement of a work order',
    data: MaterialMoved,
  },
  materialReturned: {
    type: 'production.workorder.materialReturned',
    aggregate: 'production.workorder',
    when: 'unused material of a lot comes back from a work order into stock',
    data: MaterialMoved,
  },
  outputReported: {
    type: 'production.output.reported',
    aggregate: 'production.workorder',
    when: 'output of a work order (a finished lot or serials) is taken into quarantine and linked to the material consumed',
    data: OutputReported,
  },
  dhrReviewed: {
    type: 'production.dhr.reviewed',
    aggregate: 'production.workorder',
    when: "a completed work order's device history record is reviewed by e-signature",
    data: DhrSigned,
  },
  outputReleased: {
    type: 'production.output.released',
    aggregate: 'production.workorder',
    when: 'the finished lots of a reviewed work order are released by e-signature (its device history record is released)',
    data: DhrSigned,
  },
});

export const WoStatusSchema = Type.Enum(WO_STATUSES);
const Person = Nullable(Type.Object({ id: Type.String(), name: Type.String() }));

/**
 * Where an execution record came from: a person on the web, a machine through its API token
 * (`api`, with the registered device the token is bound to, §11.10(h)), or the system itself.
 */
export const EXECUTION_SOURCES = ['web', 'api', 'system'] as const;
export type ExecutionSource = (typeof EXECUTION_SOURCES)[number];
/** The registered device that sent a record, by code and name; null for people and the system. */
const DeviceRef = Nullable(Type.Object({ id: Id, code: Type.String(), name: Type.String() }));

export const WoMaterial = Type.Object({
  lineNo: Type.Integer(),
  componentItemId: Id,
  componentCode: Type.String(),
  componentName: Type.String(),
  /** `none`: kept without lots, issued by line and quantity instead of a scanned lot. */
  componentTracking: Type.Union([Type.Literal('lot'), Type.Literal('serial'), Type.Literal('none')]),
  componentRevisionId: Nullable(Id),
  quantityPer: DecimalString(),
  unit: Type.String(),
  scrapFactor: DecimalString(),
  requiredQuantity: DecimalString({ description: 'order quantity × quantity per × (1 + scrap), in the base unit' }),
  baseUnit: Type.String(),
  issuedQuantity: DecimalString({ description: 'issued net of returns' }),
  openQuantity: DecimalString(),
});
export type WoMaterial = Static<typeof WoMaterial>;

export const WoOperation = Type.Object({
  sequence: Type.Integer(),
  name: Type.String(),
  workCenterId: Id,
  setupMinutes: DecimalString(),
  runMinutesPerUnit: DecimalString(),
  inspectionPoints: Type.Array(Type.String()),
  workInstructionDocumentId: Nullable(Id),
  firstArticleRequired: Type.Boolean(),
  lineClearanceRequired: Type.Boolean(),
  parallelWithPrevious: Type.Boolean(),
  status: Type.Enum(OP_STATUSES),
  held: Type.Boolean(),
});
export type WoOperation = Static<typeof WoOperation>;

export const WoMovement = Type.Object({
  id: Id,
  lineNo: Type.Integer(),
  kind: Type.Enum(MATERIAL_MOVEMENT_KINDS),
  /** Null for a component kept without lots (cartons, bulk consumables). */
  lotId: Nullable(Id),
  lotNumber: Nullable(Type.String()),
  quantity: DecimalString(),
  reason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Person,
});
export type WoMovement = Static<typeof WoMovement>;

export const WorkOrder = Type.Object({
  id: Id,
  number: Type.String({ examples: ['WO-2026-00001'] }),
  itemId: Id,
  itemCode: Type.String(),
  itemName: Type.String(),
  itemRevisionId: Id,
  revision: Type.String(),
  quantity: DecimalString(),
  unit: Type.String(),
  siteId: Id,
  dueDate: IsoDate,
  status: WoStatusSchema,
  notes: Nullable(Type.String()),
  frozenOn: Nullable(IsoDate),
  releasedAt: Nullable(Type.String({ format: 'date-time' })),
  releasedBy: Person,
  cancelReason: Nullable(Type.String()),
  dhrStatus: Type.Enum(DHR_STATUSES),
  deviationId: Nullable(Id),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Person,
});
export type WorkOrder = Static<typeof WorkOrder>;

export const WorkOrderDetail = Type.Object({
  ...WorkOrder.properties,
  materials: Type.Array(WoMaterial),
  operations: Type.Array(WoOperation),
  movements: Type.Array(WoMovement),
  allowedTransitions: Type.Array(WoStatusSchema),
});
export type WorkOrderDetail = Static<typeof WorkOrderDetail>;

export const WoOutputReport = Type.Object({
  id: Id,
  quantity: DecimalString(),
  lotCount: Type.Integer(),
  operationId: Id,
  reason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Person,
  source: Type.Enum(EXECUTION_SOURCES),
  deviceId: Nullable(Id),
  device: DeviceRef,
});
export type WoOutputReport = Static<typeof WoOutputReport>;

export const WoProducedLot = Type.Object({
  id: Id,
  number: Type.String(),
  kind: Type.Enum(LOT_KINDS),
  status: LotStatusSchema,
  quantity: DecimalString(),
  expiresOn: Nullable(IsoDate),
});
export type WoProducedLot = Static<typeof WoProducedLot>;

/** What a work order has produced: the reports, the total against the order's quantity and bound, and the lots or serials. */
export const WorkOrderOutput = Type.Object({
  workOrderId: Id,
  tracking: Type.Union([Type.Literal('lot'), Type.Literal('serial'), Type.Literal('none')]),
  ordered: DecimalString(),
  reported: DecimalString(),
  limit: DecimalString({ description: 'ordered × (1 + tolerance): beyond it an output needs a reason' }),
  reports: Type.Array(WoOutputReport),
  lotTotal: Type.Integer(),
  lots: Type.Array(WoProducedLot, { description: 'the first 1,000 by number' }),
});
export type WorkOrderOutput = Static<typeof WorkOrderOutput>;

// Operation execution: the states of a work order's operation, the reason codes for scrap and
// downtime, the kinds of check recorded, the permission, the events and the shapes the API answers.

export const OP_STEPS = ['start', 'pause', 'resume', 'complete'] as const;
export type OpStep = (typeof OP_STEPS)[number];

export const SCRAP_REASONS = ['damaged', 'dimensional', 'contamination', 'assembly_error', 'test_failure', 'other'] as const;
export type ScrapReason = (typeof SCRAP_REASONS)[number];

export const DOWNTIME_REASONS = [
  'breakdown',
  'changeover',
  'material_shortage',
  'quality_issue',
  'waiting_instruction',
  'break',
  'other',
] as const;
export type DowntimeReason = (typeof DOWNTIME_REASONS)[number];

export const CHECK_KINDS = ['inspection_point', 'first_article', 'line_clearance'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const CHECK_RESULTS = ['pass', 'fail'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

export const OPERATION_VOCABULARY = {
  'production.operationStatuses': OP_STATUSES,
  'production.scrapReasons': SCRAP_REASONS,
  'production.downtimeReasons': DOWNTIME_REASONS,
  'production.checkKinds': CHECK_KINDS,
  'production.checkResults': CHECK_RESULTS,
} as const satisfies Vocabulary;

const operationPermissions = definePermissions({
  execute: {
    name: 'production:operation.execute',
    description:
      "Execute a work order's operations at the line: start, pause, resume, complete, record parameters, inspections and line clearance",
  },
});
export const OPERATION_PERMISSIONS = operationPermissions.names;
export const OPERATION_PERMISSION_LIST = operationPermissions.list;

const OperationStep = Type.Object({
  workOrderId: Id,
  number: Type.String(),
  sequence: Type.Integer(),
  name: Type.String(),
  workCenterId: Id,
  equipmentId: Nullable(Id),
  from: Type.Enum(OP_STATUSES),
  to: Type.Enum(OP_STATUSES),
  source: Type.Enum(EXECUTION_SOURCES),
});
const opStep = (verb: string, when: string) =>
  ({ type: `production.operation.${verb}`, aggregate: 'production.workorder', when, data: OperationStep }) as const;

export const OperationHeld = Type.Object({
  workOrderId: Id,
  number: Type.String(),
  sequence: Type.Integer(),
  ncrId: Id,
  ncrNumber: Type.String(),
  parameters: Type.Array(Type.Object({ name: Type.String(), value: DecimalString(), unit: Type.String() })),
});

/** Domain events of operation execution (aggregate: the work order, so they keep its order). */
export const OPERATION_EVENTS = defineEvents({
  operationStarted: opStep('started', "an operator starts a work order's operation"),
  operationPaused: opStep('paused', 'a running operation is paused; its downtime runs with a reason code'),
  operationResumed: opStep('resumed', 'a paused operation is resumed; its downtime ends'),
  operationCompleted: opStep('completed', 'an operation is completed with its good, scrap and rework quantities'),
  operationHeld: {
    type: 'production.operation.held',
    aggregate: 'production.workorder',
    when: 'a parameter value outside its limits opens an NCR and holds the operation until the NCR is closed or cancelled',
    data: OperationHeld,
  },
  operationHoldReleased: {
    type: 'production.operation.holdReleased',
    aggregate: 'production.workorder',
    when: 'the NCR that held an operation is closed or cancelled: the operation may complete',
    data: Type.Object({ workOrderId: Id, number: Type.String(), sequence: Type.Integer(), ncrId: Id }),
  },
});

const At = Type.String({ format: 'date-time' });

export const OpParameter = Type.Object({
  position: Type.Integer(),
  name: Type.String(),
  unit: Type.String(),
  lowerLimit: Nullable(DecimalString()),
  upperLimit: Nullable(DecimalString()),
  /** The last value recorded, if any. */
  value: Nullable(DecimalString()),
  withinLimits: Nullable(Type.Boolean()),
});
export type OpParameter = Static<typeof OpParameter>;

export const OpParameterValue = Type.Object({
  id: Id,
  position: Type.Integer(),
  value: DecimalString(),
  withinLimits: Type.Boolean(),
  ncrId: Nullable(Id),
  recordedBy: Person,
  source: Type.Enum(EXECUTION_SOURCES),
  deviceId: Nullable(Id),
  device: DeviceRef,
  createdAt: At,
});
export type OpParameterValue = Static<typeof OpParameterValue>;

export const OpCheck = Type.Object({
  id: Id,
  kind: Type.Enum(CHECK_KINDS),
  point: Nullable(Type.String()),
  result: Type.Enum(CHECK_RESULTS),
  note: Nullable(Type.String()),
  recordedBy: Person,
  source: Type.Enum(EXECUTION_SOURCES),
  deviceId: Nullable(Id),
  device: DeviceRef,
  createdAt: At,
});
export type OpCheck = Static<typeof OpCheck>;

export const OpDowntime = Type.Object({
  id: Id,
  reason: Type.Enum(DOWNTIME_REASONS),
  note: Nullable(Type.String()),
  startedAt: At,
  endedAt: Nullable(At),
  recordedBy: Person,
  source: Type.Enum(EXECUTION_SOURCES),
  deviceId: Nullable(Id),
  device: DeviceRef,
});
export type OpDowntime = Static<typeof OpDowntime>;

export const OpStepRecord = Type.Object({
  id: Id,
  step: Type.Enum(OP_STEPS),
  equipmentId: Nullable(Id),
  calibrationDue: Nullable(IsoDate),
  by: Person,
  source: Type.Enum(EXECUTION_SOURCES),
  deviceId: Nullable(Id),
  device: DeviceRef,
  createdAt: At,
});
export type OpStepRecord = Static<typeof OpStepRecord>;

export const OpEquipment = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  status: Type.String(),
  calibrationDue: Nullable(IsoDate),
  calibrationOverdue: Type.Boolean(),
});

/** One operation of a work order as the operator's screen shows it. */
export const OperationExecution = Type.Object({
  workOrderId: Id,
  number: Type.String(),
  orderStatus: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  orderQuantity: DecimalString(),
  unit: Type.String(),
  sequence: Type.Integer(),
  name: Type.String(),
  workCenterId: Id,
  workInstructionDocumentId: Nullable(Id),
  inspectionPoints: Type.Array(Type.String()),
  firstArticleRequired: Type.Boolean(),
  lineClearanceRequired: Type.Boolean(),
  parallelWithPrevious: Type.Boolean(),
  status: Type.Enum(OP_STATUSES),
  operator: Person,
  equipmentId: Nullable(Id),
  startedAt: Nullable(At),
  completedAt: Nullable(At),
  goodQuantity: Nullable(DecimalString()),
  scrapQuantity: Nullable(DecimalString()),
  scrapReason: Nullable(Type.Enum(SCRAP_REASONS)),
  reworkQuantity: Nullable(DecimalString()),
  held: Type.Boolean(),
  holdNcrId: Nullable(Id),
  version: Type.Integer(),
  parameters: Type.Array(OpParameter),
  values: Type.Array(OpParameterValue),
  checks: Type.Array(OpCheck),
  downtime: Type.Array(OpDowntime),
  steps: Type.Array(OpStepRecord),
  equipment: Type.Array(OpEquipment),
});
export type OperationExecution = Static<typeof OperationExecution>;

/** An operation waiting at a work center: the next one of a released or in-progress order. */
export const QueuedOperation = Type.Object({
  workOrderId: Id,
  number: Type.String(),
  itemCode: Type.String(),
  itemName: Type.String(),
  orderQuantity: DecimalString(),
  unit: Type.String(),
  dueDate: IsoDate,
  sequence: Type.Integer(),
  name: Type.String(),
  status: Type.Enum(OP_STATUSES),
  held: Type.Boolean(),
  /** The previous operation is completed, or this one may run in parallel with it. */
  ready: Type.Boolean(),
});
export type QueuedOperation = Static<typeof QueuedOperation>;

// The electronic device history record (eDHR, ISO 13485 7.5.1, 21 CFR 820): assembled from what was
// recorded on the work order, for the screen, the PDF and the content its signatures cover.

const Code = Type.Object({ code: Type.String(), name: Type.String() });
const Recorded = { recordedBy: Person, recordedAt: At, source: Type.Enum(EXECUTION_SOURCES), deviceId: Nullable(Id) };

export const DhrMaterial = Type.Object({
  lineNo: Type.Integer(),
  component: Code,
  revision: Nullable(Type.String()),
  requiredQuantity: DecimalString(),
  issuedQuantity: DecimalString({ description: 'issued net of returns' }),
  baseUnit: Type.String(),
  lots: Type.Array(
    Type.Object({
      lotId: Id,
      lotNumber: Type.String(),
      supplierLot: Nullable(Type.String()),
      expiresOn: Nullable(IsoDate),
      quantity: DecimalString({ description: 'net of returns' }),
    }),
  ),
});
export type DhrMaterial = Static<typeof DhrMaterial>;

export const DhrOperation = Type.Object({
  sequence: Type.Integer(),
  name: Type.String(),
  workCenter: Code,
  status: Type.Enum(OP_STATUSES),
  operator: Person,
  equipment: Nullable(Code),
  calibrationDue: Nullable(IsoDate),
  calibration: Nullable(Type.Enum(CALIBRATION_STATES)),
  startedAt: Nullable(At),
  completedAt: Nullable(At),
  goodQuantity: Nullable(DecimalString()),
  scrapQuantity: Nullable(DecimalString()),
  scrapReason: Nullable(Type.Enum(SCRAP_REASONS)),
  reworkQuantity: Nullable(DecimalString()),
  inspectionPoints: Type.Array(Type.String()),
  parameters: Type.Array(
    Type.Object({
      position: Type.Integer(),
      name: Type.String(),
      unit: Type.String(),
      lowerLimit: Nullable(DecimalString()),
      upperLimit: Nullable(DecimalString()),
      values: Type.Array(
        Type.Object({ value: DecimalString(), withinLimits: Type.Boolean(), ncrNumber: Nullable(Type.String()), ...Recorded }),
      ),
    }),
  ),
  checks: Type.Array(
    Type.Object({
      kind: Type.Enum(CHECK_KINDS),
      point: Nullable(Type.String()),
      result: Type.Enum(CHECK_RESULTS),
      note: Nullable(Type.String()),
      ...Recorded,
    }),
  ),
  downtime: Type.Array(
    Type.Object({
      reason: Type.Enum(DOWNTIME_REASONS),
      note: Nullable(Type.String()),
      startedAt: At,
      endedAt: Nullable(At),
      recordedBy: Person,
    }),
  ),
});
export type DhrOperation = Static<typeof DhrOperation>;

export const DhrNcr = Type.Object({
  id: Id,
  number: Type.String(),
  status: Type.String(),
  defectClass: Type.String(),
  description: Type.String(),
  createdAt: At,
});
export type DhrNcr = Static<typeof DhrNcr>;

export const DhrLabels = Type.Object({
  printed: Type.Integer(),
  used: Type.Integer(),
  destroyed: Type.Integer(),
  jobs: Type.Array(
    Type.Object({
      id: Id,
      description: Type.String(),
      printed: Type.Integer(),
      used: Nullable(Type.Integer()),
      destroyed: Nullable(Type.Integer()),
      reconciled: Type.Boolean(),
      printedAt: At,
      printedBy: Person,
      inspection: Nullable(
        Type.Object({
          result: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
          findings: Type.Integer(),
          inspectedAt: At,
          inspectedBy: Person,
        }),
      ),
      needsInspection: Type.Boolean({ description: 'its labels may reach product without a passed inspection' }),
    }),
  ),
});
export type DhrLabels = Static<typeof DhrLabels>;

export const DeviceHistoryRecord = Type.Object({
  workOrder: WorkOrder,
  site: Code,
  deviation: Nullable(Type.Object({ id: Id, number: Type.String(), title: Type.String(), status: Type.String() })),
  dates: Type.Object({
    releasedAt: Nullable(At),
    firstStartedAt: Nullable(At),
    lastCompletedAt: Nullable(At),
    reviewedAt: Nullable(At),
    releasedOutputAt: Nullable(At),
  }),
  quantities: Type.Object({
    ordered: DecimalString(),
    made: DecimalString({ description: 'output reported into quarantine' }),
    scrapped: DecimalString({ description: 'scrap recorded on the operations' }),
    released: DecimalString({ description: 'of the output, released by QA' }),
    unit: Type.String(),
  }),
  materials: Type.Array(DhrMaterial),
  operations: Type.Array(DhrOperation),
  output: Type.Object({
    reports: Type.Array(WoOutputReport),
    lots: Type.Array(WoProducedLot, { description: 'every lot or serial made (not only the first thousand)' }),
  }),
  ncrs: Type.Array(DhrNcr),
  labels: DhrLabels,
  blockers: Type.Array(Type.Object({ code: Type.Enum(DHR_BLOCKERS), params: Type.Record(Type.String(), Type.String()) })),
  signatures: Type.Array(SignatureSchema),
  allowed: Type.Object({ review: Type.Boolean(), release: Type.Boolean() }),
});
export type DeviceHistoryRecord = Static<typeof DeviceHistoryRecord>;
