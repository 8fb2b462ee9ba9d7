/**
 * GS1 Digital Link URIs (Digital Link URI syntax): the primary key and its qualifiers in the
 * path, in the order GS1 gives them, data attributes in the query string. Parsing refuses what
 * GS1's rules refuse: a scheme other than lower-case http or https, a GTIN written short, an AI in
 * the path that is not a qualifier of the key, qualifiers out of order, an AI in the query that is
 * not a data attribute, unknown AIs, and repeated AIs with different data.
 */

import { type Element, type Gs1Data, type Gs1Input, type Gs1Options, gs1Error, toData, toElements } from './gs1.js';
import { gs1Ai } from './gs1-ais.js';

export const GS1_RESOLVER = 'https://id.gs1.org';

/** Keys preferred when the data holds more than one: the trade item, then the logistic unit. */
const KEY_PREFERENCE = ['01', '00'];

/** Percent-encodes every character outside A–Z a–z 0–9 - . _ ~. */
function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw gs1Error('error.gs1.digitalLink', `bad percent-encoding in ${JSON.stringify(value)}`, { value });
  }
}

/**
 * The present qualifiers of the key's sequence that leaves the fewest AIs unable to go in the query
 * (a TPX or serial must be in the path), then takes the most; in the sequence's order.
 */
function pathQualifiers(sequences: readonly (readonly string[])[], present: readonly string[]): string[] {
  const score = (used: string[]) => used.filter((ai) => !gs1Ai(ai)!.dlAttribute).length * 100 + used.length;
  let best: string[] = [];
  for (const sequence of sequences) {
    const used = sequence.filter((ai) => present.includes(ai));
    if (score(used) > score(best)) best = used;
  }
  return best;
}

/** https://id.gs1.org/01/<gtin>/10/<lot>/21/<serial>?17=YYMMDD… ; the resolver may be the brand's own domain. */
export function digitalLinkUri(data: Gs1Input, opts: Gs1Options & { resolver?: string } = {}): string {
  const elements = toElements(data, opts);
  const keys = elements.filter((e) => e.def.dlQualifiers !== undefined);
  const key = KEY_PREFERENCE.map((ai) => keys.find((e) => e.def.ai === ai)).find((e) => e !== undefined) ?? keys[0];
  if (!key) throw gs1Error('error.gs1.digitalLinkNoKey', 'a Digital Link needs a primary key such as a GTIN (01) or an SSCC (00)');
  const qualifierAis = pathQualifiers(
    key.def.dlQualifiers!,
    elements.map((e) => e.def.ai),
  );
  const path = [key, ...qualifierAis.map((ai) => elements.find((e) => e.def.ai === ai)!)];
  const query = elements.filter((e) => !path.includes(e));
  const notAttribute = query.find((e) => !e.def.dlAttribute);
  if (notAttribute) {
    const ai = notAttribute.def.ai;
    throw gs1Error('error.gs1.digitalLinkAttribute', `(${ai}) is not a Digital Link data attribute nor a qualifier of (${key.def.ai})`, {
      ai,
      key: key.def.ai,
    });
  }
  const resolver = (opts.resolver ?? GS1_RESOLVER).replace(/\/+$/, '');
  const uri = resolver + path.map((e) => `/${e.def.ai}/${encodeSegment(e.raw)}`).join('');
  return query.length === 0 ? uri : `${uri}?${query.map((e) => `${e.def.ai}=${encodeSegment(e.raw)}`).join('&')}`;
}

/**
 * Parses a GS1 Digital Link URI on any domain and path prefix. Query parameters that are not
 * numeric (e.g. linkType) are ignored; numeric ones must be AIs that are data attributes.
 */
export function parseDigitalLink(uri: string, opts: Gs1Options = {}): Gs1Data {
  // URL() lower-cases the scheme, so it is checked on the text as given.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1] ?? '';
  if (scheme !== 'https' && scheme !== 'http') {
    throw gs1Error('error.gs1.digitalLinkScheme', `a Digital Link starts with http:// or https:// in lower case, got ${scheme || uri}`, {
      scheme,
    });
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw gs1Error('error.gs1.digitalLink', `not a URI: ${uri}`, { value: uri });
  }
  const elements = pathElements(url.pathname.split('/').slice(1));
  for (const pair of url.search.slice(1).split('&')) {
    if (pair === '') continue;
    const split = pair.indexOf('=');
    const [name, value] = split < 0 ? [pair, ''] : [pair.slice(0, split), pair.slice(split + 1)];
    if (!/^\d+$/.test(name)) continue;
    const def = gs1Ai(name);
    if (!def) throw gs1Error('error.gs1.unknownAi', `(${name}) is not a GS1 application identifier`, { ai: name });
    if (!def.dlAttribute) {
      throw gs1Error('error.gs1.digitalLinkAttribute', `(${name}) is not a Digital Link data attribute`, {
        ai: name,
        key: elements[0]!.def.ai,
      });
    }
    elements.push({ def, raw: decodeSegment(value) });
  }
  return toData(elements, opts);
}

const isAiSegment = (segment: string | undefined) => segment !== undefined && /^\d{2,4}$/.test(segment) && gs1Ai(segment) !== undefined;

/**
 * Reads AI/value pairs back from the end of the path while the segments name AIs; the pair of the
 * furthest-back primary key starts the Digital Link path, anything before it is the resolver's prefix.
 */
function pathElements(segments: string[]): Element[] {
  if (segments.at(-1) === '' && segments.length > 1) segments.pop();
  let start = segments.length;
  let keyAt = -1;
  for (let i = segments.length - 2; i >= 0 && isAiSegment(segments[i]); i -= 2) {
    start = i;
    if (gs1Ai(segments[i]!)!.dlQualifiers) keyAt = i;
  }
  if (keyAt < 0) {
    const blocked = segments[start - 2];
    const keyBefore = segments.some((s, j) => j < start && (segments.length - j) % 2 === 0 && gs1Ai(s)?.dlQualifiers);
    if (keyBefore && blocked !== undefined && /^\d+$/.test(blocked)) {
      throw gs1Error('error.gs1.unknownAi', `(${blocked}) in the Digital Link path is not a GS1 application identifier`, { ai: blocked });
    }
    throw gs1Error('error.gs1.digitalLinkNoKey', `no GS1 primary key with its qualifiers ends the path /${segments.join('/')}`, {
      value: `/${segments.join('/')}`,
    });
  }
  const pairs: Element[] = [];
  for (let i = keyAt; i < segments.length; i += 2) pairs.push({ def: gs1Ai(segments[i]!)!, raw: decodeSegment(segments[i + 1]!) });
  const [key, ...qualifiers] = pairs;
  if (key!.def.ai === '01' && /^(\d{8}|\d{12,13})$/.test(key!.raw)) {
    throw gs1Error('error.gs1.digitalLinkShortGtin', `the GTIN in a Digital Link path is written with 14 digits, got ${key!.raw}`, {
      ai: '01',
      value: key!.raw,
    });
  }
  checkQualifiers(key!, qualifiers);
  return pairs;
}

/** The qualifiers after a key must all come from one of its sequences, in that sequence's order. */
function checkQualifiers(key: Element, qualifiers: Element[]): void {
  const sequences = key.def.dlQualifiers!;
  const ais = qualifiers.map((q) => q.def.ai);
  const stranger = ais.find((ai) => !sequences.some((sequence) => sequence.includes(ai)));
  if (stranger) {
    const where = gs1Ai(stranger)!.dlAttribute ? 'belongs in the query string' : 'cannot be in this Digital Link';
    throw gs1Error('error.gs1.digitalLinkNotQualifier', `(${stranger}) is not a qualifier of (${key.def.ai}): it ${where}`, {
      ai: stranger,
      key: key.def.ai,
    });
  }
  const followsOne = sequences.some((sequence) =>
    ais.every((ai, i) => sequence.includes(ai) && (i === 0 || sequence.indexOf(ai) > sequence.indexOf(ais[i - 1]!))),
  );
  if (!followsOne) {
    const expected = sequences.map((sequence) => sequence.map((ai) => `(${ai})`).join(' ')).join(' or ');
    throw gs1Error(
      'error.gs1.digitalLinkQualifierOrder',
      `qualifiers of (${key.def.ai}) go in the order ${expected}, got ${ais.join(' ')}`,
      {
        ai: key.def.ai,
        expected,
      },
    );
  }
}
