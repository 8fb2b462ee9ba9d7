import { LOT_STATUSES, type LotStatus } from './types';

/** The inventory screens' state kept in their address, so a filtered list can be linked to and reloaded. */

export const LOT_VIEWS = ['all', 'in_stock', 'quarantine', 'on_hold', 'expiring'] as const;
export type LotView = (typeof LOT_VIEWS)[number];

/** The lot list: quick view, item, status, expiry bound. */
export interface LotsSearch {
  view?: LotView;
  itemId?: string;
  status?: LotStatus;
  expiresBefore?: string;
}

export function lotsSearch(s: Record<string, unknown>): LotsSearch {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const view = LOT_VIEWS.find((v) => v === s.view);
  const status = LOT_STATUSES.find((v) => v === s.status);
  const date = text(s.expiresBefore);
  return {
    ...(view && view !== 'all' ? { view } : {}),
    ...(text(s.itemId) ? { itemId: text(s.itemId) } : {}),
    ...(status ? { status } : {}),
    ...(date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { expiresBefore: date } : {}),
  };
}

/** What the stock overview keeps in its address: one location or the whole site, an item filter, the item opened. */
export interface OnHandSearch {
  locationId?: string;
  itemId?: string;
  item?: string;
}

export function onHandSearch(s: Record<string, unknown>): OnHandSearch {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    ...(text(s.locationId) ? { locationId: text(s.locationId) } : {}),
    ...(text(s.itemId) ? { itemId: text(s.itemId) } : {}),
    ...(text(s.item) ? { item: text(s.item) } : {}),
  };
}
