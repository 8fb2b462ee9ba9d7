import { sql, type Tx } from '../db/index.js';
import { listSignatures } from './signatures.js';
import type { Signature } from './types.js';

/** Translation key of a meaning's label, e.g. `esign.meaning.approved`. */
export const meaningLabelCode = (meaning: string): string => `esign.meaning.${meaning}`;

const ENGLISH_LABELS: Record<string, string> = {
  authored: 'Authored',
  reviewed: 'Reviewed',
  approved: 'Approved',
  released: 'Released',
  verified: 'Verified',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

export interface Manifestation {
  /** English text, e.g. "Signed by Li Wei (liwei), 2026-11-22 14:03:11 +08:00, Meaning: Approved". */
  text: string;
  /** For other languages: `esign.manifestation` with these params; `meaning` is itself a code. */
  code: 'esign.manifestation';
  params: { name: string; login: string; time: string; meaning: string };
}

/** "2026-11-22 14:03:11 +08:00": the local time of the zone with its offset. */
export function formatSignedAt(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${offset}`;
}

/** The signature's manifestation (Part 11 §11.50): printed name, date and time, meaning. */
export function manifestSignature(sig: Pick<Signature, 'signer' | 'signedAt' | 'meaning'>, timeZone: string): Manifestation {
  const time = formatSignedAt(sig.signedAt, timeZone);
  const label = ENGLISH_LABELS[sig.meaning] ?? sig.meaning;
  return {
    text: `Signed by ${sig.signer.name} (${sig.signer.login}), ${time}, Meaning: ${label}`,
    code: 'esign.manifestation',
    params: { name: sig.signer.name, login: sig.signer.login, time, meaning: meaningLabelCode(sig.meaning) },
  };
}

/** The time zone signatures are shown in: the context's site, else UTC. */
export async function displayTimeZone(tx: Tx): Promise<string> {
  const { rows } = await tx.query<{ tz: string }>(sql`SELECT time_zone AS tz FROM sites WHERE id = mf_current_site()`);
  return rows[0]?.tz ?? 'UTC';
}

/** A signature as people read it: with its manifestation in the site's time zone. */
export type ManifestedSignature = Signature & { manifestation: Manifestation };

/** Each signature with its manifestation; the site's time zone is read once, and only when there is one. */
export async function withManifestations(tx: Tx, signatures: readonly Signature[]): Promise<ManifestedSignature[]> {
  if (signatures.length === 0) return [];
  const timeZone = await displayTimeZone(tx);
  return signatures.map((s) => ({ ...s, manifestation: manifestSignature(s, timeZone) }));
}

/** A record's signatures with their validity and manifestation (Part 11 §11.50), oldest first. */
export async function manifestedSignatures(tx: Tx, entity: string, id: string): Promise<ManifestedSignature[]> {
  return withManifestations(tx, await listSignatures(tx, entity, id));
}
