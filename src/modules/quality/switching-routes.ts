import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { SignatureComment, SignerPassword, SignerTotpCode } from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { Id } from '../../platform/schema.js';
import { QUALITY_PERMISSIONS, SAMPLING_DECISIONS, SWITCHING_SEVERITIES } from './contract.js';
import { decideSampling, getSwitchingRecord, listSwitchingRecords, type SwitchingRecord, switchingSignatures } from './switching.js';
import { type NameBook, nameBook } from './views.js';

const Named = Type.Object({ code: Type.String(), name: Type.String() });

const SwitchingSchema = Type.Object({
  id: Id,
  itemId: Id,
  item: Named,
  supplierId: Id,
  supplier: Named,
  severity: Type.Enum(SWITCHING_SEVERITIES),
  recentLots: Type.Array(Type.Boolean(), { description: 'verdicts of the latest lots on this severity, oldest first (true: accepted)' }),
  switchingScore: Type.Integer({ description: 'ISO 2859-1 9.3.3.2, kept on normal inspection' }),
  notAcceptedOnTightened: Type.Integer({ description: 'lots not accepted since tightened inspection began (9.4)' }),
  reducedPermitted: Type.Boolean({ description: 'the responsible authority consents to reduced inspection (9.3.3 c)' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const PairParams = Type.Object({ itemId: Id, supplierId: Id }, { additionalProperties: false });

async function named(book: NameBook, r: SwitchingRecord) {
  return { ...r, recentLots: [...r.recentLots], item: await book.item(r.itemId), supplier: await book.supplier(r.supplierId) };
}

/** The switching state per item and supplier, and the responsible authority's signed decisions on it. */
export function switchingRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['quality'];

  api.get(
    '/quality/sampling',
    {
      config: { permission: QUALITY_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'Where the ISO 2859-1 switching rules stand, per item and supplier (those inspected or decided on)',
        querystring: Type.Object(
          { itemId: Type.Optional(Id), supplierId: Type.Optional(Id), severity: Type.Optional(Type.Enum(SWITCHING_SEVERITIES)) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(SwitchingSchema) }) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const book = nameBook(tx);
        const items = [];
        for (const r of await listSwitchingRecords(tx, request.query)) items.push(await named(book, r));
        items.sort((a, b) => a.supplier.code.localeCompare(b.supplier.code) || a.item.code.localeCompare(b.item.code));
        return { items };
      }),
  );

  api.get(
    '/quality/sampling/:itemId/:supplierId',
    {
      config: { permission: QUALITY_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'The switching state of an item from a supplier, with the signatures of the decisions taken on it',
        params: PairParams,
        response: { 200: Type.Intersect([SwitchingSchema, Type.Object({ signatures: Type.Array(SignatureSchema) })]) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const { itemId, supplierId } = request.params;
        const record = await named(nameBook(tx), await getSwitchingRecord(tx, itemId, supplierId));
        return { ...record, signatures: await switchingSignatures(tx, itemId, supplierId) };
      }),
  );

  api.post(
    '/quality/sampling/:itemId/:supplierId/decisions',
    {
      config: { permission: QUALITY_PERMISSIONS.signApproved, idempotent: true },
      schema: {
        tags,
        summary: 'A decision of the responsible authority, signed (meaning approved) with its reason',
        description:
          'permitReduced: reduced inspection may start once the switching score reaches 30 (ISO 2859-1 9.3.3). withdrawReduced: an active reduced inspection returns to normal (9.3.4). resume: after the supplier corrective action, a discontinued inspection resumes on tightened (9.4). The comment is the reason and is required. Signing re-authenticates: password, plus the TOTP code at the first signing of a session.',
        params: PairParams,
        body: Type.Object(
          {
            decision: Type.Enum(SAMPLING_DECISIONS),
            comment: Type.String({ ...SignatureComment, maxLength: 1000, pattern: '\\S' }),
            password: SignerPassword,
            totpCode: Type.Optional(SignerTotpCode),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Intersect([SwitchingSchema, Type.Object({ signature: SignatureSchema })]) },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { itemId, supplierId } = request.params;
        const { decision, comment, password, totpCode } = request.body;
        const decided = await decideSampling(tx, tenantOf(request), request.server.signerVerifier, itemId, supplierId, {
          decision,
          reason: comment,
          credentials: { password, totpCode },
        });
        return { status: 200, body: await named(nameBook(tx), decided) };
      }),
  );
}
