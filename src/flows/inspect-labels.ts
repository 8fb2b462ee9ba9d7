// A print job's labels inspected before use (POST /traceability/labels/:id/inspect), in the
// caller's one transaction:
//   1. traceability gives the job with each unit's UDI as printed;
//   2. inventory gives what each lot or serial says now, master data the level's GTIN today;
//   3. traceability compares them, records the inspector's checks and findings, and signs the
//      inspection (meaning verified; never by the person who printed the job).
// Any refusal leaves nothing written.

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getLot } from '../modules/inventory/index.js';
import { getItem } from '../modules/masterdata/index.js';
import {
  type CurrentLabelData,
  getLabelJob,
  InspectLabelsBody,
  inspectLabelJob,
  LabelJob,
  TRACEABILITY_PERMISSIONS,
} from '../modules/traceability/index.js';
import type { Tx } from '../platform/db/index.js';
import { type App, idempotent, tenantOf } from '../platform/http/index.js';
import type { Module } from '../platform/module.js';
import { Id } from '../platform/schema.js';
import { levelGtin } from './print-labels.js';

/** What the job's lots or serials and its level's GTIN say now. */
export async function currentLabelData(tx: Tx, job: LabelJob): Promise<CurrentLabelData> {
  const lots = new Map<string, { kind: 'lot' | 'serial'; number: string; expiresOn: string | null; manufacturedOn: string | null }>();
  for (const unit of job.units) {
    const lot = await getLot(tx, unit.lotId);
    lots.set(lot.id, { kind: lot.kind, number: lot.number, expiresOn: lot.expiresOn, manufacturedOn: lot.manufacturedOn });
  }
  return { gtin: await levelGtin(tx, await getItem(tx, job.itemId), job.packagingLevel), lots };
}

function routes(app: App): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/traceability/labels/:id/inspect',
    {
      config: { permission: TRACEABILITY_PERMISSIONS.signVerified, idempotent: true },
      schema: {
        tags: ['traceability'],
        summary: "Inspect a print job's labels before use, by e-signature (meaning verified)",
        description:
          "The system compares every unit's UDI as printed with what its lot or serial and the level's GTIN say now; with the inspector's checks (legible, scans) and an optional scan of one label it decides pass or fail, keeping each discrepancy as a finding. Remarks are required when the inspector fails a check (422). Refused when the job is already inspected (409 error.traceability.label.alreadyInspected) or by the person who printed it (409 error.esign.separationOfDuties, rule notPrinter). A failed job's labels are reconciled as destroyed. Publishes traceability.labelJob.inspected.",
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        body: InspectLabelsBody,
        response: { 200: LabelJob },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const job = await getLabelJob(tx, request.params.id);
        const current = await currentLabelData(tx, job);
        return {
          status: 200,
          body: await inspectLabelJob(tx, tenantOf(request), request.server.signerVerifier, job.id, current, request.body),
        };
      }),
  );
}

export const inspectLabelsFlow: Module = { name: 'inspect-labels', routes };
