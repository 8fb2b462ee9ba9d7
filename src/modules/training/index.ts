// Training (ISO 13485 §6.2): requirements by document, role and work center, the tasks a newly
// effective document version opens for the people concerned, and signed training records per
// person and document version. Owns the training_* tables; reacts to documents' release events.
import { subscribe } from '../../platform/events/index.js';
import type { Module } from '../../platform/module.js';
import { systemContext } from '../../platform/tenancy/index.js';
import { DOCUMENT_EVENTS } from '../documents/index.js';
import { TRAINING_EVENTS, TRAINING_PERMISSION_LIST, TRAINING_VOCABULARY } from './contract.js';
import { trainingRecordSignable } from './lifecycle.js';
import { trainingRoutes } from './routes.js';
import { seedTraining } from './seed.js';
import { documentBecameEffective, documentWithdrawn } from './service.js';

export * from './contract.js';
export { assignToWorkCenter } from './people.js';
export {
  addRequirement,
  isTrained,
  isTrainedOnDocument,
  listRecords,
  listTasks,
  type TrainingRecord,
  type TrainingTask,
} from './service.js';

export const trainingModule: Module = {
  name: 'training',
  events: TRAINING_EVENTS,
  vocabulary: TRAINING_VOCABULARY,
  signables: [trainingRecordSignable],
  auditedTables: {
    training_settings: 'training:read',
    training_work_center_members: 'training:read',
    training_requirements: 'training:read',
    training_document_versions: 'training:read',
    training_tasks: 'training:read',
    training_records: 'training:read',
  },
  permissions: TRAINING_PERMISSION_LIST,
  routes: trainingRoutes,
  subscriptions: [
    subscribe({
      name: 'training.openTasksOnEffectiveVersion',
      to: [DOCUMENT_EVENTS.released],
      handle: async (tx, event) =>
        documentBecameEffective(tx, systemContext(event.tenantId, 'training.tasks'), {
          documentId: event.data.documentId,
          number: event.data.number,
          revision: event.data.revision,
        }),
    }),
    subscribe({
      name: 'training.closeTasksOnWithdrawal',
      to: [DOCUMENT_EVENTS.obsoleted],
      handle: async (tx, event) =>
        documentWithdrawn(tx, { documentId: event.data.documentId, number: event.data.number, revision: event.data.revision }),
    }),
  ],
  seedDemo: seedTraining,
};
