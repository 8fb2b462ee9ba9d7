import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DecimalString } from '../../platform/decimal.js';
import { ValidationFailed } from '../../platform/errors.js';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { SigningBody } from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { ifMatchVersions, setETag } from '../../platform/http/etag.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { printable } from '../../platform/pdf/index.js';
import { Id, IsoDate, Nullable } from '../../platform/schema.js';
import { LOT_STATUSES } from '../inventory/index.js';
import { attachCertificate, listCertificates, MAX_CERTIFICATE_BYTES, readCertificate } from './certificates.js';
import { PURCHASING_PERMISSIONS as P, PO_STATUSES } from './contract.js';
import { createPurchaseOrder, listPurchaseOrders, purchaseOrderDetail, transitionPurchaseOrder, updatePurchaseOrder } from './orders.js';
import { purchaseOrderRecord } from './print.js';
import { getReceipt, listReceipts, supplierDeliveryPerformance } from './receiving.js';
import { nameBook, orderView, receiptView } from './views.js';

const Status = Type.Enum(PO_STATUSES);
const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

const LineInput = Type.Object(
  {
    itemId: Id,
    quantity: DecimalString({ description: 'ordered quantity, in `unit`' }),
    unit: Type.String({ minLength: 1, maxLength: 20 }),
    unitPrice: DecimalString({ description: 'price per `unit`, in the order currency' }),
    dueDate: IsoDate,
    overReceiptTolerancePct: Type.Optional(DecimalString({ description: 'share above the ordered quantity that may still be received' })),
  },
  { additionalProperties: false },
);

const Named = Type.Object({ code: Type.String(), name: Type.String() });

const Line = Type.Object({
  id: Id,
  lineNo: Type.Integer(),
  itemId: Id,
  quantity: DecimalString(),
  unit: Type.String(),
  unitPrice: DecimalString(),
  dueDate: IsoDate,
  overReceiptTolerancePct: DecimalString(),
  receivedQuantity: DecimalString(),
  lineTotal: DecimalString(),
  item: Type.Object({ code: Type.String(), name: Type.String(), baseUnit: Type.String() }),
  openQuantity: DecimalString({ description: 'what may still be received: ordered plus tolerance, less received' }),
});

const Order = Type.Object({
  id: Id,
  number: Type.String({ examples: ['PO-2026-00001'] }),
  supplierId: Id,
  supplier: Named,
  siteId: Id,
  site: Named,
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  status: Status,
  notes: Nullable(Type.String()),
  total: DecimalString(),
  version: Type.Integer({ description: 'row version; the ETag of the order' }),
  createdAt: Type.String({ format: 'date-time' }),
  // The person who created the order; separation of duties keeps them from approving it.
  createdBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  lines: Type.Array(Line),
});

const OrderDetail = Type.Intersect([
  Order,
  Type.Object({ signatures: Type.Array(SignatureSchema), allowedTransitions: Type.Array(Status) }),
]);

const Conditions = Type.Object(
  {
    temperature: Type.Optional(Type.Object({ value: DecimalString(), unit: Type.Enum(['C', 'F']) }, { additionalProperties: false })),
    humidity: Type.Optional(Type.Object({ value: DecimalString(), unit: Type.Literal('%RH') }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const ReceiptSchema = Type.Object({
  id: Id,
  number: Type.String({ examples: ['GR-2026-00001'] }),
  poId: Id,
  poLineId: Id,
  supplierId: Id,
  itemId: Id,
  siteId: Id,
  lotId: Id,
  quantity: DecimalString({ description: 'in the unit of the order line' }),
  unit: Type.String(),
  supplierLot: Type.String(),
  manufacturedOn: Nullable(IsoDate),
  expiresOn: Nullable(IsoDate),
  conditions: Conditions,
  deviationId: Nullable(Id),
  receivedOn: IsoDate,
  dueDate: IsoDate,
  onTime: Type.Boolean(),
  receivedAt: Type.String({ format: 'date-time' }),
  receivedBy: Type.String(),
  poNumber: Type.String(),
  lineNo: Type.Integer(),
  supplier: Named,
  item: Named,
  site: Named,
  lot: Type.Object({ number: Type.String(), status: Type.Enum(LOT_STATUSES) }),
});

/** What the dock types when goods arrive against an order line (the post-receipt flow's request body). */
export const NewReceiptBody = Type.Object(
  {
    poLineId: Id,
    quantity: DecimalString({ description: 'in the unit of the order line' }),
    locationId: Type.String({ format: 'uuid', description: 'a quarantine location at the order site' }),
    supplierLot: Type.String({ minLength: 1, maxLength: 100 }),
    manufacturedOn: Type.Optional(IsoDate),
    expiresOn: Type.Optional(IsoDate),
    conditions: Type.Optional(Conditions),
    deviationId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

const CertificateSchema = Type.Object({
  id: Id,
  receiptId: Id,
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  uploadedAt: Type.String({ format: 'date-time' }),
  uploadedBy: Type.String(),
});

export function purchasingRoutes(app: App): void {
  // Its own scope: the multipart parser and its limits apply to these routes only.
  app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_CERTIFICATE_BYTES, files: 1, fields: 0 } });
    orderRoutes(scope);
    receiptRoutes(scope);
  });
}

function orderRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['purchasing'];

  api.get(
    '/purchasing/orders',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Purchase orders, newest first',
        querystring: PageQuery([], {
          supplierId: Type.Optional(Id),
          status: Type.Optional(Status),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'part of the order number' })),
          receivable: Type.Optional(Type.Boolean({ description: 'only sent and partially received orders' })),
        }),
        response: { 200: Page(Order) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const page = await listPurchaseOrders(tx, request.query);
        const book = nameBook(tx);
        const items = [];
        for (const po of page.items) items.push(await orderView(book, po));
        return { items, nextCursor: page.nextCursor };
      }),
  );

  api.post(
    '/purchasing/orders',
    {
      config: { permission: P.write, idempotent: true },
      schema: {
        tags,
        summary: 'Create a purchase order (draft)',
        body: Type.Object(
          {
            supplierId: Id,
            siteId: Id,
            currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
            notes: Type.Optional(Type.String({ maxLength: 2000 })),
            lines: Type.Array(LineInput, { minItems: 1, maxItems: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Order },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const created = await createPurchaseOrder(tx, request.body);
        setETag(reply, created.version);
        return { status: 201, body: await orderView(nameBook(tx), created) };
      }),
  );

  api.get(
    '/purchasing/orders/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'A purchase order with its signatures and allowed next steps',
        params: IdParams,
        response: { 200: OrderDetail },
      },
    },
    async (request, reply) => {
      const detail = await inTenant(request, async (tx) => {
        const { signatures, allowedTransitions, ...po } = await purchaseOrderDetail(tx, request.params.id);
        return { ...(await orderView(nameBook(tx), po)), signatures, allowedTransitions };
      });
      return setETag(reply, detail.version).send(detail);
    },
  );

  printable(app, {
    path: '/purchasing/orders/:id/pdf',
    permission: P.read,
    tags,
    summary: 'The purchase order as a printable PDF record, with its signatures',
    load: (tx, _ctx, id) => purchaseOrderRecord(tx, id),
  });

  api.patch(
    '/purchasing/orders/:id',
    {
      config: { ifMatch: true, permission: P.write },
      schema: {
        tags,
        summary: 'Change a draft order (If-Match required); `lines` replaces every line',
        params: IdParams,
        body: Type.Object(
          {
            currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
            notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
            lines: Type.Optional(Type.Array(LineInput, { minItems: 1, maxItems: 200 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Order },
      },
    },
    async (request, reply) => {
      const versions = ifMatchVersions(request);
      const updated = await inTenant(request, async (tx) =>
        orderView(nameBook(tx), await updatePurchaseOrder(tx, request.params.id, versions, request.body)),
      );
      return setETag(reply, updated.version).send(updated);
    },
  );

  api.post(
    '/purchasing/orders/:id/approve',
    {
      config: { permission: P.signApproved, idempotent: true },
      schema: {
        tags,
        summary: 'Approve a draft order by e-signature (meaning approved)',
        description:
          'Re-authenticates the signer (password, plus TOTP at the first signing of a session). Refused while the supplier is not approved for every line item.',
        params: IdParams,
        body: SigningBody,
        response: { 200: Order },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment } = request.body;
        const approved = await transitionPurchaseOrder(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
          to: 'approved',
          credentials: { password, totpCode },
          comment,
        });
        setETag(reply, approved.version);
        return { status: 200, body: await orderView(nameBook(tx), approved) };
      }),
  );

  api.post(
    '/purchasing/orders/:id/transitions',
    {
      config: { permission: P.write, idempotent: true },
      schema: {
        tags,
        summary: 'Send an approved order, close a received one, or cancel one (with a reason) before goods arrive',
        params: IdParams,
        body: Type.Object(
          { to: Type.Enum(['sent', 'closed', 'cancelled']), comment: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Order },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const moved = await transitionPurchaseOrder(tx, tenantOf(request), request.server.signerVerifier, request.params.id, request.body);
        setETag(reply, moved.version);
        return { status: 200, body: await orderView(nameBook(tx), moved) };
      }),
  );

  api.get(
    '/purchasing/suppliers/:id/delivery-performance',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: "A supplier's on-time delivery: receipts on or before the line due date (site-local dates)",
        params: IdParams,
        querystring: Type.Object({ from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            supplierId: Id,
            from: Nullable(IsoDate),
            to: Nullable(IsoDate),
            receipts: Type.Integer(),
            onTime: Type.Integer(),
            onTimePercent: Nullable(DecimalString()),
          }),
        },
      },
    },
    async (request) => inTenant(request, (tx) => supplierDeliveryPerformance(tx, request.params.id, request.query)),
  );
}

function receiptRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['purchasing'];

  api.get(
    '/purchasing/receipts',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Receipts of an order or a supplier, oldest first',
        querystring: Type.Object({ poId: Type.Optional(Id), supplierId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(ReceiptSchema) }) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const book = nameBook(tx);
        const items = [];
        for (const receipt of await listReceipts(tx, request.query)) items.push(await receiptView(tx, book, receipt));
        return { items };
      }),
  );

  api.get(
    '/purchasing/receipts/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'A receipt with its certificates of analysis',
        params: IdParams,
        response: { 200: Type.Intersect([ReceiptSchema, Type.Object({ certificates: Type.Array(CertificateSchema) })]) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => ({
        ...(await receiptView(tx, nameBook(tx), await getReceipt(tx, request.params.id))),
        certificates: await listCertificates(tx, request.params.id),
      })),
  );

  api.post(
    '/purchasing/receipts/:id/certificates',
    {
      config: { permission: P.receive },
      schema: {
        tags,
        summary: 'Attach a certificate of analysis (multipart/form-data, one file, PDF or image, at most 5 MiB)',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: CertificateSchema },
      },
    },
    async (request, reply) => {
      const file = request.isMultipart() ? await request.file() : undefined;
      if (!file) {
        throw new ValidationFailed(
          'send the certificate as a multipart/form-data file',
          [{ pointer: '/body/file', message: 'is required' }],
          {
            code: 'error.purchasing.certificate.missing',
          },
        );
      }
      const content = await file.toBuffer().catch((err: { code?: string }) => {
        if (err.code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
        throw new ValidationFailed(
          `the certificate is larger than ${MAX_CERTIFICATE_BYTES} bytes`,
          [{ pointer: '/body/file', message: `is larger than ${MAX_CERTIFICATE_BYTES} bytes` }],
          { code: 'error.purchasing.certificate.tooLarge', params: { max: MAX_CERTIFICATE_BYTES } },
        );
      });
      const certificate = await inTenant(request, (tx) =>
        attachCertificate(tx, tenantOf(request), request.params.id, { fileName: file.filename, contentType: file.mimetype, content }),
      );
      return reply.status(201).send(certificate);
    },
  );

  api.get(
    '/purchasing/receipts/:id/certificates/:certificateId',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Download a certificate, verified against the SHA-256 recorded at upload (header x-content-sha256)',
        params: Type.Object({ id: Id, certificateId: Id }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const { certificate, content } = await inTenant(request, (tx) =>
        readCertificate(tx, request.params.id, request.params.certificateId),
      );
      return reply
        .type(certificate.contentType)
        .header('x-content-sha256', certificate.sha256)
        .header('content-disposition', `attachment; filename="${certificate.fileName.replace(/[^\w.-]/g, '_')}"`)
        .send(content);
    },
  );
}
