import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Conflict, type FieldError, invalidFields, NotFound } from '../../platform/errors.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, type PageRequest, toPage } from '../../platform/paging.js';
import type { PackagingLevel } from '../masterdata/contract.js';
import {
  type LabelFormat,
  type LabelJob,
  type LabelJobStatus,
  type LabelLink,
  type LabelTemplate,
  type ReconcileLabelsBody,
  TRACEABILITY_EVENTS,
  type WorkOrderLabels,
} from './contract.js';
import { LABEL_UNSAFE } from './label-render.js';
import { composeUdi } from './udi.js';

/**
 * UDI label print jobs (21 CFR 820.45, ISO 13485 7.5.1): each print is a record of what was printed
 * for which lots or serials, with the UDI as printed; reconciliation accounts for every label as
 * used or destroyed before the job closes. The lots, item and work order are resolved by the
 * print-labels flow and handed in; this file writes only traceability's tables.
 */

/** What the flow resolved: the item, the DI of the level labelled, and each lot or serial. */
export interface LabelPrint {
  item: { id: string; code: string; name: string };
  packagingLevel: PackagingLevel;
  gtin: string;
  template: LabelTemplate;
  format: LabelFormat;
  copies: number;
  link: LabelLink | null;
  lots: Array<{ id: string; kind: 'lot' | 'serial'; number: string; manufacturedOn: string | null; expiresOn: string | null }>;
}

const JOB_COLUMNS = `j.id, j.number, j.item_id AS "itemId", j.item_code AS "itemCode", j.item_name AS "itemName",
  j.packaging_level AS "packagingLevel", j.gtin, j.template, j.output_format AS format, j.copies, j.quantity_printed AS "quantityPrinted",
  CASE WHEN j.link_kind IS NULL THEN NULL ELSE json_build_object('kind', j.link_kind, 'id', j.link_id) END AS link,
  json_build_object('id', j.printed_by_id, 'name', j.printed_by_name) AS "printedBy", j.printed_at AS "printedAt", j.status,
  j.quantity_used AS "quantityUsed", j.quantity_destroyed AS "quantityDestroyed", j.destroyed_reason AS "destroyedReason",
  CASE WHEN j.reconciled_at IS NULL THEN NULL ELSE json_build_object('id', j.reconciled_by_id, 'name', j.reconciled_by_name) END AS "reconciledBy",
  j.reconciled_at AS "reconciledAt", j.version,
  coalesce((SELECT json_agg(json_build_object('lotId', u.lot_id, 'kind', u.lot_kind, 'number', u.lot_number,
      'manufacturedOn', u.manufactured_on, 'expiresOn', u.expires_on, 'udi', u.udi, 'humanReadable', u.udi_hri) ORDER BY u.position)
    FROM label_print_units u WHERE u.tenant_id = j.tenant_id AND u.job_id = j.id), '[]') AS units,
  (SELECT json_build_object('id', i.id, 'result', i.result, 'printLegible', i.print_legible, 'barcodeScans', i.barcode_scans,
      'scanned', i.scanned, 'remarks', i.remarks, 'meaning', s.meaning, 'inspectedAt', s.signed_at,
      'inspectedBy', json_build_object('id', s.signer_id, 'name', s.signer_name, 'login', s.signer_login),
      'findings', coalesce((SELECT json_agg(json_build_object('position', f.position, 'field', f.field, 'onLabel', f.on_label,
          'expected', f.expected) ORDER BY f.seq) FROM label_inspection_findings f WHERE f.tenant_id = i.tenant_id AND f.inspection_id = i.id), '[]'))
    FROM label_inspections i
    JOIN esignatures s ON s.tenant_id = i.tenant_id AND s.entity = 'label_inspections' AND s.record_id = i.id::text AND s.meaning = 'verified'
    WHERE i.tenant_id = j.tenant_id AND i.job_id = j.id) AS inspection`;

const SELECT_JOBS = `SELECT ${JOB_COLUMNS} FROM label_print_jobs j`;

/** Composes every unit's UDI first, so a lot GS1 cannot carry refuses the print with nothing written. */
function composeUnits(print: LabelPrint) {
  const errors: FieldError[] = [];
  const units = print.lots.map((lot, i) => {
    if (LABEL_UNSAFE.test(lot.number)) {
      errors.push({
        pointer: `/body/lotIds/${i}`,
        message: `${lot.number} holds ( ) > or _, which labels cannot print`,
        code: 'error.traceability.label.labelCharacter',
        params: { lot: lot.number },
      });
      return undefined;
    }
    try {
      return { lot, udi: composeUdi({ gtin: print.gtin, ...lot }) };
    } catch (err) {
      const e = err as { message: string; code?: string; params?: Record<string, string | number> };
      errors.push({
        pointer: `/body/lotIds/${i}`,
        message: `${lot.number}: ${e.message}`,
        code: 'error.traceability.label.notEncodable',
        params: { lot: lot.number },
      });
      return undefined;
    }
  });
  if (errors.length) throw invalidFields('some lots cannot be carried in a GS1 UDI', errors, 'error.traceability.label.notEncodable');
  return units.map((u) => u!);
}

/** Records a print job and its units (the UDI as printed); publishes `traceability.labelJob.printed`. */
export async function recordLabelPrint(tx: Tx, print: LabelPrint): Promise<LabelJob> {
  const units = composeUnits(print);
  const id = uuidv7();
  const number = await nextNumber(tx, 'LBL');
  const printed = print.lots.length * print.copies;
  await tx.query(sql`INSERT INTO label_print_jobs (id, number, item_id, item_code, item_name, packaging_level, gtin, template,
      output_format, copies, quantity_printed, link_kind, link_id, printed_by_id, printed_by_name)
    VALUES (${id}, ${number}, ${print.item.id}, ${print.item.code}, ${print.item.name}, ${print.packagingLevel}, ${print.gtin.padStart(14, '0')},
      ${print.template}, ${print.format}, ${print.copies}, ${printed}, ${print.link?.kind ?? null}, ${print.link?.id ?? null},
      nullif(current_setting('app.actor_id', true), ''), coalesce(nullif(current_setting('app.actor_name', true), ''), 'system'))`);
  await tx.query(sql`INSERT INTO label_print_units (job_id, position, lot_id, lot_kind, lot_number, manufactured_on, expires_on, udi, udi_hri)
    SELECT ${id}, u.position, u.lot_id, u.kind, u.number, u.made, u.expires, u.udi, u.hri
    FROM unnest(${units.map((_, i) => i + 1)}::int[], ${units.map((u) => u.lot.id)}::uuid[], ${units.map((u) => u.lot.kind)}::text[],
      ${units.map((u) => u.lot.number)}::text[], ${units.map((u) => u.lot.manufacturedOn)}::date[], ${units.map((u) => u.lot.expiresOn)}::date[],
      ${units.map((u) => u.udi.elementString)}::text[], ${units.map((u) => u.udi.humanReadable)}::text[])
      AS u(position, lot_id, kind, number, made, expires, udi, hri)`);
  await publish(tx, TRACEABILITY_EVENTS.labelsPrinted, {
    aggregateId: id,
    data: { number, itemId: print.item.id, quantityPrinted: printed, link: print.link },
  });
  return getLabelJob(tx, id);
}

export async function getLabelJob(tx: Tx, id: string, opts: { lock?: boolean } = {}): Promise<LabelJob> {
  if (opts.lock) await tx.query(sql`SELECT 1 FROM label_print_jobs WHERE id = ${id} FOR UPDATE`);
  const { rows } = await tx.query<LabelJob>(sql`${raw(SELECT_JOBS)} WHERE j.id = ${id}`);
  if (!rows[0]) throw new NotFound(`label print job ${id} not found`, { code: 'error.traceability.label.notFound', params: { id } });
  return rows[0];
}

export const LABEL_JOBS: Listing<LabelJob> = {
  name: 'traceability.labelJobs',
  sorts: { printedAt: [] },
  defaultSort: '-printedAt',
  id: { sql: 'j.id', type: 'uuid', of: 'id' },
};

export interface LabelJobFilter {
  lotId?: string | undefined;
  workOrderId?: string | undefined;
  itemId?: string | undefined;
  status?: LabelJobStatus | undefined;
}

/** Label history, newest first: of a lot or serial, a work order, an item, or all. */
export async function listLabelJobs(tx: Tx, request: PageRequest & LabelJobFilter): Promise<Page<LabelJob>> {
  const k = keyset(LABEL_JOBS, request);
  const where = [
    request.lotId
      ? sql`EXISTS (SELECT 1 FROM label_print_units u WHERE u.tenant_id = j.tenant_id AND u.job_id = j.id AND u.lot_id = ${request.lotId})`
      : null,
    request.workOrderId ? sql`j.link_kind = 'work_order' AND j.link_id = ${request.workOrderId}` : null,
    request.itemId ? sql`j.item_id = ${request.itemId}` : null,
    request.status ? sql`j.status = ${request.status}` : null,
  ].reduce((acc, c) => (c ? sql`${acc} AND ${c}` : acc), k.where);
  const { rows } = await tx.query<LabelJob>(sql`${raw(SELECT_JOBS)} WHERE ${where} ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}

/** Every objection to one job's counts, with the pointer prefix of where they came from. */
function countErrors(counts: ReconcileLabelsBody, prefix: string): FieldError[] {
  if (counts.destroyed > 0 && !counts.destroyedReason?.trim()) {
    return [
      { pointer: `${prefix}/destroyedReason`, message: 'destroyed labels need a reason', code: 'error.traceability.label.destroyedReason' },
    ];
  }
  return [];
}

function balanceRefusal(job: LabelJob, counts: ReconcileLabelsBody): Conflict | undefined {
  if (job.status === 'reconciled') {
    return new Conflict(`label print job ${job.number} is already reconciled`, {
      code: 'error.traceability.label.alreadyReconciled',
      params: { number: job.number },
    });
  }
  if (job.inspection?.result === 'fail' && counts.used > 0) {
    return new Conflict(`label print job ${job.number} failed its inspection: its labels are destroyed, none used`, {
      code: 'error.traceability.label.inspectionFailed',
      params: { number: job.number },
    });
  }
  if (counts.used + counts.destroyed !== job.quantityPrinted) {
    return new Conflict(
      `label print job ${job.number}: used ${counts.used} + destroyed ${counts.destroyed} is not the ${job.quantityPrinted} printed`,
      {
        code: 'error.traceability.label.unbalanced',
        params: { number: job.number, used: counts.used, destroyed: counts.destroyed, printed: job.quantityPrinted },
      },
    );
  }
  return undefined;
}

async function closeJob(tx: Tx, job: LabelJob, counts: ReconcileLabelsBody): Promise<void> {
  await tx.query(sql`UPDATE label_print_jobs SET status = 'reconciled', quantity_used = ${counts.used}, quantity_destroyed = ${counts.destroyed},
      destroyed_reason = ${counts.destroyed > 0 ? counts.destroyedReason!.trim() : null}, version = version + 1,
      reconciled_by_id = nullif(current_setting('app.actor_id', true), ''),
      reconciled_by_name = coalesce(nullif(current_setting('app.actor_name', true), ''), 'system'), reconciled_at = now()
    WHERE id = ${job.id}`);
  await publish(tx, TRACEABILITY_EVENTS.labelsReconciled, {
    aggregateId: job.id,
    data: {
      number: job.number,
      itemId: job.itemId,
      quantityPrinted: job.quantityPrinted,
      link: job.link,
      used: counts.used,
      destroyed: counts.destroyed,
    },
  });
}

/** Reconciles one job: used + destroyed must equal printed (409 otherwise, nothing changed). */
export async function reconcileLabelJob(tx: Tx, id: string, counts: ReconcileLabelsBody): Promise<LabelJob> {
  const errors = countErrors(counts, '/body');
  if (errors.length) throw invalidFields('the reconciliation is not complete', errors, 'error.validation');
  const job = await getLabelJob(tx, id, { lock: true });
  const refusal = balanceRefusal(job, counts);
  if (refusal) throw refusal;
  await closeJob(tx, job, counts);
  return getLabelJob(tx, id);
}

/** Reconciles jobs of one work order together: all balance or none is closed. */
export async function reconcileWorkOrderLabels(
  tx: Tx,
  workOrderId: string,
  jobs: ReadonlyArray<ReconcileLabelsBody & { jobId: string }>,
): Promise<WorkOrderLabels> {
  const errors = jobs.flatMap((j, i) => countErrors(j, `/body/jobs/${i}`));
  if (errors.length) throw invalidFields('the reconciliation is not complete', errors, 'error.validation');
  const loaded: Array<[LabelJob, ReconcileLabelsBody]> = [];
  for (const counts of jobs) {
    const job = await getLabelJob(tx, counts.jobId, { lock: true });
    if (job.link?.kind !== 'work_order' || job.link.id !== workOrderId) {
      throw new NotFound(`label print job ${job.number} was not printed for this work order`, {
        code: 'error.traceability.label.notFound',
        params: { id: counts.jobId },
      });
    }
    const refusal = balanceRefusal(job, counts);
    if (refusal) throw refusal;
    loaded.push([job, counts]);
  }
  for (const [job, counts] of loaded) await closeJob(tx, job, counts);
  return labelsOfWorkOrder(tx, workOrderId);
}

/** Whether a job's labels may reach product without a passed inspection (a failed job's are all destroyed). */
export const needsInspection = (job: LabelJob): boolean =>
  job.inspection?.result !== 'pass' && !(job.status === 'reconciled' && job.quantityUsed === 0);

/**
 * The labels printed for a work order, for its device history record: each job with its lots or
 * serials, level, printed, used, destroyed, reconciled or not, inspected or not, who and when, and
 * the totals.
 */
export async function labelsOfWorkOrder(tx: Tx, workOrderId: string): Promise<WorkOrderLabels> {
  const { rows } = await tx.query<LabelJob>(
    sql`${raw(SELECT_JOBS)} WHERE j.link_kind = 'work_order' AND j.link_id = ${workOrderId} ORDER BY j.printed_at, j.id`,
  );
  const sum = (f: (j: LabelJob) => number) => rows.reduce((s, j) => s + f(j), 0);
  const open = rows.filter((j) => j.status !== 'reconciled').length;
  return {
    workOrderId,
    jobs: rows,
    totals: {
      jobs: rows.length,
      printed: sum((j) => j.quantityPrinted),
      used: sum((j) => j.quantityUsed ?? 0),
      destroyed: sum((j) => j.quantityDestroyed ?? 0),
      open,
      reconciled: open === 0,
      uninspected: rows.filter(needsInspection).length,
    },
  };
}

/** The manufacturer named on labels and in the UDI export: the tenant (the legal manufacturer of record). */
export async function manufacturerName(tx: Tx): Promise<string> {
  const { rows } = await tx.query<{ name: string }>(sql`SELECT name FROM tenants WHERE id = mf_current_tenant()`);
  return rows[0]?.name ?? '';
}
