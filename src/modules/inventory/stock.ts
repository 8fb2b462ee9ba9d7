import { type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { BadRequest } from '../../platform/errors.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { siteToday } from '../../platform/tenancy/index.js';
import type { Balance } from './contract.js';

export interface OnHandFilter {
  itemId?: string | undefined;
  lotId?: string | undefined;
  locationId?: string | undefined;
  siteId?: string | undefined;
}

/** A balance with what a picker reads on the lot's label. */
export interface BalanceRow extends Balance {
  lotKind: 'lot' | 'serial' | null;
  supplierLot: string | null;
}

/** Stock on hand per item, lot and location, read from the balances the ledger maintains. */
export async function onHand(tx: Tx, f: OnHandFilter): Promise<BalanceRow[]> {
  const where: SqlStatement[] = [
    ...(f.itemId ? [sql`b.item_id = ${f.itemId}`] : []),
    ...(f.lotId ? [sql`b.lot_id = ${f.lotId}`] : []),
    ...(f.locationId ? [sql`b.location_id = ${f.locationId}`] : []),
    ...(f.siteId ? [sql`b.site_id = ${f.siteId}`] : []),
  ];
  if (where.length === 0) throw new BadRequest('name an item, lot, location or site', { code: 'error.inventory.onHandFilter' });
  const conditions = where.reduce((acc, w) => sql`${acc} AND ${w}`);
  const { rows } = await tx.query<BalanceRow>(sql`SELECT b.item_id AS "itemId", b.lot_id AS "lotId", l.number AS "lotNumber",
      l.kind AS "lotKind", l.status AS "lotStatus", l.expires_on AS "expiresOn", l.supplier_lot AS "supplierLot", b.location_id AS "locationId", b.site_id AS "siteId",
      b.quantity::text AS quantity
    FROM stock_balances b LEFT JOIN lots l ON l.tenant_id = b.tenant_id AND l.id = b.lot_id
    WHERE ${conditions} AND b.quantity > 0
    ORDER BY b.item_id, b.location_id, l.expires_on NULLS LAST, l.number`);
  return rows;
}

export interface ItemTotal {
  itemId: string;
  quantity: string;
  /** Released and not past expiry, or untracked: what may be issued or shipped. */
  available: string;
  /** Waiting for acceptance. */
  quarantine: string;
  /** On hold, rejected, expired, or released but past its expiry date. */
  blocked: string;
}

export interface ItemTotalFilter {
  siteId?: string | undefined;
  locationId?: string | undefined;
  itemId?: string | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * Totals per item for a whole site or one location, split into what is usable, what waits in
 * quarantine and what is blocked: the stock overview. Items in id (creation) order, paged.
 */
const ITEM_TOTALS: Listing<ItemTotal> = {
  name: 'inventory.itemTotals',
  sorts: { item: [] },
  defaultSort: 'item',
  id: { sql: 'b.item_id', type: 'uuid', of: 'itemId' },
};

export async function onHandByItem(tx: Tx, f: ItemTotalFilter): Promise<Page<ItemTotal>> {
  const where = f.locationId ? sql`b.location_id = ${f.locationId}` : f.siteId ? sql`b.site_id = ${f.siteId}` : undefined;
  if (!where) throw new BadRequest('name a site or a location', { code: 'error.inventory.onHandFilter' });
  const onDate = await siteToday(tx, f.locationId ? undefined : f.siteId);
  const usable = sql`(b.lot_id IS NULL OR (l.status = 'released' AND (l.expires_on IS NULL OR l.expires_on >= ${onDate})))`;
  const k = keyset(ITEM_TOTALS, { cursor: f.cursor, limit: f.limit ?? 100 });
  const { rows } = await tx.query<ItemTotal>(sql`SELECT b.item_id AS "itemId", sum(b.quantity)::text AS quantity,
      coalesce(sum(b.quantity) FILTER (WHERE ${usable}), 0)::text AS available,
      coalesce(sum(b.quantity) FILTER (WHERE l.status = 'quarantine'), 0)::text AS quarantine,
      coalesce(sum(b.quantity) FILTER (WHERE b.lot_id IS NOT NULL AND l.status <> 'quarantine' AND NOT ${usable}), 0)::text AS blocked
    FROM stock_balances b LEFT JOIN lots l ON l.tenant_id = b.tenant_id AND l.id = b.lot_id
    WHERE b.tenant_id = mf_current_tenant() AND ${where} AND b.quantity > 0
      AND (${f.itemId ?? null}::uuid IS NULL OR b.item_id = ${f.itemId ?? null})
      AND ${k.where}
    GROUP BY b.item_id ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}

export interface FefoLine {
  lotId: string;
  lotNumber: string;
  expiresOn: string | null;
  locationId: string;
  available: string;
  take: string;
}

export interface FefoSuggestion {
  lines: FefoLine[];
  /** What the usable stock of the site cannot cover; "0" when covered. */
  shortfall: string;
}

/**
 * First-expiry-first-out: usable lots (released, not past expiry) of the item at the site, the
 * earliest expiry first (no expiry last, then oldest lot), taking from each until `quantity` is met.
 */
export async function suggestFefo(tx: Tx, itemId: string, quantity: string | Decimal, siteId: string): Promise<FefoSuggestion> {
  const { rows } = await tx.query<Omit<FefoLine, 'take'>>(sql`SELECT b.lot_id AS "lotId", l.number AS "lotNumber",
      l.expires_on AS "expiresOn", b.location_id AS "locationId", b.quantity::text AS available
    FROM stock_balances b JOIN lots l ON l.tenant_id = b.tenant_id AND l.id = b.lot_id
    WHERE b.tenant_id = mf_current_tenant() AND b.item_id = ${itemId} AND b.site_id = ${siteId} AND b.quantity > 0
      AND l.status = 'released' AND (l.expires_on IS NULL OR l.expires_on >= ${await siteToday(tx, siteId)})
    ORDER BY l.expires_on NULLS LAST, l.id, b.location_id`);
  const lines: FefoLine[] = [];
  let open = dec(quantity, 'quantity');
  for (const row of rows) {
    if (open.lte(0)) break;
    const take = Decimal.min(open, new Decimal(row.available));
    lines.push({ ...row, take: decText(take) });
    open = open.minus(take);
  }
  return { lines, shortfall: decText(Decimal.max(open, 0)) };
}

export interface BalanceDifference {
  itemId: string;
  lotId: string | null;
  locationId: string;
  ledger: string;
  balance: string;
}

/**
 * Proves the maintained balances equal the ledger: sums every movement per item, lot and
 * location and names each key where the two differ (a balance changed outside the ledger).
 */
export async function verifyBalances(tx: Tx): Promise<{ keys: number; differences: BalanceDifference[] }> {
  const { rows } = await tx.query<{ keys: number; differences: BalanceDifference[] }>(sql`
    WITH ledger AS (
      SELECT item_id, lot_id, location_id, sum(q) AS quantity
        FROM (SELECT item_id, lot_id, to_location_id AS location_id, quantity AS q
                FROM stock_movements WHERE tenant_id = mf_current_tenant() AND to_location_id IS NOT NULL
              UNION ALL
              SELECT item_id, lot_id, from_location_id, -quantity
                FROM stock_movements WHERE tenant_id = mf_current_tenant() AND from_location_id IS NOT NULL) m
       GROUP BY 1, 2, 3),
    compared AS (
      SELECT coalesce(l.item_id, b.item_id) AS item_id, coalesce(l.lot_id, b.lot_id) AS lot_id,
             coalesce(l.location_id, b.location_id) AS location_id,
             coalesce(l.quantity, 0) AS ledger, coalesce(b.quantity, 0) AS balance
        FROM ledger l
        FULL JOIN (SELECT * FROM stock_balances WHERE tenant_id = mf_current_tenant()) b
          ON b.item_id = l.item_id AND b.location_id = l.location_id
         AND b.lot_key = coalesce(l.lot_id, '00000000-0000-0000-0000-000000000000'))
    SELECT count(*)::int AS keys,
           coalesce(json_agg(json_build_object('itemId', item_id, 'lotId', lot_id, 'locationId', location_id,
                                               'ledger', ledger::text, 'balance', balance::text)
                             ORDER BY item_id, location_id, lot_id) FILTER (WHERE ledger <> balance), '[]') AS differences
      FROM compared`);
  return rows[0] ?? { keys: 0, differences: [] };
}
