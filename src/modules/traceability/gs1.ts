/**
 * GS1 element strings for UDI and logistic labels (GS1 General Specifications, AIs as in the GS1
 * Barcode Syntax Dictionary): parse and generate the barcode data string with GS (FNC1)
 * separators, the human-readable "(01)…(17)…" form and GS1 Digital Link URIs (Digital Link
 * standard 1.x: primary key in the path, qualifiers 10/21 after (01), other AIs as query attributes).
 * Supported AIs: (00) SSCC, (01) GTIN, (02) content GTIN, (10) batch/lot, (11) production date,
 * (17) expiry date, (21) serial, (30) variable count, (37) count, (7003) expiry date and time.
 */
import { BadRequest } from '../../platform/errors.js';
import { hasValidCheckDigit, isGtin } from '../masterdata/index.js';

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
}
export type Gs1Field = keyof Gs1Data;

/** The group separator that stands for FNC1 after a variable-length element. */
export const GS = '\x1D';

type Kind = 'key' | 'date' | 'dateTime' | 'text' | 'count';
interface AiSpec {
  ai: string;
  field: Gs1Field;
  kind: Kind;
  /** Exact length of fixed-length data, else the maximum. */
  length: number;
  fixed: boolean;
  /** Predefined-length AI: no FNC1 needed after it ("*" in the syntax dictionary). */
  predefined: boolean;
  /** At least one of these AI groups must be present (each group all together). */
  requires?: string[][];
  excludes?: string[];
  /** May appear in a Digital Link query string ("?" in the syntax dictionary). */
  dlAttribute: boolean;
}

/** In the order element strings are generated: predefined-length first, then the rest. */
const AIS: readonly AiSpec[] = [
  { ai: '00', field: 'sscc', kind: 'key', length: 18, fixed: true, predefined: true, dlAttribute: true },
  { ai: '01', field: 'gtin', kind: 'key', length: 14, fixed: true, predefined: true, excludes: ['37'], dlAttribute: true },
  {
    ai: '02',
    field: 'contentGtin',
    kind: 'key',
    length: 14,
    fixed: true,
    predefined: true,
    requires: [['37']],
    excludes: ['01'],
    dlAttribute: true,
  },
  {
    ai: '11',
    field: 'productionDate',
    kind: 'date',
    length: 6,
    fixed: true,
    predefined: true,
    requires: [['01'], ['02']],
    dlAttribute: true,
  },
  { ai: '17', field: 'expiryDate', kind: 'date', length: 6, fixed: true, predefined: true, requires: [['01'], ['02']], dlAttribute: true },
  {
    ai: '7003',
    field: 'expiryDateTime',
    kind: 'dateTime',
    length: 10,
    fixed: true,
    predefined: false,
    requires: [['01'], ['02']],
    dlAttribute: true,
  },
  { ai: '10', field: 'batch', kind: 'text', length: 20, fixed: false, predefined: false, requires: [['01'], ['02']], dlAttribute: true },
  { ai: '21', field: 'serial', kind: 'text', length: 20, fixed: false, predefined: false, requires: [['01']], dlAttribute: false },
  {
    ai: '30',
    field: 'variableCount',
    kind: 'count',
    length: 8,
    fixed: false,
    predefined: false,
    requires: [['01'], ['02']],
    dlAttribute: true,
  },
  { ai: '37', field: 'count', kind: 'count', length: 8, fixed: false, predefined: false, requires: [['00', '02']], dlAttribute: true },
];
const BY_AI = new Map(AIS.map((spec) => [spec.ai, spec]));
const BY_FIELD = new Map(AIS.map((spec) => [spec.field, spec]));

/** GS1 AI encodable character set 82. */
const CSET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

export interface Gs1Options {
  /** Reference date for the GS1 century rule of YYMMDD dates; defaults to now. */
  today?: Date;
}

function gs1Error(code: string, detail: string, params: Record<string, string | number> = {}): BadRequest {
  return new BadRequest(detail, { code: `error.gs1.${code}`, params });
}

// ---------------------------------------------------------------------------------------------
// Values: raw element data ↔ decoded fields

function decodeValue(spec: AiSpec, raw: string, opts: Gs1Options): string | number {
  const badLength = spec.fixed ? raw.length !== spec.length : raw.length < 1 || raw.length > spec.length;
  if (badLength) {
    const expected = spec.fixed ? `${spec.length}` : `1 to ${spec.length}`;
    throw gs1Error('length', `(${spec.ai}) needs ${expected} characters, got ${raw.length}`, { ai: spec.ai, value: raw });
  }
  if (spec.kind !== 'text' && !/^\d+$/.test(raw)) {
    throw gs1Error('numeric', `(${spec.ai}) must be digits, got ${JSON.stringify(raw)}`, { ai: spec.ai, value: raw });
  }
  switch (spec.kind) {
    case 'key':
      if (!(spec.length === 14 ? isGtin(raw) : hasValidCheckDigit(raw))) {
        throw gs1Error('checkDigit', `(${spec.ai}) ${raw} has a wrong check digit`, { ai: spec.ai, value: raw });
      }
      return raw;
    case 'text':
      if (!CSET_82.test(raw)) {
        throw gs1Error('characterSet', `(${spec.ai}) may only use GS1 character set 82, got ${JSON.stringify(raw)}`, {
          ai: spec.ai,
          value: raw,
        });
      }
      return raw;
    case 'count':
      return Number(raw);
    case 'date':
      return decodeDate(spec.ai, raw, opts, true);
    case 'dateTime': {
      const [hh, mi] = [Number(raw.slice(6, 8)), Number(raw.slice(8, 10))];
      if (hh > 23 || mi > 59) throw gs1Error('time', `(${spec.ai}) has no time ${raw.slice(6)}`, { ai: spec.ai, value: raw });
      return `${decodeDate(spec.ai, raw.slice(0, 6), opts, false)}T${raw.slice(6, 8)}:${raw.slice(8, 10)}`;
    }
  }
}

/** GTIN-8, -12 and -13 stand for the GTIN-14 with leading zeros; the check digit is verified on decoding. */
function asGtin14(gtin: string): string {
  return /^(\d{8}|\d{12,13})$/.test(gtin) ? gtin.padStart(14, '0') : gtin;
}

function encodeValue(spec: AiSpec, value: string | number, opts: Gs1Options): string {
  const text = String(value);
  switch (spec.kind) {
    case 'key':
      return spec.length === 14 ? asGtin14(text) : text;
    case 'count':
      if (!Number.isSafeInteger(value) || (value as number) < 0) {
        throw gs1Error('numeric', `(${spec.ai}) must be a whole number, got ${text}`, { ai: spec.ai, value: text });
      }
      return text;
    case 'date':
      return encodeDate(spec.ai, text, opts);
    case 'dateTime': {
      const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(text);
      if (!match) {
        throw gs1Error('time', `(${spec.ai}) needs a date and time as YYYY-MM-DDTHH:MM, got ${text}`, { ai: spec.ai, value: text });
      }
      return `${encodeDate(spec.ai, match[1]!, opts)}${match[2]}${match[3]}`;
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
    throw gs1Error('date', `(${ai}) ${raw} is not a valid YYMMDD date`, { ai, value: raw });
  }
  return `${year}-${raw.slice(2, 4)}-${String(dd === 0 ? lastDay : dd).padStart(2, '0')}`;
}

function encodeDate(ai: string, isoDate: string, opts: Gs1Options): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const raw = match ? `${match[1]!.slice(2)}${match[2]}${match[3]}` : '';
  // Refuse dates that are invalid or that the century rule would read back as another year.
  if (!match || match[3] === '00' || decodeDate(ai, raw, opts, false) !== isoDate) {
    throw gs1Error('date', `(${ai}) needs a date as YYYY-MM-DD within 49 years back and 50 ahead, got ${isoDate}`, { ai, value: isoDate });
  }
  return raw;
}

// ---------------------------------------------------------------------------------------------
// Element strings

interface Element {
  spec: AiSpec;
  raw: string;
}

function elementsOf(data: Gs1Data, opts: Gs1Options): Element[] {
  const unknown = Object.keys(data).filter((field) => !BY_FIELD.has(field as Gs1Field));
  if (unknown.length > 0) throw gs1Error('unknownField', `no GS1 AI for ${unknown.join(', ')}`, { field: unknown.join(', ') });
  const elements = AIS.filter((spec) => data[spec.field] != null).map((spec) => {
    const raw = encodeValue(spec, data[spec.field]!, opts);
    decodeValue(spec, raw, opts); // the same checks a reader applies
    return { spec, raw };
  });
  checkPairings(elements);
  return elements;
}

function dataOf(elements: Element[], opts: Gs1Options): Gs1Data {
  const data: Record<string, string | number> = {};
  for (const { spec, raw } of elements) {
    if (spec.field in data) throw gs1Error('duplicateAi', `(${spec.ai}) appears more than once`, { ai: spec.ai });
    data[spec.field] = decodeValue(spec, raw, opts);
  }
  checkPairings(elements);
  return data as Gs1Data;
}

/** Mandatory and invalid AI pairings ("req" and "ex" in the syntax dictionary). */
function checkPairings(elements: Element[]): void {
  const present = new Set(elements.map((e) => e.spec.ai));
  for (const { spec } of elements) {
    if (spec.requires && !spec.requires.some((group) => group.every((ai) => present.has(ai)))) {
      const needed = spec.requires.map((group) => group.map((ai) => `(${ai})`).join('+')).join(' or ');
      throw gs1Error('missingAi', `(${spec.ai}) requires ${needed}`, { ai: spec.ai, requires: needed });
    }
    const clash = spec.excludes?.find((ai) => present.has(ai));
    if (clash) throw gs1Error('exclusiveAi', `(${spec.ai}) cannot be used with (${clash})`, { ai: spec.ai, with: clash });
  }
}

/** Barcode data: AI + data per element, GS after every element not of predefined length except the last. */
export function encodeElementString(data: Gs1Data, opts: Gs1Options = {}): string {
  const elements = elementsOf(data, opts);
  return elements.map(({ spec, raw }, i) => spec.ai + raw + (spec.predefined || i === elements.length - 1 ? '' : GS)).join('');
}

/** Human-readable interpretation printed under the barcode: (01)09506000134352(17)260630(10)A1. */
export function formatHumanReadable(data: Gs1Data, opts: Gs1Options = {}): string {
  return elementsOf(data, opts)
    .map(({ spec, raw }) => `(${spec.ai})${raw}`)
    .join('');
}

/** Symbology identifiers a scanner may prefix: GS1 DataMatrix, GS1-128, GS1 QR, GS1 DataBar. */
const SYMBOLOGY_ID = /^\](d2|C1|Q3|e0)/;

/** Parses scanned barcode data: an optional symbology identifier, then AI/data with GS separators. */
export function parseElementString(input: string, opts: Gs1Options = {}): Gs1Data {
  let text = input.replace(SYMBOLOGY_ID, '');
  if (text.startsWith(GS)) text = text.slice(1);
  if (text === '') throw gs1Error('syntax', 'the element string is empty');
  const elements: Element[] = [];
  let at = 0;
  while (at < text.length) {
    const spec = BY_AI.get(text.slice(at, at + 2)) ?? BY_AI.get(text.slice(at, at + 4));
    if (!spec) throw gs1Error('unknownAi', `unsupported or unknown AI at position ${at}: ${text.slice(at, at + 4)}`, { position: at });
    const start = at + spec.ai.length;
    const gs = text.indexOf(GS, start);
    const end = spec.fixed ? start + spec.length : gs < 0 ? text.length : gs;
    elements.push({ spec, raw: text.slice(start, end) });
    at = end;
    if (text[at] === GS) {
      if (at === text.length - 1) throw gs1Error('syntax', `separator after the last element (${spec.ai})`, { ai: spec.ai });
      at += 1;
    } else if (at < text.length && !spec.predefined) {
      throw gs1Error('syntax', `(${spec.ai}) must be followed by a separator`, { ai: spec.ai });
    }
  }
  return dataOf(elements, opts);
}

/**
 * Parses the bracketed human-readable form, with or without spaces between elements. A data value
 * that itself contains "(NN)" is read as a new element: the bracketed form cannot tell them apart.
 */
export function parseHumanReadable(input: string, opts: Gs1Options = {}): Gs1Data {
  const parts = input.split(/\((\d{2}|\d{4})\)/);
  if (parts[0] !== '' || parts.length < 3) throw gs1Error('syntax', `not a bracketed GS1 element string: ${input}`);
  const elements: Element[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const spec = BY_AI.get(parts[i]!);
    if (!spec) throw gs1Error('unknownAi', `unsupported or unknown AI (${parts[i]})`, { ai: parts[i]! });
    elements.push({ spec, raw: parts[i + 1]!.trim() });
  }
  return dataOf(elements, opts);
}

// ---------------------------------------------------------------------------------------------
// GS1 Digital Link

export const GS1_RESOLVER = 'https://id.gs1.org';

/** Qualifiers allowed after each primary key, in order (dlpkey in the syntax dictionary; (22) not supported). */
const PRIMARY_KEYS: Record<string, string[]> = { '01': ['10', '21'], '00': [] };

/** Percent-encodes every character outside A–Z a–z 0–9 - . _ (GS1 Digital Link 1.x). */
function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw gs1Error('digitalLink', `bad percent-encoding in ${JSON.stringify(value)}`, { value });
  }
}

/** https://id.gs1.org/01/<gtin>/10/<lot>/21/<serial>?17=YYMMDD… ; the resolver may be the brand's own domain. */
export function digitalLinkUri(data: Gs1Data, opts: Gs1Options & { resolver?: string } = {}): string {
  const elements = elementsOf(data, opts);
  const key = elements.find((e) => e.spec.ai === '01') ?? elements.find((e) => e.spec.ai === '00');
  if (!key) throw gs1Error('digitalLink', 'a Digital Link needs a GTIN (01) or SSCC (00)');
  const qualifiers = PRIMARY_KEYS[key.spec.ai]!;
  const path = [key, ...elements.filter((e) => qualifiers.includes(e.spec.ai))];
  const query = elements.filter((e) => !path.includes(e));
  const notAttribute = query.find((e) => !e.spec.dlAttribute);
  if (notAttribute)
    throw gs1Error('digitalLink', `(${notAttribute.spec.ai}) cannot be carried in a Digital Link here`, { ai: notAttribute.spec.ai });
  const resolver = (opts.resolver ?? GS1_RESOLVER).replace(/\/+$/, '');
  const uri = resolver + path.map((e) => `/${e.spec.ai}/${encodeSegment(e.raw)}`).join('');
  return query.length === 0 ? uri : `${uri}?${query.map((e) => `${e.spec.ai}=${encodeSegment(e.raw)}`).join('&')}`;
}

/**
 * Parses a GS1 Digital Link URI on any domain and path prefix. Query parameters that are not
 * numeric (e.g. linkType) are ignored; numeric ones must be supported AIs.
 */
export function parseDigitalLink(uri: string, opts: Gs1Options = {}): Gs1Data {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw gs1Error('digitalLink', `not a URI: ${uri}`, { value: uri });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw gs1Error('digitalLink', `not an http(s) URI: ${uri}`, { value: uri });
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const elements = pathElements(segments);
  if (!elements) throw gs1Error('digitalLink', `no GS1 primary key with valid qualifiers in ${url.pathname}`, { value: uri });
  for (const pair of url.search.slice(1).split('&')) {
    if (pair === '') continue;
    const split = pair.indexOf('=');
    const [name, value] = split < 0 ? [pair, ''] : [pair.slice(0, split), pair.slice(split + 1)];
    if (!/^\d+$/.test(name)) continue;
    const spec = BY_AI.get(name);
    if (!spec?.dlAttribute) throw gs1Error('unknownAi', `(${name}) is not a supported Digital Link attribute`, { ai: name });
    elements.push({ spec, raw: decodeSegment(value) });
  }
  return dataOf(elements, opts);
}

/** Finds the primary key segment and reads its value and ordered qualifiers up to the end of the path. */
function pathElements(segments: string[]): Element[] | undefined {
  for (let i = 0; i + 1 < segments.length; i++) {
    const qualifiers = PRIMARY_KEYS[segments[i]!];
    if (!qualifiers || (segments.length - i) % 2 !== 0) continue;
    const pairs = [];
    for (let j = i; j < segments.length; j += 2) pairs.push([segments[j]!, decodeSegment(segments[j + 1]!)] as const);
    const rest = pairs.slice(1).map(([ai]) => qualifiers.indexOf(ai));
    if (rest.some((pos, k) => pos < 0 || (k > 0 && pos <= rest[k - 1]!))) continue;
    return pairs.map(([ai, raw]) => ({
      spec: BY_AI.get(ai)!,
      raw: ai === '01' ? asGtin14(raw) : raw,
    }));
  }
  return undefined;
}
