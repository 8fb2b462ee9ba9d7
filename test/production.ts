import { takeOverStock } from '../src/modules/inventory/index.js';
import { setBom } from '../src/modules/masterdata/bom.js';
import { setItemConversion } from '../src/modules/masterdata/items.js';
import { createWorkCenter } from '../src/modules/masterdata/resources.js';
import { createNextRevision } from '../src/modules/masterdata/revisions.js';
import { setRouting } from '../src/modules/masterdata/routing.js';
import { createWorkOrder, transitionWorkOrder, type WorkOrder } from '../src/modules/production/index.js';
import { addDays } from '../src/platform/dates.js';
import type { Database, Tx } from '../src/platform/db/index.js';
import { siteToday, withTenant } from '../src/platform/tenancy/index.js';
import { createSigner, type Signer } from './identity.js';
import { type StockWorld, stockWorld } from './inventory.js';
import { anItem, firstRevisionId, release } from './masterdata.js';

/**
 * The world every production scenario starts from: the stock places of test/inventory.ts, a
 * counted device (DEV) whose released revision A has a BOM — 150 cm of tubing (base unit m) with
 * 2 % scrap, 2 caps with 1 % scrap, 0.02 carton (50 per carton) — and a two-step routing, and the
 * QA person who releases revisions.
 */
export interface ProductionWorld extends StockWorld {
  qa: Signer;
  device: { id: string; revisionA: string };
  parts: { cap: string; carton: string };
  workCenter: string;
  today: string;
}

/** The GTIN printed on the caps' labels. */
export const CAP_GTIN = '09506000134352';

export async function productionWorld(db: Database): Promise<ProductionWorld> {
  const w = await stockWorld(db);
  const qa = await createSigner(db, w, { roles: ['QA Manager'] });
  const built = await w.tx(async (tx) => {
    const today = await siteToday(tx, w.site.id);
    const device = await anItem(tx, { code: `DEV-${Math.random().toString(36).slice(2, 8).toUpperCase()}`, type: 'finished_device' });
    const cap = await anItem(tx, { name: 'Cap', gtin: CAP_GTIN });
    const carton = await anItem(tx, { name: 'Carton', type: 'packaging' });
    await setItemConversion(tx, carton.id, 'carton', '50');
    const workCenter = await createWorkCenter(tx, { code: 'ASSY', name: 'Assembly', siteId: w.site.id, capacityHoursPerDay: '8' });
    const revisionA = await firstRevisionId(tx, device.id);
    await setBom(tx, revisionA, [
      { lineNo: 10, componentItemId: w.items.tubing, quantityPer: '150', unit: 'cm', scrapFactor: '0.02' },
      { lineNo: 20, componentItemId: cap.id, quantityPer: '2', unit: 'ea', scrapFactor: '0.01' },
      { lineNo: 30, componentItemId: carton.id, quantityPer: '0.02', unit: 'carton' },
    ]);
    await setRouting(tx, revisionA, [
      { sequence: 10, name: 'Assemble', workCenterId: workCenter.id, setupMinutes: '15', runMinutesPerUnit: '1.5' },
      { sequence: 20, name: 'Leak test', workCenterId: workCenter.id, inspectionPoints: ['No pressure drop at 50 kPa'] },
    ]);
    return { today, device: { id: device.id, revisionA }, parts: { cap: cap.id, carton: carton.id }, workCenter: workCenter.id };
  });
  await withTenant(db, qa.ctx, (tx) => release(tx, qa, built.device.revisionA));
  return { ...w, ...built, qa };
}

/** A released lot of an item in the store (or on hold / quarantine elsewhere), taken over at go-live. */
export async function stockLot(
  tx: Tx,
  w: ProductionWorld,
  itemId: string,
  quantity: string,
  opts: { status?: 'released' | 'on_hold' | 'quarantine'; expiresOn?: string; itemRevisionId?: string; locationId?: string } = {},
) {
  const status = opts.status ?? 'released';
  const { lots } = await takeOverStock(tx, {
    itemId,
    locationId: opts.locationId ?? (status === 'released' ? w.locations.store : w.locations.quarantine),
    quantity,
    status,
    manufacturedOn: addDays(w.today, -30),
    ...(opts.expiresOn ? { expiresOn: opts.expiresOn } : {}),
    ...(opts.itemRevisionId ? { itemRevisionId: opts.itemRevisionId } : {}),
    ...(status === 'on_hold' ? { holdReason: 'supplier notice' } : {}),
    source: 'legacy ERP',
  });
  return lots[0]!;
}

/** A work order for the device, released unless said otherwise. */
export async function aWorkOrder(tx: Tx, w: ProductionWorld, quantity = '7', opts: { draft?: boolean } = {}): Promise<WorkOrder> {
  const order = await createWorkOrder(tx, {
    itemRevisionId: w.device.revisionA,
    quantity,
    siteId: w.site.id,
    dueDate: addDays(w.today, 14),
  });
  if (opts.draft) return order;
  return transitionWorkOrder(tx, w.ctx, order.id, { to: 'released' });
}

/** Revision B of an item with another BOM, released by QA. */
export async function nextRevisionWithBom(db: Database, w: ProductionWorld, itemId: string, bom: Parameters<typeof setBom>[2]) {
  const revision = await w.tx(async (tx) => {
    const next = await createNextRevision(tx, itemId, 'changed BOM');
    if (bom.length) await setBom(tx, next.id, bom);
    return next;
  });
  await withTenant(db, w.qa.ctx, (tx) => release(tx, w.qa, revision.id));
  return revision.id;
}
