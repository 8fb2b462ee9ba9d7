import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { SignatureComment, SignerPassword, SignerTotpCode } from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { DateTime, DecimalString, Id, IsoDate, Nullable, PlainText } from '../../platform/schema.js';
import { DEVIATION_PERMISSIONS, DEVIATION_STATUSES, DEVIATION_USE_KINDS } from './contract.js';
import { createDeviation, deviationDetail, listDeviations, transitionDeviation } from './service.js';

const Status = Type.Enum(DEVIATION_STATUSES);
const Params = Type.Object({ id: Id }, { additionalProperties: false });

export const DeviationSchema = Type.Object({
  id: Id,
  number: Type.String({ examples: ['DEV-2026-00001'] }),
  title: Type.String(),
  reason: Type.String(),
  description: Type.String(),
  riskAssessment: Type.String(),
  itemId: Id,
  itemRevisionId: Nullable(Id),
  supplierId: Nullable(Id),
  lots: Type.Array(Type.String()),
  maxQuantity: DecimalString(),
  unit: Type.String(),
  usedQuantity: DecimalString(),
  remainingQuantity: DecimalString(),
  validFrom: IsoDate,
  validUntil: IsoDate,
  status: Status,
  author: Type.Object({ id: Type.String(), name: Type.String() }),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const UseSchema = Type.Object({
  id: Id,
  usedBy: Type.Object({ kind: Type.Enum(DEVIATION_USE_KINDS), id: Id }),
  quantity: DecimalString(),
  lot: Nullable(Type.String()),
  usedOn: IsoDate,
  usedAt: DateTime,
  recordedBy: Type.String(),
});

const DetailSchema = Type.Intersect([
  DeviationSchema,
  Type.Object({ uses: Type.Array(UseSchema), signatures: Type.Array(SignatureSchema), allowedTransitions: Type.Array(Status) }),
]);

export const NewDeviationBody = Type.Object(
  {
    title: PlainText(200),
    reason: PlainText(2000),
    description: Type.Optional(PlainText(10_000, { min: 0 })),
    riskAssessment: PlainText(10_000),
    itemId: Id,
    itemRevisionId: Type.Optional(Id),
    supplierId: Type.Optional(Id),
    lots: Type.Optional(Type.Array(PlainText(100), { maxItems: 100 })),
    maxQuantity: DecimalString({ description: "the most it permits, in the item's base unit" }),
    validFrom: IsoDate,
    validUntil: IsoDate,
  },
  { additionalProperties: false },
);

export function deviationRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['deviations'];

  api.get(
    '/deviations',
    {
      config: { permission: DEVIATION_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'Deviations and concessions, newest first',
        querystring: PageQuery([], {
          status: Type.Optional(Status),
          itemId: Type.Optional(Id),
          supplierId: Type.Optional(Id),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        }),
        response: { 200: Page(DeviationSchema) },
      },
    },
    async (request) => inTenant(request, (tx) => listDeviations(tx, request.query)),
  );

  api.get(
    '/deviations/:id',
    {
      config: { permission: DEVIATION_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'A deviation with its use (what used how much), signatures and allowed next steps',
        params: Params,
        response: { 200: DetailSchema },
      },
    },
    async (request) => inTenant(request, (tx) => deviationDetail(tx, request.params.id)),
  );

  api.post(
    '/deviations',
    {
      config: { permission: DEVIATION_PERMISSIONS.write, idempotent: true },
      schema: { tags, summary: 'Raise a deviation (draft)', body: NewDeviationBody, response: { 201: DeviationSchema } },
    },
    async (request, reply) => reply.status(201).send(await inTenant(request, (tx) => createDeviation(tx, tenantOf(request), request.body))),
  );

  api.post(
    '/deviations/:id/transitions',
    {
      config: { permission: DEVIATION_PERMISSIONS.write },
      schema: {
        tags,
        summary: 'Approve (signed, not by the author), close (signed, with a reason) or cancel a draft (with a reason)',
        description:
          'Signed steps re-authenticate: password, plus the TOTP code when the signer has one. The signing permission (deviations:sign.approved, deviations:sign.closed) is checked with the signature.',
        params: Params,
        body: Type.Object(
          {
            to: Type.Enum(['approved', 'closed', 'cancelled'] as const),
            password: Type.Optional(SignerPassword),
            totpCode: Type.Optional(SignerTotpCode),
            comment: Type.Optional(SignatureComment),
          },
          { additionalProperties: false },
        ),
        response: { 200: DetailSchema },
      },
    },
    async (request) => {
      const { to, password, totpCode, comment } = request.body;
      const credentials = password === undefined ? undefined : { password, totpCode };
      return inTenant(request, async (tx) => {
        await transitionDeviation(tx, tenantOf(request), request.server.signerVerifier, request.params.id, { to, credentials, comment });
        return deviationDetail(tx, request.params.id);
      });
    },
  );
}
