import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BadRequest, invalidFields } from '../../platform/errors.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { P } from '../identity/contract.js';
import { EpcisQuery, EpcisUpload, EpcisValidation, TRACEABILITY_PERMISSIONS } from './contract.js';
import { EPCIS_MEDIA_TYPE, lotEpcis, serialLotId } from './epcis.js';
import { validateEpcisDocument } from './epcis-validate.js';

export function epcisRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['traceability'];
  // EPCIS documents are JSON-LD; they are read like JSON.
  app.addContentTypeParser(EPCIS_MEDIA_TYPE, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  api.get(
    '/traceability/epcis',
    {
      config: { permission: TRACEABILITY_PERMISSIONS.read },
      schema: {
        tags,
        summary: "A lot's or serial's history as an EPCIS 2.0 document (JSON-LD), validated before it is sent",
        querystring: EpcisQuery,
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'EPCISDocument (application/ld+json)' }) },
      },
    },
    async (request, reply) => {
      const { lot, serial, gtin } = request.query;
      if ((lot === undefined) === (serial === undefined)) {
        throw new BadRequest('name either a lot or a serial', { code: 'error.epcis.lotOrSerial' });
      }
      const ctx = tenantOf(request);
      const doc = await inTenant(request, async (tx) => lotEpcis(tx, ctx.tenantId, lot ?? (await serialLotId(tx, serial!, gtin))));
      return reply.type(EPCIS_MEDIA_TYPE).send(doc as unknown as Record<string, unknown>);
    },
  );

  api.post(
    '/traceability/epcis/validate',
    {
      // Checking an uploaded document reads no record.
      config: { permission: P.self },
      schema: {
        tags,
        summary: 'Check an EPCIS 2.0 document against the standard; every problem is a field error with its JSON pointer',
        body: EpcisUpload,
        response: { 200: EpcisValidation },
      },
    },
    async (request) => {
      const problems = validateEpcisDocument(request.body);
      if (problems.length > 0) {
        throw invalidFields(
          `the EPCIS document breaks ${problems.length} rule(s)`,
          problems.map((p) => ({ pointer: `/body${p.pointer}`, message: p.message, code: p.code })),
          'error.epcis.invalid',
        );
      }
      const body = request.body as {
        type?: string;
        epcisBody?: { eventList?: unknown[]; queryResults?: { resultsBody?: { eventList?: unknown[] } } };
      };
      const events = body.type?.endsWith('Event')
        ? 1
        : (body.epcisBody?.eventList ?? body.epcisBody?.queryResults?.resultsBody?.eventList ?? []).length;
      return { valid: true as const, events };
    },
  );
}
