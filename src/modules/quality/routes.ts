import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DecimalString } from '../../platform/decimal.js';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { ifMatchVersions, setETag } from '../../platform/http/etag.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { Id, Nullable } from '../../platform/schema.js';
import { LOT_STATUSES } from '../inventory/index.js';
import { CHARACTERISTIC_KINDS, INSPECTION_LEVELS, INSPECTION_STATUSES, QUALITY_PERMISSIONS as P, SEVERITIES } from './contract.js';
import { inspectionDetail, listInspections, recordResult } from './inspections.js';
import { getInspectionPlan, listInspectionPlans, setInspectionPlan } from './plans.js';
import { AQLS, LOT_VERDICTS } from './sampling.js';
import { switchingRoutes } from './switching-routes.js';
import { inspectionNames, nameBook, planView } from './views.js';

const Status = Type.Enum(INSPECTION_STATUSES);

const CharacteristicSchema = Type.Object({
  id: Id,
  name: Type.String(),
  kind: Type.Enum(CHARACTERISTIC_KINDS),
  lowerLimit: Nullable(DecimalString()),
  upperLimit: Nullable(DecimalString()),
  unit: Nullable(Type.String()),
});

const Named = Type.Object({ code: Type.String(), name: Type.String() });

const PlanFields = {
  id: Id,
  itemId: Id,
  item: Named,
  aql: Type.Enum(AQLS),
  inspectionLevel: Type.Enum(INSPECTION_LEVELS),
  version: Type.Integer({ description: 'row version; the ETag of the plan' }),
  inUse: Type.Boolean({ description: 'results were recorded against its characteristics, which can no longer be replaced' }),
};

const PlanSchema = Type.Object({ ...PlanFields, characteristics: Type.Array(CharacteristicSchema) });

const PlanSummary = Type.Object({
  ...PlanFields,
  characteristics: Type.Integer({ description: 'number of characteristics' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const SamplingPlanSchema = Type.Object({
  severity: Type.Enum(SEVERITIES),
  aql: Type.Enum(AQLS),
  codeLetter: Type.String({ description: 'sample size code letter from the lot size and inspection level' }),
  planLetter: Type.String({ description: 'row of the plan used once arrows are followed' }),
  sampleSize: Type.Integer({ description: 'n' }),
  accept: Type.Integer({ description: 'Ac' }),
  reject: Type.Integer({ description: 'Re' }),
  hundredPercent: Type.Boolean(),
});

const InspectionSummary = Type.Object({
  id: Id,
  number: Type.String({ examples: ['IQC-2026-00001'] }),
  lotId: Id,
  receiptId: Id,
  itemId: Id,
  supplierId: Id,
  lotSize: Type.Integer(),
  inspectionLevel: Type.Enum(INSPECTION_LEVELS),
  status: Status,
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  decidedBy: Nullable(Type.String()),
  item: Named,
  supplier: Named,
  lot: Type.Object({ number: Type.String(), status: Type.Enum(LOT_STATUSES), supplierLot: Nullable(Type.String()) }),
  receipt: Type.Object({ number: Type.String(), poId: Id }),
});

const InspectionListRow = Type.Intersect([
  InspectionSummary,
  Type.Object({
    createdAt: Type.String({ format: 'date-time' }),
    severity: Type.Enum(SEVERITIES),
    aql: Type.Enum(AQLS),
    codeLetter: Type.String(),
    sampleSize: Type.Integer(),
    accept: Type.Integer(),
    reject: Type.Integer(),
  }),
]);

export const InspectionSchema = Type.Intersect([
  InspectionSummary,
  Type.Object({
    plan: SamplingPlanSchema,
    characteristics: Type.Array(CharacteristicSchema),
    results: Type.Array(
      Type.Object({
        characteristicId: Id,
        defectives: Type.Integer(),
        measurements: Nullable(Type.Array(DecimalString())),
        recordedAt: Type.String({ format: 'date-time' }),
        recordedBy: Type.String(),
        recordedById: Nullable(Type.String()),
      }),
    ),
    nonconforming: Type.Integer({ description: 'nonconforming units in the sample so far' }),
    verdict: Type.Enum(LOT_VERDICTS),
    complete: Type.Boolean({ description: 'every characteristic has a result' }),
  }),
]);

const ItemParams = Type.Object({ itemId: Id }, { additionalProperties: false });
const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export function qualityRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['quality'];
  switchingRoutes(app);

  api.get(
    '/quality/inspection-plans',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Inspection plans of the items that have one, oldest first',
        querystring: PageQuery([], { itemId: Type.Optional(Id) }),
        response: { 200: Page(PlanSummary) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const page = await listInspectionPlans(tx, request.query);
        const book = nameBook(tx);
        const items = [];
        for (const plan of page.items) items.push(await planView(book, plan));
        return { items, nextCursor: page.nextCursor };
      }),
  );

  api.get(
    '/quality/inspection-plans/:itemId',
    {
      config: { permission: P.read },
      schema: { tags, summary: "An item's incoming inspection plan", params: ItemParams, response: { 200: PlanSchema } },
    },
    async (request, reply) => {
      const plan = await inTenant(request, async (tx) => planView(nameBook(tx), await getInspectionPlan(tx, request.params.itemId)));
      return setETag(reply, plan.version).send(plan);
    },
  );

  api.put(
    '/quality/inspection-plans/:itemId',
    {
      config: { ifMatch: true, permission: P.inspect },
      schema: {
        tags,
        summary: "Set an item's inspection plan: AQL (default 1.0), inspection level (default II) and characteristics",
        description:
          'Replacing an existing plan needs If-Match with its ETag (428 without, 412 when it changed meanwhile) and is refused (409 error.quality.plan.inUse) once results were recorded against it.',
        params: ItemParams,
        body: Type.Object(
          {
            aql: Type.Optional(Type.Enum(AQLS)),
            inspectionLevel: Type.Optional(Type.Enum(INSPECTION_LEVELS)),
            characteristics: Type.Array(
              Type.Object(
                {
                  name: Type.String({ minLength: 1, maxLength: 200 }),
                  kind: Type.Enum(CHARACTERISTIC_KINDS),
                  lowerLimit: Type.Optional(DecimalString()),
                  upperLimit: Type.Optional(DecimalString()),
                  unit: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 50 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PlanSchema },
      },
    },
    async (request, reply) => {
      const versions = request.headers['if-match'] ? ifMatchVersions(request) : null;
      const plan = await inTenant(request, async (tx) =>
        planView(nameBook(tx), await setInspectionPlan(tx, request.params.itemId, request.body, versions)),
      );
      return setETag(reply, plan.version).send(plan);
    },
  );

  api.get(
    '/quality/inspections',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Incoming inspections, newest first',
        querystring: PageQuery([], {
          status: Type.Optional(Status),
          lotId: Type.Optional(Id),
          itemId: Type.Optional(Id),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'part of the inspection number' })),
        }),
        response: { 200: Page(InspectionListRow) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const page = await listInspections(tx, request.query);
        const book = nameBook(tx);
        const items = [];
        for (const row of page.items) items.push({ ...row, ...(await inspectionNames(book, row)) });
        return { items, nextCursor: page.nextCursor };
      }),
  );

  api.get(
    '/quality/inspections/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'An inspection: sampling plan (code letter, n, Ac, Re), results, running count and signatures',
        params: IdParams,
        response: { 200: Type.Intersect([InspectionSchema, Type.Object({ signatures: Type.Array(SignatureSchema) })]) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const detail = await inspectionDetail(tx, request.params.id);
        return { ...detail, ...(await inspectionNames(nameBook(tx), detail)) };
      }),
  );

  api.put(
    '/quality/inspections/:id/results/:characteristicId',
    {
      config: { permission: P.inspect },
      schema: {
        tags,
        summary: 'Record the result of a characteristic: defectives (attribute) or one measured value per sampled unit (variable)',
        params: Type.Object({ id: Id, characteristicId: Id }, { additionalProperties: false }),
        body: Type.Union([
          Type.Object({ defectives: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
          Type.Object({ measurements: Type.Array(DecimalString(), { minItems: 1, maxItems: 2000 }) }, { additionalProperties: false }),
        ]),
        response: { 200: InspectionSchema },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const inspection = await recordResult(tx, tenantOf(request), request.params.id, request.params.characteristicId, request.body);
        return { ...inspection, ...(await inspectionNames(nameBook(tx), inspection)) };
      }),
  );
}
