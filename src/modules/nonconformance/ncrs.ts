import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { type Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { defineSignable, type SignerVerifier, type SigningCredentials, sign } from '../../platform/esign/index.js';
import { publish } from '../../platform/events/index.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { defineMachine, takeTransition } from '../../platform/statemachine/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getLot, type Lot } from '../inventory/index.js';
import { getItem, quantityErrors } from '../masterdata/index.js';
import {
  type DefectClass,
  type DispositionKind,
  type DispositionStatus,
  NCR_STATUSES,
  type NcrSource,
  type NcrStatus,
  type NcrSummary,
  NONCONFORMANCE_EVENTS,
  NONCONFORMANCE_PERMISSIONS as P,
} from './contract.js';
import { activeDefectCodes, engineeringRequired } from './settings.js';

/** A 409 with the module's code: a business rule refused the request, and nothing changed. */
export function refused(reason: string, detail: string, params: Record<string, string> = {}): Conflict {
  return new Conflict(detail, { code: `error.nonconformance.${reason}`, params });
}

/** An NCR's signature covers what was found and how it is classed, not its status or dispositions. */
export const ncrSignable = defineSignable({
  entity: 'nonconformances',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT number, source_kind, source_id, item_id, supplier_id, description, defect_class, containment FROM nonconformances WHERE id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'approved' ? P.signClosed : meaning === 'released' ? P.signDispositioned : undefined),
});

/** A disposition is signed by quality (approved) and, where the tenant requires, by engineering (verified). */
export const dispositionSignable = defineSignable({
  entity: 'ncr_dispositions',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT d.nonconformance_id, a.lot_id, d.kind, d.quantity::text AS quantity, d.justification
            FROM ncr_dispositions d JOIN ncr_affected a ON a.tenant_id = d.tenant_id AND a.id = d.affected_id WHERE d.id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'approved' ? P.signDispositioned : meaning === 'verified' ? P.signEngineering : undefined),
});

/** open → closed (signed approved, every quantity disposed) or cancelled (reason, nothing disposed). */
export const ncrLifecycle = defineMachine<NcrStatus, { id: string }>({
  entity: 'nonconformances',
  states: NCR_STATUSES,
  transitions: [
    { name: 'close', from: ['open'], to: 'closed', signature: { meaning: 'approved' }, event: NONCONFORMANCE_EVENTS.closed },
    { name: 'cancel', from: ['open'], to: 'cancelled', reasonRequired: true, event: NONCONFORMANCE_EVENTS.cancelled },
  ],
});

const SUMMARY_COLUMNS = `n.id, n.number, n.status, n.source_kind AS source, n.source_id AS "sourceId", n.defect_class AS "defectClass",
  n.description, n.item_id AS "itemId", n.supplier_id AS "supplierId", n.supplier_caused AS "supplierCaused",
  n.receipt_id AS "receiptId", n.inspection_id AS "inspectionId",
  coalesce((SELECT sum(a.quantity) FROM ncr_affected a WHERE a.tenant_id = n.tenant_id AND a.nonconformance_id = n.id), 0)::text AS quantity,
  greatest(coalesce((SELECT sum(a.quantity) FROM ncr_affected a WHERE a.tenant_id = n.tenant_id AND a.nonconformance_id = n.id), 0)
    - coalesce((SELECT sum(d.quantity) FROM ncr_dispositions d WHERE d.tenant_id = n.tenant_id AND d.nonconformance_id = n.id AND d.status = 'decided'), 0), 0)::text AS "openQuantity",
  n.created_by_name AS "createdBy", n.created_at AS "createdAt", n.closed_at AS "closedAt"`;

export interface NcrRow extends NcrSummary {
  containment: string | null;
  cancelReason: string | null;
  siteId: string | null;
  createdById: string | null;
}

export async function getNcr(tx: Tx, id: string, opts: { lock?: boolean } = {}): Promise<NcrRow> {
  const { rows } = await tx.query<NcrRow>(sql`SELECT ${raw(SUMMARY_COLUMNS)}, n.containment, n.cancel_reason AS "cancelReason",
      n.site_id AS "siteId", n.created_by_id AS "createdById"
    FROM nonconformances n WHERE n.id = ${id} ${raw(opts.lock ? 'FOR UPDATE' : '')}`);
  const row = rows[0];
  if (!row) throw new NotFound(`nonconformance ${id} not found`, { code: 'error.nonconformance.notFound', params: { id } });
  return row;
}

export const NCRS: Listing<NcrSummary, 'number' | 'createdAt'> = {
  name: 'nonconformance.ncrs',
  sorts: { number: [{ sql: 'n.number', type: 'text', of: 'number' }], createdAt: [] },
  defaultSort: '-createdAt',
  id: { sql: 'n.id', type: 'uuid', of: 'id' },
};

export interface NcrFilter {
  q?: string | undefined;
  status?: NcrStatus | undefined;
  defectClass?: DefectClass | undefined;
  supplierId?: string | undefined;
  lotId?: string | undefined;
  /** Open NCRs with quantity still to dispose (the MRB's queue). */
  toDisposition?: boolean | undefined;
  sort?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listNcrs(tx: Tx, f: NcrFilter): Promise<Page<NcrSummary>> {
  const k = keyset(NCRS, { sort: f.sort, cursor: f.cursor, limit: f.limit ?? 50 });
  const q = f.q?.trim();
  const where: SqlStatement[] = [
    sql`n.tenant_id = mf_current_tenant()`,
    ...(f.status ? [sql`n.status = ${f.status}`] : []),
    ...(f.defectClass ? [sql`n.defect_class = ${f.defectClass}`] : []),
    ...(f.supplierId ? [sql`n.supplier_id = ${f.supplierId}`] : []),
    ...(f.lotId
      ? [
          sql`EXISTS (SELECT 1 FROM ncr_affected a WHERE a.tenant_id = n.tenant_id AND a.nonconformance_id = n.id AND a.lot_id = ${f.lotId})`,
        ]
      : []),
    ...(f.toDisposition
      ? [
          sql`n.status = 'open' AND (SELECT coalesce(sum(a.quantity), 0) FROM ncr_affected a WHERE a.tenant_id = n.tenant_id AND a.nonconformance_id = n.id)
            > (SELECT coalesce(sum(d.quantity), 0) FROM ncr_dispositions d WHERE d.tenant_id = n.tenant_id AND d.nonconformance_id = n.id AND d.status = 'decided')`,
        ]
      : []),
    ...(q
      ? [
          sql`(n.number ILIKE ${likePattern(q)} OR n.description ILIKE ${likePattern(q)} OR EXISTS (SELECT 1 FROM ncr_affected a JOIN lots l ON l.tenant_id = a.tenant_id AND l.id = a.lot_id
              WHERE a.tenant_id = n.tenant_id AND a.nonconformance_id = n.id AND l.number ILIKE ${likePattern(q)}))`,
        ]
      : []),
    k.where,
  ];
  const conditions = where.reduce((acc, w) => sql`${acc} AND ${w}`);
  const { rows } = await tx.query<NcrSummary>(
    sql`SELECT ${raw(SUMMARY_COLUMNS)} FROM nonconformances n WHERE ${conditions} ${k.orderBy} ${k.limit}`,
  );
  return toPage(k, rows);
}

export interface AffectedRow {
  id: string;
  lineNo: number;
  lotId: string;
  itemId: string;
  quantity: string;
  /** Quantity with a decided disposition. */
  disposed: string;
  /** Quantity under any disposition, decided or awaiting engineering. */
  claimed: string;
  reinspectedAt: string | null;
  reworked: boolean;
}

export async function affectedOf(tx: Tx, ncrId: string): Promise<AffectedRow[]> {
  const { rows } = await tx.query<AffectedRow>(sql`SELECT a.id, a.line_no AS "lineNo", a.lot_id AS "lotId", a.item_id AS "itemId",
      a.quantity::text AS quantity,
      coalesce((SELECT sum(d.quantity) FROM ncr_dispositions d WHERE d.tenant_id = a.tenant_id AND d.affected_id = a.id AND d.status = 'decided'), 0)::text AS disposed,
      coalesce((SELECT sum(d.quantity) FROM ncr_dispositions d WHERE d.tenant_id = a.tenant_id AND d.affected_id = a.id), 0)::text AS claimed,
      a.reinspected_at AS "reinspectedAt",
      EXISTS (SELECT 1 FROM ncr_dispositions d WHERE d.tenant_id = a.tenant_id AND d.affected_id = a.id AND d.kind = 'rework') AS reworked
    FROM ncr_affected a WHERE a.nonconformance_id = ${ncrId} ORDER BY a.line_no`);
  return rows;
}

export interface DispositionRow {
  id: string;
  lineNo: number;
  affectedId: string;
  lotId: string;
  kind: DispositionKind;
  quantity: string;
  justification: string;
  status: DispositionStatus;
  createdBy: string;
  createdAt: string;
}

export async function dispositionsOf(tx: Tx, ncrId: string): Promise<DispositionRow[]> {
  const { rows } =
    await tx.query<DispositionRow>(sql`SELECT d.id, d.line_no AS "lineNo", d.affected_id AS "affectedId", a.lot_id AS "lotId",
      d.kind, d.quantity::text AS quantity, d.justification, d.status, d.created_by_name AS "createdBy", d.created_at AS "createdAt"
    FROM ncr_dispositions d JOIN ncr_affected a ON a.tenant_id = d.tenant_id AND a.id = d.affected_id
    WHERE d.nonconformance_id = ${ncrId} ORDER BY d.line_no`);
  return rows;
}

/** A lot or serial the NCR affects, as the caller read it from inventory, with the nonconforming quantity. */
export interface AffectedInput {
  lot: Lot;
  quantity: string;
  pointer: string;
}

export interface RaiseInput {
  source: NcrSource;
  sourceId: string;
  description: string;
  defectClass: DefectClass;
  defectCodeIds?: readonly string[] | undefined;
  containment?: string | undefined;
  affected: readonly AffectedInput[];
  itemId?: string | null | undefined;
  supplierId?: string | null | undefined;
  supplierCaused?: boolean | undefined;
  receiptId?: string | null | undefined;
  inspectionId?: string | null | undefined;
  siteId?: string | null | undefined;
}

const userOf = (ctx: TenantContext) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);

/** The quantity as a whole number of units for a counted item, and within what can be known. */
async function checkedQuantity(tx: Tx, itemId: string, value: string, pointer: string): Promise<Decimal> {
  const item = await getItem(tx, itemId);
  const errors = quantityErrors(value, item.baseUnit, pointer);
  if (errors.length) {
    throw refused('quantityInvalid', `${value} is not a valid quantity of ${item.code} (${item.baseUnit}): ${errors[0]!.message}`, {
      quantity: value,
      unit: item.baseUnit,
    });
  }
  return dec(value);
}

/**
 * Records a new NCR with its defect codes and affected lots (each at most what the lot holds).
 * Putting the lots on hold is the raising flow's step, in the same transaction.
 */
export async function raiseNcr(tx: Tx, ctx: TenantContext, input: RaiseInput): Promise<NcrRow> {
  // A production operation's NCR may have no lot yet: the operation itself is held until it closes.
  if (input.affected.length === 0 && input.source !== 'production_operation') {
    throw refused('noAffectedLots', 'an NCR names at least one affected lot or serial');
  }
  const seen = new Set<string>();
  for (const a of input.affected) {
    if (seen.has(a.lot.id)) throw refused('lotTwice', `lot ${a.lot.number} is named twice`, { lot: a.lot.number });
    seen.add(a.lot.id);
    const q = await checkedQuantity(tx, a.lot.itemId, a.quantity, a.pointer);
    if (q.gt(a.lot.onHand)) {
      throw refused('quantityAboveStock', `lot ${a.lot.number} holds ${a.lot.onHand}: the affected quantity ${a.quantity} is more`, {
        lot: a.lot.number,
        onHand: a.lot.onHand,
        quantity: a.quantity,
      });
    }
    if (a.lot.kind === 'serial' && !q.eq(1)) throw refused('serialQuantity', `serial ${a.lot.number} is one unit`, { lot: a.lot.number });
  }
  const codes = [...new Set(input.defectCodeIds ?? [])];
  if (codes.length) {
    const active = await activeDefectCodes(tx, codes);
    const unknown = codes.filter((c) => !active.has(c));
    if (unknown.length) throw refused('defectCodeInactive', 'a defect code is unknown or inactive', { id: unknown[0]! });
  }
  const number = await nextNumber(tx, 'NCR');
  const actor = ctx.actor;
  const { rows } = await tx.query<{ id: string }>(sql`INSERT INTO nonconformances (number, source_kind, source_id, site_id, item_id,
      supplier_id, supplier_caused, receipt_id, inspection_id, description, defect_class, containment, created_by_id, created_by_name)
    VALUES (${number}, ${input.source}, ${input.sourceId}, ${input.siteId ?? ctx.siteId ?? null}, ${input.itemId ?? input.affected[0]!.lot.itemId},
      ${input.supplierId ?? null}, ${input.supplierCaused ?? false}, ${input.receiptId ?? null}, ${input.inspectionId ?? null},
      ${input.description.trim()}, ${input.defectClass}, ${input.containment?.trim() || null}, ${userOf(ctx)}, ${actor.name})
    RETURNING id`);
  const id = rows[0]!.id;
  for (const code of codes) await tx.query(sql`INSERT INTO ncr_defects (nonconformance_id, defect_code_id) VALUES (${id}, ${code})`);
  let line = 0;
  for (const a of input.affected) {
    line++;
    await tx.query(sql`INSERT INTO ncr_affected (nonconformance_id, line_no, lot_id, item_id, quantity)
      VALUES (${id}, ${line}, ${a.lot.id}, ${a.lot.itemId}, ${a.quantity})`);
  }
  await publish(tx, NONCONFORMANCE_EVENTS.raised, {
    aggregateId: id,
    siteId: input.siteId ?? ctx.siteId ?? undefined,
    data: {
      nonconformanceId: id,
      number,
      source: input.source,
      sourceId: input.sourceId,
      defectClass: input.defectClass,
      supplierId: input.supplierId ?? null,
      lots: input.affected.map((a) => ({ lotId: a.lot.id, quantity: decText(dec(a.quantity)) })),
    },
  });
  return getNcr(tx, id);
}

/** The NCR an inspection already raised, if any (a redelivered rejection raises nothing twice). */
/**
 * The NCRs that concern a record and the lots it made: raised from it (a work order's operations
 * are the source record `sourceId`) or naming any of `lotIds` as affected. Oldest first.
 */
export async function ncrsConcerning(
  tx: Tx,
  f: { sourceId: string; lotIds: readonly string[] },
): Promise<Array<{ id: string; number: string; status: NcrStatus; defectClass: DefectClass; description: string; createdAt: string }>> {
  const { rows } = await tx.query<{
    id: string;
    number: string;
    status: NcrStatus;
    defectClass: DefectClass;
    description: string;
    createdAt: string;
  }>(sql`SELECT n.id, n.number, n.status, n.defect_class AS "defectClass", n.description, n.created_at AS "createdAt"
    FROM nonconformances n
    WHERE n.source_id = ${f.sourceId}
       OR EXISTS (SELECT 1 FROM ncr_affected a WHERE a.tenant_id = n.tenant_id AND a.nonconformance_id = n.id AND a.lot_id = ANY(${f.lotIds as string[]}::uuid[]))
    ORDER BY n.created_at, n.id`);
  return rows;
}

export async function ncrOfInspection(tx: Tx, inspectionId: string): Promise<NcrRow | null> {
  const { rows } = await tx.query<{ id: string }>(
    sql`SELECT id FROM nonconformances WHERE source_kind = 'incoming_inspection' AND source_id = ${inspectionId}`,
  );
  return rows[0] ? getNcr(tx, rows[0].id) : null;
}

function assertOpen(ncr: NcrRow, step: string): void {
  if (ncr.status !== 'open') {
    throw refused('notOpen', `nonconformance ${ncr.number} is ${ncr.status}: it cannot be ${step}`, {
      number: ncr.number,
      status: ncr.status,
    });
  }
}

export interface DispositionLineInput {
  /** The affected lot (its id in the NCR's affected list). */
  lotId: string;
  kind: DispositionKind;
  quantity: string;
}

export interface DispositionInput {
  lines: readonly DispositionLineInput[];
  justification: string;
  credentials: SigningCredentials;
  comment?: string | undefined;
}

export interface Decided {
  ncr: NcrRow;
  dispositions: Array<DispositionRow & { signatureId: string }>;
}

/**
 * The MRB decides quantities of affected lots, each line signed by quality (meaning approved):
 * never more than the lot's affected quantity over all dispositions, whole units for counted
 * items. A use as is waits for engineering when the tenant requires it. The stock and lot effects
 * are the dispositioning flow's steps, in the same transaction.
 */
export async function recordDispositions(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: DispositionInput,
): Promise<Decided> {
  const ncr = await getNcr(tx, id, { lock: true });
  assertOpen(ncr, 'dispositioned');
  if (input.lines.length === 0) throw refused('noDispositions', 'name at least one quantity to dispose');
  const justification = input.justification?.trim();
  if (!justification) throw refused('justificationRequired', 'a disposition needs a justification');
  const affected = await affectedOf(tx, id);
  const claimed = new Map(affected.map((a) => [a.lotId, dec(a.claimed)]));
  for (const [i, line] of input.lines.entries()) {
    const a = affected.find((x) => x.lotId === line.lotId);
    if (!a) throw refused('lotNotAffected', `lot ${line.lotId} is not affected by ${ncr.number}`, { number: ncr.number });
    const q = await checkedQuantity(tx, a.itemId, line.quantity, `/body/lines/${i}/quantity`);
    const total = claimed.get(a.lotId)!.plus(q);
    if (total.gt(a.quantity)) {
      const lot = await getLot(tx, a.lotId);
      throw refused('quantityExceeds', `lot ${lot.number}: ${decText(total)} disposed would exceed the affected ${a.quantity}`, {
        lot: lot.number,
        affected: a.quantity,
        disposed: decText(total),
      });
    }
    claimed.set(a.lotId, total);
    if (line.kind === 'return_to_supplier' && !ncr.supplierId) {
      const lot = await getLot(tx, a.lotId);
      if (!lot.supplierId) throw refused('noSupplier', `lot ${lot.number} has no supplier to return it to`, { lot: lot.number });
    }
  }
  const engineering = await engineeringRequired(tx);
  const { rows: next } = await tx.query<{ n: number }>(
    sql`SELECT coalesce(max(line_no), 0)::int AS n FROM ncr_dispositions WHERE nonconformance_id = ${id}`,
  );
  let lineNo = next[0]!.n;
  const created: Decided['dispositions'] = [];
  for (const line of input.lines) {
    const a = affected.find((x) => x.lotId === line.lotId)!;
    lineNo++;
    const status: DispositionStatus = line.kind === 'use_as_is' && engineering ? 'awaiting_engineering' : 'decided';
    const { rows } = await tx.query<{
      id: string;
    }>(sql`INSERT INTO ncr_dispositions (nonconformance_id, affected_id, line_no, kind, quantity,
        justification, status, created_by_id, created_by_name)
      VALUES (${id}, ${a.id}, ${lineNo}, ${line.kind}, ${line.quantity}, ${justification}, ${status}, ${userOf(ctx)}, ${ctx.actor.name})
      RETURNING id`);
    const dispositionId = rows[0]!.id;
    const signature = await sign(tx, ctx, verifier, {
      entity: 'ncr_dispositions',
      id: dispositionId,
      meaning: 'approved',
      credentials: input.credentials,
      comment: input.comment ?? justification,
      subject: { label: `disposition ${lineNo} of ${ncr.number}`, reference: ncr.number, step: 'disposition' },
    });
    const row = (await dispositionsOf(tx, id)).find((d) => d.id === dispositionId)!;
    created.push({ ...row, signatureId: signature.id });
  }
  await publishDispositioned(tx, ncr, created);
  return { ncr, dispositions: created };
}

async function publishDispositioned(tx: Tx, ncr: NcrRow, rows: readonly DispositionRow[]): Promise<void> {
  await tx.query(sql`UPDATE nonconformances SET updated_at = now() WHERE id = ${ncr.id}`);
  await publish(tx, NONCONFORMANCE_EVENTS.dispositioned, {
    aggregateId: ncr.id,
    siteId: ncr.siteId ?? undefined,
    data: {
      nonconformanceId: ncr.id,
      number: ncr.number,
      dispositions: rows.map((d) => ({ dispositionId: d.id, lotId: d.lotId, kind: d.kind, quantity: d.quantity, status: d.status })),
    },
  });
}

/** The quality signature a disposition rests on. */
async function qualitySignature(tx: Tx, dispositionId: string): Promise<{ id: string; signerId: string } | undefined> {
  const { rows } = await tx.query<{ id: string; signerId: string }>(sql`SELECT id, signer_id AS "signerId" FROM esignatures
    WHERE entity = 'ncr_dispositions' AND record_id = ${dispositionId} AND meaning = 'approved' ORDER BY signed_at, id LIMIT 1`);
  return rows[0];
}

/**
 * Engineering concurs with a use as is (meaning verified): a different person from the quality
 * signer (no one approves their own decision twice). The disposition is then decided.
 */
export async function concurWithDisposition(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  dispositionId: string,
  input: { credentials: SigningCredentials; comment?: string | undefined },
): Promise<Decided> {
  const ncr = await getNcr(tx, id, { lock: true });
  assertOpen(ncr, 'dispositioned');
  const disposition = (await dispositionsOf(tx, id)).find((d) => d.id === dispositionId);
  if (!disposition) throw new NotFound(`disposition ${dispositionId} not found`, { code: 'error.nonconformance.dispositionNotFound' });
  if (disposition.status !== 'awaiting_engineering') {
    throw refused('notAwaitingEngineering', `disposition ${disposition.lineNo} of ${ncr.number} does not await engineering`, {
      number: ncr.number,
    });
  }
  const quality = await qualitySignature(tx, dispositionId);
  if (quality && quality.signerId === userOf(ctx)) {
    throw refused('sameSigner', `the quality signer of ${ncr.number} cannot also sign for engineering: a second person must sign`, {
      number: ncr.number,
    });
  }
  const signature = await sign(tx, ctx, verifier, {
    entity: 'ncr_dispositions',
    id: dispositionId,
    meaning: 'verified',
    credentials: input.credentials,
    comment: input.comment,
    subject: { label: `disposition ${disposition.lineNo} of ${ncr.number}`, reference: ncr.number, step: 'engineering' },
  });
  if (quality && signature.signer.id === quality.signerId) {
    throw refused('sameSigner', `the quality signer of ${ncr.number} cannot also sign for engineering: a second person must sign`, {
      number: ncr.number,
    });
  }
  await tx.query(sql`UPDATE ncr_dispositions SET status = 'decided' WHERE id = ${dispositionId}`);
  const row = { ...disposition, status: 'decided' as const, signatureId: quality?.id ?? signature.id };
  await publishDispositioned(tx, ncr, [row]);
  return { ncr, dispositions: [row] };
}

/** What an affected lot's decided dispositions mean for its status, once all its quantity is decided. */
export type LotOutcome = { state: 'pending' } | { state: 'rework' } | { state: 'use_as_is'; signatureId: string } | { state: 'removed' };

export async function lotOutcome(tx: Tx, ncrId: string, lotId: string): Promise<LotOutcome> {
  const a = (await affectedOf(tx, ncrId)).find((x) => x.lotId === lotId);
  if (!a || !dec(a.disposed).eq(a.quantity)) return { state: 'pending' };
  const decided = (await dispositionsOf(tx, ncrId)).filter((d) => d.lotId === lotId && d.status === 'decided');
  if (decided.some((d) => d.kind === 'rework')) return { state: 'rework' };
  const useAsIs = decided.filter((d) => d.kind === 'use_as_is').at(-1);
  if (useAsIs) return { state: 'use_as_is', signatureId: (await qualitySignature(tx, useAsIs.id))!.id };
  return { state: 'removed' };
}

/** Another open NCR still holds the lot with quantity to decide: its hold must stay. */
export async function heldByAnotherNcr(tx: Tx, lotId: string, ncrId: string): Promise<boolean> {
  const { rowCount } =
    await tx.query(sql`SELECT 1 FROM ncr_affected a JOIN nonconformances n ON n.tenant_id = a.tenant_id AND n.id = a.nonconformance_id
    WHERE a.lot_id = ${lotId} AND n.id <> ${ncrId} AND n.status = 'open'`);
  return rowCount > 0;
}

export async function recordSupplierNotification(
  tx: Tx,
  input: { ncrId: string; dispositionId: string; supplierId: string; quantity: string; lotNumbers: string[]; text: string },
): Promise<void> {
  await tx.query(sql`INSERT INTO ncr_supplier_notifications (nonconformance_id, disposition_id, supplier_id, quantity, lot_numbers, text)
    VALUES (${input.ncrId}, ${input.dispositionId}, ${input.supplierId}, ${input.quantity}, ${input.lotNumbers}, ${input.text})`);
}

/** Closes a fully disposed NCR by signature (meaning approved). */
export async function closeNcr(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: { credentials: SigningCredentials; comment?: string | undefined },
): Promise<NcrRow> {
  const ncr = await getNcr(tx, id, { lock: true });
  assertOpen(ncr, 'closed');
  const affected = await affectedOf(tx, id);
  const open = affected.find((a) => !dec(a.disposed).eq(a.quantity));
  if (open) {
    const lot = await getLot(tx, open.lotId);
    throw refused(
      'undisposed',
      `lot ${lot.number} has ${decText(dec(open.quantity).minus(open.disposed))} not yet disposed: ${ncr.number} cannot close`,
      {
        number: ncr.number,
        lot: lot.number,
        open: decText(dec(open.quantity).minus(open.disposed)),
      },
    );
  }
  const result = await takeTransition(tx, ctx, verifier, ncrLifecycle, {
    id,
    record: { id },
    from: ncr.status,
    to: 'closed',
    label: `nonconformance ${ncr.number}`,
    reference: ncr.number,
    credentials: input.credentials,
    comment: input.comment,
    apply: async (t) => {
      await t.query(sql`UPDATE nonconformances SET status = 'closed', closed_at = now(), updated_at = now() WHERE id = ${id}`);
    },
  });
  await publish(tx, result.event.def, {
    aggregateId: id,
    siteId: ncr.siteId ?? undefined,
    data: { nonconformanceId: id, number: ncr.number, from: 'open', to: 'closed', signatureId: result.signature?.id ?? null },
  });
  return getNcr(tx, id);
}

/** Cancels an NCR raised in error, with a reason, before anything is disposed; returns its affected lots. */
export async function cancelNcr(tx: Tx, ctx: TenantContext, id: string, reason: string): Promise<{ ncr: NcrRow; lotIds: string[] }> {
  const ncr = await getNcr(tx, id, { lock: true });
  assertOpen(ncr, 'cancelled');
  const why = reason?.trim();
  if (!why) throw refused('reasonRequired', 'a cancellation needs a reason');
  if ((await dispositionsOf(tx, id)).length) {
    throw refused('hasDispositions', `${ncr.number} has dispositions: it cannot be cancelled`, { number: ncr.number });
  }
  const result = await takeTransition(tx, ctx, null, ncrLifecycle, {
    id,
    record: { id },
    from: ncr.status,
    to: 'cancelled',
    label: `nonconformance ${ncr.number}`,
    reference: ncr.number,
    comment: why,
    apply: async (t) => {
      await t.query(sql`UPDATE nonconformances SET status = 'cancelled', cancel_reason = ${why}, updated_at = now() WHERE id = ${id}`);
    },
  });
  await publish(tx, result.event.def, {
    aggregateId: id,
    siteId: ncr.siteId ?? undefined,
    data: { nonconformanceId: id, number: ncr.number, from: 'open', to: 'cancelled', signatureId: null },
  });
  return { ncr: await getNcr(tx, id), lotIds: (await affectedOf(tx, id)).map((a) => a.lotId) };
}

/**
 * Reworked quantity passed its re-inspection: QA signs the NCR (meaning released) for the lot, which
 * the flow then releases. Only for a lot whose affected quantity is fully decided with rework, once.
 */
export async function recordReinspection(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  lotId: string,
  input: { credentials: SigningCredentials; comment: string },
): Promise<{ ncr: NcrRow; signatureId: string }> {
  const ncr = await getNcr(tx, id, { lock: true });
  const a = (await affectedOf(tx, id)).find((x) => x.lotId === lotId);
  if (!a) throw refused('lotNotAffected', `the lot is not affected by ${ncr.number}`, { number: ncr.number });
  const outcome = await lotOutcome(tx, id, lotId);
  if (outcome.state !== 'rework' || a.reinspectedAt) {
    throw refused('notAwaitingReinspection', `no reworked quantity of this lot awaits re-inspection in ${ncr.number}`, {
      number: ncr.number,
    });
  }
  const comment = input.comment?.trim();
  if (!comment) throw refused('reinspectionResult', 'say what the re-inspection found');
  const lot = await getLot(tx, lotId);
  const signature = await sign(tx, ctx, verifier, {
    entity: 'nonconformances',
    id,
    meaning: 'released',
    credentials: input.credentials,
    comment: `${lot.number}: ${comment}`,
    subject: { label: `nonconformance ${ncr.number}`, reference: ncr.number, step: 're-inspection' },
  });
  await tx.query(sql`UPDATE ncr_affected SET reinspected_at = now(), reinspected_by = ${ctx.actor.name} WHERE id = ${a.id}`);
  return { ncr, signatureId: signature.id };
}
