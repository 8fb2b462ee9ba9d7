import type { Tx } from '../../platform/db/index.js';
import { Conflict } from '../../platform/errors.js';
import { convertQuantity, getItem, getItemRevision, getLocation, getLocations } from '../masterdata/index.js';
import type { LotStatus } from './contract.js';

/** What inventory needs to know of an item and a location, read through masterdata's services. */
export interface StockItem {
  id: string;
  code: string;
  tracking: 'lot' | 'serial' | 'none';
  shelfLifeDays: number | null;
  baseUnit: string;
}

export interface StockLocation {
  id: string;
  code: string;
  siteId: string;
  kind: LocationKind;
}
export type LocationKind = 'quarantine' | 'released' | 'rejected' | 'production' | 'shipping';

/** An item and a location as masterdata answers them (a caller may hand over what it already read). */
export type MasterItem = Awaited<ReturnType<typeof getItem>>;
export type MasterLocation = Awaited<ReturnType<typeof getLocation>>;

export async function stockItem(tx: Tx, id: string): Promise<StockItem> {
  return asStockItem(await getItem(tx, id));
}

export function asStockItem(item: MasterItem): StockItem {
  return { id: item.id, code: item.code, tracking: item.tracking, shelfLifeDays: item.shelfLifeDays ?? null, baseUnit: item.baseUnit };
}

/** Refuses a revision that is not one of the item's. */
export async function assertRevisionOf(tx: Tx, item: StockItem, revisionId: string): Promise<void> {
  const revision = await getItemRevision(tx, revisionId);
  if (revision.itemId !== item.id) {
    throw new Conflict(`revision ${revision.revision} is not a revision of item ${item.code}`, {
      code: 'error.inventory.revisionItem',
      params: { item: item.code, revision: revision.revision },
    });
  }
}

/** A quantity in the item's base unit (the ledger's unit), converted by masterdata from `unit`. */
export async function inBaseUnit(tx: Tx, item: StockItem, quantity: string, unit: string | undefined): Promise<string> {
  return unit && unit !== item.baseUnit ? convertQuantity(tx, item.id, quantity, unit, item.baseUnit) : quantity;
}

export async function stockLocation(tx: Tx, id: string): Promise<StockLocation> {
  return activeLocation(await getLocation(tx, id));
}

/** Both ends of a movement in one read. */
export async function stockLocations(tx: Tx, ids: readonly string[]): Promise<StockLocation[]> {
  return (await getLocations(tx, ids)).map(activeLocation);
}

/** A location stock may move through: refused when inactive. */
export function activeLocation(location: MasterLocation): StockLocation {
  if (!location.active) {
    throw new Conflict(`location ${location.code} is inactive`, {
      code: 'error.inventory.location.inactive',
      params: { location: location.code },
    });
  }
  return { id: location.id, code: location.code, siteId: location.siteId, kind: location.kind };
}

/**
 * Which lot statuses each kind of location may receive: quarantine stock stays out of released,
 * production and shipping locations; released stock stays out of quarantine; only usable stock
 * reaches production and shipping ([P11.10f]).
 */
export const ADMITS: Record<LocationKind, readonly LotStatus[]> = {
  quarantine: ['quarantine', 'on_hold', 'expired'],
  released: ['released'],
  rejected: ['rejected', 'on_hold', 'expired'],
  production: ['released'],
  shipping: ['released'],
};
