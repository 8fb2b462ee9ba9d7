import { type Static, Type } from 'typebox';
import { raw, type SqlStatement, sql, type Tx } from '../../platform/db/index.js';
import { type Decimal, DecimalString, dec, decText } from '../../platform/decimal.js';
import { Conflict } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { keyset, type Page, toPage } from '../../platform/paging.js';
import {
  allOf,
  asFieldError,
  Code,
  found,
  Id,
  inCreationOrder,
  type ListRequest,
  likePattern,
  Name,
  NullableInteger,
  updateRow,
  Version,
} from './common.js';
import { ITEM_TYPES, type ItemType, TRACKING_MODES, type Tracking } from './contract.js';
import { toGtin14 } from './gtin.js';
import { createFirstRevision } from './revisions.js';
import { validateItemConversions } from './units.js';
import { convertItemQuantity, ensureUnit, loadItemUnits, UnitCode } from './uom.js';

/** Units of measure and items: what is bought, made and sold, in which unit, and how it is traced. */

// Items

const ItemFields = {
  code: Code,
  name: Name,
  type: Type.Enum(ITEM_TYPES),
  baseUnit: UnitCode,
  tracking: Type.Enum(TRACKING_MODES),
  shelfLifeDays: NullableInteger({ minimum: 1, maximum: 36500, description: 'days from manufacture to expiry' }),
  gtin: Type.Union([Type.String({ pattern: '^[0-9]{8,14}$', description: 'GTIN-8/12/13/14, stored as GTIN-14' }), Type.Null()]),
  active: Type.Boolean(),
};
const Conversion = Type.Object({ unit: UnitCode, factor: DecimalString({ description: 'base units in one of this unit' }) });
export const Item = Type.Object({ id: Id, ...ItemFields, conversions: Type.Array(Conversion), version: Version });
export type Item = Static<typeof Item>;
export const NewItem = Type.Object(
  {
    ...ItemFields,
    shelfLifeDays: Type.Optional(ItemFields.shelfLifeDays),
    gtin: Type.Optional(ItemFields.gtin),
    active: Type.Optional(Type.Boolean()),
    conversions: Type.Optional(Type.Array(Conversion, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type NewItem = Static<typeof NewItem>;
/** Code, base unit and tracking are fixed at creation: stock, lots and BOM quantities depend on them. */
export const ItemChanges = Type.Partial(
  Type.Object({
    name: ItemFields.name,
    type: ItemFields.type,
    shelfLifeDays: ItemFields.shelfLifeDays,
    gtin: ItemFields.gtin,
    active: Type.Boolean(),
  }),
  { additionalProperties: false, minProperties: 1 },
);
export type ItemChanges = Static<typeof ItemChanges>;

const ITEM_COLUMNS = `SELECT i.id, i.code, i.name, i.type, i.base_unit AS "baseUnit", i.tracking, i.shelf_life_days AS "shelfLifeDays",
  i.gtin, i.active, i.version,
  coalesce((SELECT json_agg(json_build_object('unit', c.unit, 'factor', trim_scale(c.factor)::text) ORDER BY c.unit)
    FROM item_unit_conversions c WHERE c.item_id = i.id), '[]') AS conversions
  FROM items i`;

/** Creates the item with its first revision (A, draft) and its unit conversions. */
export async function createItem(tx: Tx, input: NewItem): Promise<Item> {
  await ensureUnit(tx, input.baseUnit, '/body/baseUnit');
  const gtin = await checkedGtin(tx, input.gtin ?? null);
  const id = uuidv7();
  await tx.query(sql`INSERT INTO items (id, code, name, type, base_unit, tracking, shelf_life_days, gtin, active)
    VALUES (${id}, ${input.code}, ${input.name}, ${input.type}, ${input.baseUnit}, ${input.tracking}, ${input.shelfLifeDays ?? null},
      ${gtin}, ${input.active ?? true})`);
  for (const c of input.conversions ?? []) await setItemConversion(tx, id, c.unit, c.factor);
  await createFirstRevision(tx, id);
  return getItem(tx, id);
}

export async function updateItem(tx: Tx, id: string, changes: ItemChanges, versions?: readonly number[]): Promise<Item> {
  const gtin = changes.gtin === undefined ? undefined : await checkedGtin(tx, changes.gtin, id);
  await updateRow(
    tx,
    'items',
    id,
    { ...changes, gtin },
    { name: 'name', type: 'type', shelfLifeDays: 'shelf_life_days', gtin: 'gtin', active: 'active' },
    versions,
  );
  return getItem(tx, id);
}

export async function getItem(tx: Tx, id: string): Promise<Item> {
  const { rows } = await tx.query<Item>(sql`${raw(ITEM_COLUMNS)} WHERE i.id = ${id}`);
  return found(rows[0], 'item', id, 'error.masterdata.item.notFound');
}

export async function findItemByCode(tx: Tx, code: string): Promise<Item | undefined> {
  const { rows } = await tx.query<Item>(sql`${raw(ITEM_COLUMNS)} WHERE i.code = ${code}`);
  return rows[0];
}

/**
 * An item as lists show it: with the revision in force and the one being changed, so a planner
 * sees at a glance what is released and an engineer what is in work.
 */
export const ItemSummary = Type.Object({
  ...Item.properties,
  releasedRevision: Type.Union([Type.String(), Type.Null()], { description: 'the released revision, in force for new work' }),
  inWorkRevision: Type.Union([Type.String(), Type.Null()], { description: 'the revision being changed (draft or in review)' }),
  inWorkStatus: Type.Union([Type.Enum(['draft', 'in_review']), Type.Null()]),
});
export type ItemSummary = Static<typeof ItemSummary>;

// At most one revision of an item is released and one in work (unique indexes in 0030).
const ITEM_SUMMARIES = `SELECT * FROM (SELECT it.*, rel.revision AS "releasedRevision", work.revision AS "inWorkRevision",
    work.status AS "inWorkStatus"
  FROM (${ITEM_COLUMNS}) it
  LEFT JOIN item_revisions rel ON rel.item_id = it.id AND rel.status = 'released'
  LEFT JOIN item_revisions work ON work.item_id = it.id AND work.status IN ('draft', 'in_review')) i`;

/** `?q=` finds an item by code, name or (part of) its GTIN, as a scanned GTIN-13 is part of the stored GTIN-14. */
function searchItems(q: string | undefined): SqlStatement[] {
  if (!q) return [];
  const pattern = likePattern(q);
  return [sql`(code ILIKE ${pattern} OR name ILIKE ${pattern} OR gtin LIKE ${pattern})`];
}

const ITEMS = inCreationOrder<ItemSummary>('items');

export async function listItems(
  tx: Tx,
  page: ListRequest & { type?: ItemType | undefined; tracking?: Tracking | undefined; active?: boolean | undefined },
): Promise<Page<ItemSummary>> {
  const where: SqlStatement[] = [
    ...searchItems(page.q),
    ...(page.type ? [sql`type = ${page.type}`] : []),
    ...(page.tracking ? [sql`tracking = ${page.tracking}`] : []),
    ...(page.active === undefined ? [] : [sql`active = ${page.active}`]),
  ];
  const k = keyset(ITEMS, page);
  const { rows } = await tx.query<ItemSummary>(sql`${raw(ITEM_SUMMARIES)} WHERE ${allOf(where, k)} ${k.orderBy} ${k.limit}`);
  return toPage(k, rows);
}

/** A GTIN must carry a valid check digit and name one trade item of the tenant (its own or a packaging level's). */
async function checkedGtin(tx: Tx, gtin: string | null, itemId?: string): Promise<string | null> {
  if (gtin === null) return null;
  const gtin14 = asFieldError(() => toGtin14(gtin), '/body/gtin');
  const { rows } = await tx.query<{ code: string }>(
    sql`SELECT code FROM items WHERE gtin = ${gtin14} AND id IS DISTINCT FROM ${itemId ?? null}
      UNION ALL SELECT i.code FROM item_packaging_levels p JOIN items i ON i.id = p.item_id
        WHERE p.gtin = ${gtin14} AND p.item_id IS DISTINCT FROM ${itemId ?? null}`,
  );
  if (rows[0]) {
    throw new Conflict(`GTIN ${gtin14} is already used by item ${rows[0].code}`, {
      code: 'error.masterdata.item.gtinInUse',
      params: { gtin: gtin14, item: rows[0].code },
    });
  }
  return gtin14;
}

// Conversions

/**
 * Sets how many base units one `unit` of this item is (a carton = 50 ea); the whole set must stay
 * consistent by the rules of units.ts. The audit trail keeps the old factor.
 */
export async function setItemConversion(tx: Tx, itemId: string, unit: string, factor: string, versions?: readonly number[]): Promise<Item> {
  const item = await getItem(tx, itemId);
  await updateRow(tx, 'items', itemId, {}, {}, versions);
  await ensureUnit(tx, unit, '/params/unit');
  const others = item.conversions.filter((c) => c.unit !== unit);
  const conversions = [...others, { unit, factor }].map((c) => ({ from: c.unit, to: item.baseUnit, factor: c.factor }));
  asFieldError(() => validateItemConversions(conversions), '/body/factor');
  await tx.query(sql`INSERT INTO item_unit_conversions (item_id, unit, factor) VALUES (${itemId}, ${unit}, ${factor})
    ON CONFLICT (tenant_id, item_id, unit) DO UPDATE SET factor = EXCLUDED.factor`);
  return getItem(tx, itemId);
}

/** Converts a quantity of an item between units exactly; a count must come out whole. */
export async function convertQuantity(tx: Tx, itemId: string, qty: string | Decimal, fromUnit: string, toUnit: string): Promise<string> {
  // One read: the item's base unit and conversions (an unknown item is a 404, as for getItem).
  const units = found((await loadItemUnits(tx, [itemId])).get(itemId), 'item', itemId, 'error.masterdata.item.notFound');
  return decText(convertItemQuantity(units, dec(qty, 'quantity'), fromUnit, toUnit));
}
