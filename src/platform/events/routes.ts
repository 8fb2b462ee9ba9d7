import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { App } from '../http/app.js';
import { inTenant } from '../http/app.js';
import type { PermissionDef } from '../module.js';
import { Page, PageQuery } from '../paging.js';
import { EVENTS_PERMISSIONS } from '../permissions.js';
import { DeadEvent, listDeadEvents, retryDeadEvent } from './dead-letters.js';

export const EVENTS_PERMISSION = EVENTS_PERMISSIONS.manage;
export const EVENTS_READ_PERMISSION = EVENTS_PERMISSIONS.read;

export const eventPermissions: readonly PermissionDef[] = [
  { name: EVENTS_PERMISSION, description: 'Send events that subscribers gave up on again' },
  { name: EVENTS_READ_PERMISSION, description: 'See events that subscribers gave up on, with their errors' },
];

const config = { permission: EVENTS_PERMISSION };
const tags = ['events'];

/** `/api/v1/events`: in-process deliveries that were dead-lettered, and their retry. */
export function eventRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/events/dead-letters',
    {
      config: { permission: EVENTS_READ_PERMISSION },
      schema: {
        tags,
        summary: 'Events a subscriber gave up on after its last attempt, with the error',
        querystring: PageQuery([]),
        response: { 200: Page(DeadEvent) },
      },
    },
    async (request) => inTenant(request, (tx) => listDeadEvents(tx, request.query)),
  );
  api.post(
    '/events/dead-letters/:eventId/:subscriber/retry',
    {
      config,
      schema: {
        tags,
        summary: 'Deliver a dead-lettered event to the subscriber again',
        params: Type.Object(
          { eventId: Type.String({ format: 'uuid' }), subscriber: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 202: Type.Null() },
      },
    },
    async (request, reply) => {
      await inTenant(request, (tx) => retryDeadEvent(tx, request.params.subscriber, request.params.eventId));
      return reply.status(202).send(null);
    },
  );
}
