import { sha256Hex } from '../crypto.js';
import { canonicalJson } from '../esign/canonical.js';
import type { SignatureMeaning } from '../esign/contract.js';

/**
 * A printable regulated record (Part 11 §11.10(b): an accurate and complete copy in
 * human-readable form), described as data, not drawing calls. Labels are catalog keys and
 * values are typed (a date, a time, a decimal), so the same model prints in English or Chinese
 * and its content hash does not depend on who prints it, when, or in which language.
 */

/** A piece of text on the page: data as it is (a string), or something the reader's language formats. */
export type Text =
  /** Shown verbatim: a number, a name, a code. */
  | string
  /** A catalog key with its parameters (each itself text). */
  | { key: string; params?: Readonly<Record<string, Text>> | undefined }
  /** A calendar date, 'YYYY-MM-DD'. */
  | { date: string }
  /** An instant (ISO 8601), shown in the record's time zone with its offset. */
  | { dateTime: string }
  /** An exact decimal string, grouped in the reader's convention; with its unit or currency after it. */
  | { decimal: string; unit?: string | undefined };

/** A catalog key with its parameters, as printable text: `textKey('sales.print.customer')`. */
export const textKey = (key: string, params?: Readonly<Record<string, Text>>): Text => ({ key, ...(params ? { params } : {}) });

/** A label/value pair. */
export interface Field {
  label: Text;
  value: Text | null;
}

export interface TableColumn {
  label: Text;
  /** Share of the line width (weights, summed over the columns); default 1. */
  width?: number | undefined;
  align?: 'left' | 'right' | undefined;
}

export type Block =
  | { kind: 'fields'; fields: readonly Field[] }
  /** Cells wrap; the header row repeats at the top of every page the table runs onto. */
  | { kind: 'table'; columns: readonly TableColumn[]; rows: readonly (readonly (Text | null)[])[]; empty?: Text | undefined }
  | { kind: 'paragraph'; text: Text };

export interface Section {
  heading: Text;
  blocks: readonly Block[];
}

/** A signature as printed (Part 11 §11.50): printed name, date and time with offset, meaning, the signature's id. */
export interface SignatureEntry {
  id: string;
  /** What the signature is on, when the record carries signatures of several parts (the inspection of a receipt). */
  on?: Text | undefined;
  name: string;
  login: string;
  meaning: SignatureMeaning;
  signedAt: string;
  comment: string | null;
  /** False when the record changed after signing. */
  valid: boolean;
}

export interface RecordDocument {
  /** The kind of record, e.g. `{ key: 'purchasing.print.order' }`. */
  recordType: Text;
  /** Human number, e.g. PO-2026-00012. */
  number: string;
  /** The record's id (UUID). */
  recordId: string;
  status: Text;
  tenant: string;
  site: string;
  /** IANA zone every instant of the record is shown in (the record's site). */
  timeZone: string;
  /** The header: label/value pairs under the title. */
  fields: readonly Field[];
  sections: readonly Section[];
  signatures: readonly SignatureEntry[];
}

/**
 * The footer's content hash: SHA-256 (hex) of the canonical JSON of the record document —
 * object keys sorted, no undefined members, decimals and dates as the exact strings the model
 * holds (`canonicalJson`, the same rule as signed content). The document holds catalog keys and
 * typed values, not the words of one language, and not the time of printing, the person
 * printing or the page numbers; so every print of the same record carries the same hash, in
 * either language, and any change to what the record says changes it.
 */
export function documentHash(doc: RecordDocument): string {
  return sha256Hex(canonicalJson(doc));
}
