import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { App } from '../../platform/http/app.js';
import { idempotent, inTenant } from '../../platform/http/index.js';
import { LANGUAGES, pickLanguage, translator } from '../../platform/i18n.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { Id } from '../../platform/schema.js';
import { P } from '../identity/contract.js';
import { listDeviceIdentifiers } from '../masterdata/index.js';
import {
  LABEL_JOB_STATUSES,
  LabelJob,
  ReconcileLabelsBody,
  ReconcileWorkOrderLabelsBody,
  ScanQuery,
  ScanResult,
  TRACEABILITY_PERMISSIONS,
  WorkOrderLabels,
} from './contract.js';
import { epcisRoutes } from './epcis-routes.js';
import { renderLabelPdf, renderLabelZpl } from './label-render.js';
import { getLabelJob, labelsOfWorkOrder, listLabelJobs, manufacturerName, reconcileLabelJob, reconcileWorkOrderLabels } from './labels.js';
import { decodeScan } from './scan.js';
import { udiExportCsv } from './udi-export.js';

const ById = Type.Object({ id: Id }, { additionalProperties: false });
const download = { description: 'a file download (Content-Disposition: attachment)' };

export function traceabilityRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['traceability'];
  api.get(
    '/traceability/scan',
    {
      // Decoding a barcode reads no record: every signed-in person may, as every scan field needs it.
      config: { permission: P.self },
      schema: {
        tags,
        summary: 'Decode a scanned GS1 barcode (element string, printed form or Digital Link URI)',
        querystring: ScanQuery,
        response: { 200: ScanResult },
      },
    },
    async (request) => decodeScan(request.query.scan),
  );

  api.get(
    '/traceability/labels',
    {
      config: { permission: TRACEABILITY_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'Label print jobs, newest first: of a lot or serial, a work order or an item',
        querystring: PageQuery([], {
          lotId: Type.Optional(Id),
          workOrderId: Type.Optional(Id),
          itemId: Type.Optional(Id),
          status: Type.Optional(Type.Enum(LABEL_JOB_STATUSES)),
        }),
        response: { 200: Page(LabelJob) },
      },
    },
    async (request) => inTenant(request, (tx) => listLabelJobs(tx, request.query)),
  );
  api.get(
    '/traceability/labels/:id',
    {
      config: { permission: TRACEABILITY_PERMISSIONS.read },
      schema: { tags, summary: 'A label print job with its units and reconciliation', params: ById, response: { 200: LabelJob } },
    },
    async (request) => inTenant(request, (tx) => getLabelJob(tx, request.params.id)),
  );
  api.get(
    '/traceability/labels/:id/output',
    {
      // The file is drawn from the recorded job, so fetching it again is a copy of a record (as every
      // printable record, a read): the job counted the labels when it was recorded, and
      // reconciliation accounts for every one of them.
      config: { permission: TRACEABILITY_PERMISSIONS.read },
      schema: {
        tags,
        summary: "The job's labels in its output format: application/pdf or ZPL text (application/vnd.zebra-zpl)",
        description: download.description,
        params: ById,
        querystring: Type.Object({ lang: Type.Optional(Type.Enum(LANGUAGES)) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const language = pickLanguage(request.query.lang, request.headers['accept-language']);
      const { job, manufacturer } = await inTenant(request, async (tx) => ({
        job: await getLabelJob(tx, request.params.id),
        manufacturer: await manufacturerName(tx),
      }));
      const facts = { manufacturer, translator: translator(language) };
      const filename = job.number.replace(/[^A-Za-z0-9._-]/g, '_');
      reply.header('cache-control', 'no-store').header('content-language', language);
      if (job.format === 'zpl') {
        return reply
          .type('application/vnd.zebra-zpl; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}.zpl"`)
          .send(renderLabelZpl(job, facts));
      }
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${filename}.pdf"`)
        .send(await renderLabelPdf(job, facts));
    },
  );
  api.post(
    '/traceability/labels/:id/reconcile',
    {
      config: { permission: TRACEABILITY_PERMISSIONS.reconcile, idempotent: true },
      schema: {
        tags,
        summary: 'Reconcile a print job: used + destroyed (destroyed with a reason) must equal printed, else 409 and nothing changes',
        params: ById,
        body: ReconcileLabelsBody,
        response: { 200: LabelJob },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({ status: 200, body: await reconcileLabelJob(tx, request.params.id, request.body) })),
  );
  api.get(
    '/traceability/work-orders/:id/labels',
    {
      config: { permission: TRACEABILITY_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'Labels printed for a work order, with totals (for its device history record)',
        params: ById,
        response: { 200: WorkOrderLabels },
      },
    },
    async (request) => inTenant(request, (tx) => labelsOfWorkOrder(tx, request.params.id)),
  );
  api.post(
    '/traceability/work-orders/:id/labels/reconcile',
    {
      config: { permission: TRACEABILITY_PERMISSIONS.reconcile, idempotent: true },
      schema: {
        tags,
        summary: "Reconcile a work order's print jobs together: every job must balance, else 409 and none is closed",
        params: ById,
        body: ReconcileWorkOrderLabelsBody,
        response: { 200: WorkOrderLabels },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await reconcileWorkOrderLabels(tx, request.params.id, request.body.jobs),
      })),
  );
  api.get(
    '/traceability/udi/device-identifiers.csv',
    {
      config: { permission: TRACEABILITY_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'UDI database export: every device identifier (item GTIN and packaging levels) with NMPA and FDA GUDID fields, as CSV',
        description: download.description,
      },
    },
    async (request, reply) => {
      const csv = await inTenant(request, async (tx) => udiExportCsv(await listDeviceIdentifiers(tx), await manufacturerName(tx)));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="udi-device-identifiers.csv"')
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
  epcisRoutes(app);
}
