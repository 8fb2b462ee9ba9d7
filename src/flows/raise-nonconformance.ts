// A nonconformance is raised: by a person from a lot, a serial, a purchase receipt or a supplier
// (POST /nonconformance/ncrs), by an incoming inspection that rejected its lot (the subscription
// `nonconformance.raiseFromRejectedInspection` to quality.inspection.rejected), or by quality's
// disposition of a customer's returned goods (the disposition-customer-return flow). In one transaction:
//   1. Inventory's lots are read; nonconformance records the NCR (number, source, defect class and
//      codes, containment, affected lots and quantities) and publishes nonconformance.ncr.raised.
//   2. Raised by hand: inventory puts every affected lot that is in quarantine or released on hold,
//      with the NCR's number as the reason. (A lot already on hold or rejected stays as it is.)
//      Raised from an inspection: the rejection already made the lot `rejected`, which blocks it
//      exactly like a hold until the material review board decides; nothing more is needed.
//      Raised from a return: the returned lots, waiting in quarantine, go on hold the same way.
// A refusal at any step (a quantity above what the lot holds, an inactive defect code, a lot that
// cannot be held) leaves nothing recorded and no lot held.
// Delivery of the rejection is at least once: a redelivered event finds the inspection's NCR and
// raises nothing twice (and the database keeps one NCR per inspection). The subscription's name is
// its delivery identity: renaming it would deliver every rejection again.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getLot, hold, type Lot, listLots } from '../modules/inventory/index.js';
import { getSupplier } from '../modules/masterdata/index.js';
import {
  activeDefectCodeIds,
  DEFECT_CLASSES,
  type DefectClass,
  MANUAL_NCR_SOURCES,
  type ManualNcrSource,
  NcrRecordSchema,
  type NcrRow,
  NONCONFORMANCE_PERMISSIONS,
  ncrOfInspection,
  ncrRecord,
  raiseNcr,
  refused,
} from '../modules/nonconformance/index.js';
import { getReceipt } from '../modules/purchasing/index.js';
import { QUALITY_EVENTS } from '../modules/quality/index.js';
import type { Tx } from '../platform/db/index.js';
import { subscribe } from '../platform/events/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { DemoSeed, Module } from '../platform/module.js';
import { DecimalString, Id } from '../platform/schema.js';
import { systemContext, type TenantContext } from '../platform/tenancy/index.js';

export interface ManualRaise {
  source: ManualNcrSource;
  sourceId: string;
  description: string;
  defectClass: DefectClass;
  defectCodeIds?: string[] | undefined;
  containment?: string | undefined;
  /** The supplier caused it (counted in the supplier's PPM); default true from a receipt or a supplier. */
  supplierCaused?: boolean | undefined;
  /** The lots and quantities affected; from a lot, serial or receipt the default is its lot, all it holds. */
  affected?: Array<{ lotId: string; quantity?: string | undefined }> | undefined;
}

/** Raises an NCR by hand and holds its lots: the steps above, in the caller's transaction. */
export async function raiseNonconformance(tx: Tx, ctx: TenantContext, input: ManualRaise): Promise<NcrRow> {
  let supplierId: string | null = null;
  let receiptId: string | null = null;
  let defaultLot: string | null = null;
  if (input.source === 'lot' || input.source === 'serial') {
    const lot = await getLot(tx, input.sourceId);
    if ((lot.kind === 'serial') !== (input.source === 'serial')) {
      throw refused('sourceKind', `${lot.number} is a ${lot.kind}, not a ${input.source}`, { number: lot.number });
    }
    defaultLot = lot.id;
    supplierId = lot.supplierId;
  } else if (input.source === 'purchase_receipt') {
    const receipt = await getReceipt(tx, input.sourceId);
    defaultLot = receipt.lotId;
    supplierId = receipt.supplierId;
    receiptId = receipt.id;
  } else {
    supplierId = (await getSupplier(tx, input.sourceId)).id;
  }
  const named = input.affected?.length ? input.affected : defaultLot ? [{ lotId: defaultLot }] : [];
  const affected = [];
  for (const [i, a] of named.entries()) {
    const lot = await getLot(tx, a.lotId, { lock: 'update' });
    if (input.source === 'supplier' && lot.supplierId !== supplierId) {
      throw refused('lotOfOtherSupplier', `lot ${lot.number} did not come from this supplier`, { lot: lot.number });
    }
    affected.push({ lot, quantity: a.quantity ?? lot.onHand, pointer: `/body/affected/${i}/quantity` });
  }
  const ncr = await raiseNcr(tx, ctx, {
    source: input.source,
    sourceId: input.sourceId,
    description: input.description,
    defectClass: input.defectClass,
    defectCodeIds: input.defectCodeIds,
    containment: input.containment,
    affected,
    supplierId,
    supplierCaused: input.supplierCaused ?? (input.source === 'purchase_receipt' || input.source === 'supplier'),
    receiptId,
  });
  for (const { lot } of affected) await holdForNcr(tx, lot, ncr.number);
  return ncr;
}

/** A lot in stock status goes on hold for the NCR; one already on hold or rejected is blocked already. */
async function holdForNcr(tx: Tx, lot: Lot, number: string): Promise<void> {
  if (lot.status === 'quarantine' || lot.status === 'released') await hold(tx, { lotId: lot.id, reason: `nonconformance ${number}` });
}

/** Returned goods quality takes into a nonconformance: the lots and quantities named, held for the NCR. */
export async function raiseFromCustomerReturn(
  tx: Tx,
  ctx: TenantContext,
  input: {
    returnId: string;
    siteId: string;
    description: string;
    defectClass: DefectClass;
    containment: string;
    affected: ReadonlyArray<{ lotId: string; quantity: string }>;
  },
): Promise<NcrRow> {
  const affected = [];
  for (const [i, a] of input.affected.entries()) {
    affected.push({ lot: await getLot(tx, a.lotId, { lock: 'update' }), quantity: a.quantity, pointer: `/body/lines/${i}/quantity` });
  }
  const ncr = await raiseNcr(tx, ctx, {
    source: 'customer_return',
    sourceId: input.returnId,
    description: input.description,
    defectClass: input.defectClass,
    containment: input.containment,
    affected,
    siteId: input.siteId,
    supplierCaused: false,
  });
  for (const { lot } of affected) await holdForNcr(tx, await getLot(tx, lot.id), ncr.number);
  return ncr;
}

/** The NCR of a rejected incoming inspection: its whole lot, supplier-caused; raised once per inspection. */
export async function raiseFromRejection(
  tx: Tx,
  ctx: TenantContext,
  rejection: {
    inspectionId: string;
    number: string;
    lotId: string;
    receiptId: string | null;
    itemId: string;
    supplierId: string;
    sampleSize: number;
    nonconforming: number;
  },
): Promise<NcrRow | null> {
  const existing = await ncrOfInspection(tx, rejection.inspectionId);
  if (existing) return existing;
  const lot = await getLot(tx, rejection.lotId, { lock: 'update' });
  if (lot.onHand === '0') return null;
  return raiseNcr(tx, ctx, {
    source: 'incoming_inspection',
    sourceId: rejection.inspectionId,
    description: `Incoming inspection ${rejection.number} rejected lot ${lot.number}: ${rejection.nonconforming} nonconforming in a sample of ${rejection.sampleSize}.`,
    defectClass: 'major',
    containment: `Lot ${lot.number} rejected and blocked in inventory until the material review board decides.`,
    affected: [{ lot, quantity: lot.onHand, pointer: '/data/lotId' }],
    itemId: rejection.itemId,
    supplierId: rejection.supplierId,
    supplierCaused: true,
    receiptId: rejection.receiptId,
    inspectionId: rejection.inspectionId,
  });
}

const RaiseBody = Type.Object(
  {
    source: Type.Enum(MANUAL_NCR_SOURCES),
    sourceId: Id,
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    defectClass: Type.Enum(DEFECT_CLASSES),
    defectCodeIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
    containment: Type.Optional(Type.String({ maxLength: 4000 })),
    supplierCaused: Type.Optional(Type.Boolean()),
    affected: Type.Optional(
      Type.Array(Type.Object({ lotId: Id, quantity: Type.Optional(DecimalString()) }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 200,
      }),
    ),
  },
  { additionalProperties: false },
);

function raiseRoute(api: App): void {
  api.withTypeProvider<TypeBoxTypeProvider>().post(
    '/nonconformance/ncrs',
    {
      config: { permission: NONCONFORMANCE_PERMISSIONS.raise, idempotent: true },
      schema: {
        tags: ['nonconformance'],
        summary: 'Raise an NCR from a lot, serial, receipt or supplier; the affected lots go on hold in the same transaction',
        description:
          'From a lot, serial or receipt the affected lot defaults to that lot with all it holds; from a supplier name the lots. Publishes nonconformance.ncr.raised and inventory.lot.held for each lot put on hold.',
        body: RaiseBody,
        response: { 201: NcrRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const ncr = await raiseNonconformance(tx, tenantOf(request), request.body);
        return { status: 201, body: await ncrRecord(tx, ncr.id) };
      }),
  );
}

/** Two demo NCRs: the pouch lot under the supplier's seal notice, and flash found on vent spikes in stock (held). */
async function seedDemoNcrs(tx: Tx, seed: DemoSeed): Promise<void> {
  const ctx = systemContext(seed.tenantId, 'seed:nonconformance', seed.siteId);
  const lotBySupplierLot = async (supplierLot: string) => (await listLots(tx, { supplierLot, limit: 1 })).items[0];
  const codes = await activeDefectCodeIds(tx);
  const pouch = await lotBySupplierLot('SSP-26-3318');
  if (pouch?.supplierId) {
    await raiseNonconformance(tx, ctx, {
      source: 'supplier',
      sourceId: pouch.supplierId,
      description:
        'Supplier notice SN-2026-07: seal strength of pouch lot SSP-26-3318 below 1.2 N/15 mm in the supplier’s retained samples; our peel tests of 20 pouches found 3 with channels.',
      defectClass: 'major',
      defectCodeIds: codes.filter((c) => c.code === 'SEAL-01').map((c) => c.id),
      containment: 'Lot kept on hold at receiving; no pouches issued to the sterile packing line since the notice.',
      affected: [{ lotId: pouch.id, quantity: '1500' }],
    });
  }
  const spikes = await lotBySupplierLot('NPM-2608-077');
  if (spikes) {
    await raiseNonconformance(tx, ctx, {
      source: 'lot',
      sourceId: spikes.id,
      description: 'Moulding flash on the vent filter seat of 40 spikes found at kitting; the rest of the lot sampled without findings.',
      defectClass: 'minor',
      defectCodeIds: codes.filter((c) => c.code === 'VIS-01').map((c) => c.id),
      containment: '40 spikes segregated in the MRB cage; lot on hold until the MRB decides.',
      affected: [{ lotId: spikes.id, quantity: '40' }],
      supplierCaused: true,
    });
  }
  seed.notes.push('nonconformance: 2 open NCRs awaiting MRB disposition');
}

export const raiseNonconformanceFlow: Module = {
  name: 'raise-nonconformance',
  routes(api) {
    raiseRoute(api);
  },
  seedDemo: seedDemoNcrs,
  subscriptions: [
    subscribe({
      name: 'nonconformance.raiseFromRejectedInspection',
      to: [QUALITY_EVENTS.inspectionRejected],
      handle: async (tx, event) => {
        const ctx = systemContext(event.tenantId, 'events:nonconformance.raiseFromRejectedInspection', event.siteId ?? undefined);
        await raiseFromRejection(tx, ctx, event.data);
      },
    }),
  ],
};
