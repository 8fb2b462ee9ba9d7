import type { Tx } from '../../platform/db/index.js';
import { Conflict } from '../../platform/errors.js';
import { getItem, getLocation } from '../masterdata/index.js';
import type { LotStatus } from './model.js';

/** What inventory needs to know of an item and a location, read through masterdata's services. */
export interface StockItem {
  id: string;
  code: string;
  tracking: 'lot' | 'serial' | 'none';
  shelfLifeDays: number | null;
}

export interface StockLocation {
  id: string;
  code: string;
  siteId: string;
  kind: LocationKind;
}
export type LocationKind = 'quarantine' | 'released' | 'rejected' | 'production' | 'shipping';

export async function stockItem(tx: Tx, id: string): Promise<StockItem> {
  const item = await getItem(tx, id);
  return { id: item.id, code: item.code, tracking: item.tracking, shelfLifeDays: item.shelfLifeDays ?? null };
}

export async function stockLocation(tx: Tx, id: string): Promise<StockLocation> {
  const location = await getLocation(tx, id);
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
