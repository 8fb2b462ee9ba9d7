import { addDays } from '../../platform/dates.js';
import type { Tx } from '../../platform/db/index.js';
import type { DemoSeed } from '../../platform/module.js';
import { siteToday } from '../../platform/tenancy/index.js';
import { findItemByCode, listLocations, listSuppliers } from '../masterdata/index.js';
import { takeOverStock } from './opening.js';

interface OpeningLot {
  item: string;
  location: string;
  quantity: string;
  supplier?: string;
  legacyLot: string;
  supplierLot?: string;
  madeDaysAgo: number;
  /** Expiry in days from today, where the item's shelf life does not give it. */
  expiresInDays?: number;
  status?: 'released' | 'on_hold';
  holdReason?: string;
}

/**
 * The demo device maker's stock when it went live on Mediforge, taken over from its previous
 * ERP: released raw materials and components in the stores (one tubing lot about to expire, so
 * first-expiry-first-out has something to say), a pouch lot held after a supplier notice, and
 * finished infusion sets. Goods bought since arrive through purchasing, into quarantine.
 */
const OPENING: OpeningLot[] = [
  {
    item: 'PVC-TUBE-3MM',
    location: 'WH1/RM/A-01',
    quantity: '420',
    supplier: 'SUP-POLY',
    legacyLot: '25-1187',
    supplierLot: 'JMP-251102',
    madeDaysAgo: 700,
    expiresInDays: 24,
  },
  {
    item: 'PVC-TUBE-3MM',
    location: 'WH1/RM/A-01',
    quantity: '2600',
    supplier: 'SUP-POLY',
    legacyLot: '26-0412',
    supplierLot: 'JMP-260827',
    madeDaysAgo: 95,
    expiresInDays: 635,
  },
  {
    item: 'DRIP-CH-15',
    location: 'WH1/RM/A-01',
    quantity: '2400',
    supplier: 'SUP-MOULD',
    legacyLot: '26-0398',
    supplierLot: 'NPM-2609-114',
    madeDaysAgo: 80,
    expiresInDays: 1015,
  },
  {
    item: 'LUER-LOCK-M',
    location: 'WH1/RM/B-01',
    quantity: '3000',
    supplier: 'SUP-MOULD',
    legacyLot: '26-0401',
    supplierLot: 'NPM-2609-131',
    madeDaysAgo: 78,
    expiresInDays: 1017,
  },
  {
    item: 'SPIKE-VENT',
    location: 'WH1/RM/B-01',
    quantity: '850',
    supplier: 'SUP-MOULD',
    legacyLot: '26-0355',
    supplierLot: 'NPM-2608-077',
    madeDaysAgo: 110,
    expiresInDays: 985,
  },
  {
    item: 'POUCH-STER',
    location: 'WH1/RCV',
    quantity: '1500',
    supplier: 'SUP-PACK',
    legacyLot: '26-0420',
    supplierLot: 'SSP-26-3318',
    madeDaysAgo: 60,
    expiresInDays: 670,
    status: 'on_hold',
    holdReason: 'Supplier notice SN-2026-07: seal strength of pouch lot SSP-26-3318 under investigation',
  },
  {
    item: 'LBL-IS200',
    location: 'WH1/RM/B-01',
    quantity: '4000',
    supplier: 'SUP-PACK',
    legacyLot: '26-0431',
    supplierLot: 'SSP-26-3350',
    madeDaysAgo: 50,
  },
  { item: 'CTN-50', location: 'WH1/RM/B-01', quantity: '300', supplier: 'SUP-PACK', legacyLot: 'carton stock', madeDaysAgo: 40 },
  { item: 'IS-200', location: 'WH1/FG', quantity: '500', legacyLot: 'IS200-2609-01', madeDaysAgo: 62 },
  { item: 'IS-200', location: 'WH1/FG', quantity: '350', legacyLot: 'IS200-2610-02', madeDaysAgo: 21 },
];

export async function seedInventory(tx: Tx, seed: DemoSeed): Promise<void> {
  const today = await siteToday(tx, seed.siteId);
  const day = (offset: number) => addDays(today, offset);
  const locations = new Map((await listLocations(tx, { siteId: seed.siteId, limit: 100 })).items.map((l) => [l.code, l.id]));
  const suppliers = new Map((await listSuppliers(tx, { limit: 100 })).items.map((s) => [s.code, s.id]));
  let lots = 0;
  for (const o of OPENING) {
    const item = await findItemByCode(tx, o.item);
    const locationId = locations.get(o.location);
    if (!item || !locationId) throw new Error(`demo opening stock needs item ${o.item} and location ${o.location} of the master data seed`);
    const taken = await takeOverStock(tx, {
      itemId: item.id,
      locationId,
      quantity: o.quantity,
      supplierId: o.supplier ? suppliers.get(o.supplier) : undefined,
      supplierLot: o.supplierLot,
      manufacturedOn: day(-o.madeDaysAgo),
      expiresOn: o.expiresInDays === undefined ? undefined : day(o.expiresInDays),
      status: o.status ?? 'released',
      holdReason: o.holdReason,
      source: `previous ERP, lot ${o.legacyLot} (stock count at go-live)`,
    });
    lots += taken.lots.length;
  }
  seed.notes.push(`inventory: opening stock taken over from the previous ERP, ${lots} lots (one on hold) and untracked cartons`);
}
