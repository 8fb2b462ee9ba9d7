import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Tx } from '../../platform/db/index.js';
import {
  listSignatures,
  SignatureComment,
  SignatureSchema,
  SignerPassword,
  SignerTotpCode,
  withManifestations,
} from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { setETag } from '../../platform/http/etag.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { printable } from '../../platform/pdf/index.js';
import { DecimalString, Id, PlainText } from '../../platform/schema.js';
import {
  SALES_PERMISSIONS as P,
  RETURN_DISPOSITIONS,
  RETURN_STATUSES,
  ReturnableLotSchema,
  ReturnDetailSchema,
  ReturnSummarySchema,
} from './contract.js';
import { customerReturnPrint } from './return-print.js';
import { authoriseReturn, cancelReturn, closeReturn, customerReturnDetail, listCustomerReturns, returnableLots } from './returns.js';

/** The return page's answer: the return with its lines and dispositions, and every disposition's signature manifested. */
export const ReturnRecordSchema = Type.Object({ ...ReturnDetailSchema.properties, signatures: Type.Array(SignatureSchema) });

export async function customerReturnRecord(tx: Tx, id: string) {
  const detail = await customerReturnDetail(tx, id);
  const signatures = [];
  for (const d of detail.dispositions) signatures.push(...(await listSignatures(tx, 'customer_return_dispositions', d.id)));
  return { ...detail, signatures: await withManifestations(tx, signatures) };
}

const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** The lots and serials that came back into quarantine (the receive-customer-return flow's request body). */
export const ReturnReceiptBody = Type.Object(
  {
    locationId: Id,
    lines: Type.Array(
      Type.Object(
        {
          lotId: Id,
          quantity: DecimalString({ description: "in the item's base unit; 1 for a serial" }),
          lineNo: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: "the return's line, where one lot is on two" })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

/** One decision per received quantity of a return line (the disposition-customer-return flow's request lines). */
export const ReturnDispositionLine = Type.Object(
  {
    lineNo: Type.Integer({ minimum: 1, maximum: 10_000, description: "the return's line" }),
    kind: Type.Enum(RETURN_DISPOSITIONS),
    quantity: DecimalString(),
    locationId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** What signing a disposition asks besides the decisions: the justification and the signer's credentials. */
export const ReturnDispositionSigning = {
  justification: Type.String({ minLength: 1, maxLength: 4000 }),
  password: SignerPassword,
  totpCode: Type.Optional(SignerTotpCode),
  comment: Type.Optional(SignatureComment),
};

export function returnRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['sales'];

  api.get(
    '/sales/returns',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: "Customers' returns (RMA), newest first",
        querystring: PageQuery([], {
          q: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 80,
              description: "part of the return number, a lot or serial number, or the customer's code or name",
            }),
          ),
          status: Type.Optional(Type.Enum(RETURN_STATUSES)),
          customerId: Type.Optional(Id),
          shipmentId: Type.Optional(Id),
          lotId: Type.Optional(Id),
          toDisposition: Type.Optional(Type.Boolean({ description: 'only returns with received goods awaiting disposition' })),
        }),
        response: { 200: Page(ReturnSummarySchema) },
      },
    },
    async (request) => inTenant(request, (tx) => listCustomerReturns(tx, request.query)),
  );

  api.post(
    '/sales/returns',
    {
      config: { permission: P.returnAuthorise, idempotent: true },
      schema: {
        tags,
        summary: 'Authorise a return of exact lots and serials of a shipment',
        description:
          'Refused (409) for a lot or serial not shipped on the line (error.sales.return.notOnShipment), beyond what the line shipped less other returns not cancelled (error.sales.return.overAuthorised), or a serial already returned (error.sales.return.serialReturned). Nothing is written on a refusal. Publishes sales.return.authorised.',
        body: Type.Object(
          {
            shipmentId: Id,
            reason: Type.String({ minLength: 1, maxLength: 2000 }),
            lines: Type.Array(
              Type.Object(
                {
                  shipmentLineNo: Type.Integer({ minimum: 1, maximum: 10_000, description: 'the order line the goods were shipped on' }),
                  lotId: Id,
                  quantity: DecimalString({ description: "in the item's base unit; 1 for a serial" }),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 1000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: ReturnRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const created = await authoriseReturn(tx, tenantOf(request), request.body);
        const record = await customerReturnRecord(tx, created.id);
        setETag(reply, record.version);
        return { status: 201, body: record };
      }),
  );

  api.get(
    '/sales/returns/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'A return with its lines, dispositions, signatures and allowed next steps',
        params: IdParams,
        response: { 200: ReturnRecordSchema },
      },
    },
    async (request, reply) => {
      const record = await inTenant(request, (tx) => customerReturnRecord(tx, request.params.id));
      return setETag(reply, record.version).send(record);
    },
  );

  api.get(
    '/sales/shipments/:id/returnable',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'What of each lot and serial of a shipment may still be returned: shipped less what returns not cancelled authorised',
        params: IdParams,
        response: { 200: Type.Array(ReturnableLotSchema) },
      },
    },
    async (request) => inTenant(request, (tx) => returnableLots(tx, request.params.id)),
  );

  api.post(
    '/sales/returns/:id/close',
    {
      config: { permission: P.returnAuthorise, idempotent: true },
      schema: {
        tags,
        summary: 'Close a return whose received goods are all dispositioned (a reason when the customer sent only part)',
        params: IdParams,
        body: Type.Object({ comment: Type.Optional(PlainText(2000)) }, { additionalProperties: false }),
        response: { 200: ReturnRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        await closeReturn(tx, tenantOf(request), request.params.id, request.body?.comment);
        return { status: 200, body: await customerReturnRecord(tx, request.params.id) };
      }),
  );

  api.post(
    '/sales/returns/:id/cancel',
    {
      config: { permission: P.returnAuthorise, idempotent: true },
      schema: {
        tags,
        summary: 'Cancel a return before anything came back, with a reason',
        params: IdParams,
        body: Type.Object({ reason: PlainText(2000) }, { additionalProperties: false }),
        response: { 200: ReturnRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        await cancelReturn(tx, tenantOf(request), request.params.id, request.body.reason);
        return { status: 200, body: await customerReturnRecord(tx, request.params.id) };
      }),
  );

  printable(app, {
    path: '/sales/returns/:id/pdf',
    permission: P.read,
    tags,
    summary: 'The return as a printable PDF record: lots and serials authorised, received and dispositioned, with the signatures',
    load: (tx, _ctx, id) => customerReturnPrint(tx, id),
  });
}
