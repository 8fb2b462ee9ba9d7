import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { secretBox } from '../../crypto.js';
import type { App } from '../../http/app.js';
import { inTenant } from '../../http/app.js';
import { ifMatchVersions, setETag } from '../../http/etag.js';
import { idempotent } from '../../http/idempotency.js';
import type { ModuleDeps, PermissionDef } from '../../module.js';
import { Page, PageQuery } from '../../paging.js';
import { WEBHOOK_PERMISSIONS } from '../../permissions.js';
import {
  createWebhook,
  deleteWebhook,
  EventPatterns,
  getWebhook,
  listDeadLetters,
  listDeliveries,
  listWebhooks,
  MAX_ROTATION_OVERLAP_HOURS,
  replayDelivery,
  rotateWebhookSecret,
  updateWebhook,
  WebhookDelivery,
  WebhookStatus,
  WebhookSubscription,
} from './service.js';

export const WEBHOOK_PERMISSION = WEBHOOK_PERMISSIONS.manage;
export const WEBHOOK_READ_PERMISSION = WEBHOOK_PERMISSIONS.read;

export const webhookPermissions: readonly PermissionDef[] = [
  { name: WEBHOOK_PERMISSION, description: 'Manage outbound webhooks and replay deliveries' },
  { name: WEBHOOK_READ_PERMISSION, description: 'Read webhook subscriptions and their delivery log' },
];

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL that receives CloudEvents by POST' });
const Description = Type.String({ maxLength: 500 });
const DeliveryPage = Page(WebhookDelivery);
const config = { permission: WEBHOOK_PERMISSION };
const readConfig = { permission: WEBHOOK_READ_PERMISSION };
const tags = ['webhooks'];

/** `/api/v1/webhooks`: subscriptions (create with Idempotency-Key, change with If-Match), delivery log, replay. */
export function webhookRoutes(app: App, deps: Pick<ModuleDeps, 'config'>): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const box = secretBox(app.config);

  api.get(
    '/webhooks',
    {
      config: readConfig,
      schema: { tags, summary: 'Webhook subscriptions', response: { 200: Type.Object({ items: Type.Array(WebhookSubscription) }) } },
    },
    async (request) => ({ items: await inTenant(request, (tx) => listWebhooks(tx)) }),
  );

  api.post(
    '/webhooks',
    {
      config: { ...config, idempotent: true },
      schema: {
        tags,
        summary: 'Subscribe a URL to events; the signing secret is shown in this response only',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
        body: Type.Object(
          { url: Url, description: Type.Optional(Description), events: EventPatterns, active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Intersect([WebhookSubscription, Type.Object({ secret: Type.String() })]) },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const created = await createWebhook(tx, request.body, box.seal, deps.config.webhookAllowedHosts);
        setETag(reply, created.version);
        return { status: 201, body: created };
      }),
  );

  api.get(
    '/webhooks/dead-letters',
    {
      config: readConfig,
      schema: {
        tags,
        summary: 'Deliveries given up after the last attempt',
        querystring: PageQuery([]),
        response: { 200: DeliveryPage },
      },
    },
    async (request) => inTenant(request, (tx) => listDeadLetters(tx, request.query)),
  );

  api.get(
    '/webhooks/:id',
    {
      config: readConfig,
      schema: { tags, summary: 'One webhook subscription (ETag for If-Match)', params: IdParams, response: { 200: WebhookSubscription } },
    },
    async (request, reply) => {
      const found = await inTenant(request, (tx) => getWebhook(tx, request.params.id));
      return setETag(reply, found.version).send(found);
    },
  );

  api.patch(
    '/webhooks/:id',
    {
      config: { ...config, ifMatch: true },
      schema: {
        tags,
        summary: 'Change a subscription; requires If-Match with its ETag',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: Type.Object(
          {
            url: Type.Optional(Url),
            description: Type.Optional(Description),
            events: Type.Optional(EventPatterns),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: WebhookSubscription },
      },
    },
    async (request, reply) => {
      const versions = ifMatchVersions(request);
      const updated = await inTenant(request, (tx) =>
        updateWebhook(tx, request.params.id, request.body, versions, deps.config.webhookAllowedHosts),
      );
      return setETag(reply, updated.version).send(updated);
    },
  );

  api.post(
    '/webhooks/:id/rotate-secret',
    {
      config: { ...config, ifMatch: true },
      schema: {
        tags,
        summary: 'Rotate the signing secret; the new secret is shown only in this response; requires If-Match',
        description:
          'During the overlap, each delivery carries a signature with the new and with the previous secret (two v1= values), ' +
          'so the receiver switches without losing a delivery.',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: Type.Object(
          { overlapHours: Type.Integer({ minimum: 0, maximum: MAX_ROTATION_OVERLAP_HOURS, default: 24 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Intersect([WebhookSubscription, Type.Object({ secret: Type.String() })]) },
      },
    },
    async (request, reply) => {
      const versions = ifMatchVersions(request);
      const rotated = await inTenant(request, (tx) =>
        rotateWebhookSecret(tx, request.params.id, versions, box.seal, request.body.overlapHours),
      );
      return setETag(reply, rotated.version).send(rotated);
    },
  );

  api.delete(
    '/webhooks/:id',
    {
      config: { ...config, ifMatch: true },
      schema: {
        tags,
        summary: 'Remove a subscription and its delivery log; requires If-Match',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      const versions = ifMatchVersions(request);
      await inTenant(request, (tx) => deleteWebhook(tx, request.params.id, versions));
      return reply.status(204).send();
    },
  );

  api.get(
    '/webhooks/:id/deliveries',
    {
      config: readConfig,
      schema: {
        tags,
        summary: 'Delivery log of a subscription, newest first',
        params: IdParams,
        querystring: PageQuery([], { status: Type.Optional(Type.Union(WebhookStatus.map((s) => Type.Literal(s)))) }),
        response: { 200: DeliveryPage },
      },
    },
    async (request) => inTenant(request, (tx) => listDeliveries(tx, request.params.id, request.query)),
  );

  api.post(
    '/webhooks/deliveries/:id/replay',
    {
      config,
      schema: {
        tags,
        summary: 'Send a delivery again with a fresh round of attempts',
        params: IdParams,
        response: { 202: WebhookDelivery },
      },
    },
    async (request, reply) => reply.status(202).send(await inTenant(request, (tx) => replayDelivery(tx, request.params.id))),
  );
}
