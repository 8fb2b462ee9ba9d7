import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Tx } from '../../platform/db/index.js';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { manifestedSignatures, SignatureComment, SignerPassword, SignerTotpCode } from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { DateTime, Id, IsoDate, Nullable } from '../../platform/schema.js';
import { TRAINING_METHODS, TRAINING_PERMISSIONS, TRAINING_RESULTS, TRAINING_STANDINGS, TRAINING_TASK_STATUSES } from './contract.js';
import { assignToWorkCenter, removeFromWorkCenter } from './people.js';
import {
  addRequirement,
  listRecords,
  listRequirements,
  listTasks,
  retireRequirement,
  signAssessment,
  signReadAndUnderstood,
  type TrainingRecord,
  trainingMatrix,
} from './service.js';

const Params = Type.Object({ id: Id }, { additionalProperties: false });
const DocumentNumber = Type.String({ pattern: '^DOC-[0-9]{4}-[0-9]{5,}$' });
const RoleName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001F\\u007F]+$' });

const TaskSchema = Type.Object({
  id: Id,
  userId: Id,
  userName: Type.String(),
  documentId: Id,
  documentNumber: Type.String(),
  revision: Type.Integer(),
  status: Type.Enum(TRAINING_TASK_STATUSES),
  dueOn: IsoDate,
  overdue: Type.Boolean(),
  createdAt: DateTime,
  closedAt: Nullable(DateTime),
});

const RecordSchema = Type.Object({
  id: Id,
  taskId: Nullable(Id),
  userId: Id,
  userName: Type.String(),
  documentId: Id,
  documentNumber: Type.String(),
  revision: Type.Integer(),
  method: Type.Enum(TRAINING_METHODS),
  result: Type.Enum(TRAINING_RESULTS),
  trainer: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  comment: Nullable(Type.String()),
  trainedAt: DateTime,
});

const RequirementSchema = Type.Object({
  id: Id,
  documentId: Id,
  documentNumber: Type.String(),
  roleName: Nullable(Type.String()),
  workCenterId: Nullable(Id),
  active: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: DateTime,
});

const Signed = Type.Object({ record: RecordSchema, signature: SignatureSchema });
const Credentials = {
  password: SignerPassword,
  totpCode: Type.Optional(SignerTotpCode),
  comment: Type.Optional(SignatureComment),
};

/** The record with its signature as it is manifested (§11.50): printed name, time and meaning. */
async function shown(tx: Tx, signed: { record: TrainingRecord; signature: { id: string } }) {
  const signatures = await manifestedSignatures(tx, 'training_records', signed.record.id);
  return { record: signed.record, signature: signatures.find((s) => s.id === signed.signature.id)! };
}

export function trainingRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['training'];

  api.get(
    '/training/my-tasks',
    {
      config: { permission: TRAINING_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'My open training tasks, soonest due first (one page)',
        querystring: PageQuery([]),
        response: { 200: Page(TaskSchema) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const tasks = await listTasks(tx, { userId: tenantOf(request).actor.id, status: 'open' });
        return { items: tasks.slice(0, request.query.limit), nextCursor: null };
      }),
  );

  api.get(
    '/training/tasks',
    {
      config: { permission: TRAINING_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'Training tasks by person, status or document',
        querystring: Type.Object(
          {
            userId: Type.Optional(Id),
            status: Type.Optional(Type.Enum(TRAINING_TASK_STATUSES)),
            documentNumber: Type.Optional(DocumentNumber),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(TaskSchema) },
      },
    },
    async (request) => inTenant(request, (tx) => listTasks(tx, request.query)),
  );

  api.post(
    '/training/tasks/:id/read-and-understood',
    {
      config: { permission: TRAINING_PERMISSIONS.signTrained },
      schema: {
        tags,
        summary: 'Sign my own training task as read and understood (re-authenticates)',
        description: 'Refused (409 error.training.superseded) when the version is no longer in force; nothing is recorded.',
        params: Params,
        body: Type.Object(Credentials, { additionalProperties: false }),
        response: { 201: Signed },
      },
    },
    async (request, reply) => {
      const { password, totpCode, comment } = request.body;
      const signed = await inTenant(request, async (tx) =>
        shown(
          tx,
          await signReadAndUnderstood(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
            credentials: { password, totpCode },
            comment,
          }),
        ),
      );
      return reply.status(201).send(signed);
    },
  );

  api.post(
    '/training/tasks/:id/assessment',
    {
      config: { permission: TRAINING_PERMISSIONS.signAssessed },
      schema: {
        tags,
        summary: 'Assess another person’s training and sign the result as trainer (not the trainee)',
        params: Params,
        body: Type.Object({ result: Type.Enum(TRAINING_RESULTS), ...Credentials }, { additionalProperties: false }),
        response: { 201: Signed },
      },
    },
    async (request, reply) => {
      const { result, password, totpCode, comment } = request.body;
      const signed = await inTenant(request, async (tx) =>
        shown(
          tx,
          await signAssessment(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
            result,
            credentials: { password, totpCode },
            comment,
          }),
        ),
      );
      return reply.status(201).send(signed);
    },
  );

  api.get(
    '/training/records',
    {
      config: { permission: TRAINING_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'Training records per person and document version, newest first',
        querystring: Type.Object(
          { userId: Type.Optional(Id), documentNumber: Type.Optional(DocumentNumber) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(RecordSchema) },
      },
    },
    async (request) => inTenant(request, (tx) => listRecords(tx, request.query)),
  );

  api.get(
    '/training/matrix',
    {
      config: { permission: TRAINING_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'People × documents in force with requirements: trained, due, overdue or not required',
        response: {
          200: Type.Object({
            documents: Type.Array(Type.Object({ documentId: Id, documentNumber: Type.String(), revision: Type.Integer() })),
            people: Type.Array(
              Type.Object({
                userId: Id,
                name: Type.String(),
                cells: Type.Array(
                  Type.Object({ documentNumber: Type.String(), standing: Type.Enum(TRAINING_STANDINGS), dueOn: Nullable(IsoDate) }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (request) => inTenant(request, (tx) => trainingMatrix(tx)),
  );

  api.get(
    '/training/requirements',
    {
      config: { permission: TRAINING_PERMISSIONS.read },
      schema: { tags, summary: 'Active training requirements by document', response: { 200: Type.Array(RequirementSchema) } },
    },
    async (request) => inTenant(request, (tx) => listRequirements(tx)),
  );

  api.post(
    '/training/requirements',
    {
      config: { permission: TRAINING_PERMISSIONS.manage, idempotent: true },
      schema: {
        tags,
        summary: 'Require people of a role and/or a work center to train on a document; opens their tasks when a version is in force',
        body: Type.Object(
          { documentId: Id, roleName: Type.Optional(RoleName), workCenterId: Type.Optional(Id) },
          { additionalProperties: false, minProperties: 2 },
        ),
        response: { 201: RequirementSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await inTenant(request, (tx) => addRequirement(tx, tenantOf(request), request.body))),
  );

  api.post(
    '/training/requirements/:id/retire',
    {
      config: { permission: TRAINING_PERMISSIONS.manage },
      schema: { tags, summary: 'Retire a requirement (no new tasks from it)', params: Params, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await inTenant(request, (tx) => retireRequirement(tx, request.params.id));
      return reply.status(204).send(null);
    },
  );

  const Membership = Type.Object({ userId: Id, workCenterId: Id }, { additionalProperties: false });
  api.post(
    '/training/work-center-members',
    {
      config: { permission: TRAINING_PERMISSIONS.manage },
      schema: { tags, summary: 'Assign a person to a work center', body: Membership, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await inTenant(request, (tx) => assignToWorkCenter(tx, tenantOf(request), request.body.userId, request.body.workCenterId));
      return reply.status(204).send(null);
    },
  );
  api.delete(
    '/training/work-center-members',
    {
      config: { permission: TRAINING_PERMISSIONS.manage },
      schema: { tags, summary: 'Remove a person from a work center', querystring: Membership, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await inTenant(request, (tx) => removeFromWorkCenter(tx, request.query.userId, request.query.workCenterId));
      return reply.status(204).send(null);
    },
  );
}
