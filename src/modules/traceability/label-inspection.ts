import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict, DomainError, type FieldError, invalidFields } from '../../platform/errors.js';
import { declareDuty, defineSignable, type SignerVerifier, sign } from '../../platform/esign/index.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import {
  type InspectLabelsBody,
  type LabelFinding,
  type LabelFindingField,
  type LabelJob,
  type LabelUnit,
  TRACEABILITY_EVENTS,
  TRACEABILITY_PERMISSIONS,
} from './contract.js';
import type { Gs1Data } from './gs1.js';
import { parseElementString } from './gs1.js';
import { getLabelJob } from './labels.js';
import { decodeScan } from './scan.js';
import { type UdiUnit, udiData } from './udi.js';

/**
 * Label inspection before use (21 CFR 820.45(a)): the labels of a print job are examined for
 * accuracy and the examination is signed (meaning verified) by someone other than the person who
 * printed them (rule notPrinter). The system re-derives every unit's UDI from what its lot or
 * serial says now and compares it field by field with the UDI as printed, so a date changed since
 * printing fails the job; the inspector adds what only a person can judge (legible, scans) and may
 * scan one label, which is compared with the job. A failed job's labels are destroyed, none used.
 */

declareDuty({ entity: 'label_inspections', meaning: 'verified', rule: 'notPrinter', step: 'inspect the labels' });

/** The signed content: the job and its units as printed, the checks, the result and every finding. */
export const labelInspectionSignable = defineSignable({
  entity: 'label_inspections',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT i.job_id AS "jobId", j.number, i.result, i.print_legible AS "printLegible", i.barcode_scans AS "barcodeScans",
              i.scanned, i.remarks,
              (SELECT json_agg(json_build_object('position', u.position, 'udi', u.udi) ORDER BY u.position)
                 FROM label_print_units u WHERE u.job_id = i.job_id) AS units,
              coalesce((SELECT json_agg(json_build_object('position', f.position, 'field', f.field, 'onLabel', f.on_label,
                          'expected', f.expected) ORDER BY f.seq)
                 FROM label_inspection_findings f WHERE f.inspection_id = i.id), '[]') AS findings
         FROM label_inspections i JOIN label_print_jobs j ON j.id = i.job_id WHERE i.id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'verified' ? TRACEABILITY_PERMISSIONS.signVerified : undefined),
});

/** What a unit's lot or serial and its level's GTIN say now, as the inspect-labels flow resolved them. */
export interface CurrentLabelData {
  /** The GTIN of the job's packaging level today; null when the level has none any more. */
  gtin: string | null;
  lots: ReadonlyMap<string, Omit<UdiUnit, 'gtin'>>;
}

const COMPARED: ReadonlyArray<[LabelFindingField, (d: Gs1Data) => string | undefined]> = [
  ['gtin', (d) => d.gtin],
  ['lot', (d) => d.batch],
  ['serial', (d) => d.serial],
  ['expiry', (d) => d.expiryDate],
  ['production', (d) => d.productionDate],
];

/** The fields where two readings of a UDI differ. */
function differences(onLabel: Gs1Data, expected: Gs1Data, position: number | null): LabelFinding[] {
  return COMPARED.flatMap(([field, of]) =>
    of(onLabel) === of(expected) ? [] : [{ position, field, onLabel: of(onLabel) ?? null, expected: of(expected) ?? null }],
  );
}

/** Every unit's UDI as printed against the UDI its lot or serial gives today. */
function unitFindings(units: readonly LabelUnit[], current: CurrentLabelData): LabelFinding[] {
  return units.flatMap((unit, i) => {
    const printed = parseElementString(unit.udi);
    const lot = current.lots.get(unit.lotId);
    const expected: Gs1Data = lot ? udiData({ ...lot, gtin: current.gtin ?? '' }) : {};
    if (!current.gtin) delete expected.gtin;
    return differences(printed, expected, i + 1);
  });
}

/** The inspector's scan against the job's unit of the same lot or serial (the scan is decoded beforehand). */
function scanFindings(scanned: Gs1Data, units: readonly LabelUnit[]): LabelFinding[] {
  const index = units.findIndex((u) => {
    const printed = parseElementString(u.udi);
    return printed.gtin === scanned.gtin && (printed.batch ?? printed.serial) === (scanned.batch ?? scanned.serial);
  });
  if (index < 0) {
    return [
      { position: null, field: 'scan', onLabel: [scanned.gtin, scanned.batch ?? scanned.serial].filter(Boolean).join(' '), expected: null },
    ];
  }
  return differences(scanned, parseElementString(units[index]!.udi), index + 1);
}

/** Input objections, all at once: an unreadable scan, remarks missing where the inspector failed a check. */
function decodeInput(input: InspectLabelsBody): { scanned: Gs1Data | null } {
  const errors: FieldError[] = [];
  let scanned: Gs1Data | null = null;
  if (input.scan !== undefined) {
    try {
      scanned = decodeScan(input.scan).data;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      errors.push({
        pointer: '/body/scan',
        message: err.message,
        code: err.code ?? 'error.validation',
        ...(err.params ? { params: err.params } : {}),
      });
    }
  }
  if ((!input.printLegible || !input.barcodeScans) && !input.remarks?.trim()) {
    errors.push({
      pointer: '/body/remarks',
      message: 'say what is wrong with the labels',
      code: 'error.traceability.label.remarksRequired',
    });
  }
  if (errors.length) throw invalidFields('the inspection cannot be recorded', errors, 'error.validation');
  return { scanned };
}

/**
 * Inspects a job's labels and signs the inspection. Refused (409) when the job is already
 * inspected, or by the person who printed it; nothing is written then.
 */
export async function inspectLabelJob(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  jobId: string,
  current: CurrentLabelData,
  input: InspectLabelsBody,
): Promise<LabelJob> {
  const { scanned } = decodeInput(input);
  const job = await getLabelJob(tx, jobId, { lock: true });
  if (job.inspection) {
    throw new Conflict(`label print job ${job.number} is already inspected`, {
      code: 'error.traceability.label.alreadyInspected',
      params: { number: job.number },
    });
  }
  const findings = [...unitFindings(job.units, current), ...(scanned ? scanFindings(scanned, job.units) : [])];
  const result = findings.length === 0 && input.printLegible && input.barcodeScans ? 'pass' : 'fail';
  const id = uuidv7();
  await tx.query(sql`INSERT INTO label_inspections (id, job_id, result, print_legible, barcode_scans, scanned, remarks, inspected_by_id, inspected_by_name)
    VALUES (${id}, ${job.id}, ${result}, ${input.printLegible}, ${input.barcodeScans}, ${input.scan?.trim() || null}, ${input.remarks?.trim() || null},
      nullif(current_setting('app.actor_id', true), ''), coalesce(nullif(current_setting('app.actor_name', true), ''), 'system'))`);
  if (findings.length) {
    await tx.query(sql`INSERT INTO label_inspection_findings (inspection_id, seq, position, field, on_label, expected)
      SELECT ${id}, f.seq, f.position, f.field, f.on_label, f.expected
      FROM unnest(${findings.map((_, i) => i + 1)}::int[], ${findings.map((f) => f.position)}::int[], ${findings.map((f) => f.field)}::text[],
        ${findings.map((f) => f.onLabel)}::text[], ${findings.map((f) => f.expected)}::text[]) AS f(seq, position, field, on_label, expected)`);
  }
  await sign(tx, ctx, verifier, {
    entity: 'label_inspections',
    id,
    meaning: 'verified',
    credentials: { password: input.password, totpCode: input.totpCode },
    comment: input.comment,
    duties: [{ rule: 'notPrinter', userIds: job.printedBy.id ? [job.printedBy.id] : [] }],
    subject: { label: `label print job ${job.number}`, reference: job.number, step: 'inspect the labels' },
  });
  await publish(tx, TRACEABILITY_EVENTS.labelsInspected, {
    aggregateId: job.id,
    data: {
      number: job.number,
      itemId: job.itemId,
      quantityPrinted: job.quantityPrinted,
      link: job.link,
      result,
      findings: findings.length,
    },
  });
  return getLabelJob(tx, job.id);
}
