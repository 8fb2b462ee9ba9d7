import { addDays } from '../../platform/dates.js';
import type { Tx } from '../../platform/db/index.js';
import type { DemoSeed } from '../../platform/module.js';
import { siteToday, systemContext } from '../../platform/tenancy/index.js';
import { takeOverStock } from '../inventory/index.js';
import { findItemByCode, listCustomers, listLocations } from '../masterdata/index.js';
import { addLicence, setLicenceRequired } from './licences.js';
import { createSalesOrder, listSalesOrders, transitionSalesOrder } from './orders.js';
import { listShipments } from './records.js';
import { returnableLots } from './returns.js';
import { setSalesSettings } from './sscc.js';

/**
 * The demo tenant's customers' side: the GS1 company prefix for SSCCs, the Shanghai hospital group
 * needing a medical institution licence (on record, covering finished devices), the Hamburg
 * distributor needing none, thermometer serials in finished goods, and orders in several states —
 * a draft, a confirmed order past its requested date, one confirmed for next week. The ship-order
 * flow's seed ships one of them.
 */
export async function seedSales(tx: Tx, seed: DemoSeed): Promise<void> {
  const today = await siteToday(tx, seed.siteId);
  await setSalesSettings(tx, { gs1CompanyPrefix: '694123450', ssccExtension: 0 });
  const customers = new Map((await listCustomers(tx, { limit: 100 })).items.map((c) => [c.code, c]));
  const hospital = customers.get('CUST-EMHG');
  const distributor = customers.get('CUST-MSD');
  const infusionSet = await findItemByCode(tx, 'IS-200');
  const thermometer = await findItemByCode(tx, 'TH-300');
  if (!hospital || !distributor || !infusionSet || !thermometer) return;
  await setLicenceRequired(tx, hospital.id, true);
  await addLicence(tx, hospital.id, {
    kind: 'hospital_licence',
    number: 'PDY00001231010117A1001',
    issuedBy: 'Shanghai Municipal Health Commission',
    scope: ['finished_device'],
    validFrom: addDays(today, -700),
    validTo: addDays(today, 1100),
  });
  await setLicenceRequired(tx, distributor.id, false);

  const fg = (await listLocations(tx, { siteId: seed.siteId, limit: 100 })).items.find((l) => l.code === 'WH1/FG');
  if (fg) {
    const serials = Array.from({ length: 24 }, (_, i) => `TH300-2611-${String(i + 1).padStart(4, '0')}`);
    await takeOverStock(tx, {
      itemId: thermometer.id,
      locationId: fg.id,
      serials,
      status: 'released',
      source: 'legacy ERP serial list 2611',
    });
  }

  const ctx = systemContext(seed.tenantId, 'seed', seed.siteId);
  const order = async (customer: typeof hospital, lines: Array<[string, string, string, number]>, reference: string) =>
    createSalesOrder(tx, {
      customerId: customer.id,
      shipToId: customer.shipTos[0]!.id,
      siteId: seed.siteId,
      currency: customer.code === 'CUST-MSD' ? 'EUR' : 'CNY',
      customerReference: reference,
      lines: lines.map(([itemId, quantity, unitPrice, days]) => ({ itemId, quantity, unitPrice, requestedDate: addDays(today, days) })),
    });
  await order(hospital, [[infusionSet.id, '400', '12.80', 14]], 'EMHG-PO-7781');
  const late = await order(
    hospital,
    [
      [infusionSet.id, '200', '12.80', -3],
      [thermometer.id, '6', '168.00', -3],
    ],
    'EMHG-PO-7702',
  );
  await transitionSalesOrder(tx, ctx, late.id, { to: 'confirmed' });
  const next = await order(distributor, [[thermometer.id, '4', '21.50', 7]], 'MSD-4410');
  await transitionSalesOrder(tx, ctx, next.id, { to: 'confirmed' });
  const toShip = await order(distributor, [[infusionSet.id, '100', '1.45', 2]], 'MSD-4398');
  await transitionSalesOrder(tx, ctx, toShip.id, { to: 'confirmed' });
}

/** The confirmed order the ship-order flow ships in the demo (the distributor's MSD-4398). */
export async function demoOrderToShip(tx: Tx): Promise<{ id: string; itemId: string; quantity: string } | undefined> {
  const { items } = await listSalesOrders(tx, { q: 'MSD-4398', limit: 1 });
  const o = items[0];
  return o && o.status === 'confirmed' ? { id: o.id, itemId: o.lines[0]!.itemId, quantity: o.lines[0]!.quantity } : undefined;
}

/**
 * What the demo's customer sends back: the distributor's shipment of order MSD-4398 and its first lot
 * with at least two units shipped (undefined when the demo did not ship it).
 */
export async function demoShipmentToReturn(tx: Tx): Promise<{ shipmentId: string; lineNo: number; lotId: string } | undefined> {
  const order = (await listSalesOrders(tx, { q: 'MSD-4398', limit: 1 })).items[0];
  const shipment = order && (await listShipments(tx, order.id))[0];
  if (!shipment) return undefined;
  const lot = (await returnableLots(tx, shipment.id)).find((l) => l.lotKind === 'lot' && Number(l.returnable) >= 2);
  return lot && { shipmentId: shipment.id, lineNo: lot.shipmentLineNo, lotId: lot.lotId };
}
