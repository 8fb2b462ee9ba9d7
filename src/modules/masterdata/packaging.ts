import { sql, type Tx } from '../../platform/db/index.js';
import { BadRequest, Conflict, type FieldError, invalidFields } from '../../platform/errors.js';
import { found, updateRow } from './common.js';
import {
  type ItemPackaging,
  type ItemPackagingLevel,
  PACKAGING_LEVELS,
  type PackagingLevel,
  type PackagingLevelInput,
} from './contract.js';
import { toGtin14 } from './gtin.js';
import { getItem } from './items.js';

/**
 * Packaging levels of a trade item (GS1 packaging hierarchy): each level a GTIN of its own, the
 * UDI-DI printed on labels of that level, holding a whole number of the level below. The set is
 * replaced as a whole, like a BOM, because a level's meaning depends on the others.
 */

const rank = (level: PackagingLevel): number => PACKAGING_LEVELS.indexOf(level);

/** Every objection to a set of levels at once; the GTINs come back as GTIN-14. */
function checkLevels(levels: readonly PackagingLevelInput[]): PackagingLevelInput[] {
  const errors: FieldError[] = [];
  const at = (i: number, field: string) => `/body/levels/${i}/${field}`;
  const byLevel = new Map(levels.map((l) => [l.level, l]));
  const seenLevels = new Set<string>();
  const seenGtins = new Set<string>();
  const contained = new Set<string>();
  const checked = levels.map((l, i) => {
    let gtin = l.gtin;
    try {
      gtin = toGtin14(l.gtin, 'gtin');
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      errors.push({
        pointer: at(i, 'gtin'),
        message: err.message,
        ...(err.code ? { code: err.code } : {}),
        ...(err.params ? { params: err.params } : {}),
      });
    }
    if (seenLevels.has(l.level)) {
      errors.push({
        pointer: at(i, 'level'),
        message: `level ${l.level} is given twice`,
        code: 'error.masterdata.packaging.duplicateLevel',
        params: { level: l.level },
      });
    }
    seenLevels.add(l.level);
    if (seenGtins.has(gtin)) {
      errors.push({
        pointer: at(i, 'gtin'),
        message: `GTIN ${gtin} is given to two levels`,
        code: 'error.masterdata.packaging.duplicateGtin',
        params: { gtin },
      });
    }
    seenGtins.add(gtin);
    if (l.contains === null) {
      if (l.quantity !== 1) {
        errors.push({
          pointer: at(i, 'quantity'),
          message: 'the lowest level counts one',
          code: 'error.masterdata.packaging.lowestQuantity',
          params: { level: l.level },
        });
      }
    } else if (!byLevel.has(l.contains)) {
      errors.push({
        pointer: at(i, 'contains'),
        message: `level ${l.contains} is not among the levels`,
        code: 'error.masterdata.packaging.containsMissing',
        params: { level: l.level, contains: l.contains },
      });
    } else if (rank(l.contains) >= rank(l.level)) {
      errors.push({
        pointer: at(i, 'contains'),
        message: `${l.level} cannot contain ${l.contains}`,
        code: 'error.masterdata.packaging.containsHigher',
        params: { level: l.level, contains: l.contains },
      });
    } else if (contained.has(l.contains)) {
      errors.push({
        pointer: at(i, 'contains'),
        message: `${l.contains} is packed in two levels`,
        code: 'error.masterdata.packaging.containedTwice',
        params: { level: l.level, contains: l.contains },
      });
    } else contained.add(l.contains);
    return { ...l, gtin };
  });
  if (levels.filter((l) => l.contains === null).length > 1) {
    errors.push({
      pointer: '/body/levels',
      message: 'only the lowest level contains no other',
      code: 'error.masterdata.packaging.oneLowest',
      params: {},
    });
  }
  if (errors.length) throw invalidFields('the packaging levels are not valid', errors, 'error.validation');
  return checked;
}

/** A GTIN names one trade item of the tenant: another item's GTIN or packaging level is a conflict. */
async function assertGtinsFree(tx: Tx, itemId: string, gtins: readonly string[]): Promise<void> {
  if (!gtins.length) return;
  const { rows } = await tx.query<{ gtin: string; code: string }>(sql`
    SELECT i.gtin, i.code FROM items i WHERE i.gtin = ANY (${[...gtins]}::text[]) AND i.id <> ${itemId}
    UNION ALL
    SELECT p.gtin, i.code FROM item_packaging_levels p JOIN items i ON i.id = p.item_id
      WHERE p.gtin = ANY (${[...gtins]}::text[]) AND p.item_id <> ${itemId}`);
  const used = rows[0];
  if (used) {
    throw new Conflict(`GTIN ${used.gtin} is already used by item ${used.code}`, {
      code: 'error.masterdata.item.gtinInUse',
      params: { gtin: used.gtin, item: used.code },
    });
  }
}

/** The item's packaging levels, lowest first, with the units of the lowest level each holds. */
export async function getPackagingLevels(tx: Tx, itemId: string): Promise<ItemPackaging> {
  const item = await getItem(tx, itemId);
  const { rows } = await tx.query<Omit<ItemPackagingLevel, 'baseQuantity'>>(sql`
    SELECT level, gtin, quantity, contains_level AS contains FROM item_packaging_levels WHERE item_id = ${itemId}`);
  const byLevel = new Map(rows.map((r) => [r.level, r]));
  const baseQuantity = (level: PackagingLevel): number => {
    const row = byLevel.get(level);
    return !row || row.contains === null ? 1 : row.quantity * baseQuantity(row.contains);
  };
  const levels = rows.sort((a, b) => rank(a.level) - rank(b.level)).map((r) => ({ ...r, baseQuantity: baseQuantity(r.level) }));
  return { itemId, version: item.version, levels };
}

/** One level of the item; 404 when the item has no such level. */
export async function getPackagingLevel(tx: Tx, itemId: string, level: PackagingLevel): Promise<ItemPackagingLevel> {
  const { levels } = await getPackagingLevels(tx, itemId);
  return found(
    levels.find((l) => l.level === level),
    'packaging level',
    level,
    'error.masterdata.packaging.levelNotFound',
  );
}

/** Replaces the item's packaging levels (the trail keeps the old ones); counts as a change of the item (If-Match). */
export async function setPackagingLevels(
  tx: Tx,
  itemId: string,
  levels: readonly PackagingLevelInput[],
  versions?: readonly number[],
): Promise<ItemPackaging> {
  const checked = checkLevels(levels);
  await getItem(tx, itemId);
  await assertGtinsFree(
    tx,
    itemId,
    checked.map((l) => l.gtin),
  );
  await updateRow(tx, 'items', itemId, {}, {}, versions);
  const current = await tx.query<{ level: string }>(sql`SELECT level FROM item_packaging_levels WHERE item_id = ${itemId}`);
  const kept = new Set(checked.map((l) => l.level));
  const gone = current.rows.map((r) => r.level).filter((l) => !kept.has(l as PackagingLevel));
  if (gone.length) await tx.query(sql`DELETE FROM item_packaging_levels WHERE item_id = ${itemId} AND level = ANY (${gone}::text[])`);
  for (const l of checked) {
    await tx.query(sql`INSERT INTO item_packaging_levels (item_id, level, gtin, quantity, contains_level)
      VALUES (${itemId}, ${l.level}, ${l.gtin}, ${l.quantity}, ${l.contains})
      ON CONFLICT (tenant_id, item_id, level) DO UPDATE SET gtin = EXCLUDED.gtin, quantity = EXCLUDED.quantity,
        contains_level = EXCLUDED.contains_level`);
  }
  return getPackagingLevels(tx, itemId);
}

/** A device identifier as the UDI database export lists it: the item and one of its GTINs. */
export interface DeviceIdentifier {
  itemId: string;
  code: string;
  name: string;
  type: string;
  tracking: string;
  baseUnit: string;
  shelfLifeDays: number | null;
  active: boolean;
  releasedRevision: string | null;
  /** The item's own GTIN when `level` is null. */
  level: PackagingLevel | null;
  gtin: string;
  quantity: number;
  contains: PackagingLevel | null;
  containsGtin: string | null;
}

/** Every GTIN of the tenant's items (the item's own and each packaging level's), by item code, lowest level first. */
export async function listDeviceIdentifiers(tx: Tx): Promise<DeviceIdentifier[]> {
  const { rows } = await tx.query<DeviceIdentifier>(sql`
    WITH dis AS (
      SELECT i.id AS item_id, NULL::text AS level, i.gtin, 1 AS quantity, NULL::text AS contains_level, NULL::text AS contains_gtin, -1 AS rank
        FROM items i WHERE i.gtin IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM item_packaging_levels p WHERE p.item_id = i.id AND p.gtin = i.gtin)
      UNION ALL
      SELECT p.item_id, p.level, p.gtin, p.quantity, p.contains_level, c.gtin,
        array_position(${[...PACKAGING_LEVELS]}::text[], p.level)
        FROM item_packaging_levels p
        LEFT JOIN item_packaging_levels c ON c.item_id = p.item_id AND c.level = p.contains_level)
    SELECT i.id AS "itemId", i.code, i.name, i.type, i.tracking, i.base_unit AS "baseUnit", i.shelf_life_days AS "shelfLifeDays",
      i.active, r.revision AS "releasedRevision", d.level, d.gtin, d.quantity, d.contains_level AS contains, d.contains_gtin AS "containsGtin"
    FROM dis d JOIN items i ON i.id = d.item_id
    LEFT JOIN item_revisions r ON r.item_id = i.id AND r.status = 'released'
    ORDER BY i.code, d.rank`);
  return rows;
}
