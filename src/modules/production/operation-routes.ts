import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { DecimalString, Id } from '../../platform/schema.js';
import {
  CHECK_KINDS,
  CHECK_RESULTS,
  DOWNTIME_REASONS,
  OPERATION_PERMISSIONS as OP,
  OperationExecution,
  PRODUCTION_PERMISSIONS,
  QueuedOperation,
  SCRAP_REASONS,
} from './contract.js';
import { operationExecution, operationQueue } from './operation-views.js';
import { completeOperation, pauseOperation, recordCheck, resumeOperation, startOperation } from './operations.js';

/** Execution of a work order's operations at the line (the parameters route is the record-operation-parameters flow's). */

const OpParams = Type.Object({ id: Id, sequence: Type.Integer({ minimum: 1, maximum: 9999 }) }, { additionalProperties: false });
const Note = Type.String({ minLength: 1, maxLength: 2000 });
const Quantity = (description: string) => DecimalString({ description: `${description}, in the order's unit; whole for counted units` });

export function operationRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['production'];
  const path = '/production/work-orders/:id/operations/:sequence';

  api.get(
    '/production/operation-queue',
    {
      config: { permission: PRODUCTION_PERMISSIONS.read },
      schema: {
        tags,
        summary: "A work center's queue: open operations of released and in-progress orders, earliest due first, marked ready",
        querystring: Type.Object({ workCenterId: Id }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(QueuedOperation) }) },
      },
    },
    async (request) => ({ items: await inTenant(request, (tx) => operationQueue(tx, request.query.workCenterId)) }),
  );

  api.get(
    path,
    {
      config: { permission: PRODUCTION_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'One operation of a work order with its parameters, checks, downtime, steps and its work center equipment',
        params: OpParams,
        response: { 200: OperationExecution },
      },
    },
    async (request) => inTenant(request, (tx) => operationExecution(tx, request.params.id, request.params.sequence)),
  );

  api.post(
    `${path}/start`,
    {
      config: { permission: OP.execute, idempotent: true },
      schema: {
        tags,
        summary:
          'Start a pending operation; refused (409 error.production.operation.*) out of sequence, without line clearance, with equipment out of service or calibration, or an untrained operator',
        params: OpParams,
        body: Type.Object({ equipmentId: Type.Optional(Type.Union([Id, Type.Null()])) }, { additionalProperties: false }),
        response: { 200: OperationExecution },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await startOperation(tx, tenantOf(request), request.params.id, request.params.sequence, request.body ?? {}),
      })),
  );

  api.post(
    `${path}/pause`,
    {
      config: { permission: OP.execute, idempotent: true },
      schema: {
        tags,
        summary: 'Pause a running operation; its downtime runs with the reason code until it resumes',
        params: OpParams,
        body: Type.Object({ reason: Type.Enum(DOWNTIME_REASONS), note: Type.Optional(Note) }, { additionalProperties: false }),
        response: { 200: OperationExecution },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await pauseOperation(tx, tenantOf(request), request.params.id, request.params.sequence, request.body),
      })),
  );

  api.post(
    `${path}/resume`,
    {
      config: { permission: OP.execute, idempotent: true },
      schema: {
        tags,
        summary: 'Resume a paused operation (equipment and training checked again); its downtime ends',
        params: OpParams,
        body: Type.Object({}, { additionalProperties: false }),
        response: { 200: OperationExecution },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await resumeOperation(tx, tenantOf(request), request.params.id, request.params.sequence),
      })),
  );

  api.post(
    `${path}/checks`,
    {
      config: { permission: OP.execute, idempotent: true },
      schema: {
        tags,
        summary:
          'Record a line clearance (before start), an inspection point result or the first article (while running); a fail needs a note',
        params: OpParams,
        body: Type.Object(
          {
            kind: Type.Enum(CHECK_KINDS),
            point: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            result: Type.Enum(CHECK_RESULTS),
            note: Type.Optional(Note),
          },
          { additionalProperties: false },
        ),
        response: { 200: OperationExecution },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await recordCheck(tx, tenantOf(request), request.params.id, request.params.sequence, request.body),
      })),
  );

  api.post(
    `${path}/complete`,
    {
      config: { permission: OP.execute, idempotent: true },
      schema: {
        tags,
        summary:
          'Complete a running operation with good, scrap (reason code) and rework quantities; refused while held or with parameters, inspection results or the first article missing',
        params: OpParams,
        body: Type.Object(
          {
            goodQuantity: Quantity('good units'),
            scrapQuantity: Type.Optional(Quantity('scrapped units')),
            scrapReason: Type.Optional(Type.Enum(SCRAP_REASONS)),
            reworkQuantity: Type.Optional(Quantity('units to rework')),
          },
          { additionalProperties: false },
        ),
        response: { 200: OperationExecution },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await completeOperation(tx, tenantOf(request), request.params.id, request.params.sequence, request.body),
      })),
  );
}
