import type { Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { invalidFields } from '../../platform/errors.js';
import { namesById } from '../../platform/module.js';
import { siteToday } from '../../platform/tenancy/index.js';
import { getUser } from '../identity/index.js';
import {
  getLot,
  type LotOfSet,
  lotsOfSupplierLot,
  lotsProducedBy,
  lotsWithChildren,
  serialsInRange,
  stockOfLots,
  traceForwardFromLots,
} from '../inventory/index.js';
import { getCustomer, getEquipment, getItem, getLocations, getSupplier, itemNames } from '../masterdata/index.js';
import { workOrdersRunWith } from '../production/index.js';
import { shipmentsOfLots } from '../sales/index.js';
import type { AffectedLot, ReachedCustomer, ReachedShipment, RecallAnswer, RecallStart } from './contract.js';

/**
 * The recall query: from where the suspect material starts to every lot and serial made from it,
 * at any depth, with status and stock, and the shipments and customers it reached. A read only;
 * a recall record keeps its answer as a snapshot.
 */

/** How many lots one trace answers before the answer is marked incomplete (a resin lot may reach a million serials). */
export const RECALL_TRACE_LIMIT = 200_000;

const dayErrors = (start: { from: string; to: string }, today: string) => [
  ...(start.from > start.to ? [{ pointer: '/body/start/to', message: 'must not be before from', code: 'error.recall.rangeReversed' }] : []),
  ...(start.to > today
    ? [{ pointer: '/body/start/to', message: `must not be after today (${today})`, code: 'error.recall.dateInFuture', params: { today } }]
    : []),
];

/** Serial numbers compare as a person reads them: shorter first, then character by character (the inventory's order). */
export const serialOrder = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** The lots the starting point names; an unknown supplier, lot, item, equipment or person is a 404, a bad range a 422. */
async function startLots(tx: Tx, start: RecallStart): Promise<LotOfSet[]> {
  switch (start.kind) {
    case 'supplier_lot':
      await getSupplier(tx, start.supplierId);
      return lotsOfSupplierLot(tx, start.supplierId, start.supplierLot.trim());
    case 'component_lot': {
      const lot = await getLot(tx, start.lotId);
      return [{ lotId: lot.id, itemId: lot.itemId, kind: lot.kind, number: lot.number, status: lot.status }];
    }
    case 'serial_range': {
      await getItem(tx, start.itemId);
      const [from, to] = [start.from.trim(), start.to.trim()];
      if (serialOrder(from, to) > 0) {
        throw invalidFields(
          'the serial range is reversed',
          [{ pointer: '/body/start/to', message: 'must not come before from', code: 'error.recall.rangeReversed' }],
          'error.recall.invalid',
        );
      }
      return serialsInRange(tx, start.itemId, from, to);
    }
    case 'equipment':
    case 'operator': {
      const errors = dayErrors(start, await siteToday(tx));
      if (errors.length) throw invalidFields('the days are not valid', errors, 'error.recall.invalid');
      if (start.kind === 'equipment') await getEquipment(tx, start.equipmentId);
      else await getUser(tx, start.operatorId);
      const orders = await workOrdersRunWith(tx, {
        equipmentId: start.kind === 'equipment' ? start.equipmentId : undefined,
        operatorId: start.kind === 'operator' ? start.operatorId : undefined,
        from: start.from,
        to: start.to,
      });
      return orders.length
        ? lotsProducedBy(
            tx,
            orders.map((o) => o.id),
          )
        : [];
    }
  }
}

const contactOf = (c: { contactName?: string | null | undefined; email?: string | null | undefined; phone?: string | null | undefined }) =>
  [c.contactName, c.email, c.phone].filter(Boolean).join(', ');

/** Every lot and serial affected, where it is and who received it. */
export async function findAffected(tx: Tx, start: RecallStart): Promise<RecallAnswer> {
  const starts = await startLots(tx, start);
  const reached = new Map<string, Omit<AffectedLot, 'itemCode' | 'itemName' | 'finished' | 'onHand' | 'locations' | 'shipped'>>();
  for (const s of starts) reached.set(s.lotId, { ...s, depth: 0 });
  const { lots: traced, truncated } = await traceForwardFromLots(
    tx,
    starts.map((s) => s.lotId),
    { limit: RECALL_TRACE_LIMIT },
  );
  // A start the walk reaches from another start stays a start (depth 0).
  for (const l of traced) {
    if (!reached.has(l.lotId))
      reached.set(l.lotId, { lotId: l.lotId, itemId: l.itemId, kind: l.kind, number: l.number, status: l.status, depth: l.depth });
  }
  const ids = [...reached.keys()];
  const [parents, stock, records] = await Promise.all([lotsWithChildren(tx, ids), stockOfLots(tx, ids), shipmentsOfLots(tx, ids)]);
  const stockOf = new Map(stock.map((s) => [s.lotId, s]));
  const locations = new Map(
    (await getLocations(tx, [...new Set(stock.flatMap((s) => s.locationIds))])).map((l) => [l.id, l.code] as const),
  );
  const customers = new Map<string, Awaited<ReturnType<typeof getCustomer>>>();
  for (const id of new Set(records.map((r) => r.customerId))) customers.set(id, await getCustomer(tx, id));

  const shippedOf = new Map<string, Decimal>();
  for (const r of records) shippedOf.set(r.lotId, (shippedOf.get(r.lotId) ?? new Decimal(0)).plus(dec(r.quantity)));
  const lots = await withItemNames(
    tx,
    [...reached.values()].map((l) => ({
      ...l,
      finished: !parents.has(l.lotId),
      onHand: stockOf.get(l.lotId)?.onHand ?? '0',
      locations: (stockOf.get(l.lotId)?.locationIds ?? []).map((id) => locations.get(id) ?? id),
      shipped: decText(shippedOf.get(l.lotId) ?? new Decimal(0)),
    })),
  );

  const shipments: ReachedShipment[] = records.map((r) => {
    const c = customers.get(r.customerId)!;
    return { ...r, customerCode: c.code, customerName: c.name, contact: contactOf(c) };
  });
  return {
    start,
    startLots: starts.length,
    lots,
    shipments,
    customers: reachedCustomers(shipments),
    totals: totalsOf(lots, shipments),
    truncated,
    takenAt: new Date().toISOString(),
  };
}

/**
 * The lots with their items' code and name (read as they are now: a snapshot keeps the item id), in
 * the order an answer lists them: nearest first, then by item, then by number as people read it.
 */
export async function withItemNames(tx: Tx, lots: ReadonlyArray<Omit<AffectedLot, 'itemCode' | 'itemName'>>): Promise<AffectedLot[]> {
  const items = await namesById(
    tx,
    itemNames,
    lots.map((l) => l.itemId),
  );
  return lots
    .map((l) => ({ ...l, itemCode: items.get(l.itemId)!.code, itemName: items.get(l.itemId)!.name }))
    .sort((a, b) => a.depth - b.depth || (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : serialOrder(a.number, b.number)));
}

/** Shipments per customer: how many, which addresses, how many lots and units, how many came back. */
export function reachedCustomers(shipments: readonly ReachedShipment[]): ReachedCustomer[] {
  const by = new Map<
    string,
    { first: ReachedShipment; addresses: Set<string>; shipments: Set<string>; lots: Set<string>; q: Decimal; r: Decimal }
  >();
  for (const s of shipments) {
    const c = by.get(s.customerId) ?? {
      first: s,
      addresses: new Set<string>(),
      shipments: new Set<string>(),
      lots: new Set<string>(),
      q: new Decimal(0),
      r: new Decimal(0),
    };
    c.addresses.add(s.shipToText);
    c.shipments.add(s.shipmentId);
    c.lots.add(s.lotId);
    c.q = c.q.plus(dec(s.quantity));
    c.r = c.r.plus(dec(s.returned));
    by.set(s.customerId, c);
  }
  return [...by.values()]
    .map((c) => ({
      customerId: c.first.customerId,
      code: c.first.customerCode,
      name: c.first.customerName,
      contact: c.first.contact,
      addresses: [...c.addresses],
      shipments: c.shipments.size,
      lots: c.lots.size,
      quantity: decText(c.q),
      returned: decText(c.r),
    }))
    .sort((a, b) => b.lots - a.lots || a.code.localeCompare(b.code));
}

const sum = (values: Iterable<string>): Decimal => [...values].reduce((acc, v) => acc.plus(dec(v)), new Decimal(0));

export function totalsOf(lots: readonly AffectedLot[], shipments: readonly ReachedShipment[]): RecallAnswer['totals'] {
  const finished = lots.filter((l) => l.finished);
  const inStock = sum(finished.map((l) => l.onHand));
  const shipped = sum(shipments.map((s) => s.quantity));
  return {
    lots: lots.length,
    finishedLots: finished.length,
    units: decText(inStock.plus(sum(finished.map((l) => l.shipped)))),
    inStock: decText(inStock),
    shipped: decText(shipped),
    returned: decText(sum(shipments.map((s) => s.returned))),
    customers: new Set(shipments.map((s) => s.customerId)).size,
    holdable: lots.filter((l) => dec(l.onHand).gt(0) && (l.status === 'quarantine' || l.status === 'released')).length,
  };
}
