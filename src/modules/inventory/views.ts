import { type Static, Type } from 'typebox';
import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { DecimalString } from '../../platform/decimal.js';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { type ManifestedSignature, manifestedSignatures, withManifestations } from '../../platform/esign/index.js';
import type { RecordNames } from '../../platform/module.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { Id, Nullable } from '../../platform/schema.js';
import {
  Balance,
  LOT_KINDS,
  Lot,
  type LotStatus,
  Movement,
  MovementSource,
  type MovementType,
  type SourceKind,
  StatusChange,
} from './contract.js';
import { LOT_MACHINE, lotHistory, MOVEMENT_COLUMNS } from './lots.js';
import { ItemRef, LocationRef, MasterNames, SupplierRef } from './names.js';
import type { BalanceRow, FefoSuggestion, ItemTotal } from './stock.js';

/**
 * What the inventory screens read: lots, movements and balances with the names of the item,
 * locations and supplier they refer to, and a lot's page in one answer.
 */

const Quantity = DecimalString();

export const StockAt = Type.Object({ location: LocationRef, quantity: Quantity });

export const LotView = Type.Object({
  ...Lot.properties,
  item: ItemRef,
  revision: Nullable(Type.String({ description: 'the item revision letter' })),
  supplier: Nullable(SupplierRef),
  stock: Type.Array(StockAt, { description: 'on hand per location, largest first' }),
});
export type LotView = Static<typeof LotView>;

/** The source link as a screen shows it: with how people know the record. */
export const SourceView = Type.Object({
  ...MovementSource.properties,
  label: Nullable(
    Type.String({ description: "the record's number, e.g. the goods receipt GR-2026-00012; null for inventory's own operations" }),
  ),
});
export type SourceView = Static<typeof SourceView>;

export const MovementView = Type.Object({
  ...Movement.properties,
  source: Nullable(SourceView),
  item: ItemRef,
  lotNumber: Nullable(Type.String()),
  fromLocation: Nullable(LocationRef),
  toLocation: Nullable(LocationRef),
  /** The signature (meaning verified) of an adjustment; null for other movements. */
  signature: Nullable(SignatureSchema),
});
export type MovementView = Static<typeof MovementView>;

/** Each lot with its item, revision, supplier and where its stock is (one query for all balances). */
export async function describeLots(tx: Tx, lots: Lot[], names = new MasterNames(tx)): Promise<LotView[]> {
  const ids = lots.map((l) => l.id);
  const { rows } = await tx.query<{ lotId: string; locationId: string; quantity: string }>(sql`SELECT lot_id AS "lotId",
      location_id AS "locationId", quantity::text AS quantity
    FROM stock_balances WHERE tenant_id = mf_current_tenant() AND lot_id = ANY(${ids}::uuid[]) AND quantity > 0
    ORDER BY quantity DESC, location_id`);
  const views: LotView[] = [];
  for (const lot of lots) {
    const stock = [];
    for (const b of rows.filter((r) => r.lotId === lot.id))
      stock.push({ location: await names.location(b.locationId), quantity: b.quantity });
    views.push({
      ...lot,
      item: await names.item(lot.itemId),
      revision: lot.itemRevisionId ? await names.revision(lot.itemRevisionId) : null,
      supplier: lot.supplierId ? await names.supplier(lot.supplierId) : null,
      stock,
    });
  }
  return views;
}

/** Every module's record names by referring column (`ModuleDeps.recordNames`): how a source record is labelled. */
export type RecordNameBook = ReadonlyMap<string, RecordNames>;

/**
 * The referring column whose record names label each kind of source record, looked up through
 * the owning module's `recordNames` (inventory reads no other module's tables). Inventory's own
 * operations have no label: the movement type says what they were.
 */
const NAMED_AS: Partial<Record<SourceKind, string>> = {
  purchase_receipt: 'receipt_id',
  nonconformance: 'nonconformance_id',
  shipment: 'shipment_id',
  customer_return: 'customer_return_id',
  work_order: 'work_order_id',
};

/** The labels of a page's source records: one look-up per kind, whatever the number of rows. */
async function sourceLabels(
  tx: Tx,
  movements: ReadonlyArray<Static<typeof Movement>>,
  book?: RecordNameBook,
): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const idsByKind = new Map<SourceKind, Set<string>>();
  for (const { source } of movements) {
    if (source && NAMED_AS[source.kind]) idsByKind.set(source.kind, (idsByKind.get(source.kind) ?? new Set()).add(source.id));
  }
  for (const [kind, ids] of idsByKind) {
    const lookup = book?.get(NAMED_AS[kind]!);
    for (const r of lookup ? await lookup(tx, [...ids]) : []) labels.set(`${kind}:${r.id}`, r.code);
  }
  return labels;
}

async function describeMovements(
  tx: Tx,
  movements: Array<Static<typeof Movement> & { lotNumber: string | null }>,
  names: MasterNames,
  book?: RecordNameBook,
) {
  const labels = await sourceLabels(tx, movements, book);
  const views: MovementView[] = [];
  for (const m of movements) {
    const signed = m.movementType === 'adjustment' ? await manifestedSignatures(tx, 'stock_movements', m.id) : [];
    views.push({
      ...m,
      source: m.source && { ...m.source, label: labels.get(`${m.source.kind}:${m.source.id}`) ?? null },
      item: await names.item(m.itemId),
      fromLocation: await names.maybeLocation(m.fromLocationId),
      toLocation: await names.maybeLocation(m.toLocationId),
      signature: signed[0] ?? null,
    });
  }
  return views;
}

export interface MovementFilter {
  lotId?: string | undefined;
  itemId?: string | undefined;
  /** Movements into or out of the location. */
  locationId?: string | undefined;
  type?: MovementType | undefined;
  /** Default newest first; `createdAt` lists the ledger in the order it was written. */
  sort?: string | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

const MOVEMENT_SELECT = `SELECT ${MOVEMENT_COLUMNS}, l.number AS "lotNumber"
  FROM stock_movements m LEFT JOIN lots l ON l.tenant_id = m.tenant_id AND l.id = m.lot_id`;

/** The stock ledger in the order it was written (movement ids are time-ordered), newest first by default. */
export const MOVEMENTS: Listing<Static<typeof Movement>, 'createdAt'> = {
  name: 'inventory.movements',
  sorts: { createdAt: [] },
  defaultSort: '-createdAt',
  id: { sql: 'm.id', type: 'uuid', of: 'id' },
};

/** A page of the stock ledger. */
export async function listMovements(tx: Tx, f: MovementFilter, book?: RecordNameBook): Promise<Page<MovementView>> {
  const k = keyset(MOVEMENTS, { sort: f.sort, cursor: f.cursor, limit: f.limit ?? 100 });
  const where: SqlStatement[] = [
    sql`m.tenant_id = mf_current_tenant()`,
    ...(f.lotId ? [sql`m.lot_id = ${f.lotId}`] : []),
    ...(f.itemId ? [sql`m.item_id = ${f.itemId}`] : []),
    ...(f.locationId ? [sql`(m.from_location_id = ${f.locationId} OR m.to_location_id = ${f.locationId})`] : []),
    ...(f.type ? [sql`m.movement_type = ${f.type}`] : []),
    k.where,
  ];
  const conditions = where.reduce((acc, w) => sql`${acc} AND ${w}`);
  const { rows } = await tx.query<Static<typeof Movement> & { lotNumber: string | null }>(
    sql`${raw(MOVEMENT_SELECT)} WHERE ${conditions} ${k.orderBy} ${k.limit}`,
  );
  const page = toPage(k, rows);
  return { items: await describeMovements(tx, page.items, new MasterNames(tx), book), nextCursor: page.nextCursor };
}

/** The steps a person takes on a lot; the others (expire, consume, ship) follow from stock and time. */
export const LOT_STEPS = ['hold', 'unhold', 'release', 'reject'] as const;
export type LotStep = (typeof LOT_STEPS)[number];

/** The steps the lot's state machine allows from `status` (guards such as expiry are checked when taken). */
export function lotSteps(status: LotStatus): LotStep[] {
  const names = LOT_MACHINE.transitions.filter((t) => t.from.includes(status)).map((t) => t.name);
  return LOT_STEPS.filter((s) => names.includes(s));
}

export const LotDetail = Type.Object({
  lot: LotView,
  statusChanges: Type.Array(StatusChange),
  movements: Type.Array(MovementView),
  signatures: Type.Array(SignatureSchema, { description: "the lot's release or rejection, and its adjustments' signatures, oldest first" }),
  steps: Type.Array(Type.Enum(LOT_STEPS), { description: 'what the state machine allows next' }),
});
export type LotDetail = Static<typeof LotDetail>;

/** A lot's page: identity and names, stock per location, status history, ledger rows and every signature. */
export async function lotDetail(tx: Tx, lotId: string, book?: RecordNameBook): Promise<LotDetail> {
  const history = await lotHistory(tx, lotId);
  const names = new MasterNames(tx);
  const [lot] = await describeLots(tx, [history.lot], names);
  const lotNumber = history.lot.number;
  const movements = await describeMovements(
    tx,
    history.movements.map((m) => ({ ...m, lotNumber })),
    names,
    book,
  );
  const signatures = [
    ...(await withManifestations(tx, history.signatures)),
    ...movements.flatMap((m) => (m.signature ? [m.signature] : [])),
  ].sort((a, b) => a.signedAt.localeCompare(b.signedAt));
  return { lot: lot!, statusChanges: history.statusChanges, movements, signatures, steps: lotSteps(history.lot.status) };
}

/** The signature of the adjustment an operation booked, as the signer sees it right after signing. */
export async function adjustmentSignature(tx: Tx, operationId: string): Promise<{ movementId: string; signature: ManifestedSignature }> {
  const { rows } = await tx.query<{ id: string }>(sql`SELECT id FROM stock_movements
    WHERE tenant_id = mf_current_tenant() AND operation_id = ${operationId} AND movement_type = 'adjustment'`);
  const movementId = rows[0]!.id;
  const [signature] = await manifestedSignatures(tx, 'stock_movements', movementId);
  return { movementId, signature: signature! };
}

export const FefoLineView = Type.Object({
  lotId: Id,
  locationId: Id,
  lotNumber: Type.String(),
  supplierLot: Nullable(Type.String()),
  expiresOn: Nullable(Type.String({ format: 'date' })),
  location: LocationRef,
  available: Quantity,
  take: Quantity,
});

/** FEFO lines with the location's code and name, and the supplier lot a picker reads on the label. */
export async function describeFefo(tx: Tx, suggestion: FefoSuggestion) {
  const names = new MasterNames(tx);
  const ids = suggestion.lines.map((l) => l.lotId);
  const { rows } = await tx.query<{ id: string; supplierLot: string | null }>(
    sql`SELECT id, supplier_lot AS "supplierLot" FROM lots WHERE tenant_id = mf_current_tenant() AND id = ANY(${ids}::uuid[])`,
  );
  const lines = [];
  for (const { locationId, ...line } of suggestion.lines) {
    lines.push({
      ...line,
      locationId,
      supplierLot: rows.find((r) => r.id === line.lotId)?.supplierLot ?? null,
      location: await names.location(locationId),
    });
  }
  return { lines, shortfall: suggestion.shortfall };
}

export const BalanceView = Type.Object({
  ...Balance.properties,
  lotKind: Nullable(Type.Enum(LOT_KINDS)),
  supplierLot: Nullable(Type.String()),
  item: ItemRef,
  location: LocationRef,
});

/** Balances with their item and location named. */
export async function describeBalances(tx: Tx, balances: BalanceRow[]): Promise<Static<typeof BalanceView>[]> {
  const names = new MasterNames(tx);
  const views = [];
  for (const b of balances) views.push({ ...b, item: await names.item(b.itemId), location: await names.location(b.locationId) });
  return views;
}

export const ItemTotalView = Type.Object({
  itemId: Id,
  item: ItemRef,
  quantity: Quantity,
  available: Quantity,
  quarantine: Quantity,
  blocked: Quantity,
});

export async function describeItemTotals(tx: Tx, totals: ItemTotal[]): Promise<Static<typeof ItemTotalView>[]> {
  const names = new MasterNames(tx);
  const views = [];
  for (const t of totals) views.push({ ...t, item: await names.item(t.itemId) });
  return views;
}
