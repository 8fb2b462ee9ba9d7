/**
 * Reads an EPCIS 2.0 JSON / JSON-LD document (or a single event) and names every departure from
 * the standard's rules, each with a JSON pointer: the document's header, the fields each event
 * type requires, action values, times with their zone offset, CBV values or URIs for business
 * steps, dispositions, transaction and source/destination types, absolute URIs for identifiers,
 * the quantity list's shape, and namespaced names for user extensions. Written from the EPCIS 2.0
 * and CBV 2.0 standards, not copied from GS1's schema.
 */

export interface EpcisProblem {
  /** JSON pointer into the document, e.g. `/epcisBody/eventList/0/action`. */
  pointer: string;
  code: EpcisProblemCode;
  message: string;
}

export type EpcisProblemCode =
  | 'error.epcis.notObject'
  | 'error.epcis.required'
  | 'error.epcis.type'
  | 'error.epcis.value'
  | 'error.epcis.dateTime'
  | 'error.epcis.timeZoneOffset'
  | 'error.epcis.uri'
  | 'error.epcis.cbv'
  | 'error.epcis.unknownField'
  | 'error.epcis.identifiers';

export const EPCIS_EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const;
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];
export const EPCIS_ACTIONS = ['ADD', 'OBSERVE', 'DELETE'] as const;

/** CBV 2.0 business steps, in their bare (JSON-LD compact) form. */
export const CBV_BIZ_STEPS = [
  'accepting',
  'arriving',
  'assembling',
  'collecting',
  'commissioning',
  'consigning',
  'creating_class_instance',
  'cycle_counting',
  'decommissioning',
  'departing',
  'destroying',
  'disassembling',
  'dispensing',
  'encoding',
  'entering_exiting',
  'holding',
  'inspecting',
  'installing',
  'killing',
  'loading',
  'other',
  'packing',
  'picking',
  'receiving',
  'removing',
  'repackaging',
  'repairing',
  'replacing',
  'reserving',
  'retail_selling',
  'sampling',
  'sensor_reporting',
  'shipping',
  'staging_outbound',
  'stock_taking',
  'stocking',
  'storing',
  'transporting',
  'unloading',
  'unpacking',
  'void_shipping',
] as const;

/** CBV 2.0 dispositions. */
export const CBV_DISPOSITIONS = [
  'active',
  'available',
  'completeness_inferred',
  'completeness_verified',
  'conformant',
  'container_closed',
  'container_open',
  'damaged',
  'destroyed',
  'dispensed',
  'disposed',
  'encoded',
  'expired',
  'in_progress',
  'in_transit',
  'inactive',
  'mismatch_instance',
  'mismatch_class',
  'mismatch_quantity',
  'needs_replacement',
  'no_pedigree_match',
  'non_conformant',
  'non_sellable_other',
  'partially_dispensed',
  'recalled',
  'reserved',
  'retail_sold',
  'returned',
  'sellable_accessible',
  'sellable_not_accessible',
  'stolen',
  'unavailable',
  'unknown',
] as const;

export const CBV_BIZ_TRANSACTION_TYPES = [
  'bol',
  'cert',
  'desadv',
  'inv',
  'pedigree',
  'po',
  'poc',
  'prodorder',
  'recadv',
  'rma',
  'testprd',
  'testres',
  'upevt',
] as const;
export const CBV_SOURCE_DEST_TYPES = ['owning_party', 'possessing_party', 'location'] as const;
export const CBV_ERROR_REASONS = ['did_not_occur', 'incorrect_data'] as const;

/** The fields the standard defines on an event; any other must be a namespaced extension. */
const COMMON_FIELDS = [
  'type',
  'eventID',
  'eventTime',
  'eventTimeZoneOffset',
  'recordTime',
  'errorDeclaration',
  'certificationInfo',
  'readPoint',
  'bizLocation',
  'bizStep',
  'disposition',
  'persistentDisposition',
  'bizTransactionList',
  'sourceList',
  'destinationList',
  'sensorElementList',
  '@context',
];
const EVENT_FIELDS: Record<EpcisEventType, string[]> = {
  ObjectEvent: ['action', 'epcList', 'quantityList', 'ilmd'],
  AggregationEvent: ['action', 'parentID', 'childEPCs', 'childQuantityList'],
  TransactionEvent: ['action', 'parentID', 'epcList', 'quantityList'],
  TransformationEvent: ['transformationID', 'inputEPCList', 'inputQuantityList', 'outputEPCList', 'outputQuantityList', 'ilmd'],
  AssociationEvent: ['action', 'parentID', 'childEPCs', 'childQuantityList'],
};

// RFC 3339 date-time: a time zone (Z or ±hh:mm) is required.
const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;
const ZONE_OFFSET = /^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$/;
// RFC 3986 absolute URI: a scheme, a colon, then no whitespace, quotes or angle brackets.
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"<>\\^`{|}]+$/;
const UOM = /^[A-Z0-9]{2,3}$/;
const NAMESPACED = /^[A-Za-z_][\w.-]*:\S+$/;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const esc = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

class Reader {
  readonly problems: EpcisProblem[] = [];
  add(pointer: string, code: EpcisProblemCode, message: string): void {
    this.problems.push({ pointer, code, message });
  }

  object(v: Json, at: string): v is Record<string, Json> {
    if (isObject(v)) return true;
    this.add(at, 'error.epcis.type', 'must be an object');
    return false;
  }

  required(o: Record<string, Json>, key: string, at: string): boolean {
    if (o[key] !== undefined) return true;
    this.add(`${at}/${esc(key)}`, 'error.epcis.required', `${key} is required`);
    return false;
  }

  string(v: Json, at: string): v is string {
    if (typeof v === 'string' && v.length > 0) return true;
    this.add(at, 'error.epcis.type', 'must be a non-empty string');
    return false;
  }

  uri(v: Json, at: string): void {
    if (this.string(v, at) && !URI.test(v)) this.add(at, 'error.epcis.uri', `not an absolute URI: ${JSON.stringify(v)}`);
  }

  dateTime(v: Json, at: string): void {
    if (this.string(v, at) && (!DATE_TIME.test(v) || Number.isNaN(Date.parse(v)))) {
      this.add(at, 'error.epcis.dateTime', `not a date-time with a time zone: ${JSON.stringify(v)}`);
    }
  }

  /** A CBV bare word from the list, or a URI (a CBV URI or one's own vocabulary). */
  cbvOrUri(v: Json, list: readonly string[], at: string, what: string): void {
    if (!this.string(v, at)) return;
    if (list.includes(v)) return;
    // A bare word that is not CBV would pass the URI pattern only if it had a colon; it has none.
    if (!URI.test(v)) this.add(at, 'error.epcis.cbv', `${JSON.stringify(v)} is neither a CBV ${what} nor a URI`);
  }

  array(v: Json, at: string, each: (item: Json, at: string) => void): void {
    if (!Array.isArray(v)) {
      this.add(at, 'error.epcis.type', 'must be an array');
      return;
    }
    v.forEach((item, i) => {
      each(item, `${at}/${i}`);
    });
  }

  /** Fields other than the standard's must be extensions with a namespace prefix or a full URI. */
  extensions(o: Record<string, Json>, known: readonly string[], at: string): void {
    for (const key of Object.keys(o)) {
      if (known.includes(key) || NAMESPACED.test(key)) continue;
      this.add(`${at}/${esc(key)}`, 'error.epcis.unknownField', `${key} is not an EPCIS field nor a namespaced extension`);
    }
  }

  closed(o: Record<string, Json>, known: readonly string[], at: string): void {
    for (const key of Object.keys(o)) {
      if (!known.includes(key)) this.add(`${at}/${esc(key)}`, 'error.epcis.unknownField', `${key} is not allowed here`);
    }
  }
}

function readContext(r: Reader, v: Json, at: string): void {
  const items = Array.isArray(v) ? v : [v];
  if (items.length === 0) r.add(at, 'error.epcis.required', '@context must name the EPCIS context');
  items.forEach((item, i) => {
    const p = Array.isArray(v) ? `${at}/${i}` : at;
    if (typeof item === 'string') r.uri(item, p);
    else if (!isObject(item)) r.add(p, 'error.epcis.type', 'a context is a URI or an object of namespace prefixes');
  });
}

function readQuantityList(r: Reader, v: Json, at: string): void {
  r.array(v, at, (q, p) => {
    if (!r.object(q, p)) return;
    r.closed(q, ['epcClass', 'quantity', 'uom'], p);
    if (r.required(q, 'epcClass', p)) r.uri(q.epcClass, `${p}/epcClass`);
    if (q.quantity !== undefined && (typeof q.quantity !== 'number' || !Number.isFinite(q.quantity) || q.quantity < 0)) {
      r.add(`${p}/quantity`, 'error.epcis.type', 'quantity must be a number, not negative');
    }
    if (q.uom !== undefined && (typeof q.uom !== 'string' || !UOM.test(q.uom))) {
      r.add(`${p}/uom`, 'error.epcis.value', 'uom must be a UN/ECE Recommendation 20 code of 2 or 3 characters');
    }
    if (q.uom !== undefined && q.quantity === undefined) r.add(`${p}/quantity`, 'error.epcis.required', 'a uom needs a quantity');
  });
}

function readUriList(r: Reader, v: Json, at: string): void {
  r.array(v, at, (item, p) => r.uri(item, p));
}

function readEvent(r: Reader, e: Json, at: string): void {
  if (!r.object(e, at)) return;
  if (!r.required(e, 'type', at)) return;
  const type = e.type as EpcisEventType;
  if (!EPCIS_EVENT_TYPES.includes(type)) {
    r.add(`${at}/type`, 'error.epcis.value', `${JSON.stringify(e.type)} is not an EPCIS event type`);
    return;
  }
  r.extensions(e, [...COMMON_FIELDS, ...EVENT_FIELDS[type]], at);
  if (r.required(e, 'eventTime', at)) r.dateTime(e.eventTime, `${at}/eventTime`);
  if (r.required(e, 'eventTimeZoneOffset', at) && (typeof e.eventTimeZoneOffset !== 'string' || !ZONE_OFFSET.test(e.eventTimeZoneOffset))) {
    r.add(`${at}/eventTimeZoneOffset`, 'error.epcis.timeZoneOffset', 'eventTimeZoneOffset is +hh:mm or -hh:mm');
  }
  if (e.recordTime !== undefined) r.dateTime(e.recordTime, `${at}/recordTime`);
  if (e.eventID !== undefined) r.uri(e.eventID, `${at}/eventID`);
  if (e.errorDeclaration !== undefined && r.object(e.errorDeclaration, `${at}/errorDeclaration`)) {
    const d = e.errorDeclaration;
    const p = `${at}/errorDeclaration`;
    if (r.required(d, 'declarationTime', p)) r.dateTime(d.declarationTime, `${p}/declarationTime`);
    if (d.reason !== undefined) r.cbvOrUri(d.reason, CBV_ERROR_REASONS, `${p}/reason`, 'error reason');
    if (d.correctiveEventIDs !== undefined) readUriList(r, d.correctiveEventIDs, `${p}/correctiveEventIDs`);
    r.extensions(d, ['declarationTime', 'reason', 'correctiveEventIDs'], p);
  }
  if (e.certificationInfo !== undefined) {
    if (Array.isArray(e.certificationInfo)) readUriList(r, e.certificationInfo, `${at}/certificationInfo`);
    else r.uri(e.certificationInfo, `${at}/certificationInfo`);
  }
  for (const place of ['readPoint', 'bizLocation'] as const) {
    const v = e[place];
    if (v === undefined || !r.object(v, `${at}/${place}`)) continue;
    if (r.required(v, 'id', `${at}/${place}`)) r.uri(v.id, `${at}/${place}/id`);
    r.extensions(v, ['id'], `${at}/${place}`);
  }
  if (e.bizStep !== undefined) r.cbvOrUri(e.bizStep, CBV_BIZ_STEPS, `${at}/bizStep`, 'business step');
  if (e.disposition !== undefined) r.cbvOrUri(e.disposition, CBV_DISPOSITIONS, `${at}/disposition`, 'disposition');
  if (e.persistentDisposition !== undefined && r.object(e.persistentDisposition, `${at}/persistentDisposition`)) {
    const pd = e.persistentDisposition;
    r.closed(pd, ['set', 'unset'], `${at}/persistentDisposition`);
    for (const k of ['set', 'unset'] as const) {
      if (pd[k] !== undefined) {
        r.array(pd[k], `${at}/persistentDisposition/${k}`, (d, p) => r.cbvOrUri(d, CBV_DISPOSITIONS, p, 'disposition'));
      }
    }
  }
  if (e.bizTransactionList !== undefined) {
    r.array(e.bizTransactionList, `${at}/bizTransactionList`, (t, p) => {
      if (!r.object(t, p)) return;
      r.closed(t, ['type', 'bizTransaction'], p);
      if (t.type !== undefined) r.cbvOrUri(t.type, CBV_BIZ_TRANSACTION_TYPES, `${p}/type`, 'business transaction type');
      if (r.required(t, 'bizTransaction', p)) r.uri(t.bizTransaction, `${p}/bizTransaction`);
    });
  }
  for (const [list, field] of [
    ['sourceList', 'source'],
    ['destinationList', 'destination'],
  ] as const) {
    if (e[list] === undefined) continue;
    r.array(e[list], `${at}/${list}`, (s, p) => {
      if (!r.object(s, p)) return;
      r.closed(s, ['type', field], p);
      if (r.required(s, 'type', p)) r.cbvOrUri(s.type, CBV_SOURCE_DEST_TYPES, `${p}/type`, 'source or destination type');
      if (r.required(s, field, p)) r.uri(s[field], `${p}/${field}`);
    });
  }
  if (e.sensorElementList !== undefined) r.array(e.sensorElementList, `${at}/sensorElementList`, (s, p) => r.object(s, p));
  if (e.ilmd !== undefined && r.object(e.ilmd, `${at}/ilmd`)) {
    // ILMD holds only namespaced master data (cbvmda:lotNumber, example:foo...).
    r.extensions(e.ilmd, [], `${at}/ilmd`);
  }

  if (type !== 'TransformationEvent') {
    if (r.required(e, 'action', at) && !EPCIS_ACTIONS.includes(e.action as (typeof EPCIS_ACTIONS)[number])) {
      r.add(`${at}/action`, 'error.epcis.value', `action is ADD, OBSERVE or DELETE, not ${JSON.stringify(e.action)}`);
    }
  }
  for (const k of ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const) {
    if (e[k] !== undefined) readUriList(r, e[k], `${at}/${k}`);
  }
  for (const k of ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'] as const) {
    if (e[k] !== undefined) readQuantityList(r, e[k], `${at}/${k}`);
  }
  if (e.parentID !== undefined) r.uri(e.parentID, `${at}/parentID`);
  if (e.transformationID !== undefined) r.uri(e.transformationID, `${at}/transformationID`);

  switch (type) {
    case 'ObjectEvent':
      if (e.epcList === undefined && e.quantityList === undefined) {
        r.add(`${at}/epcList`, 'error.epcis.identifiers', 'an ObjectEvent names its objects in epcList or quantityList');
      }
      if (e.ilmd !== undefined && e.action !== 'ADD') r.add(`${at}/ilmd`, 'error.epcis.value', 'ilmd belongs to an ADD event only');
      break;
    case 'AggregationEvent':
      if (e.action !== 'OBSERVE') r.required(e, 'parentID', at);
      break;
    case 'AssociationEvent':
      r.required(e, 'parentID', at);
      break;
    case 'TransactionEvent':
      r.required(e, 'bizTransactionList', at);
      break;
    case 'TransformationEvent': {
      const has = (k: string) => e[k] !== undefined;
      if (!has('transformationID') && !['inputEPCList', 'inputQuantityList', 'outputEPCList', 'outputQuantityList'].some(has)) {
        r.add(`${at}/inputEPCList`, 'error.epcis.identifiers', 'a TransformationEvent names inputs or outputs, or a transformationID');
      }
      break;
    }
  }
}

/**
 * Every problem in an EPCIS 2.0 document (EPCISDocument or EPCISQueryDocument) or a single event;
 * an empty list means it keeps the standard's rules this reader checks.
 */
export function validateEpcisDocument(doc: unknown): EpcisProblem[] {
  const r = new Reader();
  if (!isObject(doc)) {
    r.add('', 'error.epcis.notObject', 'an EPCIS document is a JSON object');
    return r.problems;
  }
  if (r.required(doc, '@context', '')) readContext(r, doc['@context'], '/@context');
  if (EPCIS_EVENT_TYPES.includes(doc.type as EpcisEventType)) {
    readEvent(r, doc, '');
    return r.problems;
  }
  if (!r.required(doc, 'type', '')) return r.problems;
  if (doc.type !== 'EPCISDocument' && doc.type !== 'EPCISQueryDocument') {
    r.add('/type', 'error.epcis.value', 'type is EPCISDocument, EPCISQueryDocument or an event type');
    return r.problems;
  }
  if (r.required(doc, 'schemaVersion', '') && doc.schemaVersion !== '2.0') {
    r.add('/schemaVersion', 'error.epcis.value', 'schemaVersion is "2.0"');
  }
  if (r.required(doc, 'creationDate', '')) r.dateTime(doc.creationDate, '/creationDate');
  if (doc.id !== undefined) r.uri(doc.id, '/id');
  if (doc.epcisHeader !== undefined) r.object(doc.epcisHeader, '/epcisHeader');
  if (!r.required(doc, 'epcisBody', '') || !r.object(doc.epcisBody, '/epcisBody')) return r.problems;
  const body = doc.epcisBody;
  if (doc.type === 'EPCISDocument') {
    if (r.required(body, 'eventList', '/epcisBody')) r.array(body.eventList, '/epcisBody/eventList', (e, p) => readEvent(r, e, p));
    return r.problems;
  }
  if (!r.required(body, 'queryResults', '/epcisBody') || !r.object(body.queryResults, '/epcisBody/queryResults')) return r.problems;
  const results = body.queryResults;
  r.required(results, 'queryName', '/epcisBody/queryResults');
  if (!r.required(results, 'resultsBody', '/epcisBody/queryResults')) return r.problems;
  if (r.object(results.resultsBody, '/epcisBody/queryResults/resultsBody')) {
    const rb = results.resultsBody;
    if (r.required(rb, 'eventList', '/epcisBody/queryResults/resultsBody')) {
      r.array(rb.eventList, '/epcisBody/queryResults/resultsBody/eventList', (e, p) => readEvent(r, e, p));
    }
  }
  return r.problems;
}
