import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { SigningBody, withManifestations } from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { printable } from '../../platform/pdf/index.js';
import { Id, IsoDate } from '../../platform/schema.js';
import {
  DEFECT_CLASSES,
  DefectCodeSchema,
  NCR_STATUSES,
  NcrDetailSchema,
  NcrSummarySchema,
  NONCONFORMANCE_PERMISSIONS as P,
  SettingsSchema,
  SupplierPpmSchema,
} from './contract.js';
import { closeNcr, listNcrs } from './ncrs.js';
import { supplierPpm } from './ppm.js';
import { ncrPrintRecord } from './print.js';
import { createDefectCode, getSettings, listDefectCodes, setDefectCodeActive, setSettings } from './settings.js';
import { describeNcr, ncrSignatures } from './views.js';

const tags = ['nonconformance'];
const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const NcrRecordSchema = Type.Object({ ...NcrDetailSchema.properties, signatures: Type.Array(SignatureSchema) });

/** The record page's answer: the NCR's full record with every signature (closure and dispositions) manifested. */
export async function ncrRecord(tx: Parameters<typeof describeNcr>[0], id: string) {
  return { ...(await describeNcr(tx, id)), signatures: await withManifestations(tx, await ncrSignatures(tx, id)) };
}

export function nonconformanceRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/nonconformance/ncrs',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Nonconformance reports, newest first',
        querystring: PageQuery(['number', 'createdAt'], {
          q: Type.Optional(
            Type.String({ minLength: 1, maxLength: 60, description: 'part of the NCR number, description or an affected lot number' }),
          ),
          status: Type.Optional(Type.Enum(NCR_STATUSES)),
          defectClass: Type.Optional(Type.Enum(DEFECT_CLASSES)),
          supplierId: Type.Optional(Id),
          lotId: Type.Optional(Id),
          toDisposition: Type.Optional(Type.Boolean({ description: 'only open NCRs with quantity still to dispose' })),
        }),
        response: { 200: Page(NcrSummarySchema) },
      },
    },
    async (request) => inTenant(request, (tx) => listNcrs(tx, request.query)),
  );

  api.get(
    '/nonconformance/ncrs/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'A nonconformance report: source, defects, affected lots, dispositions, supplier notifications and signatures',
        params: IdParams,
        response: { 200: NcrRecordSchema },
      },
    },
    async (request) => inTenant(request, (tx) => ncrRecord(tx, request.params.id)),
  );

  printable(app, {
    path: '/nonconformance/ncrs/:id/pdf',
    permission: P.read,
    tags,
    summary: 'The NCR as a printable PDF record: defects, containment, affected lots, MRB dispositions, supplier notices and signatures',
    load: (tx, _ctx, id) => ncrPrintRecord(tx, id),
  });

  api.post(
    '/nonconformance/ncrs/:id/close',
    {
      config: { permission: P.signClosed, idempotent: true },
      schema: {
        tags,
        summary: 'Close a fully disposed NCR by e-signature (meaning approved); publishes nonconformance.ncr.closed',
        params: IdParams,
        body: SigningBody,
        response: { 200: NcrRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const { password, totpCode, comment } = request.body;
        await closeNcr(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
          credentials: { password, totpCode },
          comment,
        });
        return { status: 200, body: await ncrRecord(tx, request.params.id) };
      }),
  );

  api.get(
    '/nonconformance/defect-codes',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: "The tenant's defect codes",
        querystring: Type.Object({ active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(DefectCodeSchema) }) },
      },
    },
    async (request) => inTenant(request, async (tx) => ({ items: await listDefectCodes(tx, { activeOnly: request.query.active }) })),
  );

  api.post(
    '/nonconformance/defect-codes',
    {
      config: { permission: P.admin },
      schema: {
        tags,
        summary: 'Add a defect code',
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[A-Z][A-Z0-9._-]{0,19}$', description: 'starts with a letter, e.g. SEAL-01' }),
            name: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: DefectCodeSchema },
      },
    },
    async (request, reply) =>
      inTenant(request, async (tx) => {
        const code = await createDefectCode(tx, request.body);
        reply.code(201);
        return code;
      }),
  );

  api.patch(
    '/nonconformance/defect-codes/:id',
    {
      config: { permission: P.admin },
      schema: {
        tags,
        summary: 'Activate or retire a defect code (a retired code stays on the NCRs that name it)',
        params: IdParams,
        body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: DefectCodeSchema },
      },
    },
    async (request) => inTenant(request, (tx) => setDefectCodeActive(tx, request.params.id, request.body.active)),
  );

  api.get(
    '/nonconformance/settings',
    {
      config: { permission: P.read },
      schema: { tags, summary: "The tenant's nonconformance settings", response: { 200: SettingsSchema } },
    },
    async (request) => inTenant(request, (tx) => getSettings(tx)),
  );

  api.put(
    '/nonconformance/settings',
    {
      config: { permission: P.admin },
      schema: {
        tags,
        summary: 'Set whether a use-as-is disposition also needs an engineering signature (by a second person)',
        body: SettingsSchema,
        response: { 200: SettingsSchema },
      },
    },
    async (request) => inTenant(request, (tx) => setSettings(tx, request.body)),
  );

  api.get(
    '/nonconformance/supplier-ppm',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Supplier PPM: nonconforming quantity of supplier-caused NCRs per million received, per supplier, over a period',
        querystring: Type.Object({ from: IsoDate, to: IsoDate, supplierId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(SupplierPpmSchema) }) },
      },
    },
    async (request) => inTenant(request, async (tx) => ({ items: await supplierPpm(tx, request.query) })),
  );
}
