// UDI labels printed (POST /traceability/labels), in the caller's one transaction:
//   1. inventory gives each lot or serial named (all of one item; a rejected one is refused);
//   2. when printed for a work order, production's output says the lots are the order's;
//   3. master data gives the item and the GTIN of the packaging level labelled (the UDI-DI; the
//      item's own GTIN serves the level "each" when no levels are set);
//   4. traceability composes each UDI and records the print job with its units.
// Any refusal leaves nothing written. The labels themselves are fetched from the job's output
// route, drawn from what was recorded.

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { getLot, producedLots } from '../modules/inventory/index.js';
import { getItem, getPackagingLevels, type PackagingLevel } from '../modules/masterdata/index.js';
import { getWorkOrder } from '../modules/production/index.js';
import { LabelJob, PrintLabelsBody, recordLabelPrint, TRACEABILITY_PERMISSIONS } from '../modules/traceability/index.js';
import type { Tx } from '../platform/db/index.js';
import { Conflict, type FieldError, invalidFields } from '../platform/errors.js';
import { type App, idempotent } from '../platform/http/index.js';
import type { Module } from '../platform/module.js';

/** The GTIN of a packaging level of the item (the UDI-DI); the item's own GTIN serves "each" when no levels are set. */
export async function levelGtin(tx: Tx, item: { id: string; gtin: string | null }, level: PackagingLevel): Promise<string | null> {
  const { levels } = await getPackagingLevels(tx, item.id);
  return levels.find((l) => l.level === level)?.gtin ?? (level === 'each' && !levels.length ? item.gtin : null);
}

/** Resolves what the request names and records the print job. */
export async function printLabels(tx: Tx, input: PrintLabelsBody): Promise<LabelJob> {
  const lots = [];
  for (const id of input.lotIds) lots.push(await getLot(tx, id));
  const errors: FieldError[] = [];
  const itemId = lots[0]!.itemId;
  lots.forEach((lot, i) => {
    if (lot.itemId !== itemId) {
      errors.push({
        pointer: `/body/lotIds/${i}`,
        message: `${lot.number} is another item's`,
        code: 'error.traceability.label.mixedItems',
        params: { lot: lot.number },
      });
    }
  });
  if (input.workOrderId) {
    const order = await getWorkOrder(tx, input.workOrderId);
    const produced = new Set((await producedLots(tx, order.id, 1_000_000)).lots.map((l) => l.id));
    lots.forEach((lot, i) => {
      if (!produced.has(lot.id)) {
        errors.push({
          pointer: `/body/lotIds/${i}`,
          message: `${lot.number} was not made by work order ${order.number}`,
          code: 'error.traceability.label.notFromWorkOrder',
          params: { lot: lot.number, workOrder: order.number },
        });
      }
    });
  }
  if (errors.length) throw invalidFields('the labels cannot be printed for these lots', errors, 'error.validation');
  const rejected = lots.find((l) => l.status === 'rejected');
  if (rejected) {
    throw new Conflict(`lot ${rejected.number} is rejected: it is not labelled for use`, {
      code: 'error.traceability.label.lotRejected',
      params: { lot: rejected.number },
    });
  }
  const item = await getItem(tx, itemId);
  const gtin = await levelGtin(tx, item, input.packagingLevel);
  if (!gtin) {
    throw new Conflict(`item ${item.code} has no GTIN for the packaging level ${input.packagingLevel}`, {
      code: 'error.traceability.label.noGtin',
      params: { item: item.code, level: input.packagingLevel },
    });
  }
  return recordLabelPrint(tx, {
    item: { id: item.id, code: item.code, name: item.name },
    packagingLevel: input.packagingLevel,
    gtin,
    template: input.template,
    format: input.format,
    copies: input.copies,
    link: input.workOrderId ? { kind: 'work_order', id: input.workOrderId } : null,
    lots: lots.map((l) => ({ id: l.id, kind: l.kind, number: l.number, manufacturedOn: l.manufacturedOn, expiresOn: l.expiresOn })),
  });
}

function routes(app: App): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/traceability/labels',
    {
      config: { permission: TRACEABILITY_PERMISSIONS.print, idempotent: true },
      schema: {
        tags: ['traceability'],
        summary:
          'Print UDI labels for a lot or serials (optionally for a work order): records the print job; fetch the file from /traceability/labels/:id/output',
        body: PrintLabelsBody,
        response: { 201: LabelJob },
      },
    },
    async (request, reply) => idempotent(request, reply, async (tx) => ({ status: 201, body: await printLabels(tx, request.body) })),
  );
}

export const printLabelsFlow: Module = { name: 'print-labels', routes };
