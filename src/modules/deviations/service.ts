import { raw, sql, type Tx } from '../../platform/db/index.js';
import { dec, decText } from '../../platform/decimal.js';
import { Conflict, type FieldError, invalidFields, NotFound } from '../../platform/errors.js';
import { type ManifestedSignature, manifestedSignatures, type Signature } from '../../platform/esign/index.js';
import type { SignerVerifier, SigningCredentials } from '../../platform/esign/types.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { takeTransition } from '../../platform/statemachine/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getItem, getItemRevision, getSupplier, quantityErrors } from '../masterdata/index.js';
import { DEVIATION_EVENTS, type DeviationStatus, type DeviationUseKind } from './contract.js';
import { deviationLifecycle } from './lifecycle.js';

export interface Deviation {
  id: string;
  number: string;
  title: string;
  reason: string;
  description: string;
  riskAssessment: string;
  itemId: string;
  itemRevisionId: string | null;
  supplierId: string | null;
  lots: string[];
  maxQuantity: string;
  unit: string;
  usedQuantity: string;
  remainingQuantity: string;
  validFrom: string;
  validUntil: string;
  status: DeviationStatus;
  author: { id: string; name: string };
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface DeviationRow extends Omit<Deviation, 'author'> {
  authorId: string;
  authorName: string;
}

const COLUMNS = `id, number, title, reason, description, risk_assessment AS "riskAssessment", item_id AS "itemId",
  item_revision_id AS "itemRevisionId", supplier_id AS "supplierId", lots, max_quantity::text AS "maxQuantity", unit,
  used_quantity::text AS "usedQuantity", (max_quantity - used_quantity)::text AS "remainingQuantity",
  valid_from::text AS "validFrom", valid_until::text AS "validUntil", status, author_id AS "authorId", author_name AS "authorName",
  version, created_at AS "createdAt", updated_at AS "updatedAt"`;

const toDeviation = ({ authorId, authorName, ...r }: DeviationRow): Deviation => ({ ...r, author: { id: authorId, name: authorName } });

async function loadDeviation(tx: Tx, id: string, lock: boolean): Promise<Deviation> {
  const { rows } = await tx.query<DeviationRow>(
    sql`SELECT ${raw(COLUMNS)} FROM deviations WHERE id = ${id}${raw(lock ? ' FOR UPDATE' : '')}`,
  );
  if (!rows[0]) throw new NotFound(`deviation ${id} not found`, { code: 'error.deviations.notFound', params: { id } });
  return toDeviation(rows[0]);
}

export const getDeviation = (tx: Tx, id: string): Promise<Deviation> => loadDeviation(tx, id, false);

export interface DeviationFilter {
  status?: DeviationStatus | undefined;
  itemId?: string | undefined;
  supplierId?: string | undefined;
  /** Words in the number or title. */
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** Deviations, newest number first. */
const DEVIATIONS: Listing<DeviationRow> = {
  name: 'deviations',
  sorts: { number: [{ sql: 'number', type: 'text', of: 'number' }] },
  defaultSort: '-number',
};

export async function listDeviations(tx: Tx, f: DeviationFilter): Promise<Page<Deviation>> {
  const k = keyset(DEVIATIONS, { cursor: f.cursor, limit: f.limit });
  const q = f.q ?? null;
  const { rows } = await tx.query<DeviationRow>(
    sql`SELECT ${raw(COLUMNS)} FROM deviations
      WHERE (${f.status ?? null}::text IS NULL OR status = ${f.status ?? null})
        AND (${f.itemId ?? null}::uuid IS NULL OR item_id = ${f.itemId ?? null})
        AND (${f.supplierId ?? null}::uuid IS NULL OR supplier_id = ${f.supplierId ?? null})
        AND (${q}::text IS NULL OR number ILIKE '%' || ${q} || '%' OR title ILIKE '%' || ${q} || '%')
        AND ${k.where}
      ${k.orderBy} ${k.limit}`,
  );
  const page = toPage(k, rows);
  return { items: page.items.map(toDeviation), nextCursor: page.nextCursor };
}

export interface DeviationUse {
  id: string;
  usedBy: { kind: DeviationUseKind; id: string };
  quantity: string;
  lot: string | null;
  usedOn: string;
  usedAt: string;
  recordedBy: string;
}

export async function listDeviationUses(tx: Tx, deviationId: string): Promise<DeviationUse[]> {
  const { rows } = await tx.query<Omit<DeviationUse, 'usedBy'> & { kind: DeviationUseKind; usedById: string }>(
    sql`SELECT id, used_by_kind AS kind, used_by_id AS "usedById", quantity::text AS quantity, lot, used_on::text AS "usedOn",
               used_at AS "usedAt", recorded_by AS "recordedBy"
          FROM deviation_uses WHERE deviation_id = ${deviationId} ORDER BY used_at, id`,
  );
  return rows.map(({ kind, usedById, ...u }) => ({ ...u, usedBy: { kind, id: usedById } }));
}

export interface DeviationDetail extends Deviation {
  uses: DeviationUse[];
  signatures: ManifestedSignature[];
  allowedTransitions: DeviationStatus[];
}

/** A deviation as shown: its use, each signature with validity and manifestation, and the next steps people may take. */
export async function deviationDetail(tx: Tx, id: string): Promise<DeviationDetail> {
  const deviation = await getDeviation(tx, id);
  return {
    ...deviation,
    uses: await listDeviationUses(tx, id),
    signatures: await manifestedSignatures(tx, 'deviations', id),
    allowedTransitions: deviationLifecycle.allowedFrom(deviation.status).filter((s) => s !== 'expired'),
  };
}

export interface NewDeviation {
  title: string;
  reason: string;
  description?: string | undefined;
  riskAssessment: string;
  itemId: string;
  itemRevisionId?: string | undefined;
  supplierId?: string | undefined;
  lots?: string[] | undefined;
  /** In the item's base unit. */
  maxQuantity: string;
  validFrom: string;
  validUntil: string;
}

/** Raises a deviation as a draft, authored by the person raising it; its bounds are checked against master data. */
export async function createDeviation(tx: Tx, ctx: TenantContext, input: NewDeviation): Promise<Deviation> {
  const item = await getItem(tx, input.itemId);
  const errors: FieldError[] = [...quantityErrors(input.maxQuantity, item.baseUnit, '/body/maxQuantity')];
  if (input.validUntil < input.validFrom) {
    errors.push({ pointer: '/body/validUntil', message: 'must not be before validFrom', code: 'error.deviations.validUntilBeforeFrom' });
  }
  const lots = [...new Set((input.lots ?? []).map((l) => l.trim()).filter(Boolean))];
  if (input.itemRevisionId) {
    const revision = await getItemRevision(tx, input.itemRevisionId);
    if (revision.itemId !== item.id) {
      errors.push({
        pointer: '/body/itemRevisionId',
        message: `is not a revision of ${item.code}`,
        code: 'error.deviations.revisionOfOtherItem',
      });
    }
  }
  if (errors.length) throw invalidFields('the deviation is not valid', errors, 'error.deviations.invalid');
  if (input.supplierId) await getSupplier(tx, input.supplierId);
  const number = await nextNumber(tx, 'DEV');
  const { rows } = await tx.query<DeviationRow>(
    sql`INSERT INTO deviations (id, number, title, reason, description, risk_assessment, item_id, item_revision_id, supplier_id, lots,
          max_quantity, unit, valid_from, valid_until, author_id, author_name)
        VALUES (${uuidv7()}, ${number}, ${input.title}, ${input.reason}, ${input.description ?? ''}, ${input.riskAssessment}, ${item.id},
          ${input.itemRevisionId ?? null}, ${input.supplierId ?? null}, ${lots}::text[], ${input.maxQuantity}, ${item.baseUnit},
          ${input.validFrom}, ${input.validUntil}, ${ctx.actor.id}, ${ctx.actor.name})
        RETURNING ${raw(COLUMNS)}`,
  );
  return toDeviation(rows[0]!);
}

export interface DeviationTransitionInput {
  to: string;
  credentials?: SigningCredentials | undefined;
  comment?: string | undefined;
}

/** Moves a deviation one step: approve (signed, not by its author), close (signed, with a reason), cancel a draft. */
export async function transitionDeviation(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: DeviationTransitionInput,
): Promise<{ deviation: Deviation; signature: Signature | null }> {
  const deviation = await loadDeviation(tx, id, true);
  if (input.to === 'expired') {
    throw new Conflict(`deviation ${deviation.number} expires by date, not by hand`, {
      code: 'error.deviations.expiresByDate',
      params: { number: deviation.number },
    });
  }
  return step(tx, ctx, verifier, deviation, input);
}

async function step(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  deviation: Deviation,
  input: DeviationTransitionInput,
): Promise<{ deviation: Deviation; signature: Signature | null }> {
  const result = await takeTransition(tx, ctx, verifier, deviationLifecycle, {
    id: deviation.id,
    record: { id: deviation.id, authorId: deviation.author.id },
    from: deviation.status,
    to: input.to,
    label: `deviation ${deviation.number}`,
    reference: deviation.number,
    credentials: input.credentials,
    comment: input.comment,
    apply: async (tx, to) => {
      await tx.query(sql`UPDATE deviations SET status = ${to}, version = version + 1, updated_at = now() WHERE id = ${deviation.id}`);
    },
  });
  await publish(tx, result.event.def, {
    aggregateId: deviation.id,
    data: { number: deviation.number, itemId: deviation.itemId, supplierId: deviation.supplierId, ...result.event.data },
  });
  return { deviation: await getDeviation(tx, deviation.id), signature: result.signature };
}

/** What a record asks of a deviation: the goods, their source, how much and on which day. */
export interface DeviationUseRequest {
  deviationId: string;
  itemId: string;
  /** The supplier of the goods; a deviation bound to a supplier covers only that supplier's goods. */
  supplierId?: string | undefined;
  itemRevisionId?: string | undefined;
  /** The lot number used; a deviation bound to lot numbers covers only those. */
  lot?: string | undefined;
  /** In the item's base unit. */
  quantity: string;
  /** The day of use (the site's date). */
  on: string;
  usedBy: { kind: DeviationUseKind; id: string };
}

const refuse = (d: Deviation, reason: string, detail: string, params: Record<string, string | number> = {}) =>
  new Conflict(`deviation ${d.number} ${detail}`, { code: `error.deviations.${reason}`, params: { number: d.number, ...params } });

/**
 * Uses part of an approved deviation for a record (a receipt, a work order), in the caller's
 * transaction: the deviation must be approved, cover the item (and revision), supplier, lot
 * and day, and still permit the quantity. The use is recorded and counted and
 * `deviations.deviation.used` published; any refusal is a 409 and nothing is written. The row
 * is locked first, so two uses of the last quantity are counted one after the other and the
 * second is refused.
 */
export async function recordDeviationUse(tx: Tx, ctx: TenantContext, req: DeviationUseRequest): Promise<DeviationUse> {
  const d = await loadDeviation(tx, req.deviationId, true);
  if (d.status !== 'approved')
    throw refuse(d, 'notOpen', `is ${d.status}: only an approved deviation permits anything`, { status: d.status });
  if (req.on < d.validFrom)
    throw refuse(d, 'notYetValid', `is valid from ${d.validFrom}, not on ${req.on}`, { validFrom: d.validFrom, on: req.on });
  if (req.on > d.validUntil)
    throw refuse(d, 'expired', `was valid until ${d.validUntil}, not on ${req.on}`, { validUntil: d.validUntil, on: req.on });
  if (d.itemId !== req.itemId) throw refuse(d, 'otherItem', 'does not cover this item');
  if (d.itemRevisionId && req.itemRevisionId && d.itemRevisionId !== req.itemRevisionId) {
    throw refuse(d, 'otherRevision', 'covers another revision of the item');
  }
  if (d.supplierId && d.supplierId !== req.supplierId) throw refuse(d, 'otherSupplier', 'does not cover goods from this supplier');
  if (d.lots.length && !(req.lot && d.lots.includes(req.lot))) {
    throw refuse(d, 'otherLot', `covers lots ${d.lots.join(', ')} only`, { lots: d.lots.join(', '), lot: req.lot ?? '' });
  }
  const quantity = dec(req.quantity, 'quantity');
  const remaining = dec(d.remainingQuantity);
  if (quantity.gt(remaining)) {
    throw refuse(d, 'quantityExceeded', `permits ${decText(remaining)} ${d.unit} more, not ${decText(quantity)} ${d.unit}`, {
      remaining: decText(remaining),
      quantity: decText(quantity),
      unit: d.unit,
    });
  }
  const id = uuidv7();
  await tx.query(
    sql`INSERT INTO deviation_uses (id, deviation_id, used_by_kind, used_by_id, quantity, lot, used_on, recorded_by)
        VALUES (${id}, ${d.id}, ${req.usedBy.kind}, ${req.usedBy.id}, ${req.quantity}, ${req.lot ?? null}, ${req.on}, ${ctx.actor.name})`,
  );
  await tx.query(
    sql`UPDATE deviations SET used_quantity = used_quantity + ${req.quantity}, version = version + 1, updated_at = now() WHERE id = ${d.id}`,
  );
  const left = decText(remaining.minus(quantity));
  await publish(tx, DEVIATION_EVENTS.used, {
    aggregateId: d.id,
    data: { deviationId: d.id, number: d.number, usedBy: req.usedBy, quantity: decText(quantity), remaining: left, usedOn: req.on },
  });
  return (await listDeviationUses(tx, d.id)).find((u) => u.id === id)!;
}

/** Marks the approved deviations of the current tenant whose last valid day is before `onDate` as expired. */
export async function expireDeviations(tx: Tx, ctx: TenantContext, onDate: string): Promise<Deviation[]> {
  const { rows } = await tx.query<{ id: string }>(
    sql`SELECT id FROM deviations WHERE status = 'approved' AND valid_until < ${onDate} ORDER BY number FOR UPDATE`,
  );
  const expired: Deviation[] = [];
  for (const { id } of rows) {
    const d = await loadDeviation(tx, id, true);
    expired.push((await step(tx, ctx, null, d, { to: 'expired', comment: `last valid day ${d.validUntil} passed` })).deviation);
  }
  return expired;
}
