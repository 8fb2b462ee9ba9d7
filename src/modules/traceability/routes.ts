import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { App } from '../../platform/http/app.js';
import { P } from '../identity/contract.js';
import { ScanQuery, ScanResult } from './contract.js';
import { epcisRoutes } from './epcis-routes.js';
import { decodeScan } from './scan.js';

export function traceabilityRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/traceability/scan',
    {
      // Decoding a barcode reads no record: every signed-in person may, as every scan field needs it.
      config: { permission: P.self },
      schema: {
        tags: ['traceability'],
        summary: 'Decode a scanned GS1 barcode (element string, printed form or Digital Link URI)',
        querystring: ScanQuery,
        response: { 200: ScanResult },
      },
    },
    async (request) => decodeScan(request.query.scan),
  );
  epcisRoutes(app);
}
