import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { DecimalString, Id, IsoDate, Nullable } from '../../platform/schema.js';

/**
 * Operation execution's contract: the states of a work order's operation, the reason codes for
 * scrap and downtime, the kinds of check recorded, the permission, the events and the shapes the
 * API answers. The server and the web app both build on it.
 */

/** pending → running ⇄ paused → completed. */
export const OP_STATUSES = ['pending', 'running', 'paused', 'completed'] as const;
export type OpStatus = (typeof OP_STATUSES)[number];

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

/**
 * Where an execution record came from. API tokens are not bound to registered devices yet, so a
 * record from a machine says `api` and its `deviceId` stays null until they are.
 */
export const EXECUTION_SOURCES = ['web', 'api', 'system'] as const;
export type ExecutionSource = (typeof EXECUTION_SOURCES)[number];

export const OPERATION_VOCABULARY = {
  'production.operationStatuses': OP_STATUSES,
  'production.scrapReasons': SCRAP_REASONS,
  'production.downtimeReasons': DOWNTIME_REASONS,
  'production.checkKinds': CHECK_KINDS,
  'production.checkResults': CHECK_RESULTS,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  execute: {
    name: 'production:operation.execute',
    description:
      "Execute a work order's operations at the line: start, pause, resume, complete, record parameters, inspections and line clearance",
  },
});
export const OPERATION_PERMISSIONS = permissions.names;
export const OPERATION_PERMISSION_LIST = permissions.list;

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

const Person = Nullable(Type.Object({ id: Type.String(), name: Type.String() }));
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
