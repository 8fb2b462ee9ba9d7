import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Conflict, NotFound, ValidationFailed } from '../../platform/errors.js';
import { defineSignable, manifestedSignatures } from '../../platform/esign/index.js';
import type { SignerVerifier, SigningCredentials } from '../../platform/esign/types.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { defineMachine, takeTransition } from '../../platform/statemachine/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import {
  type Disposition,
  INSPECTION_STATUSES,
  type InspectionLevel,
  type InspectionStatus,
  QUALITY_EVENTS,
  QUALITY_PERMISSIONS,
} from './contract.js';
import {
  assertDispositionFollowsSample,
  type Characteristic,
  lotSizeOf,
  nonconformingOf,
  type ResultInput,
  sampleNonconforming,
} from './inspection-model.js';
import { planCharacteristics, planForItem } from './plans.js';
import { type Aql, judgeLot, type LotVerdict, nextSamplingState, type SamplingPlan, samplingPlan } from './sampling.js';
import { samplingState, saveSamplingState } from './switching.js';

/** What a disposition signature covers: the lot, the sampling plan and every recorded result. */
export const inspectionSignable = defineSignable({
  entity: 'inspections',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT i.number, i.lot_id AS "lotId", i.item_id AS "itemId", i.supplier_id AS "supplierId", i.lot_size AS "lotSize",
              i.aql, i.inspection_level AS "inspectionLevel", i.severity, i.sample_size AS "sampleSize",
              i.accept_number AS "accept", i.reject_number AS "reject",
              coalesce((SELECT json_agg(json_build_object('characteristicId', r.characteristic_id, 'defectives', r.defectives,
                          'measurements', r.measurements::text[]) ORDER BY r.characteristic_id)
                         FROM inspection_results r WHERE r.inspection_id = i.id), '[]') AS results
         FROM inspections i WHERE i.id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) =>
    meaning === 'released' ? QUALITY_PERMISSIONS.signReleased : meaning === 'rejected' ? QUALITY_PERMISSIONS.signRejected : undefined,
});

/** Segregation of duties: whoever recorded a result of the inspection cannot also decide it. */
const notResultsRecorder = { rule: 'notResultsRecorder', persons: (i: InspectionParties) => i.recorderIds } as const;

interface InspectionParties {
  id: string;
  /** Everyone who recorded a result that the decision rests on. */
  recorderIds: readonly string[];
}

/** open → accepted (signed `released`) or rejected (signed `rejected`), once. */
export const inspectionLifecycle = defineMachine<InspectionStatus, InspectionParties>({
  entity: 'inspections',
  states: INSPECTION_STATUSES,
  transitions: [
    {
      name: 'accept',
      from: ['open'],
      to: 'accepted',
      signature: { meaning: 'released', duties: [notResultsRecorder] },
      event: QUALITY_EVENTS.inspectionAccepted,
    },
    {
      name: 'reject',
      from: ['open'],
      to: 'rejected',
      signature: { meaning: 'rejected', duties: [notResultsRecorder] },
      event: QUALITY_EVENTS.inspectionRejected,
    },
  ],
});

export interface InspectionResult {
  characteristicId: string;
  defectives: number;
  measurements: string[] | null;
  recordedAt: string;
  recordedBy: string;
  /** The user who recorded it (null on results from before this was kept): they may not decide the lot. */
  recordedById: string | null;
}

export interface Inspection {
  id: string;
  number: string;
  lotId: string;
  receiptId: string;
  itemId: string;
  supplierId: string;
  lotSize: number;
  inspectionLevel: InspectionLevel;
  plan: SamplingPlan;
  status: InspectionStatus;
  decidedAt: string | null;
  decidedBy: string | null;
  characteristics: Characteristic[];
  results: InspectionResult[];
  /** Nonconforming units in the sample so far, against Ac and Re. */
  nonconforming: number;
  /** The verdict of the sample so far; final once every characteristic has a result. */
  verdict: LotVerdict;
  complete: boolean;
}

interface InspectionRow {
  id: string;
  number: string;
  lotId: string;
  receiptId: string;
  itemId: string;
  supplierId: string;
  planId: string;
  lotSize: number;
  aql: Aql;
  inspectionLevel: InspectionLevel;
  severity: SamplingPlan['severity'];
  codeLetter: SamplingPlan['codeLetter'];
  planLetter: SamplingPlan['planLetter'];
  sampleSize: number;
  accept: number;
  reject: number;
  status: InspectionStatus;
  decidedAt: string | null;
  decidedBy: string | null;
}

const INSPECTION_COLUMNS = `id, number, lot_id AS "lotId", receipt_id AS "receiptId", item_id AS "itemId", supplier_id AS "supplierId",
  plan_id AS "planId", lot_size AS "lotSize", aql, inspection_level AS "inspectionLevel", severity, code_letter AS "codeLetter",
  plan_letter AS "planLetter", sample_size AS "sampleSize", accept_number AS accept, reject_number AS reject, status,
  decided_at AS "decidedAt", decided_by AS "decidedBy"`;

async function loadRow(tx: Tx, where: { id: string } | { lotId: string }, lock = false): Promise<InspectionRow | undefined> {
  const { rows } = await tx.query<InspectionRow>(
    'id' in where
      ? sql`SELECT ${raw(INSPECTION_COLUMNS)} FROM inspections WHERE id = ${where.id}${raw(lock ? ' FOR UPDATE' : '')}`
      : sql`SELECT ${raw(INSPECTION_COLUMNS)} FROM inspections WHERE lot_id = ${where.lotId}`,
  );
  return rows[0];
}

async function assemble(tx: Tx, row: InspectionRow): Promise<Inspection> {
  const plan: SamplingPlan = {
    severity: row.severity,
    aql: row.aql,
    codeLetter: row.codeLetter,
    planLetter: row.planLetter,
    sampleSize: row.sampleSize,
    accept: row.accept,
    reject: row.reject,
    hundredPercent: row.sampleSize >= row.lotSize,
  };
  const characteristics = await planCharacteristics(tx, row.planId);
  const { rows: results } = await tx.query<InspectionResult>(
    sql`SELECT characteristic_id AS "characteristicId", defectives, measurements::text[] AS measurements,
               recorded_at AS "recordedAt", recorded_by AS "recordedBy", recorded_by_id AS "recordedById"
          FROM inspection_results WHERE inspection_id = ${row.id}`,
  );
  const nonconforming = sampleNonconforming(
    results.map((r) => r.defectives),
    plan.sampleSize,
  );
  const { planId: _planId, aql: _aql, severity: _s, codeLetter: _c, planLetter: _p, sampleSize: _n, accept: _a, reject: _r, ...rest } = row;
  return {
    ...rest,
    plan,
    characteristics,
    results,
    nonconforming,
    verdict: judgeLot(plan, nonconforming),
    complete: characteristics.every((c) => results.some((r) => r.characteristicId === c.id)),
  };
}

export async function getInspection(tx: Tx, id: string): Promise<Inspection> {
  const row = await loadRow(tx, { id });
  if (!row) throw new NotFound(`inspection ${id} not found`, { code: 'error.quality.inspection.notFound', params: { id } });
  return assemble(tx, row);
}

export interface InspectionFilter {
  status?: InspectionStatus | undefined;
  lotId?: string | undefined;
  itemId?: string | undefined;
  /** Part of the inspection number. */
  q?: string | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

export type InspectionSummary = Omit<InspectionRow, 'planId'> & { createdAt: string };

/** Inspections newest first (ids are time-ordered). */
const INSPECTIONS: Listing<InspectionSummary> = { name: 'quality.inspections', sorts: { createdAt: [] }, defaultSort: '-createdAt' };

export async function listInspections(tx: Tx, f: InspectionFilter): Promise<Page<InspectionSummary>> {
  const k = keyset(INSPECTIONS, { cursor: f.cursor, limit: f.limit });
  const pattern = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const { rows } = await tx.query<InspectionSummary & { planId?: string }>(
    sql`SELECT ${raw(INSPECTION_COLUMNS)}, created_at AS "createdAt" FROM inspections
         WHERE (${f.status ?? null}::text IS NULL OR status = ${f.status ?? null})
           AND (${f.lotId ?? null}::uuid IS NULL OR lot_id = ${f.lotId ?? null})
           AND (${f.itemId ?? null}::uuid IS NULL OR item_id = ${f.itemId ?? null})
           AND (${pattern}::text IS NULL OR number ILIKE ${pattern})
           AND ${k.where}
         ${k.orderBy} ${k.limit}`,
  );
  const page = toPage(k, rows);
  return { items: page.items.map(({ planId: _planId, ...row }) => row), nextCursor: page.nextCursor };
}

/** What incoming inspection needs to know of a received lot (the inspect-received-lot flow hands it over). */
export interface ReceivedLot {
  receiptId: string;
  lotId: string;
  itemId: string;
  supplierId: string;
  /** In the item's base unit, as the lot holds it. */
  quantity: string;
}

/**
 * Opens the incoming inspection of a received lot: the item's plan, the switching state of the
 * item and supplier, and the ISO 2859-1 sampling plan for the lot size (code letter, n, Ac, Re).
 * Idempotent per lot, so a redelivered receipt event opens nothing twice.
 */
export async function openInspectionForReceipt(tx: Tx, receipt: ReceivedLot): Promise<Inspection> {
  const existing = await loadRow(tx, { lotId: receipt.lotId });
  if (existing) return assemble(tx, existing);
  const plan = await planForItem(tx, receipt.itemId);
  const state = await samplingState(tx, receipt.itemId, receipt.supplierId);
  // Discontinued (clause 9.4): lots are still inspected, on tightened, but none can be accepted.
  const severity = state.severity === 'discontinued' ? 'tightened' : state.severity;
  const lotSize = lotSizeOf(receipt.quantity);
  const sampling = samplingPlan({ lotSize, aql: plan.aql, level: plan.inspectionLevel, severity });
  const id = uuidv7();
  const number = await nextNumber(tx, 'IQC');
  await tx.query(sql`INSERT INTO inspections (id, number, lot_id, receipt_id, item_id, supplier_id, plan_id, lot_size, aql,
      inspection_level, severity, code_letter, plan_letter, sample_size, accept_number, reject_number)
    VALUES (${id}, ${number}, ${receipt.lotId}, ${receipt.receiptId}, ${receipt.itemId}, ${receipt.supplierId}, ${plan.id}, ${lotSize},
      ${plan.aql}, ${plan.inspectionLevel}, ${sampling.severity}, ${sampling.codeLetter}, ${sampling.planLetter}, ${sampling.sampleSize},
      ${sampling.accept}, ${sampling.reject})`);
  await publish(tx, QUALITY_EVENTS.inspectionCreated, {
    aggregateId: id,
    data: {
      inspectionId: id,
      number,
      lotId: receipt.lotId,
      sampleSize: sampling.sampleSize,
      accept: sampling.accept,
      reject: sampling.reject,
    },
  });
  return getInspection(tx, id);
}

async function openForWork(tx: Tx, id: string): Promise<InspectionRow> {
  const row = await loadRow(tx, { id }, true);
  if (!row) throw new NotFound(`inspection ${id} not found`, { code: 'error.quality.inspection.notFound', params: { id } });
  if (row.status !== 'open') {
    throw new Conflict(`inspection ${row.number} is ${row.status}: its results are final`, {
      code: 'error.quality.inspection.closed',
      params: { number: row.number, status: row.status },
    });
  }
  return row;
}

/** Records (or corrects, while open) the result of one characteristic. */
export async function recordResult(
  tx: Tx,
  ctx: TenantContext,
  inspectionId: string,
  characteristicId: string,
  input: ResultInput,
): Promise<Inspection> {
  const row = await openForWork(tx, inspectionId);
  const characteristic = (await planCharacteristics(tx, row.planId)).find((c) => c.id === characteristicId);
  if (!characteristic) {
    throw new NotFound(`characteristic ${characteristicId} is not part of the plan of inspection ${row.number}`, {
      code: 'error.quality.characteristic.notFound',
    });
  }
  const defectives = nonconformingOf(characteristic, input, row.sampleSize);
  const measurements = 'measurements' in input ? JSON.stringify(input.measurements) : null;
  await tx.query(sql`INSERT INTO inspection_results (inspection_id, characteristic_id, defectives, measurements, recorded_by, recorded_by_id)
    VALUES (${inspectionId}, ${characteristicId}, ${defectives},
            CASE WHEN ${measurements}::jsonb IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${measurements}::jsonb)::numeric) END,
            ${ctx.actor.name}, ${ctx.actor.id})
    ON CONFLICT (tenant_id, inspection_id, characteristic_id) DO UPDATE
      SET defectives = excluded.defectives, measurements = excluded.measurements, recorded_by = excluded.recorded_by,
          recorded_by_id = excluded.recorded_by_id, recorded_at = now()`);
  return getInspection(tx, inspectionId);
}

export interface DispositionInput {
  disposition: Disposition;
  credentials?: SigningCredentials | undefined;
  comment?: string | undefined;
}

/**
 * Decides the inspection (ISO 13485 §8.2.6, Q.ACC): every characteristic recorded, the
 * disposition agreeing with the sample, signed by QA; the switching state moves on, and an event
 * tells the NCR work. The lot itself is released or rejected in inventory by the
 * dispose-incoming-lot flow, in the same transaction; quality writes only its own tables.
 */
export async function disposeInspection(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: DispositionInput,
): Promise<Inspection> {
  const row = await openForWork(tx, id);
  const inspection = await assemble(tx, row);
  if (!inspection.complete) {
    const missing = inspection.characteristics.filter((c) => !inspection.results.some((r) => r.characteristicId === c.id));
    throw new ValidationFailed(
      `inspection ${row.number} has no result yet for ${missing.map((c) => c.name).join(', ')}`,
      missing.map((c) => ({ pointer: `/characteristics/${c.id}`, message: 'has no result' })),
      { code: 'error.quality.inspection.incomplete', params: { number: row.number } },
    );
  }
  assertDispositionFollowsSample(inspection, inspection.nonconforming, input.disposition);
  const state = await samplingState(tx, row.itemId, row.supplierId);
  if (state.severity === 'discontinued' && input.disposition === 'accept') {
    throw new Conflict('sampling inspection of this item from this supplier is discontinued (ISO 2859-1 9.4): no lot can be accepted', {
      code: 'error.sampling.discontinued',
    });
  }
  const to = input.disposition === 'accept' ? 'accepted' : 'rejected';
  const { rows: recorders } = await tx.query<{ id: string }>(
    sql`SELECT DISTINCT recorded_by_id AS id FROM inspection_results WHERE inspection_id = ${id} AND recorded_by_id IS NOT NULL`,
  );
  const result = await takeTransition(tx, ctx, verifier, inspectionLifecycle, {
    id,
    record: { id, recorderIds: recorders.map((r) => r.id) },
    from: row.status,
    to,
    label: `inspection ${row.number}`,
    reference: row.number,
    credentials: input.credentials,
    comment: input.comment,
    apply: async (tx, status) => {
      await tx.query(sql`UPDATE inspections SET status = ${status}, nonconforming = ${inspection.nonconforming}, decided_at = now(),
          decided_by = ${ctx.actor.name}, decision_comment = ${input.comment ?? null} WHERE id = ${id}`);
    },
  });
  if (state.severity !== 'discontinued') {
    const next = nextSamplingState(state, {
      plan: inspection.plan,
      nonconforming: inspection.nonconforming,
      productionSteady: true,
      reducedInspectionApproved: state.reducedPermitted,
    });
    // The lot's result moves the severity; only a decision of the authority changes its consent.
    await saveSamplingState(tx, row.itemId, row.supplierId, { ...next, reducedPermitted: state.reducedPermitted });
  }
  await publish(tx, result.event.def, {
    aggregateId: id,
    data: {
      ...result.event.data,
      inspectionId: id,
      number: row.number,
      lotId: row.lotId,
      receiptId: row.receiptId,
      itemId: row.itemId,
      supplierId: row.supplierId,
      sampleSize: inspection.plan.sampleSize,
      nonconforming: inspection.nonconforming,
    },
  });
  return getInspection(tx, id);
}

/** The inspection with its signatures, each manifested with printed name, time and meaning. */
export async function inspectionDetail(tx: Tx, id: string) {
  const inspection = await getInspection(tx, id);
  const signatures = await manifestedSignatures(tx, 'inspections', id);
  return { ...inspection, signatures };
}
