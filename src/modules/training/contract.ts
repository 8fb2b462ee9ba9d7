import { Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { Id, IsoDate, Nullable } from '../../platform/schema.js';

/**
 * Training's contract: task and record vocabularies, permissions and events. The server and the
 * web app both build on it.
 */

export const TRAINING_TASK_STATUSES = ['open', 'completed', 'superseded'] as const;
export type TrainingTaskStatus = (typeof TRAINING_TASK_STATUSES)[number];

export const TRAINING_METHODS = ['read_and_understood', 'assessed'] as const;
export type TrainingMethod = (typeof TRAINING_METHODS)[number];

export const TRAINING_RESULTS = ['passed', 'failed'] as const;
export type TrainingResult = (typeof TRAINING_RESULTS)[number];

/** A person's standing on a required document in the training matrix. */
export const TRAINING_STANDINGS = ['trained', 'due', 'overdue', 'not_required'] as const;
export type TrainingStanding = (typeof TRAINING_STANDINGS)[number];

export const TRAINING_VOCABULARY = {
  'training.taskStatuses': TRAINING_TASK_STATUSES,
  'training.methods': TRAINING_METHODS,
  'training.results': TRAINING_RESULTS,
  'training.standings': TRAINING_STANDINGS,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'training:read', description: 'See training requirements, tasks, records and the training matrix' },
  manage: { name: 'training:manage', description: 'Set training requirements, work center assignments and the due period' },
  signTrained: {
    name: 'training:sign.trained',
    description: 'Sign one’s own training on a document version as read and understood',
  },
  signAssessed: { name: 'training:sign.assessed', description: 'Assess and sign another person’s training as trainer' },
});
export const TRAINING_PERMISSIONS = permissions.names;
export const TRAINING_PERMISSION_LIST = permissions.list;

export const TrainingRecorded = Type.Object({
  recordId: Id,
  taskId: Nullable(Id),
  userId: Id,
  documentId: Id,
  documentNumber: Type.String(),
  revision: Type.Integer(),
  method: Type.Enum(TRAINING_METHODS),
  result: Type.Enum(TRAINING_RESULTS),
  signatureId: Id,
});

export const TrainingTaskOpened = Type.Object({
  taskId: Id,
  userId: Id,
  documentId: Id,
  documentNumber: Type.String(),
  revision: Type.Integer(),
  dueOn: IsoDate,
});

export const TRAINING_EVENTS = defineEvents({
  taskOpened: {
    type: 'training.task.opened',
    aggregate: 'training.task',
    when: 'a document version became effective and a person concerned must train on it',
    data: TrainingTaskOpened,
  },
  recorded: {
    type: 'training.record.recorded',
    aggregate: 'training.record',
    when: 'a person signed read-and-understood, or a trainer signed an assessment, for a document version',
    data: TrainingRecorded,
  },
});
