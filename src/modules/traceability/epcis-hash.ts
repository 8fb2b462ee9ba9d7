/**
 * The EPCIS event hash ID of CBV 2.0 ("Event hash ID"): `ni:///sha-256;<hex>?ver=CBV2.0`, the
 * SHA-256 of a canonical pre-hash string, so the same event gets the same id however it is
 * written (JSON-LD or XML, any field order, any time zone, short or full CBV values). The pre-hash
 * string is `eventType=` then each field present, in the standard's order, as `name=value` (a
 * structure as its name followed by its parts); the entries of a list are sorted and joined
 * without separators. Values are normalised: times to UTC with milliseconds, CBV values to their
 * full `https://ref.gs1.org/cbv/` URIs, numbers without trailing zeros, GS1 Digital Link URIs on
 * id.gs1.org. Fields outside the standard's order (ILMD, extensions) follow, sorted, by full IRI.
 * Only the fields our exports write are covered; recordTime and eventID never take part.
 */
import { createHash } from 'node:crypto';
import { GS1_RESOLVER } from './gs1-digital-link.js';

const CBV = 'https://ref.gs1.org/cbv/';
/** Prefixes our documents use outside the EPCIS context, as the EPCIS 2.0 context expands them. */
const PREFIXES: Record<string, string> = { cbvmda: 'urn:epcglobal:cbv:mda:' };

type Json = Record<string, unknown>;

/** A CBV value as its full URI: a bare name, or an old URN, of the vocabulary named. */
function cbvValue(vocabulary: 'BizStep' | 'Disp' | 'BTT' | 'SDT', value: string): string {
  const urn = {
    BizStep: 'urn:epcglobal:cbv:bizstep:',
    Disp: 'urn:epcglobal:cbv:disp:',
    BTT: 'urn:epcglobal:cbv:btt:',
    SDT: 'urn:epcglobal:cbv:sdt:',
  }[vocabulary];
  if (value.startsWith(urn)) return `${CBV}${vocabulary}-${value.slice(urn.length)}`;
  return value.includes(':') ? value : `${CBV}${vocabulary}-${value}`;
}

/** A Digital Link on any resolver is canonical on id.gs1.org; other URIs are kept as written. */
function identifier(uri: string): string {
  const m = /^https?:\/\/[^/]+(\/(?:00|01|253|255|414|417|8003|8004|8006|8010|8017|8018)\/[^?#]*)/.exec(uri.trim());
  return m ? `${GS1_RESOLVER}${m[1]}` : uri.trim();
}

/** UTC with milliseconds, e.g. 2022-02-17T02:33:31.116Z. */
const utc = (time: string): string => new Date(time).toISOString();

/** A number without a leading "+" or trailing zeros: 5.0 → 5, 0.50 → 0.5. */
const number = (n: unknown): string => String(Number(n));

const field = (name: string, value: string | undefined): string => (value === undefined ? '' : `${name}=${value}`);
const sorted = (name: string, entries: string[]): string => (entries.length ? name + [...entries].sort().join('') : '');

const epcs = (name: string, list: unknown): string =>
  Array.isArray(list)
    ? sorted(
        name,
        list.map((e) => `epc=${identifier(String(e))}`),
      )
    : '';

const quantities = (name: string, list: unknown): string =>
  Array.isArray(list)
    ? sorted(
        name,
        (list as Json[]).map(
          (q) =>
            `quantityElement${field('epcClass', identifier(String(q.epcClass)))}${q.quantity === undefined ? '' : field('quantity', number(q.quantity))}${q.uom === undefined ? '' : field('uom', String(q.uom))}`,
        ),
      )
    : '';

/** A list of typed references (bizTransaction, source, destination): the reference, then its type. */
const typed = (list: unknown, name: string, key: string, vocabulary: 'BTT' | 'SDT'): string =>
  Array.isArray(list)
    ? sorted(
        name,
        (list as Json[]).map(
          (e) =>
            `${field(key, identifier(String(e[key])))}${e.type === undefined ? '' : field('type', cbvValue(vocabulary, String(e.type)))}`,
        ),
      )
    : '';

const place = (name: string, value: unknown): string => (value ? `${name}${field('id', identifier(String((value as Json).id)))}` : '');

/** A term as its full IRI: prefixed names expanded, full IRIs kept. */
function iri(term: string): string {
  const colon = term.indexOf(':');
  const prefix = colon > 0 ? PREFIXES[term.slice(0, colon)] : undefined;
  return prefix ? prefix + term.slice(colon + 1) : term;
}

/** What a field outside the standard order adds: its IRI, its value or its parts sorted. */
function generic(name: string, value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return (
      name +
      Object.entries(value as Json)
        .map(([k, v]) => generic(iri(k), v))
        .sort()
        .join('')
    );
  }
  if (Array.isArray(value))
    return value
      .map((v) => generic(name, v))
      .sort()
      .join('');
  return `${name}=${typeof value === 'number' ? number(value) : String(value).trim()}`;
}

/** The fields in the standard's order, each with how it is written into the pre-hash string. */
const ORDERED: ReadonlyArray<[string, (v: unknown) => string]> = [
  ['eventTime', (v) => field('eventTime', utc(String(v)))],
  ['eventTimeZoneOffset', (v) => field('eventTimeZoneOffset', String(v))],
  ['epcList', (v) => epcs('epcList', v)],
  ['parentID', (v) => field('parentID', identifier(String(v)))],
  ['inputEPCList', (v) => epcs('inputEPCList', v)],
  ['childEPCs', (v) => epcs('childEPCs', v)],
  ['quantityList', (v) => quantities('quantityList', v)],
  ['childQuantityList', (v) => quantities('childQuantityList', v)],
  ['inputQuantityList', (v) => quantities('inputQuantityList', v)],
  ['outputEPCList', (v) => epcs('outputEPCList', v)],
  ['outputQuantityList', (v) => quantities('outputQuantityList', v)],
  ['action', (v) => field('action', String(v))],
  ['transformationID', (v) => field('transformationID', identifier(String(v)))],
  ['bizStep', (v) => field('bizStep', cbvValue('BizStep', String(v)))],
  ['disposition', (v) => field('disposition', cbvValue('Disp', String(v)))],
  ['readPoint', (v) => place('readPoint', v)],
  ['bizLocation', (v) => place('bizLocation', v)],
  ['bizTransactionList', (v) => typed(v, 'bizTransactionList', 'bizTransaction', 'BTT')],
  ['sourceList', (v) => typed(v, 'sourceList', 'source', 'SDT')],
  ['destinationList', (v) => typed(v, 'destinationList', 'destination', 'SDT')],
];
const KNOWN = new Set(['type', 'eventID', 'recordTime', '@context', ...ORDERED.map(([name]) => name)]);

/** The canonical pre-hash string of one event. */
export function eventPreHash(event: Json): string {
  const ordered = ORDERED.map(([name, write]) => (event[name] === undefined ? '' : write(event[name]))).join('');
  const rest = Object.entries(event)
    .filter(([name]) => !KNOWN.has(name))
    .map(([name, value]) => generic(iri(name), value))
    .sort()
    .join('');
  return `eventType=${String(event.type)}${ordered}${rest}`;
}

/** The event's hash ID: `ni:///sha-256;<hex>?ver=CBV2.0`. */
export function eventHashId(event: Json): string {
  return `ni:///sha-256;${createHash('sha256').update(eventPreHash(event), 'utf8').digest('hex')}?ver=CBV2.0`;
}
