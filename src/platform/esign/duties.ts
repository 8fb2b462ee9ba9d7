import { withChangeReason } from '../audit/reason.js';
import { recordSecurityEvent } from '../audit/trail.js';
import { sql, type Tx } from '../db/index.js';
import { BadRequest, Conflict } from '../errors.js';
import type { TenantContext } from '../tenancy/index.js';
import type { SignatureMeaning } from './contract.js';

/**
 * Separation of duties in signed steps (Part 11 §11.10(g)): each signature meaning of a record
 * type declares named rules, each naming the people who may not give that signature (the
 * creator of a purchase order may not approve it). A tenant may relax a rule for one meaning of
 * one record type, with a reason; the setting and every signature it lets through are in the
 * audit trail.
 */

/** The rules a signature can declare; each excludes people the record itself names. */
export const DUTY_RULES = [
  'notAuthor',
  'notCreator',
  'notResultsRecorder',
  'notLastContentEditor',
  'notReceiver',
  'notReviewer',
  'notPrinter',
] as const;
export type DutyRule = (typeof DUTY_RULES)[number];

export const DUTY_ENFORCEMENTS = ['enforce', 'relax'] as const;
export type DutyEnforcement = (typeof DUTY_ENFORCEMENTS)[number];

/** A rule as a signature declares it: which people of the record it excludes. */
export interface Duty<R> {
  rule: DutyRule;
  persons(record: R): ReadonlyArray<string | null | undefined>;
}

/** A rule resolved on one record: the people it excludes. */
export interface DutyCheck {
  rule: DutyRule;
  userIds: readonly string[];
}

/** The record and step a signature is for, as people read them in a refusal. */
export interface DutySubject {
  /** How the record is named in English messages, e.g. `purchase order PO-2026-00012`. */
  label: string;
  /** The record's number as people know it, e.g. `PO-2026-00012`, for translated messages. */
  reference: string;
  /** The step being signed, e.g. `approve`. */
  step: string;
}

const REFUSALS: Record<DutyRule, (s: DutySubject) => string> = {
  notAuthor: (s) => `the author of ${s.label} cannot ${s.step} it`,
  notCreator: (s) => `the person who created ${s.label} cannot ${s.step} it`,
  notResultsRecorder: (s) => `the person who recorded the results of ${s.label} cannot ${s.step} it`,
  notLastContentEditor: (s) => `the last editor of the content of ${s.label} cannot ${s.step} it`,
  notReceiver: (s) => `the person who received the goods of ${s.label} cannot ${s.step} them`,
  notReviewer: (s) => `the person who reviewed ${s.label} cannot ${s.step} it`,
  notPrinter: (s) => `the person who printed ${s.label} cannot ${s.step}`,
};

/** One declared rule of one signature meaning of one record type. */
export interface DeclaredDuty {
  entity: string;
  meaning: SignatureMeaning;
  rule: DutyRule;
  /** The step the signature is given for, e.g. `approve`. */
  step: string;
}

const declared = new Map<string, DeclaredDuty>();
const dutyKey = (d: { entity: string; meaning: string; rule: string }) => `${d.entity}|${d.meaning}|${d.rule}`;

/** Declares a rule; state machines do this for their signed steps when they are defined. */
export function declareDuty(duty: DeclaredDuty): void {
  if (!declared.has(dutyKey(duty))) declared.set(dutyKey(duty), duty);
}

/** Every declared rule, by record type, meaning and rule. */
export function declaredDuties(): DeclaredDuty[] {
  return [...declared.values()].sort((a, b) => dutyKey(a).localeCompare(dutyKey(b)));
}

/** Resolves a signature's rules on a record: the people each excludes (empty names are skipped). */
export function resolveDuties<R>(duties: ReadonlyArray<Duty<R>> | undefined, record: R): DutyCheck[] {
  return (duties ?? []).map((d) => ({ rule: d.rule, userIds: d.persons(record).filter((p): p is string => !!p) }));
}

export interface DutySetting extends DeclaredDuty {
  enforcement: DutyEnforcement;
  reason: string | null;
  changedBy: string | null;
  changedAt: string | null;
}

interface SettingRow {
  entity: string;
  meaning: string;
  rule: string;
  enforcement: DutyEnforcement;
  reason: string;
  changed_by_name: string;
  changed_at: string;
}

/** The tenant's setting for every declared rule: enforced unless relaxed. */
export async function listDutySettings(tx: Tx): Promise<DutySetting[]> {
  const { rows } = await tx.query<SettingRow>(
    sql`SELECT entity, meaning, rule, enforcement, reason, changed_by_name, changed_at FROM esign_duty_settings`,
  );
  const byKey = new Map(rows.map((r) => [dutyKey(r), r]));
  return declaredDuties().map((d) => {
    const row = byKey.get(dutyKey(d));
    return {
      ...d,
      enforcement: row?.enforcement ?? 'enforce',
      reason: row?.reason ?? null,
      changedBy: row?.changed_by_name ?? null,
      changedAt: row?.changed_at ?? null,
    };
  });
}

/**
 * Enforces or relaxes one declared rule for the tenant. The reason is required and kept with the
 * setting; the change is audited (who, when, old → new, why).
 */
export async function setDutyEnforcement(
  tx: Tx,
  ctx: TenantContext,
  input: { entity: string; meaning: string; rule: string; enforcement: DutyEnforcement; reason: string },
): Promise<DutySetting> {
  const duty = declared.get(dutyKey(input));
  if (!duty) {
    throw new BadRequest(`no separation-of-duties rule ${input.rule} is declared for ${input.entity} signed as ${input.meaning}`, {
      code: 'error.esign.dutyUnknown',
      params: { entity: input.entity, meaning: input.meaning, rule: input.rule },
    });
  }
  await withChangeReason(tx, input.reason, () =>
    tx.query(
      sql`INSERT INTO esign_duty_settings (entity, meaning, rule, enforcement, reason, changed_by, changed_by_name)
       VALUES (${duty.entity}, ${duty.meaning}, ${duty.rule}, ${input.enforcement}, ${input.reason}, ${ctx.actor.id}, ${ctx.actor.name})
       ON CONFLICT (tenant_id, entity, meaning, rule) DO UPDATE
         SET enforcement = EXCLUDED.enforcement, reason = EXCLUDED.reason, changed_by = EXCLUDED.changed_by,
             changed_by_name = EXCLUDED.changed_by_name, changed_at = now()`,
    ),
  );
  const setting = (await listDutySettings(tx)).find((s) => dutyKey(s) === dutyKey(duty));
  return setting as DutySetting;
}

async function isRelaxed(tx: Tx, entity: string, meaning: string, rule: string): Promise<boolean> {
  const { rows } = await tx.query<{ enforcement: DutyEnforcement }>(
    sql`SELECT enforcement FROM esign_duty_settings WHERE entity = ${entity} AND meaning = ${meaning} AND rule = ${rule}`,
  );
  return rows[0]?.enforcement === 'relax';
}

/**
 * Refuses the signer when a rule of the signature excludes them (409 naming the rule), unless the
 * tenant relaxed that rule: then the signature goes through and the trail records that it did.
 */
export async function assertSeparationOfDuties(
  tx: Tx,
  signer: { userId: string; printedName: string },
  sig: { entity: string; id: string; meaning: SignatureMeaning },
  checks: readonly DutyCheck[],
  subject: DutySubject,
): Promise<void> {
  for (const check of checks) {
    if (!check.userIds.includes(signer.userId)) continue;
    if (await isRelaxed(tx, sig.entity, sig.meaning, check.rule)) {
      await recordSecurityEvent(tx, {
        action: 'signature.duty_relaxed',
        subject: { kind: 'user', id: signer.userId, name: signer.printedName },
        detail: { entity: sig.entity, recordId: sig.id, meaning: sig.meaning, rule: check.rule, record: subject.reference },
      });
      continue;
    }
    throw new Conflict(`separation of duties (${check.rule}): ${REFUSALS[check.rule](subject)}`, {
      code: 'error.esign.separationOfDuties',
      // `context` selects the rule's own sentence in the translation catalogs.
      params: { rule: check.rule, meaning: sig.meaning, record: subject.reference, step: subject.step, context: check.rule },
      extensions: { rule: check.rule, meaning: sig.meaning },
    });
  }
}
