/**
 * EPCIS 2.0 (JSON-LD) history of one lot or serial, assembled from what the other modules record:
 * commissioning and the work order's transformation for what we made, receiving against the
 * purchase order for what we bought, inspecting and holding from the lot's status changes, packing
 * into SSCC cartons and shipping against the sales order and despatch advice. Identifiers are GS1
 * Digital Link URIs; places, parties and business documents without a GS1 key are URNs under the
 * tenant (docs/DECISIONS.md). Every document is checked by validateEpcisDocument before it leaves.
 */
import { type Lot, listLots, lotHistory, type Movement, type StatusChange, traceBackward, traceForward } from '../inventory/index.js';
import { GLOBAL_UNITS, getCustomer, getItem, getLocation } from '../masterdata/index.js';

type Item = Awaited<ReturnType<typeof getItem>>;

import type { Tx } from '../../platform/db/index.js';
import { Conflict, DomainError, NotFound } from '../../platform/errors.js';
import { getSite, type Site } from '../../platform/tenancy/index.js';
import { getWorkOrder } from '../production/index.js';
import { getPurchaseOrder, getReceipt } from '../purchasing/index.js';
import { describeShipment } from '../sales/index.js';
import { eventHashId } from './epcis-hash.js';
import { type EpcisProblem, validateEpcisDocument } from './epcis-validate.js';
import { digitalLinkUri } from './gs1-digital-link.js';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';
export const EPCIS_MEDIA_TYPE = 'application/ld+json';

type EpcisEvent = Record<string, unknown> & { type: string; eventTime: string; eventTimeZoneOffset: string };
export interface EpcisDocument {
  '@context': unknown[];
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
}

/** An assembled document that breaks the standard is a defect of ours: never sent, named with its problems. */
export class EpcisExportInvalid extends DomainError {
  readonly status = 500;
  readonly slug = 'epcis-export-invalid';
  readonly title = 'The EPCIS export is not valid';
  constructor(readonly problems: EpcisProblem[]) {
    super(
      `the assembled EPCIS document breaks ${problems.length} rule(s): ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`,
      {
        code: 'error.epcis.exportInvalid',
        extensions: { problems },
      },
    );
  }
}

/** Returns the document only when it keeps the standard's rules. */
export function checkedDocument<T>(doc: T): T {
  const problems = validateEpcisDocument(doc);
  if (problems.length > 0) throw new EpcisExportInvalid(problems);
  return doc;
}

/** "+08:00" for the zone at that instant (summer time included). */
export function zoneOffset(timeZone: string, at: Date): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = name?.replace(/^GMT/, '') ?? '';
  return offset === '' ? '+00:00' : offset;
}

/** The instant as local time of the zone with its offset, e.g. 2026-07-22T14:45:00.000+08:00. */
export function localTime(at: Date, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const shifted = new Date(at.getTime() + sign * ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
  return shifted.toISOString().replace('Z', offset);
}

class Assembler {
  private readonly items = new Map<string, Item>();
  private readonly sites = new Map<string, Site>();
  private readonly locations = new Map<string, { siteId: string; code: string }>();
  readonly events: Array<EpcisEvent & { at: number; order: number }> = [];

  constructor(
    private readonly tx: Tx,
    private readonly tenantId: string,
  ) {}

  urn(...parts: string[]): string {
    return `urn:mediforge:${this.tenantId}:${parts.map((p) => encodeURIComponent(p)).join(':')}`;
  }

  async item(id: string): Promise<Item> {
    if (!this.items.has(id)) this.items.set(id, await getItem(this.tx, id));
    return this.items.get(id)!;
  }

  async site(id: string): Promise<Site> {
    if (!this.sites.has(id)) this.sites.set(id, await getSite(this.tx, id));
    return this.sites.get(id)!;
  }

  async location(id: string): Promise<{ siteId: string; code: string }> {
    if (!this.locations.has(id)) {
      const l = await getLocation(this.tx, id);
      this.locations.set(id, { siteId: l.siteId, code: l.code });
    }
    return this.locations.get(id)!;
  }

  /** A serial's instance URI, or a lot's class URI; a URN under the tenant when the item has no GTIN. */
  async identifier(lot: Pick<Lot, 'itemId' | 'kind' | 'number'>): Promise<{ epc?: string; epcClass?: string }> {
    const item = await this.item(lot.itemId);
    if (lot.kind === 'serial') {
      return {
        epc: item.gtin ? digitalLinkUri({ gtin: item.gtin, serial: lot.number }) : this.urn('item', item.code, 'serial', lot.number),
      };
    }
    return {
      epcClass: item.gtin ? digitalLinkUri({ gtin: item.gtin, batch: lot.number }) : this.urn('item', item.code, 'lot', lot.number),
    };
  }

  /** The lot as a list entry: an EPC, or a quantity of the class in its unit (a count has no uom). */
  async what(
    lot: Pick<Lot, 'itemId' | 'kind' | 'number'>,
    quantity?: string,
  ): Promise<{ epcs: string[]; quantities: Record<string, unknown>[] }> {
    const id = await this.identifier(lot);
    if (id.epc) return { epcs: [id.epc], quantities: [] };
    const item = await this.item(lot.itemId);
    const unit = GLOBAL_UNITS.find((u) => u.code === item.baseUnit);
    const entry: Record<string, unknown> = { epcClass: id.epcClass };
    // A quantity in a unit without a UN/ECE code would be read as a count: it is left out instead.
    if (quantity !== undefined && unit) {
      entry.quantity = Math.abs(Number(quantity));
      if (unit.dimension !== 'count') entry.uom = unit.unece;
    }
    return { epcs: [], quantities: [entry] };
  }

  /** Time, zone offset, read point and business location of something that happened at a site (and location). */
  async where(at: string, siteId: string | null, locationId?: string | null): Promise<EpcisEvent> {
    const when = new Date(at);
    const site = siteId ? await this.site(siteId) : undefined;
    const offset = site ? zoneOffset(site.timeZone, when) : '+00:00';
    const place: Record<string, unknown> = {};
    if (site) {
      const location = locationId ? await this.location(locationId) : undefined;
      place.readPoint = { id: location ? this.urn('site', site.code, 'location', location.code) : this.urn('site', site.code) };
      place.bizLocation = { id: this.urn('site', site.code) };
    }
    return { type: '', eventTime: localTime(when, offset), eventTimeZoneOffset: offset, ...place };
  }

  /** Adds an event under its CBV 2.0 event hash ID: the same event exports with the same id, wherever it is computed. */
  add(at: string, order: number, event: EpcisEvent): void {
    const { type, eventTime, eventTimeZoneOffset, ...rest } = event;
    this.events.push({ type, eventID: eventHashId(event), eventTime, eventTimeZoneOffset, ...rest, at: Date.parse(at), order });
  }
}

// Event order among those at one instant: what happens first in the real world.
const ORDER = { receiving: 1, transformation: 2, commissioning: 3, status: 4, packing: 5, shipping: 6 };

const STATUS_STEPS: Partial<Record<StatusChange['toStatus'], { bizStep: string; disposition: string }>> = {
  released: { bizStep: 'inspecting', disposition: 'conformant' },
  rejected: { bizStep: 'inspecting', disposition: 'non_conformant' },
  on_hold: { bizStep: 'holding', disposition: 'non_sellable_other' },
};

async function homeSite(a: Assembler, movements: Movement[]): Promise<string | null> {
  const first = movements.find((m) => m.toLocationId ?? m.fromLocationId);
  const locationId = first?.toLocationId ?? first?.fromLocationId;
  return locationId ? (await a.location(locationId)).siteId : null;
}

/** The EPCIS 2.0 document of a lot's or serial's history, its events in time order; validated. */
export async function lotEpcis(tx: Tx, tenantId: string, lotId: string, now: Date = new Date()): Promise<EpcisDocument> {
  const a = new Assembler(tx, tenantId);
  const history = await lotHistory(tx, lotId);
  const lot = history.lot;
  const self = await a.what(lot);
  const home = await homeSite(a, history.movements);

  for (const m of history.movements) {
    const locationId = m.toLocationId ?? m.fromLocationId;
    const siteId = locationId ? (await a.location(locationId)).siteId : home;
    const here = await a.where(m.createdAt, siteId, locationId);
    const moved = await a.what(lot, m.quantity);
    const objects = { ...(moved.epcs.length ? { epcList: moved.epcs } : { quantityList: moved.quantities }) };

    if (m.movementType === 'receipt' && m.source?.kind === 'purchase_receipt') {
      const receipt = await getReceipt(tx, m.source.id);
      const po = await getPurchaseOrder(tx, receipt.poId);
      a.add(m.createdAt, ORDER.receiving, {
        ...here,
        type: 'ObjectEvent',
        action: 'OBSERVE',
        ...objects,
        bizStep: 'receiving',
        disposition: 'in_progress',
        bizTransactionList: [{ type: 'po', bizTransaction: a.urn('purchase-order', po.number) }],
        sourceList: [{ type: 'owning_party', source: a.urn('supplier', receipt.supplierId) }],
        destinationList: [{ type: 'owning_party', destination: a.urn('tenant') }],
      });
    } else if (m.movementType === 'production_output' && m.source?.kind === 'work_order') {
      const order = await getWorkOrder(tx, m.source.id);
      const ilmd: Record<string, string> = { 'cbvmda:lotNumber': lot.number };
      if (lot.expiresOn) ilmd['cbvmda:itemExpirationDate'] = lot.expiresOn;
      if (lot.manufacturedOn) ilmd['cbvmda:productionDate'] = lot.manufacturedOn;
      if (lot.kind === 'serial') delete ilmd['cbvmda:lotNumber'];
      const inputs = (await traceBackward(tx, lot.id, { maxDepth: 1 })).lots.filter((l) => l.workOrderId === order.id);
      const inputEPCList: string[] = [];
      const inputQuantityList: Record<string, unknown>[] = [];
      for (const input of inputs) {
        const w = await a.what(input);
        inputEPCList.push(...w.epcs);
        inputQuantityList.push(...w.quantities);
      }
      a.add(m.createdAt, ORDER.transformation, {
        ...here,
        type: 'TransformationEvent',
        ...(inputEPCList.length ? { inputEPCList } : {}),
        ...(inputQuantityList.length ? { inputQuantityList } : {}),
        ...(moved.epcs.length ? { outputEPCList: moved.epcs } : { outputQuantityList: moved.quantities }),
        transformationID: a.urn('work-order', order.number),
        bizStep: 'creating_class_instance',
        disposition: 'in_progress',
        bizTransactionList: [{ type: 'prodorder', bizTransaction: a.urn('work-order', order.number) }],
      });
      a.add(m.createdAt, ORDER.commissioning, {
        ...here,
        type: 'ObjectEvent',
        action: 'ADD',
        ...objects,
        bizStep: 'commissioning',
        disposition: 'active',
        bizTransactionList: [{ type: 'prodorder', bizTransaction: a.urn('work-order', order.number) }],
        ilmd,
      });
    } else if (m.movementType === 'issue' && m.source?.kind === 'work_order') {
      const order = await getWorkOrder(tx, m.source.id);
      const outputs = (await traceForward(tx, lot.id, { maxDepth: 1 })).lots.filter((l) => l.workOrderId === order.id);
      const outputEPCList: string[] = [];
      const outputQuantityList: Record<string, unknown>[] = [];
      for (const output of outputs) {
        const w = await a.what(output);
        outputEPCList.push(...w.epcs);
        outputQuantityList.push(...w.quantities);
      }
      a.add(m.createdAt, ORDER.transformation, {
        ...here,
        type: 'TransformationEvent',
        ...(moved.epcs.length ? { inputEPCList: moved.epcs } : { inputQuantityList: moved.quantities }),
        ...(outputEPCList.length ? { outputEPCList } : {}),
        ...(outputQuantityList.length ? { outputQuantityList } : {}),
        transformationID: a.urn('work-order', order.number),
        bizStep: 'creating_class_instance',
        disposition: 'in_progress',
        bizTransactionList: [{ type: 'prodorder', bizTransaction: a.urn('work-order', order.number) }],
      });
    } else if (m.movementType === 'shipment' && m.source?.kind === 'shipment') {
      const shipment = await describeShipment(tx, m.source.id);
      const customer = await getCustomer(tx, shipment.customer.id);
      const at = shipment.shipment.shippedAt;
      const there = await a.where(at, shipment.shipment.siteId, locationId);
      const cartons = new Set(
        shipment.lines.flatMap((l) => l.lots.filter((x) => x.lotId === lot.id && x.cartonNo !== null).map((x) => x.cartonNo as number)),
      );
      for (const carton of shipment.cartons.filter((c) => cartons.has(c.cartonNo))) {
        const packed = shipment.lines.flatMap((l) => l.lots.filter((x) => x.lotId === lot.id && x.cartonNo === carton.cartonNo));
        const quantity = packed.reduce((sum, x) => sum + Number(x.quantity), 0);
        const w = await a.what(lot, String(quantity));
        a.add(at, ORDER.packing, {
          ...there,
          type: 'AggregationEvent',
          action: 'ADD',
          parentID: digitalLinkUri({ sscc: carton.sscc }),
          ...(w.epcs.length ? { childEPCs: w.epcs } : { childQuantityList: w.quantities }),
          bizStep: 'packing',
          disposition: 'in_progress',
        });
      }
      a.add(at, ORDER.shipping, {
        ...there,
        type: 'ObjectEvent',
        action: 'OBSERVE',
        ...objects,
        bizStep: 'shipping',
        disposition: 'in_transit',
        bizTransactionList: [
          { type: 'po', bizTransaction: a.urn('sales-order', shipment.order.number) },
          { type: 'desadv', bizTransaction: a.urn('shipment', shipment.shipment.number) },
        ],
        sourceList: [{ type: 'owning_party', source: a.urn('tenant') }],
        destinationList: [{ type: 'owning_party', destination: a.urn('customer', customer.code) }],
      });
    }
  }

  for (const change of history.statusChanges) {
    const step = STATUS_STEPS[change.toStatus];
    if (!step) continue;
    const here = await a.where(change.changedAt, home);
    a.add(change.changedAt, ORDER.status, {
      ...here,
      type: 'ObjectEvent',
      action: 'OBSERVE',
      ...(self.epcs.length ? { epcList: self.epcs } : { quantityList: self.quantities }),
      ...step,
    });
  }

  // Events of identical content (two status changes at one instant) share their hash ID: one event.
  const eventList = a.events
    .sort((x, y) => x.at - y.at || x.order - y.order)
    .filter((e, i, all) => all.findIndex((o) => o.eventID === e.eventID) === i)
    .map(({ at: _at, order: _order, ...event }) => event as EpcisEvent);
  return checkedDocument<EpcisDocument>({
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: now.toISOString(),
    epcisBody: { eventList },
  });
}

/** The serial with that number (of the item with that GTIN when several items use the number). */
export async function serialLotId(tx: Tx, serial: string, gtin?: string): Promise<string> {
  const page = await listLots(tx, { number: serial, limit: 10 });
  let serials = page.items.filter((l) => l.kind === 'serial');
  if (gtin) {
    const matching: Lot[] = [];
    for (const l of serials) if ((await getItem(tx, l.itemId)).gtin === gtin) matching.push(l);
    serials = matching;
  }
  if (serials.length === 0) throw new NotFound(`no serial ${serial}`, { code: 'error.epcis.serialNotFound', params: { serial } });
  if (serials.length > 1) {
    throw new Conflict(`serial ${serial} is used by ${serials.length} items: name the GTIN`, {
      code: 'error.epcis.serialAmbiguous',
      params: { serial },
    });
  }
  return serials[0]!.id;
}
