import { takeOverStock } from '../src/modules/inventory/index.js';
import { createCustomer } from '../src/modules/masterdata/partners.js';
import {
  addLicence,
  createSalesOrder,
  type SalesOrder,
  setLicenceRequired,
  setSalesSettings,
  transitionSalesOrder,
} from '../src/modules/sales/index.js';
import { addDays } from '../src/platform/dates.js';
import type { Database, Tx } from '../src/platform/db/index.js';
import { siteToday, withTenant } from '../src/platform/tenancy/index.js';
import { type StockWorld, stockWorld } from './inventory.js';
import { anItem } from './masterdata.js';

/**
 * The world every sales scenario starts from: a tenant with stock places (test/inventory.ts), a
 * serialised infusion pump and a lot-controlled infusion set (finished devices with GTINs), a
 * licensed distributor and a hospital without a licence on record, and the GS1 company prefix.
 */
export interface SalesWorld extends StockWorld {
  devices: { pump: string; set: string };
  customers: { distributor: { id: string; shipTo: string }; hospital: { id: string; shipTo: string } };
  today: string;
}

export async function salesWorld(db: Database): Promise<SalesWorld> {
  const w = await stockWorld(db);
  return w.tx(async (tx) => {
    const today = await siteToday(tx, w.site.id);
    const pump = await anItem(tx, { name: 'Infusion pump IP-7', type: 'finished_device', tracking: 'serial', gtin: '09506000134352' });
    const set = await anItem(tx, {
      name: 'Infusion set IS-200',
      type: 'finished_device',
      tracking: 'lot',
      shelfLifeDays: 1095,
      gtin: '09506000134376',
    });
    const customer = async (code: string, name: string, city: string) => {
      const c = await createCustomer(tx, {
        code,
        name,
        shipTos: [
          { code: 'MAIN', name: `${name} warehouse`, addressLine1: '88 Zhongshan Road', city, postalCode: '200001', country: 'CN' },
        ],
      });
      return { id: c.id, shipTo: c.shipTos[0]!.id };
    };
    const distributor = await customer('CUS-HUAMED', 'Huamed Distribution', 'Shanghai');
    const hospital = await customer('CUS-RENJI', 'Renji Hospital', 'Shanghai');
    await setLicenceRequired(tx, distributor.id, true);
    await setLicenceRequired(tx, hospital.id, true);
    await addLicence(tx, distributor.id, {
      kind: 'distribution_licence',
      number: '沪食药监械经营许20230001号',
      scope: ['finished_device'],
      validFrom: addDays(today, -365),
      validTo: addDays(today, 365),
    });
    await setSalesSettings(tx, { gs1CompanyPrefix: '9506000', ssccExtension: 3 });
    return { ...w, devices: { pump: pump.id, set: set.id }, customers: { distributor, hospital }, today };
  });
}

/** Released serials of the pump in the store, taken over at go-live. */
export async function releasedSerials(tx: Tx, w: SalesWorld, serials: string[], itemId = w.devices.pump) {
  const { lots } = await takeOverStock(tx, { itemId, locationId: w.locations.store, serials, status: 'released', source: 'legacy ERP' });
  return lots;
}

/** A lot of the set in a given status, with a quantity. */
export async function setLot(
  tx: Tx,
  w: SalesWorld,
  quantity: string,
  opts: { status?: 'released' | 'on_hold' | 'quarantine'; expiresOn?: string; manufacturedOn?: string } = {},
) {
  const status = opts.status ?? 'released';
  const { lots } = await takeOverStock(tx, {
    itemId: w.devices.set,
    locationId: status === 'released' ? w.locations.store : w.locations.quarantine,
    quantity,
    status,
    manufacturedOn: opts.manufacturedOn ?? addDays(w.today, -30),
    ...(opts.expiresOn ? { expiresOn: opts.expiresOn } : {}),
    source: 'legacy ERP',
  });
  return lots[0]!;
}

/** A confirmed order of the distributor for the given lines. */
export async function confirmedOrder(
  tx: Tx,
  w: SalesWorld,
  lines: Array<{ itemId: string; quantity: string; requestedDate?: string }>,
  customer: 'distributor' | 'hospital' = 'distributor',
): Promise<SalesOrder> {
  const c = w.customers[customer];
  const order = await createSalesOrder(tx, {
    customerId: c.id,
    shipToId: c.shipTo,
    siteId: w.site.id,
    currency: 'CNY',
    lines: lines.map((l) => ({
      itemId: l.itemId,
      quantity: l.quantity,
      unitPrice: '1200.00',
      requestedDate: l.requestedDate ?? addDays(w.today, 7),
    })),
  });
  return transitionSalesOrder(tx, w.ctx, order.id, { to: 'confirmed' });
}

export const inTx = <T>(db: Database, w: SalesWorld, fn: (tx: Tx) => Promise<T>) => withTenant(db, w.ctx, fn);
