import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { invalidFields } from '../../platform/errors.js';
import { SignatureComment, SignerPassword, SignerTotpCode } from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { ifMatchVersions, setETag } from '../../platform/http/etag.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { printable } from '../../platform/pdf/index.js';
import { DecimalString, Id, IsoDate, Nullable, NullableInteger, PlainText } from '../../platform/schema.js';
import {
  NOTIFICATION_METHODS,
  RECALL_PERMISSIONS as P,
  RECALL_START_KINDS,
  RECALL_STATUSES,
  RecallAnswer,
  RecallDetailSchema,
  RecallNotification,
  RecallSchema,
  RecallStart,
} from './contract.js';
import { recallPrintRecord } from './print.js';
import { findAffected } from './query.js';
import {
  acknowledgeNotice,
  listRecalls,
  raiseRecall,
  recallDetail,
  recordAuthorityReport,
  recordNotice,
  refreshRecall,
  transitionRecall,
  updateRecall,
} from './records.js';

const Status = Type.Enum(RECALL_STATUSES);
const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
const Level = NullableInteger({ minimum: 1, maximum: 3 });

/** The query as a flat query string: the kind, and what that kind needs. */
const QueryString = Type.Object(
  {
    kind: Type.Enum(RECALL_START_KINDS),
    supplierId: Type.Optional(Id),
    supplierLot: Type.Optional(PlainText(80)),
    lotId: Type.Optional(Id),
    itemId: Type.Optional(Id),
    fromSerial: Type.Optional(PlainText(80)),
    toSerial: Type.Optional(PlainText(80)),
    equipmentId: Type.Optional(Id),
    operatorId: Type.Optional(Id),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

/** The start a flat query names; every field its kind needs and lacks is named at once. */
export function startOf(q: Static<typeof QueryString>): RecallStart {
  const need = (...fields: (keyof typeof q & string)[]) => {
    const missing = fields.filter((f) => q[f] === undefined);
    if (missing.length) {
      throw invalidFields(
        `a ${q.kind} query needs ${missing.join(', ')}`,
        missing.map((f) => ({ pointer: `/querystring/${f}`, message: 'is required', code: 'error.recall.fieldRequired' })),
        'error.recall.invalid',
      );
    }
  };
  switch (q.kind) {
    case 'supplier_lot':
      need('supplierId', 'supplierLot');
      return { kind: q.kind, supplierId: q.supplierId!, supplierLot: q.supplierLot! };
    case 'component_lot':
      need('lotId');
      return { kind: q.kind, lotId: q.lotId! };
    case 'serial_range':
      need('itemId', 'fromSerial', 'toSerial');
      return { kind: q.kind, itemId: q.itemId!, from: q.fromSerial!, to: q.toSerial! };
    case 'equipment':
      need('equipmentId', 'from', 'to');
      return { kind: q.kind, equipmentId: q.equipmentId!, from: q.from!, to: q.to! };
    case 'operator':
      need('operatorId', 'from', 'to');
      return { kind: q.kind, operatorId: q.operatorId!, from: q.from!, to: q.to! };
  }
}

export function recallRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['recall'];

  api.get(
    '/recalls/query',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Run a recall query: every lot and serial made from the starting point, its status and stock, the customers reached',
        description:
          'kind=supplier_lot (supplierId, supplierLot), component_lot (lotId), serial_range (itemId, fromSerial, toSerial), equipment (equipmentId, from, to) or operator (operatorId, from, to; days of the site calendar, inclusive). Changes nothing.',
        querystring: QueryString,
        response: { 200: RecallAnswer },
      },
    },
    async (request) => inTenant(request, (tx) => findAffected(tx, startOf(request.query))),
  );

  api.get(
    '/recalls',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Recalls and recall simulations, newest first',
        querystring: PageQuery([], { status: Type.Optional(Status), q: Type.Optional(PlainText(100)) }),
        response: { 200: Page(RecallSchema) },
      },
    },
    async (request) => inTenant(request, (tx) => listRecalls(tx, request.query)),
  );

  api.get(
    '/recalls/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'A recall with its answer as taken, notices, progress, deadlines and signatures',
        params: IdParams,
        response: { 200: RecallDetailSchema },
      },
    },
    async (request, reply) => {
      const detail = await inTenant(request, (tx) => recallDetail(tx, request.params.id));
      return setETag(reply, detail.version).send(detail);
    },
  );

  printable(app, {
    path: '/recalls/:id/pdf',
    permission: P.read,
    tags,
    summary:
      'The recall report as a printable PDF: query, classification and deadlines, affected lots, customers reached, notices, effectiveness, signatures',
    load: (tx, _ctx, id) => recallPrintRecord(tx, id),
  });

  api.post(
    '/recalls',
    {
      config: { permission: P.write, idempotent: true },
      schema: {
        tags,
        summary: 'Raise a recall (draft) from a query; its answer is kept as taken',
        body: Type.Object(
          {
            title: PlainText(200),
            reason: PlainText(4000),
            start: RecallStart,
            chinaLevel: Type.Optional(Level),
            fdaClass: Type.Optional(Level),
            healthHazard: Type.Optional(Nullable(PlainText(4000))),
          },
          { additionalProperties: false },
        ),
        response: { 201: RecallDetailSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const recall = await raiseRecall(tx, tenantOf(request), request.body);
        return { status: 201, body: await recallDetail(tx, recall.id) };
      }),
  );

  api.patch(
    '/recalls/:id',
    {
      config: { permission: P.write, ifMatch: true },
      schema: {
        tags,
        summary: "Change a draft recall's title, reason, classification or health hazard assessment (If-Match required)",
        params: IdParams,
        body: Type.Object(
          {
            title: Type.Optional(PlainText(200)),
            reason: Type.Optional(PlainText(4000)),
            chinaLevel: Type.Optional(Level),
            fdaClass: Type.Optional(Level),
            healthHazard: Type.Optional(Nullable(PlainText(4000))),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: RecallDetailSchema },
      },
    },
    async (request, reply) => {
      const versions = ifMatchVersions(request);
      const detail = await inTenant(request, async (tx) => {
        await updateRecall(tx, request.params.id, versions, request.body);
        return recallDetail(tx, request.params.id);
      });
      return setETag(reply, detail.version).send(detail);
    },
  );

  api.post(
    '/recalls/:id/refresh',
    {
      config: { permission: P.write },
      schema: {
        tags,
        summary: "Run a draft's query again and keep the new answer",
        params: IdParams,
        response: { 200: RecallDetailSchema },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        await refreshRecall(tx, request.params.id);
        return recallDetail(tx, request.params.id);
      }),
  );

  api.post(
    '/recalls/:id/transitions',
    {
      config: { permission: P.write },
      schema: {
        tags,
        summary:
          'Close an initiated recall (signed, meaning verified, with the effectiveness check as reason) or cancel a draft (with a reason)',
        description:
          'Initiating is POST /recalls/:id/initiate (it also holds the stock). Closing is refused while a customer reached has no notice (409 error.recall.customersNotNotified) and is never signed by the recall’s author (rule notAuthor).',
        params: IdParams,
        body: Type.Object(
          {
            to: Type.Enum(['closed', 'cancelled'] as const),
            password: Type.Optional(SignerPassword),
            totpCode: Type.Optional(SignerTotpCode),
            comment: Type.Optional(SignatureComment),
          },
          { additionalProperties: false },
        ),
        response: { 200: RecallDetailSchema },
      },
    },
    async (request) => {
      const { to, password, totpCode, comment } = request.body;
      const credentials = password === undefined ? undefined : { password, totpCode };
      return inTenant(request, async (tx) => {
        await transitionRecall(tx, tenantOf(request), request.server.signerVerifier, request.params.id, { to, credentials, comment });
        return recallDetail(tx, request.params.id);
      });
    },
  );

  api.post(
    '/recalls/:id/report',
    {
      config: { permission: P.write },
      schema: {
        tags,
        summary: 'Record the report to the authority (NMPA recall event report, FDA 21 CFR 806 report): its day and reference',
        params: IdParams,
        body: Type.Object({ reportedOn: IsoDate, reference: PlainText(200) }, { additionalProperties: false }),
        response: { 200: RecallDetailSchema },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        await recordAuthorityReport(tx, request.params.id, request.body);
        return recallDetail(tx, request.params.id);
      }),
  );

  api.post(
    '/recalls/:id/notifications',
    {
      config: { permission: P.notify, idempotent: true },
      schema: {
        tags,
        summary: 'Record a notice sent to a customer the recall reached',
        params: IdParams,
        body: Type.Object(
          {
            customerId: Id,
            method: Type.Enum(NOTIFICATION_METHODS),
            sentOn: IsoDate,
            sentTo: PlainText(300, { description: 'the person, address or number it went to' }),
            note: Type.Optional(PlainText(2000)),
          },
          { additionalProperties: false },
        ),
        response: { 201: RecallNotification },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 201,
        body: await recordNotice(tx, tenantOf(request), request.params.id, request.body),
      })),
  );

  api.post(
    '/recalls/:id/notifications/:notificationId/acknowledgement',
    {
      config: { permission: P.notify },
      schema: {
        tags,
        summary: "Record a customer's acknowledgement of a notice, with the units it reports accounted for",
        params: Type.Object({ id: Id, notificationId: Id }, { additionalProperties: false }),
        body: Type.Object(
          {
            acknowledgedOn: IsoDate,
            acknowledgedBy: PlainText(200),
            unitsAccounted: DecimalString({ description: 'returned, destroyed, corrected or not found in use; whole units' }),
            note: Type.Optional(PlainText(2000)),
          },
          { additionalProperties: false },
        ),
        response: { 200: RecallNotification },
      },
    },
    async (request) => inTenant(request, (tx) => acknowledgeNotice(tx, request.params.id, request.params.notificationId, request.body)),
  );
}
