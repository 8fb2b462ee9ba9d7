import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { DateTime, DecimalString, Id, IsoDate, Nullable, NullableInteger, PlainText } from '../../platform/schema.js';
import { LOT_KINDS, LOT_STATUSES } from '../inventory/contract.js';

/**
 * Recall's contract: where a recall starts, what it found (affected lots and serials, the
 * customers reached), its classification and deadlines, the notices sent and acknowledged, and its
 * permissions and events. The server and the web app both build on it.
 */

/** draft (the query and its answer, refreshable) → initiated (signed; stock held) → closed (signed, effectiveness); a draft may be cancelled. */
export const RECALL_STATUSES = ['draft', 'initiated', 'closed', 'cancelled'] as const;
export type RecallStatus = (typeof RECALL_STATUSES)[number];

/** Where the suspect material starts. */
export const RECALL_START_KINDS = ['supplier_lot', 'component_lot', 'serial_range', 'equipment', 'operator'] as const;
export type RecallStartKind = (typeof RECALL_START_KINDS)[number];

/** 医疗器械召回管理办法 art. 10: level 1 serious harm, level 2 temporary or reversible harm, level 3 harm unlikely. */
export const CHINA_RECALL_LEVELS = [1, 2, 3] as const;
/** FDA recall classes (21 CFR 7.3(m)): I serious harm or death, II temporary or reversible, III unlikely to cause harm. */
export const FDA_RECALL_CLASSES = [1, 2, 3] as const;

export const NOTIFICATION_METHODS = ['letter', 'email', 'phone', 'visit', 'fax'] as const;
export type NotificationMethod = (typeof NOTIFICATION_METHODS)[number];

/** The deadlines a classification sets, each with its rule. */
export const DEADLINE_KINDS = ['cnNotify', 'cnProgress', 'fda806'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
/** How a deadline stands: met in time, still open, past due, or met late. */
export const DEADLINE_STATES = ['met', 'open', 'overdue', 'late'] as const;

export const RECALL_VOCABULARY = {
  'recall.statuses': RECALL_STATUSES,
  'recall.startKinds': RECALL_START_KINDS,
  'recall.methods': NOTIFICATION_METHODS,
  'recall.deadlines': DEADLINE_KINDS,
  'recall.deadlineStates': DEADLINE_STATES,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'recall:read', description: 'Run recall queries and see recalls, the customers reached and the notices' },
  write: { name: 'recall:write', description: 'Raise recall records from a query, refresh and classify drafts, cancel drafts' },
  notify: { name: 'recall:notify', description: "Record the notices sent to customers and the customers' acknowledgements" },
  signApproved: {
    name: 'recall:sign.approved',
    description: 'Initiate a recall by e-signature (not its author): fixes the classification and holds all affected stock',
  },
  signVerified: { name: 'recall:sign.verified', description: 'Close a recall by e-signature with its effectiveness check' },
});
export const RECALL_PERMISSIONS = permissions.names;
export const RECALL_PERMISSION_LIST = permissions.list;

const day = IsoDate;
/** A recall's starting point, as entered; each kind names what it needs. */
export const RecallStart = Type.Union([
  Type.Object(
    { kind: Type.Literal('supplier_lot'), supplierId: Id, supplierLot: PlainText(80) },
    { additionalProperties: false, description: "a supplier's lot number, as received" },
  ),
  Type.Object({ kind: Type.Literal('component_lot'), lotId: Id }, { additionalProperties: false, description: 'one of our lots' }),
  Type.Object(
    { kind: Type.Literal('serial_range'), itemId: Id, from: PlainText(80), to: PlainText(80) },
    { additionalProperties: false, description: "an item's serials from one number to another, inclusive" },
  ),
  Type.Object(
    { kind: Type.Literal('equipment'), equipmentId: Id, from: day, to: day },
    { additionalProperties: false, description: 'what was made on an equipment over days (site calendar, inclusive)' },
  ),
  Type.Object(
    { kind: Type.Literal('operator'), operatorId: Id, from: day, to: day },
    { additionalProperties: false, description: 'what a person worked on over days (site calendar, inclusive)' },
  ),
]);
export type RecallStart = Static<typeof RecallStart>;

export const AffectedLot = Type.Object({
  lotId: Id,
  itemId: Id,
  itemCode: Type.String(),
  itemName: Type.String(),
  kind: Type.Enum(LOT_KINDS),
  number: Type.String(),
  /** 0 for a lot the query started from. */
  depth: Type.Integer({ minimum: 0 }),
  finished: Type.Boolean({ description: 'nothing was made from it: a finished device, or the end of its line' }),
  status: Type.Enum(LOT_STATUSES),
  onHand: DecimalString(),
  locations: Type.Array(Type.String(), { description: 'storage location codes holding it' }),
  shipped: DecimalString({ description: 'shipped to customers' }),
});
export type AffectedLot = Static<typeof AffectedLot>;

export const ReachedShipment = Type.Object({
  salesRecordId: Id,
  shipmentId: Id,
  shipmentNumber: Type.String(),
  shippedOn: IsoDate,
  customerId: Id,
  customerCode: Type.String(),
  customerName: Type.String(),
  contact: Type.String({ description: 'contact name, e-mail and phone as held when the answer was taken' }),
  shipToText: Type.String(),
  lotId: Id,
  lotNumber: Type.String(),
  itemId: Id,
  quantity: DecimalString(),
  returned: DecimalString({ description: 'received back on returns of that shipment' }),
});
export type ReachedShipment = Static<typeof ReachedShipment>;

export const ReachedCustomer = Type.Object({
  customerId: Id,
  code: Type.String(),
  name: Type.String(),
  contact: Type.String(),
  addresses: Type.Array(Type.String()),
  shipments: Type.Integer({ minimum: 0 }),
  lots: Type.Integer({ minimum: 0, description: 'distinct lots and serials received' }),
  quantity: DecimalString(),
  returned: DecimalString(),
});
export type ReachedCustomer = Static<typeof ReachedCustomer>;

export const RecallTotals = Type.Object({
  lots: Type.Integer(),
  finishedLots: Type.Integer(),
  /** Finished units: still in our stock plus shipped. */
  units: DecimalString(),
  inStock: DecimalString({ description: 'finished units on hand' }),
  shipped: DecimalString(),
  returned: DecimalString(),
  customers: Type.Integer(),
  /** Lots of any level with stock that a hold would stop (in quarantine or released). */
  holdable: Type.Integer(),
});
export type RecallTotals = Static<typeof RecallTotals>;

/** The answer to a recall query: what is affected, where it is, who received it. */
export const RecallAnswer = Type.Object({
  start: RecallStart,
  startLots: Type.Integer({ minimum: 0, description: 'lots the starting point named' }),
  lots: Type.Array(AffectedLot),
  shipments: Type.Array(ReachedShipment),
  customers: Type.Array(ReachedCustomer),
  totals: RecallTotals,
  truncated: Type.Boolean({ description: 'the trace hit its limit: the answer is incomplete' }),
  takenAt: DateTime,
});
export type RecallAnswer = Static<typeof RecallAnswer>;

export const Deadline = Type.Object({
  kind: Type.Enum(DEADLINE_KINDS),
  due: Nullable(IsoDate),
  /** For periodic reports: every so many days. */
  everyDays: Nullable(Type.Integer()),
  state: Type.Enum(DEADLINE_STATES),
});
export type Deadline = Static<typeof Deadline>;

export const RecallNotification = Type.Object({
  id: Id,
  customerId: Id,
  customerName: Type.String(),
  method: Type.Enum(NOTIFICATION_METHODS),
  sentOn: IsoDate,
  sentTo: Type.String(),
  note: Nullable(Type.String()),
  sentBy: Type.String(),
  recordedAt: DateTime,
  acknowledgedOn: Nullable(IsoDate),
  acknowledgedBy: Nullable(Type.String()),
  unitsAccounted: Nullable(DecimalString()),
  acknowledgementNote: Nullable(Type.String()),
  version: Type.Integer(),
});
export type RecallNotification = Static<typeof RecallNotification>;

export const RecallSchema = Type.Object({
  id: Id,
  number: Type.String({ examples: ['RCL-2026-00001'] }),
  title: Type.String(),
  reason: Type.String(),
  siteId: Nullable(Id),
  status: Type.Enum(RECALL_STATUSES),
  start: RecallStart,
  chinaLevel: NullableInteger({ minimum: 1, maximum: 3 }),
  fdaClass: NullableInteger({ minimum: 1, maximum: 3 }),
  healthHazard: Nullable(Type.String()),
  snapshotAt: DateTime,
  truncated: Type.Boolean(),
  initiatedOn: Nullable(IsoDate),
  initiatedAt: Nullable(DateTime),
  heldLotCount: NullableInteger({ minimum: 0 }),
  reportedOn: Nullable(IsoDate),
  reportReference: Nullable(Type.String()),
  closedAt: Nullable(DateTime),
  effectiveness: Nullable(DecimalString({ description: 'percent of affected units accounted for, at closing' })),
  author: Type.Object({ id: Type.String(), name: Type.String() }),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const RecallProgress = Type.Object({
  customersReached: Type.Integer(),
  customersNotNotified: Type.Integer(),
  customersAcknowledged: Type.Integer(),
  units: DecimalString(),
  accounted: DecimalString(),
  effectiveness: DecimalString({ description: 'percent' }),
});

export const RecallDetailSchema = Type.Intersect([
  RecallSchema,
  Type.Object({
    answer: RecallAnswer,
    notifications: Type.Array(RecallNotification),
    progress: RecallProgress,
    deadlines: Type.Array(Deadline),
    signatures: Type.Array(SignatureSchema),
    allowedTransitions: Type.Array(Type.Enum(RECALL_STATUSES)),
  }),
]);

export type Recall = Static<typeof RecallSchema>;
export type RecallProgress = Static<typeof RecallProgress>;

const RecallStep = Type.Object({
  number: Type.String(),
  from: Type.Enum(RECALL_STATUSES),
  to: Type.Enum(RECALL_STATUSES),
  signatureId: Nullable(Id),
});
const step = (verb: string, when: string) =>
  ({ type: `recall.recall.${verb}`, aggregate: 'recall.recall', when, data: RecallStep }) as const;

export const RECALL_EVENTS = defineEvents({
  initiated: step('initiated', 'a recall is initiated by e-signature: classified, its answer fixed, the affected stock put on hold'),
  closed: step('closed', 'a recall is closed by e-signature with its effectiveness check'),
  cancelled: step('cancelled', 'a draft recall (or recall simulation) is cancelled, with a reason'),
  notified: {
    type: 'recall.customer.notified',
    aggregate: 'recall.recall',
    when: 'a notice of a recall was sent to a customer reached (or its acknowledgement recorded)',
    data: Type.Object({
      recallId: Id,
      number: Type.String(),
      customerId: Id,
      notificationId: Id,
      acknowledged: Type.Boolean(),
    }),
  },
});
