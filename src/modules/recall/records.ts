import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { Conflict, type FieldError, invalidFields, NotFound } from '../../platform/errors.js';
import { type ManifestedSignature, manifestedSignatures, type Signature } from '../../platform/esign/index.js';
import type { SignerVerifier, SigningCredentials } from '../../platform/esign/types.js';
import { publish } from '../../platform/events/index.js';
import { staleRecord } from '../../platform/http/etag.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { takeTransition } from '../../platform/statemachine/index.js';
import { siteToday, type TenantContext } from '../../platform/tenancy/index.js';
import {
  type AffectedLot,
  type Deadline,
  type NotificationMethod,
  RECALL_EVENTS,
  type ReachedShipment,
  type Recall,
  type RecallAnswer,
  type RecallNotification,
  type RecallProgress,
  type RecallStart,
  type RecallStatus,
} from './contract.js';
import { recallDeadlines } from './deadlines.js';
import { recallLifecycle } from './lifecycle.js';
import { findAffected, reachedCustomers, totalsOf, withItemNames } from './query.js';

/**
 * Recall records: the query and its answer kept as a snapshot (refreshable while a draft), the
 * classification, the notices sent to each customer reached and their acknowledgements, the
 * report to the authority, and the effectiveness check at closing.
 */

type RecallRow = Omit<Recall, 'author'> & { authorId: string; authorName: string };

const COLUMNS = `id, number, title, reason, site_id AS "siteId", status, start, china_level AS "chinaLevel", fda_class AS "fdaClass",
  health_hazard AS "healthHazard", snapshot_at AS "snapshotAt", truncated, initiated_on::text AS "initiatedOn",
  initiated_at AS "initiatedAt", held_lot_count AS "heldLotCount", reported_on::text AS "reportedOn",
  report_reference AS "reportReference", closed_at AS "closedAt", effectiveness::text AS effectiveness,
  author_id AS "authorId", author_name AS "authorName", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

const toRecall = ({ authorId, authorName, ...r }: RecallRow): Recall => ({ ...r, author: { id: authorId, name: authorName } });

async function loadRecall(tx: Tx, id: string, lock = false): Promise<Recall> {
  const { rows } = await tx.query<RecallRow>(sql`SELECT ${raw(COLUMNS)} FROM recalls WHERE id = ${id}${raw(lock ? ' FOR UPDATE' : '')}`);
  if (!rows[0]) throw new NotFound(`recall ${id} not found`, { code: 'error.recall.notFound', params: { id } });
  return toRecall(rows[0]);
}

export const getRecall = (tx: Tx, id: string): Promise<Recall> => loadRecall(tx, id);

const refuse = (r: Recall, code: string, detail: string, params: Record<string, string | number> = {}) =>
  new Conflict(`recall ${r.number} ${detail}`, { code: `error.recall.${code}`, params: { number: r.number, ...params } });

function mustBe(r: Recall, status: RecallStatus, what: string): void {
  if (r.status !== status)
    throw refuse(r, `not${status[0]!.toUpperCase()}${status.slice(1)}`, `is ${r.status}: ${what}`, { status: r.status });
}

export interface RecallFilter {
  status?: RecallStatus | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

const RECALLS: Listing<RecallRow> = {
  name: 'recalls',
  sorts: { number: [{ sql: 'number', type: 'text', of: 'number' }] },
  defaultSort: '-number',
};

export async function listRecalls(tx: Tx, f: RecallFilter): Promise<Page<Recall>> {
  const k = keyset(RECALLS, { cursor: f.cursor, limit: f.limit });
  const q = f.q ?? null;
  const { rows } = await tx.query<RecallRow>(sql`SELECT ${raw(COLUMNS)} FROM recalls
    WHERE (${f.status ?? null}::text IS NULL OR status = ${f.status ?? null})
      AND (${q}::text IS NULL OR number ILIKE '%' || ${q} || '%' OR title ILIKE '%' || ${q} || '%')
      AND ${k.where}
    ${k.orderBy} ${k.limit}`);
  const page = toPage(k, rows);
  return { items: page.items.map(toRecall), nextCursor: page.nextCursor };
}

/** Writes an answer as the recall's snapshot, replacing any earlier one (set-based, whatever its size). */
async function writeSnapshot(tx: Tx, recallId: string, answer: RecallAnswer): Promise<void> {
  await tx.query(sql`DELETE FROM recall_lots WHERE recall_id = ${recallId}`);
  await tx.query(sql`DELETE FROM recall_shipments WHERE recall_id = ${recallId}`);
  const l = answer.lots;
  // Locations travel as one array literal per lot ({A,B}) and are read back into text[].
  await tx.query(sql`INSERT INTO recall_lots (recall_id, lot_id, item_id, kind, number, depth, finished, status, on_hand, locations, shipped)
    SELECT ${recallId}, u.lot, u.item, u.kind, u.number, u.depth, u.finished, u.status, u.on_hand, u.locations::text[], u.shipped
      FROM unnest(${l.map((x) => x.lotId)}::uuid[], ${l.map((x) => x.itemId)}::uuid[], ${l.map((x) => x.kind)}::text[],
        ${l.map((x) => x.number)}::text[], ${l.map((x) => x.depth)}::int[], ${l.map((x) => x.finished)}::boolean[],
        ${l.map((x) => x.status)}::text[], ${l.map((x) => x.onHand)}::numeric[], ${l.map((x) => `{${x.locations.join(',')}}`)}::text[],
        ${l.map((x) => x.shipped)}::numeric[]) AS u(lot, item, kind, number, depth, finished, status, on_hand, locations, shipped)`);
  const s = answer.shipments;
  await tx.query(sql`INSERT INTO recall_shipments (recall_id, sales_record_id, shipment_id, shipment_number, shipped_on, customer_id,
      customer_code, customer_name, contact, ship_to_text, lot_id, lot_number, item_id, quantity, returned)
    SELECT ${recallId}, * FROM unnest(${s.map((x) => x.salesRecordId)}::uuid[], ${s.map((x) => x.shipmentId)}::uuid[],
      ${s.map((x) => x.shipmentNumber)}::text[], ${s.map((x) => x.shippedOn)}::date[], ${s.map((x) => x.customerId)}::uuid[],
      ${s.map((x) => x.customerCode)}::text[], ${s.map((x) => x.customerName)}::text[], ${s.map((x) => x.contact)}::text[],
      ${s.map((x) => x.shipToText)}::text[], ${s.map((x) => x.lotId)}::uuid[], ${s.map((x) => x.lotNumber)}::text[],
      ${s.map((x) => x.itemId)}::uuid[], ${s.map((x) => x.quantity)}::numeric[], ${s.map((x) => x.returned)}::numeric[])`);
}

/** The answer as the recall keeps it. */
export async function recallAnswer(tx: Tx, recall: Recall): Promise<RecallAnswer> {
  const [{ rows: lots }, { rows: shipments }] = await Promise.all([
    tx.query<Omit<AffectedLot, 'itemCode' | 'itemName'>>(
      sql`SELECT lot_id AS "lotId", item_id AS "itemId", kind, number, depth, finished, status, on_hand::text AS "onHand",
             locations, shipped::text AS shipped
        FROM recall_lots WHERE recall_id = ${recall.id}`,
    ),
    tx.query<ReachedShipment>(sql`SELECT sales_record_id AS "salesRecordId", shipment_id AS "shipmentId", shipment_number AS "shipmentNumber",
        shipped_on::text AS "shippedOn", customer_id AS "customerId", customer_code AS "customerCode", customer_name AS "customerName",
        contact, ship_to_text AS "shipToText", lot_id AS "lotId", lot_number AS "lotNumber", item_id AS "itemId",
        quantity::text AS quantity, returned::text AS returned
      FROM recall_shipments WHERE recall_id = ${recall.id} ORDER BY shipped_on, shipment_number, lot_number`),
  ]);
  const affected = await withItemNames(tx, lots);
  return {
    start: recall.start,
    startLots: affected.filter((l) => l.depth === 0).length,
    lots: affected,
    shipments,
    customers: reachedCustomers(shipments),
    totals: totalsOf(affected, shipments),
    truncated: recall.truncated,
    takenAt: new Date(recall.snapshotAt).toISOString(),
  };
}

export interface NewRecall {
  title: string;
  reason: string;
  start: RecallStart;
  chinaLevel?: number | null | undefined;
  fdaClass?: number | null | undefined;
  healthHazard?: string | null | undefined;
}

/** Raises a recall as a draft: runs the query and keeps its answer. */
export async function raiseRecall(tx: Tx, ctx: TenantContext, input: NewRecall): Promise<Recall> {
  const answer = await findAffected(tx, input.start);
  const id = uuidv7();
  const number = await nextNumber(tx, 'RCL');
  await tx.query(sql`INSERT INTO recalls (id, number, title, reason, site_id, start_kind, start, china_level, fda_class, health_hazard,
      snapshot_at, truncated, author_id, author_name)
    VALUES (${id}, ${number}, ${input.title}, ${input.reason}, ${ctx.siteId ?? null}, ${input.start.kind}, ${JSON.stringify(input.start)}::jsonb,
      ${input.chinaLevel ?? null}, ${input.fdaClass ?? null}, ${input.healthHazard ?? null}, ${answer.takenAt}, ${answer.truncated},
      ${ctx.actor.id}, ${ctx.actor.name})`);
  await writeSnapshot(tx, id, answer);
  return getRecall(tx, id);
}

/** Runs a draft's query again and replaces its answer. */
export async function refreshRecall(tx: Tx, id: string): Promise<Recall> {
  const recall = await loadRecall(tx, id, true);
  mustBe(recall, 'draft', 'only a draft is taken again');
  const answer = await findAffected(tx, recall.start);
  await writeSnapshot(tx, id, answer);
  await tx.query(sql`UPDATE recalls SET snapshot_at = ${answer.takenAt}, truncated = ${answer.truncated}, version = version + 1,
      updated_at = now() WHERE id = ${id}`);
  return getRecall(tx, id);
}

export interface RecallChange {
  title?: string | undefined;
  reason?: string | undefined;
  chinaLevel?: number | null | undefined;
  fdaClass?: number | null | undefined;
  healthHazard?: string | null | undefined;
}

const CHANGE_COLUMNS: Readonly<Record<keyof RecallChange, string>> = {
  title: 'title',
  reason: 'reason',
  chinaLevel: 'china_level',
  fdaClass: 'fda_class',
  healthHazard: 'health_hazard',
};

/** Changes a draft's title, reason or classification (If-Match: the version read). */
export async function updateRecall(tx: Tx, id: string, versions: readonly number[], change: RecallChange): Promise<Recall> {
  const recall = await loadRecall(tx, id, true);
  if (!versions.includes(recall.version)) throw staleRecord(`recall ${recall.number}`);
  mustBe(recall, 'draft', 'its classification is fixed once initiated');
  const sets = Object.entries(change)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => sql`${raw(CHANGE_COLUMNS[k as keyof RecallChange])} = ${v}`);
  if (sets.length) {
    const assignments = sets.reduce((acc, s) => sql`${acc}, ${s}`);
    await tx.query(sql`UPDATE recalls SET ${assignments}, version = version + 1, updated_at = now() WHERE id = ${id}`);
  }
  return getRecall(tx, id);
}

/** What must hold before a recall may be initiated, beyond its signature. */
async function initiationRefusal(tx: Tx, recall: Recall): Promise<Conflict | null> {
  if (!recall.chinaLevel && !recall.fdaClass) {
    return refuse(recall, 'notClassified', 'has no classification: give its China level, its FDA class or both');
  }
  // The signer signs the answer on screen: if the world moved since it was taken (stock made, moved or
  // shipped), it must be taken again and read again before anyone signs it.
  const [kept, now] = await Promise.all([recallAnswer(tx, recall), findAffected(tx, recall.start)]);
  const key = (a: RecallAnswer) =>
    JSON.stringify([
      a.lots.map((l) => [l.lotId, l.status, dec(l.onHand).toString(), dec(l.shipped).toString()]).sort(),
      a.shipments.map((s) => s.salesRecordId).sort(),
    ]);
  if (key(kept) !== key(now)) return refuse(recall, 'answerChanged', 'found something else when asked again: refresh it and read it again');
  return null;
}

export interface RecallTransitionInput {
  to: 'initiated' | 'closed' | 'cancelled';
  credentials?: SigningCredentials | undefined;
  comment?: string | undefined;
}

/**
 * Moves a recall one step. Initiating (signed, not by its author) needs a classification and an
 * answer still true; it fixes the day the deadlines run from. The caller (the initiate-recall flow)
 * then holds the stock under the same signature. Closing (signed) needs every customer reached
 * notified and stores the effectiveness check.
 */
export async function transitionRecall(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: RecallTransitionInput,
): Promise<{ recall: Recall; signature: Signature | null }> {
  const recall = await loadRecall(tx, id, true);
  const today = await siteToday(tx);
  let effectiveness: string | null = null;
  if (input.to === 'initiated' && recall.status === 'draft') {
    const refusal = await initiationRefusal(tx, recall);
    if (refusal) throw refusal;
  }
  if (input.to === 'closed' && recall.status === 'initiated') {
    const progress = await recallProgress(tx, recall);
    if (progress.customersNotNotified > 0) {
      throw refuse(recall, 'customersNotNotified', `has ${progress.customersNotNotified} customer(s) reached but not notified`, {
        count: progress.customersNotNotified,
      });
    }
    effectiveness = progress.effectiveness;
  }
  const result = await takeTransition(tx, ctx, verifier, recallLifecycle, {
    id: recall.id,
    record: { id: recall.id, authorId: recall.author.id },
    from: recall.status,
    to: input.to,
    label: `recall ${recall.number}`,
    reference: recall.number,
    credentials: input.credentials,
    comment: input.comment,
    apply: async (t, to) => {
      await t.query(sql`UPDATE recalls SET status = ${to},
          initiated_on = CASE WHEN ${to} = 'initiated' THEN ${today}::date ELSE initiated_on END,
          initiated_at = CASE WHEN ${to} = 'initiated' THEN now() ELSE initiated_at END,
          closed_at = CASE WHEN ${to} = 'closed' THEN now() ELSE closed_at END,
          effectiveness = coalesce(${effectiveness}::numeric, effectiveness),
          version = version + 1, updated_at = now()
        WHERE id = ${recall.id}`);
    },
  });
  await publish(tx, result.event.def, { aggregateId: recall.id, data: { number: recall.number, ...result.event.data } });
  return { recall: await getRecall(tx, recall.id), signature: result.signature };
}

/** After the hold the initiation's signature rests on: how many lots it put on hold. */
export async function recordHold(tx: Tx, id: string, lotCount: number): Promise<void> {
  await tx.query(sql`UPDATE recalls SET held_lot_count = ${lotCount}, version = version + 1, updated_at = now() WHERE id = ${id}`);
}

/** The lots of a recall's answer (what its hold covers). */
export async function recallLotIds(tx: Tx, id: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(sql`SELECT lot_id AS id FROM recall_lots WHERE recall_id = ${id}`);
  return rows.map((r) => r.id);
}

/** The report to the authority (NMPA recall event report, FDA 806 report): its day and reference. */
export async function recordAuthorityReport(tx: Tx, id: string, input: { reportedOn: string; reference: string }): Promise<Recall> {
  const recall = await loadRecall(tx, id, true);
  mustBe(recall, 'initiated', 'a report is recorded for an initiated recall');
  const today = await siteToday(tx);
  const errors: FieldError[] = [];
  if (input.reportedOn > today)
    errors.push({
      pointer: '/body/reportedOn',
      message: `must not be after today (${today})`,
      code: 'error.recall.dateInFuture',
      params: { today },
    });
  if (input.reportedOn < recall.initiatedOn!) {
    errors.push({
      pointer: '/body/reportedOn',
      message: `must not be before the recall was initiated (${recall.initiatedOn})`,
      code: 'error.recall.beforeInitiation',
      params: { day: recall.initiatedOn! },
    });
  }
  if (errors.length) throw invalidFields('the report is not valid', errors, 'error.recall.invalid');
  await tx.query(sql`UPDATE recalls SET reported_on = ${input.reportedOn}, report_reference = ${input.reference},
      version = version + 1, updated_at = now() WHERE id = ${id}`);
  return getRecall(tx, id);
}

const NOTIFICATION_COLUMNS = `n.id, n.customer_id AS "customerId",
  coalesce((SELECT s.customer_name FROM recall_shipments s WHERE s.recall_id = n.recall_id AND s.customer_id = n.customer_id LIMIT 1), '') AS "customerName",
  n.method, n.sent_on::text AS "sentOn", n.sent_to AS "sentTo", n.note, n.sent_by_name AS "sentBy", n.recorded_at AS "recordedAt",
  n.acknowledged_on::text AS "acknowledgedOn", n.acknowledged_by AS "acknowledgedBy", n.units_accounted::text AS "unitsAccounted",
  n.acknowledgement_note AS "acknowledgementNote", n.version`;

export async function listNotifications(tx: Tx, recallId: string): Promise<RecallNotification[]> {
  const { rows } = await tx.query<RecallNotification>(
    sql`SELECT ${raw(NOTIFICATION_COLUMNS)} FROM recall_notifications n WHERE n.recall_id = ${recallId} ORDER BY n.sent_on, n.recorded_at, n.id`,
  );
  return rows;
}

export interface NoticeInput {
  customerId: string;
  method: NotificationMethod;
  sentOn: string;
  sentTo: string;
  note?: string | undefined;
}

/** Records a notice sent to a customer the recall reached, on or after the day it was initiated and not after today. */
export async function recordNotice(tx: Tx, ctx: TenantContext, recallId: string, input: NoticeInput): Promise<RecallNotification> {
  const recall = await loadRecall(tx, recallId, true);
  mustBe(recall, 'initiated', 'notices are sent for an initiated recall');
  const { rows } = await tx.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM recall_shipments WHERE recall_id = ${recallId} AND customer_id = ${input.customerId}`,
  );
  const errors: FieldError[] = [];
  if (!rows[0]!.n)
    errors.push({
      pointer: '/body/customerId',
      message: 'the recall did not reach this customer',
      code: 'error.recall.customerNotReached',
    });
  errors.push(...dayErrors('/body/sentOn', input.sentOn, recall.initiatedOn!, await siteToday(tx)));
  if (errors.length) throw invalidFields('the notice is not valid', errors, 'error.recall.invalid');
  const id = uuidv7();
  await tx.query(sql`INSERT INTO recall_notifications (id, recall_id, customer_id, method, sent_on, sent_to, note, sent_by_id, sent_by_name)
    VALUES (${id}, ${recallId}, ${input.customerId}, ${input.method}, ${input.sentOn}, ${input.sentTo}, ${input.note ?? null},
      ${ctx.actor.id}, ${ctx.actor.name})`);
  await publish(tx, RECALL_EVENTS.notified, {
    aggregateId: recallId,
    data: { recallId, number: recall.number, customerId: input.customerId, notificationId: id, acknowledged: false },
  });
  return (await listNotifications(tx, recallId)).find((n) => n.id === id)!;
}

function dayErrors(pointer: string, day: string, notBefore: string, today: string): FieldError[] {
  if (day > today)
    return [{ pointer, message: `must not be after today (${today})`, code: 'error.recall.dateInFuture', params: { today } }];
  if (day < notBefore)
    return [{ pointer, message: `must not be before ${notBefore}`, code: 'error.recall.dayTooEarly', params: { day: notBefore } }];
  return [];
}

export interface AcknowledgementInput {
  acknowledgedOn: string;
  acknowledgedBy: string;
  /** Units the customer reports accounted for: returned, destroyed, corrected, or not found in use. */
  unitsAccounted: string;
  note?: string | undefined;
}

/**
 * Records a customer's acknowledgement of a notice, once. The units it accounts for, with those of the
 * customer's other acknowledgements, may not exceed what was shipped to that customer, and a counted
 * unit is a whole number.
 */
export async function acknowledgeNotice(
  tx: Tx,
  recallId: string,
  notificationId: string,
  input: AcknowledgementInput,
): Promise<RecallNotification> {
  const recall = await loadRecall(tx, recallId, true);
  mustBe(recall, 'initiated', 'acknowledgements are recorded for an initiated recall');
  const notice = (await listNotifications(tx, recallId)).find((n) => n.id === notificationId);
  if (!notice)
    throw new NotFound(`notice ${notificationId} not found`, { code: 'error.recall.noticeNotFound', params: { id: notificationId } });
  if (notice.acknowledgedOn) throw refuse(recall, 'alreadyAcknowledged', 'has this notice acknowledged already');
  const { rows } = await tx.query<{ shipped: string; accounted: string }>(sql`SELECT
      (SELECT coalesce(sum(quantity), 0) FROM recall_shipments WHERE recall_id = ${recallId} AND customer_id = ${notice.customerId})::text AS shipped,
      (SELECT coalesce(sum(units_accounted), 0) FROM recall_notifications WHERE recall_id = ${recallId} AND customer_id = ${notice.customerId})::text AS accounted`);
  const shipped = dec(rows[0]!.shipped);
  const accounted = dec(rows[0]!.accounted);
  const units = dec(input.unitsAccounted, 'unitsAccounted');
  const errors: FieldError[] = dayErrors('/body/acknowledgedOn', input.acknowledgedOn, notice.sentOn, await siteToday(tx));
  if (units.isNegative()) {
    errors.push({ pointer: '/body/unitsAccounted', message: 'must not be negative', code: 'error.quantity.negative' });
  } else if (!units.isInteger())
    errors.push({
      pointer: '/body/unitsAccounted',
      message: 'units are counted in whole numbers',
      code: 'error.recall.wholeUnits',
    });
  else if (units.plus(accounted).gt(shipped)) {
    const left = decText(Decimal.max(shipped.minus(accounted), 0));
    errors.push({
      pointer: '/body/unitsAccounted',
      message: `at most ${left} more units were shipped to this customer`,
      code: 'error.recall.moreThanShipped',
      params: { left },
    });
  }
  if (errors.length) throw invalidFields('the acknowledgement is not valid', errors, 'error.recall.invalid');
  await tx.query(sql`UPDATE recall_notifications SET acknowledged_on = ${input.acknowledgedOn}, acknowledged_by = ${input.acknowledgedBy},
      units_accounted = ${input.unitsAccounted}, acknowledgement_note = ${input.note ?? null}, version = version + 1
    WHERE id = ${notificationId}`);
  await publish(tx, RECALL_EVENTS.notified, {
    aggregateId: recallId,
    data: { recallId, number: recall.number, customerId: notice.customerId, notificationId, acknowledged: true },
  });
  return (await listNotifications(tx, recallId)).find((n) => n.id === notificationId)!;
}

/** How far the recall has come: customers notified and acknowledged, units accounted for. */
export async function recallProgress(tx: Tx, recall: Recall): Promise<RecallProgress> {
  const { rows } = await tx.query<{ reached: number; notNotified: number; acknowledged: number; units: string; accounted: string }>(sql`
    WITH customers AS (SELECT DISTINCT customer_id FROM recall_shipments WHERE recall_id = ${recall.id})
    SELECT (SELECT count(*) FROM customers)::int AS reached,
      (SELECT count(*) FROM customers c WHERE NOT EXISTS
         (SELECT 1 FROM recall_notifications n WHERE n.recall_id = ${recall.id} AND n.customer_id = c.customer_id))::int AS "notNotified",
      (SELECT count(DISTINCT customer_id) FROM recall_notifications WHERE recall_id = ${recall.id} AND acknowledged_on IS NOT NULL)::int AS acknowledged,
      (SELECT coalesce(sum(on_hand + shipped), 0) FROM recall_lots WHERE recall_id = ${recall.id} AND finished)::text AS units,
      ((SELECT coalesce(sum(on_hand), 0) FROM recall_lots WHERE recall_id = ${recall.id} AND finished)
        + (SELECT coalesce(sum(units_accounted), 0) FROM recall_notifications WHERE recall_id = ${recall.id}))::text AS accounted`);
  const r = rows[0]!;
  const units = dec(r.units);
  const accounted = Decimal.min(dec(r.accounted), units);
  return {
    customersReached: r.reached,
    customersNotNotified: r.notNotified,
    customersAcknowledged: r.acknowledged,
    units: decText(units),
    accounted: decText(accounted),
    effectiveness: units.isZero() ? '100.00' : accounted.div(units).times(100).toFixed(2),
  };
}

export interface RecallDetail extends Recall {
  answer: RecallAnswer;
  notifications: RecallNotification[];
  progress: RecallProgress;
  deadlines: Deadline[];
  signatures: ManifestedSignature[];
  allowedTransitions: RecallStatus[];
}

/** A recall as shown and printed: its answer, notices, progress, deadlines and signatures. */
export async function recallDetail(tx: Tx, id: string): Promise<RecallDetail> {
  const recall = await getRecall(tx, id);
  const [answer, notifications, progress, signatures, today] = await Promise.all([
    recallAnswer(tx, recall),
    listNotifications(tx, id),
    recallProgress(tx, recall),
    manifestedSignatures(tx, 'recalls', id),
    siteToday(tx),
  ]);
  const firstNotice = new Map<string, string>();
  for (const n of notifications) if (!firstNotice.has(n.customerId)) firstNotice.set(n.customerId, n.sentOn);
  return {
    ...recall,
    answer,
    notifications,
    progress,
    deadlines: recallDeadlines({
      chinaLevel: recall.chinaLevel,
      fdaClass: recall.fdaClass,
      initiatedOn: recall.initiatedOn,
      closed: recall.status === 'closed',
      reportedOn: recall.reportedOn,
      firstNoticeByCustomer: answer.customers.map((c) => firstNotice.get(c.customerId) ?? null),
      today,
    }),
    signatures,
    allowedTransitions: recallLifecycle.allowedFrom(recall.status),
  };
}
