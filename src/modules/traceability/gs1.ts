/**
 * GS1 element strings for UDI and logistic labels (GS1 General Specifications; every AI of the GS1
 * Barcode Syntax Dictionary, see gs1-ais.ts): parse and generate the barcode data string with GS
 * (FNC1) separators and the human-readable "(01)…(17)…" form, each element checked for length,
 * character set, check digit, date and the AI's mandatory and invalid companions. The AIs UDI
 * labels use most are also decoded into typed fields; every element is listed as read.
 * GS1 Digital Link URIs are in gs1-digital-link.ts.
 */
import { BadRequest } from '../../platform/errors.js';
import { isGtin } from '../masterdata/index.js';
import { aiMatches, type Gs1AiDefinition, type Gs1Component, gs1Ai, gs1AiAt } from './gs1-ais.js';
import { brokenLint, CSET_82, lintFailureOf } from './gs1-lint.js';

/** One element as read: the AI, its data as carried in the barcode, its GS1 data title. */
export interface Gs1Element {
  ai: string;
  value: string;
  title: string;
  /** For AIs whose last digit places the decimal point (310n–369n, 390n–395n): the number, e.g. "1.250". */
  decimal?: string;
}

/** Decoded content of one GS1 data carrier. Dates are ISO 8601; (17)/(11) day 00 decodes to the month's last day. */
export interface Gs1Data {
  sscc?: string;
  gtin?: string;
  contentGtin?: string;
  batch?: string;
  productionDate?: string;
  expiryDate?: string;
  serial?: string;
  variableCount?: number;
  count?: number;
  /** 'YYYY-MM-DDTHH:MM' */
  expiryDateTime?: string;
  /** Every element read, typed fields included, in the order read. */
  elements?: Gs1Element[];
}
export type Gs1Field = Exclude<keyof Gs1Data, 'elements'>;

/** What generation takes: typed fields and/or elements of any AI given by their raw data. */
export type Gs1Input = Omit<Gs1Data, 'elements'> & { elements?: readonly Pick<Gs1Element, 'ai' | 'value'>[] };

/** The group separator that stands for FNC1 after a variable-length element. */
export const GS = '\x1D';

export interface Gs1Options {
  /** Reference date for the GS1 century rule of YYMMDD dates; defaults to now. */
  today?: Date;
}

export type Gs1ErrorCode =
  | 'error.gs1.characterSet'
  | 'error.gs1.checkDigit'
  | 'error.gs1.countryCode'
  | 'error.gs1.date'
  | 'error.gs1.digitalLink'
  | 'error.gs1.digitalLinkAttribute'
  | 'error.gs1.digitalLinkNoKey'
  | 'error.gs1.digitalLinkNotQualifier'
  | 'error.gs1.digitalLinkQualifierOrder'
  | 'error.gs1.digitalLinkScheme'
  | 'error.gs1.digitalLinkShortGtin'
  | 'error.gs1.duplicateAi'
  | 'error.gs1.exclusiveAi'
  | 'error.gs1.length'
  | 'error.gs1.missingAi'
  | 'error.gs1.numeric'
  | 'error.gs1.separator'
  | 'error.gs1.symbology'
  | 'error.gs1.syntax'
  | 'error.gs1.time'
  | 'error.gs1.unknownAi'
  | 'error.gs1.unknownField'
  | 'error.gs1.value';

export function gs1Error(code: Gs1ErrorCode, detail: string, params: Record<string, string | number> = {}): BadRequest {
  return new BadRequest(detail, { code, params });
}

const LINT_FAILURE_CODES = {
  checkDigit: 'error.gs1.checkDigit',
  date: 'error.gs1.date',
  time: 'error.gs1.time',
  countryCode: 'error.gs1.countryCode',
  value: 'error.gs1.value',
} as const;

// ---------------------------------------------------------------------------------------------
// Elements: one AI and its raw data, checked against the AI's definition

export interface Element {
  def: Gs1AiDefinition;
  raw: string;
}

const CHARSETS: Record<Gs1Component['charset'], RegExp> = {
  N: /^\d*$/,
  X: new RegExp(`^[${CSET_82.replace(/[\\\]^-]/g, '\\$&')}]*$`),
  Y: /^[#\-/0-9A-Z]*$/,
  Z: /^[-0-9A-Z_a-z]*=*$/,
};

function lengthText(def: Gs1AiDefinition): string {
  if (def.fixedLength !== undefined) return `${def.fixedLength}`;
  const min = def.components.reduce((sum, c) => sum + (c.optional ? 0 : c.min), 0);
  return `${min} to ${def.components.reduce((sum, c) => sum + c.max, 0)}`;
}

/** Applies each component of the AI's data in turn, consuming its length, and its content rules. */
export function checkElement({ def, raw }: Element): void {
  const { ai } = def;
  const tooLongOrShort = () =>
    gs1Error('error.gs1.length', `(${ai}) needs ${lengthText(def)} characters, got ${raw.length}`, {
      ai,
      value: raw,
      expected: lengthText(def),
    });
  let at = 0;
  for (const component of def.components) {
    const rest = raw.length - at;
    if (rest === 0 && component.optional) break;
    if (rest < component.min) throw tooLongOrShort();
    const part = raw.slice(at, at + Math.min(rest, component.max));
    at += part.length;
    if (!CHARSETS[component.charset].test(part)) {
      if (component.charset === 'N') {
        throw gs1Error('error.gs1.numeric', `(${ai}) must be digits, got ${JSON.stringify(part)}`, { ai, value: raw });
      }
      throw gs1Error('error.gs1.characterSet', `(${ai}) may only use GS1 character set ${component.charset}, got ${JSON.stringify(part)}`, {
        ai,
        value: raw,
        charset: component.charset,
      });
    }
    const lint = brokenLint(component.lints, part);
    if (lint) {
      throw gs1Error(LINT_FAILURE_CODES[lintFailureOf(lint)], `(${ai}) ${JSON.stringify(part)} breaks the GS1 rule ${lint}`, {
        ai,
        value: raw,
        rule: lint,
      });
    }
  }
  if (at < raw.length || raw.length === 0) throw tooLongOrShort();
}

/** The number an AI with a decimal-point digit carries, e.g. (3103) 001250 → "1.250". */
function decimalOf({ def, raw }: Element): string | undefined {
  if (!def.decimalPoint) return undefined;
  const places = Number(def.ai.at(-1));
  const digits = raw.slice(def.components.length > 1 ? def.components[0]!.max : 0).padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places).replace(/^0+(?=\d)/, '');
  return places === 0 ? whole : `${whole}.${digits.slice(digits.length - places)}`;
}

/** Drops repeats of an element with the same data (GS1 allows them) and refuses repeats with other data. */
function withoutRepeats(elements: readonly Element[]): Element[] {
  const seen = new Map<string, string>();
  const out: Element[] = [];
  for (const element of elements) {
    const earlier = seen.get(element.def.ai);
    if (earlier === element.raw) continue;
    if (earlier !== undefined) {
      throw gs1Error('error.gs1.duplicateAi', `(${element.def.ai}) appears twice with different data`, { ai: element.def.ai });
    }
    seen.set(element.def.ai, element.raw);
    out.push(element);
  }
  return out;
}

/** Mandatory and invalid AI pairings ("req" and "ex" in the syntax dictionary). */
function checkPairings(elements: readonly Element[]): void {
  const present = elements.map((e) => e.def.ai);
  const has = (pattern: string) => present.some((ai) => aiMatches(ai, pattern));
  for (const { def } of elements) {
    if (def.requires.length > 0 && !def.requires.some((group) => group.every(has))) {
      const needed = def.requires.map((group) => group.map((ai) => `(${ai})`).join('+')).join(' or ');
      throw gs1Error('error.gs1.missingAi', `(${def.ai}) requires ${needed}`, { ai: def.ai, requires: needed });
    }
    for (const pattern of def.excludes) {
      const clash = present.find((ai) => ai !== def.ai && aiMatches(ai, pattern));
      if (clash) throw gs1Error('error.gs1.exclusiveAi', `(${def.ai}) cannot be used with (${clash})`, { ai: def.ai, with: clash });
    }
  }
}

/** Checks everything read from one carrier and answers its typed fields and element list. */
export function toData(elements: readonly Element[], opts: Gs1Options): Gs1Data {
  const unique = withoutRepeats(elements);
  for (const element of unique) checkElement(element);
  checkPairings(unique);
  const data: Gs1Data = {};
  for (const element of unique) {
    const typed = TYPED_BY_AI.get(element.def.ai);
    if (typed) Object.assign(data, { [typed.field]: decodeTyped(typed, element.raw, opts) });
  }
  data.elements = unique.map((element) => {
    const decimal = decimalOf(element);
    const listed: Gs1Element = { ai: element.def.ai, value: element.raw, title: element.def.title };
    return decimal === undefined ? listed : { ...listed, decimal };
  });
  return data;
}

/** Turns data to generate into checked elements, in the order a barcode carries them. */
export function toElements(input: Gs1Input, opts: Gs1Options): Element[] {
  const unknown = Object.keys(input).filter((key) => key !== 'elements' && !TYPED_BY_FIELD.has(key as Gs1Field));
  if (unknown.length > 0) {
    throw gs1Error('error.gs1.unknownField', `no GS1 AI for ${unknown.join(', ')}`, { field: unknown.join(', ') });
  }
  const elements: Element[] = [];
  for (const typed of TYPED) {
    const value = input[typed.field];
    if (value != null) elements.push({ def: gs1Ai(typed.ai)!, raw: encodeTyped(typed, value, opts) });
  }
  for (const { ai, value } of input.elements ?? []) {
    const def = gs1Ai(ai);
    if (!def) throw gs1Error('error.gs1.unknownAi', `(${ai}) is not a GS1 application identifier`, { ai });
    elements.push({ def, raw: value });
  }
  const unique = withoutRepeats(elements);
  for (const element of unique) checkElement(element);
  for (const element of unique) {
    const typed = TYPED_BY_AI.get(element.def.ai);
    if (typed) decodeTyped(typed, element.raw, opts); // the same checks a reader applies
  }
  checkPairings(unique);
  return unique.sort((a, b) => rank(a.def) - rank(b.def) || (a.def.ai < b.def.ai ? -1 : a.def.ai > b.def.ai ? 1 : 0));
}

/** Predefined-length AIs first, then other fixed-length ones, variable-length ones last (the last needs no FNC1). */
function rank(def: Gs1AiDefinition): number {
  return def.predefined ? 0 : def.fixedLength !== undefined ? 1 : 2;
}

// ---------------------------------------------------------------------------------------------
// Typed fields: the AIs of UDI and logistic labels, decoded to dates and numbers

type Kind = 'key' | 'date' | 'dateTime' | 'text' | 'count';
interface Typed {
  ai: string;
  field: Gs1Field;
  kind: Kind;
}
const TYPED: readonly Typed[] = [
  { ai: '00', field: 'sscc', kind: 'key' },
  { ai: '01', field: 'gtin', kind: 'key' },
  { ai: '02', field: 'contentGtin', kind: 'key' },
  { ai: '10', field: 'batch', kind: 'text' },
  { ai: '11', field: 'productionDate', kind: 'date' },
  { ai: '17', field: 'expiryDate', kind: 'date' },
  { ai: '21', field: 'serial', kind: 'text' },
  { ai: '30', field: 'variableCount', kind: 'count' },
  { ai: '37', field: 'count', kind: 'count' },
  { ai: '7003', field: 'expiryDateTime', kind: 'dateTime' },
];
const TYPED_BY_AI = new Map(TYPED.map((t) => [t.ai, t]));
const TYPED_BY_FIELD = new Map(TYPED.map((t) => [t.field, t]));

function decodeTyped({ ai, kind }: Typed, raw: string, opts: Gs1Options): string | number {
  switch (kind) {
    case 'key':
      if (raw.length === 14 && !isGtin(raw)) throw gs1Error('error.gs1.checkDigit', `(${ai}) ${raw} is not a GTIN`, { ai, value: raw });
      return raw;
    case 'text':
      return raw;
    case 'count':
      return Number(raw);
    case 'date':
      return decodeDate(ai, raw, opts, true);
    case 'dateTime':
      return `${decodeDate(ai, raw.slice(0, 6), opts, false)}T${raw.slice(6, 8)}:${raw.slice(8, 10)}`;
  }
}

/** GTIN-8, -12 and -13 stand for the GTIN-14 with leading zeros; the check digit is verified on decoding. */
function asGtin14(gtin: string): string {
  return /^(\d{8}|\d{12,13})$/.test(gtin) ? gtin.padStart(14, '0') : gtin;
}

function encodeTyped({ ai, kind }: Typed, value: string | number, opts: Gs1Options): string {
  const text = String(value);
  switch (kind) {
    case 'key':
      return ai === '00' ? text : asGtin14(text);
    case 'count':
      if (!Number.isSafeInteger(value) || (value as number) < 0) {
        throw gs1Error('error.gs1.numeric', `(${ai}) must be a whole number, got ${text}`, { ai, value: text });
      }
      return text;
    case 'date':
      return encodeDate(ai, text, opts);
    case 'dateTime': {
      const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(text);
      if (!match) {
        throw gs1Error('error.gs1.time', `(${ai}) needs a date and time as YYYY-MM-DDTHH:MM, got ${text}`, { ai, value: text });
      }
      return `${encodeDate(ai, match[1]!, opts)}${match[2]}${match[3]}`;
    }
    case 'text':
      return text;
  }
}

/** YYMMDD with the GS1 century rule (General Specifications 7.12); DD 00 is the month's last day where allowed. */
function decodeDate(ai: string, raw: string, opts: Gs1Options, dayZeroAllowed: boolean): string {
  const [yy, mm, dd] = [Number(raw.slice(0, 2)), Number(raw.slice(2, 4)), Number(raw.slice(4, 6))];
  const thisYear = (opts.today ?? new Date()).getUTCFullYear();
  const difference = yy - (thisYear % 100);
  const century = Math.floor(thisYear / 100) + (difference >= 51 ? -1 : difference <= -50 ? 1 : 0);
  const year = century * 100 + yy;
  const lastDay = mm >= 1 && mm <= 12 ? new Date(Date.UTC(year, mm, 0)).getUTCDate() : 0;
  if (lastDay === 0 || dd > lastDay || (dd === 0 && !dayZeroAllowed)) {
    throw gs1Error('error.gs1.date', `(${ai}) ${raw} is not a valid YYMMDD date`, { ai, value: raw, rule: 'yymmdd' });
  }
  return `${year}-${raw.slice(2, 4)}-${String(dd === 0 ? lastDay : dd).padStart(2, '0')}`;
}

function encodeDate(ai: string, isoDate: string, opts: Gs1Options): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const raw = match ? `${match[1]!.slice(2)}${match[2]}${match[3]}` : '';
  // Refuse dates that are invalid or that the century rule would read back as another year.
  if (!match || match[3] === '00' || decodeDate(ai, raw, opts, false) !== isoDate) {
    throw gs1Error('error.gs1.date', `(${ai}) needs a date as YYYY-MM-DD within 49 years back and 50 ahead, got ${isoDate}`, {
      ai,
      value: isoDate,
      rule: 'yymmdd',
    });
  }
  return raw;
}

// ---------------------------------------------------------------------------------------------
// Element strings and the human-readable form

/** Barcode data: AI + data per element, GS after every element not of predefined length except the last. */
export function encodeElementString(data: Gs1Input, opts: Gs1Options = {}): string {
  const elements = toElements(data, opts);
  return elements.map(({ def, raw }, i) => def.ai + raw + (def.predefined || i === elements.length - 1 ? '' : GS)).join('');
}

/** Human-readable interpretation printed under the barcode: (01)09506000134352(17)260630(10)A1. */
export function formatHumanReadable(data: Gs1Input, opts: Gs1Options = {}): string {
  return toElements(data, opts)
    .map(({ def, raw }) => `(${def.ai})${raw}`)
    .join('');
}

/** Symbology identifiers of GS1 data a scanner may prefix: DataMatrix, GS1-128, QR Code, DataBar, DotCode. */
const GS1_SYMBOLOGY_ID = /^\](d2|C1|Q3|e0|J1)/;

/**
 * Parses scanned barcode data: an optional GS1 symbology identifier, then AI/data with GS
 * separators. A leading FNC1 and the separator some scanners send after the last element are
 * accepted.
 */
export function parseElementString(input: string, opts: Gs1Options = {}): Gs1Data {
  let text = input;
  if (text.startsWith(']')) {
    if (!GS1_SYMBOLOGY_ID.test(text)) {
      const id = text.slice(0, 3);
      throw gs1Error('error.gs1.symbology', `symbology identifier ${id} does not announce GS1 data`, { identifier: id });
    }
    text = text.slice(3);
  }
  if (text.startsWith(GS)) text = text.slice(1);
  while (text.endsWith(GS)) text = text.slice(0, -1);
  if (text === '') throw gs1Error('error.gs1.syntax', 'the element string is empty');
  const elements: Element[] = [];
  let at = 0;
  while (at < text.length) {
    const def = gs1AiAt(text, at);
    if (!def) {
      const ai = text.slice(at, at + 4);
      throw gs1Error('error.gs1.unknownAi', `no GS1 AI at position ${at}: ${ai}`, { ai, position: at });
    }
    const start = at + def.ai.length;
    const gs = text.indexOf(GS, start);
    const dataEnd = gs < 0 ? text.length : gs;
    // A fixed-length element ends at its length, or earlier when the data is cut short.
    const end = def.fixedLength !== undefined ? Math.min(start + def.fixedLength, dataEnd) : dataEnd;
    elements.push({ def, raw: text.slice(start, end) });
    at = end;
    if (text[at] === GS) {
      if (text[at + 1] === GS) throw gs1Error('error.gs1.separator', `two separators after (${def.ai})`, { ai: def.ai });
      at += 1;
    } else if (at < text.length && !def.predefined) {
      throw gs1Error('error.gs1.separator', `(${def.ai}) must be followed by a separator`, { ai: def.ai });
    }
  }
  return toData(elements, opts);
}

/**
 * Parses the bracketed human-readable form, with or without spaces between elements. A data value
 * that itself contains "(NN)" is read as a new element: the bracketed form cannot tell them apart.
 */
export function parseHumanReadable(input: string, opts: Gs1Options = {}): Gs1Data {
  const parts = input.trim().split(/\((\d{2,4})\)/);
  if (parts[0] !== '' || parts.length < 3) throw gs1Error('error.gs1.syntax', `not a bracketed GS1 element string: ${input}`);
  const elements: Element[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const def = gs1Ai(parts[i]!);
    if (!def) throw gs1Error('error.gs1.unknownAi', `(${parts[i]}) is not a GS1 application identifier`, { ai: parts[i]! });
    elements.push({ def, raw: parts[i + 1]!.trim() });
  }
  return toData(elements, opts);
}
