import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { ifMatchVersions, setETag } from '../../platform/http/etag.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { DecimalString, Id, IsoDate, Nullable, PlainText } from '../../platform/schema.js';
import { DHR_STATUSES, PRODUCTION_PERMISSIONS as P, WorkOrder, WorkOrderDetail, WoStatusSchema } from './contract.js';
import { issueMaterial, returnMaterial } from './material.js';
import { createWorkOrder, listWorkOrders, transitionWorkOrder, updateWorkOrder, WORK_ORDER_SORTS, workOrderDetail } from './work-orders.js';

const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

const ListFilters = {
  status: Type.Optional(WoStatusSchema),
  dhrStatus: Type.Optional(Type.Enum(DHR_STATUSES, { description: 'where the device history record stands' })),
  itemId: Type.Optional(Id),
  siteId: Type.Optional(Id),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "part of the order number, or an item's code" })),
};

const MaterialBody = {
  scan: Type.Optional(
    Type.String({ minLength: 1, maxLength: 500, description: 'a GS1 element string (printed form, Digital Link) or a lot/serial number' }),
  ),
  lotId: Type.Optional(Id),
  lineNo: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999 })),
  quantity: DecimalString({ description: "in the component's base unit; 1 for a serial" }),
  reason: Type.Optional(PlainText(1000)),
};

export function productionRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['production'];

  api.get(
    '/production/work-orders',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Work orders, newest first (or by due date)',
        querystring: PageQuery(WORK_ORDER_SORTS, ListFilters),
        response: { 200: Page(WorkOrder) },
      },
    },
    async (request) => inTenant(request, (tx) => listWorkOrders(tx, request.query)),
  );

  api.post(
    '/production/work-orders',
    {
      config: { permission: P.plan, idempotent: true },
      schema: {
        tags,
        summary: 'Create a work order (draft) for a released item revision',
        body: Type.Object(
          {
            itemRevisionId: Id,
            quantity: DecimalString({ description: "in the item's base unit; whole for counted units" }),
            siteId: Id,
            dueDate: IsoDate,
            notes: Type.Optional(Type.String({ maxLength: 2000 })),
            // The deviation the order is made under (draft or approved; its quantity is used at release).
            deviationId: Type.Optional(Nullable(Id)),
          },
          { additionalProperties: false },
        ),
        response: { 201: WorkOrder },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const created = await createWorkOrder(tx, request.body);
        setETag(reply, created.version);
        return { status: 201, body: created };
      }),
  );

  api.get(
    '/production/work-orders/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'A work order with its frozen requirements (issued and open), operations, material movements and next steps',
        params: IdParams,
        response: { 200: WorkOrderDetail },
      },
    },
    async (request, reply) => {
      const detail = await inTenant(request, (tx) => workOrderDetail(tx, request.params.id));
      return setETag(reply, detail.version).send(detail);
    },
  );

  api.patch(
    '/production/work-orders/:id',
    {
      config: { ifMatch: true, permission: P.plan },
      schema: {
        tags,
        summary: 'Change a draft work order (If-Match required)',
        params: IdParams,
        body: Type.Object(
          {
            itemRevisionId: Type.Optional(Id),
            quantity: Type.Optional(DecimalString()),
            dueDate: Type.Optional(IsoDate),
            notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
            deviationId: Type.Optional(Nullable(Id)),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: WorkOrder },
      },
    },
    async (request, reply) => {
      const versions = ifMatchVersions(request);
      const updated = await inTenant(request, (tx) => updateWorkOrder(tx, request.params.id, versions, request.body));
      return setETag(reply, updated.version).send(updated);
    },
  );

  for (const [verb, to, permission, summary] of [
    ['release', 'released', P.release, 'Release a draft: freezes the BOM and routing in effect into the order'],
    ['complete', 'completed', P.plan, 'Complete a work order in progress'],
    ['close', 'closed', P.plan, 'Close a completed work order'],
    ['cancel', 'cancelled', P.plan, 'Cancel a draft or released order with nothing issued (reason required)'],
  ] as const) {
    api.post(
      `/production/work-orders/:id/${verb}`,
      {
        config: { permission, idempotent: true },
        schema: {
          tags,
          summary,
          params: IdParams,
          body: Type.Object({ comment: Type.Optional(PlainText(1000)) }, { additionalProperties: false }),
          response: { 200: WorkOrderDetail },
        },
      },
      async (request, reply) =>
        idempotent(request, reply, async (tx) => ({
          status: 200,
          body: await transitionWorkOrder(tx, tenantOf(request), request.params.id, { to, comment: request.body?.comment }),
        })),
    );
  }

  api.post(
    '/production/work-orders/:id/issues',
    {
      config: { permission: P.issue, idempotent: true },
      schema: {
        tags,
        summary: 'Issue a lot to the order (scan or lot id); refused with error.production.issue.* naming the reason',
        params: IdParams,
        body: Type.Object(MaterialBody, { additionalProperties: false }),
        response: { 200: WorkOrderDetail },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await issueMaterial(tx, tenantOf(request), request.params.id, request.body),
      })),
  );

  api.post(
    '/production/work-orders/:id/returns',
    {
      config: { permission: P.issue, idempotent: true },
      schema: {
        tags,
        summary: 'Return unused material of an issued lot into a released or production location of the order site',
        params: IdParams,
        body: Type.Object({ ...MaterialBody, locationId: Id }, { additionalProperties: false }),
        response: { 200: WorkOrderDetail },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await returnMaterial(tx, tenantOf(request), request.params.id, request.body),
      })),
  );
}
