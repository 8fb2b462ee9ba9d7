import { type Static, Type } from 'typebox';
import { sql, type Tx } from '../../platform/db/index.js';
import { type Decimal, DecimalString, dec, decText } from '../../platform/decimal.js';
import { Conflict } from '../../platform/errors.js';
import { siteDay } from '../../platform/tenancy/index.js';
import { Id } from './common.js';
import { REVISION_STATUSES } from './contract.js';
import { getItem } from './items.js';
import { getItemRevision } from './revisions.js';
import { convertRequirement, loadItemUnits } from './uom.js';

/**
 * The BOM as a graph over all levels: the cycle check on write, where-used (upwards) and the
 * multi-level explosion (downwards). Edges run from an item to the components of its revisions
 * that are not obsolete.
 */

/**
 * Refuses components that would make an item contain itself at any depth: none of them may be the
 * item or contain it. Checked before writing; structure writes of a tenant take one
 * transaction-scoped lock, so two concurrent edits cannot close a cycle between them.
 */
export async function assertNoBomCycle(tx: Tx, itemId: string, componentIds: readonly string[]): Promise<void> {
  await tx.query(sql`SELECT pg_advisory_xact_lock(hashtextextended('mf:bom:' || mf_current_tenant()::text, 0))`);
  const { rows } = await tx.query<{ code: string }>(sql`
    WITH RECURSIVE reach (start_id, item_id) AS (
      SELECT c, c FROM unnest(${[...componentIds]}::uuid[]) AS c
      UNION
      SELECT reach.start_id, bl.component_item_id
        FROM reach
        JOIN item_revisions r ON r.item_id = reach.item_id AND r.status <> 'obsolete'
        JOIN bom_lines bl ON bl.item_revision_id = r.id
       WHERE reach.item_id <> ${itemId}
    )
    SELECT i.code FROM reach JOIN items i ON i.id = reach.start_id WHERE reach.item_id = ${itemId} ORDER BY i.code LIMIT 1`);
  if (rows[0]) {
    const item = await getItem(tx, itemId);
    throw new Conflict(`the BOM would make ${item.code} contain itself through ${rows[0].code}`, {
      code: 'error.masterdata.bom.cycle',
      params: { item: item.code, via: rows[0].code },
    });
  }
}

export const WhereUsedRow = Type.Object({
  level: Type.Integer({ description: '1: uses the item directly; 2: uses an assembly that uses it; …' }),
  itemId: Id,
  itemCode: Type.String(),
  itemName: Type.String(),
  itemRevisionId: Id,
  revision: Type.String(),
  revisionStatus: Type.Enum(REVISION_STATUSES),
  componentItemId: Id,
  quantityPer: DecimalString(),
  unit: Type.String(),
});
export type WhereUsedRow = Static<typeof WhereUsedRow>;

/**
 * Every revision (not obsolete) that uses the item, at any level: the first question of a
 * change's impact analysis. Shortest level first, then by code.
 */
export async function whereUsed(tx: Tx, itemId: string): Promise<WhereUsedRow[]> {
  await getItem(tx, itemId);
  const { rows } = await tx.query<WhereUsedRow>(sql`
    WITH RECURSIVE used (level, item_id, item_revision_id, component_item_id, quantity_per, unit, path) AS (
      SELECT 1, r.item_id, r.id, bl.component_item_id, bl.quantity_per, bl.unit, ARRAY[bl.component_item_id, r.item_id]
        FROM bom_lines bl JOIN item_revisions r ON r.id = bl.item_revision_id
       WHERE bl.component_item_id = ${itemId} AND r.status <> 'obsolete'
      UNION ALL
      SELECT u.level + 1, r.item_id, r.id, bl.component_item_id, bl.quantity_per, bl.unit, u.path || r.item_id
        FROM used u
        JOIN bom_lines bl ON bl.component_item_id = u.item_id
        JOIN item_revisions r ON r.id = bl.item_revision_id AND r.status <> 'obsolete'
       WHERE r.item_id <> ALL (u.path)
    )
    SELECT u.level, u.item_id AS "itemId", i.code AS "itemCode", i.name AS "itemName", u.item_revision_id AS "itemRevisionId",
           r.revision, r.status AS "revisionStatus", u.component_item_id AS "componentItemId",
           trim_scale(u.quantity_per)::text AS "quantityPer", u.unit
      FROM used u JOIN items i ON i.id = u.item_id JOIN item_revisions r ON r.id = u.item_revision_id
     ORDER BY u.level, i.code, r.revision, u.component_item_id`);
  return rows;
}

export const ExplosionLine = Type.Object({
  level: Type.Integer(),
  path: Type.String({ description: 'position in the tree by line numbers, e.g. 20.10' }),
  parentItemId: Id,
  componentItemId: Id,
  componentCode: Type.String(),
  componentName: Type.String(),
  componentRevisionId: Type.Union([Id, Type.Null()], { description: 'the revision in force on the date; null for a leaf without one' }),
  componentRevision: Type.Union([Type.String(), Type.Null()]),
  quantityPer: DecimalString(),
  unit: Type.String(),
  scrapFactor: DecimalString(),
  referenceDesignator: Type.Union([Type.String(), Type.Null()]),
  quantity: DecimalString({ description: 'gross quantity for the exploded quantity, in the component base unit' }),
  baseUnit: Type.String(),
});
export type ExplosionLine = Static<typeof ExplosionLine>;
export const Explosion = Type.Object({
  itemRevisionId: Id,
  quantity: DecimalString(),
  onDate: Type.String({ format: 'date' }),
  lines: Type.Array(ExplosionLine),
  totals: Type.Array(
    Type.Object({ componentItemId: Id, componentCode: Type.String(), quantity: DecimalString(), baseUnit: Type.String() }),
  ),
});
export type Explosion = Static<typeof Explosion>;

interface TreeRow {
  level: number;
  lineIds: string[];
  lineNos: number[];
  parentItemId: string;
  componentItemId: string;
  componentCode: string;
  componentName: string;
  componentRevisionId: string | null;
  componentRevision: string | null;
  quantityPer: string;
  unit: string;
  scrapFactor: string;
  referenceDesignator: string | null;
  baseUnit: string;
}

/**
 * Multi-level explosion of a revision for a quantity on a day: below the top, each sub-assembly
 * is exploded by its revision in force on that day (released then, not yet superseded). Each
 * line's gross quantity = parent quantity × quantity per × (1 + scrap), converted to the
 * component's base unit, in exact decimals; `totals` sums them per component. The day is a day at
 * the site given (default: the request's site): a revision released there late on the 4th is in
 * force on the 4th, whatever the date in UTC.
 */
export async function explodeBom(tx: Tx, itemRevisionId: string, quantity: string, onDate: string, siteId?: string): Promise<Explosion> {
  const inForce = revisionInForce(onDate, siteId);
  const top = await getItemRevision(tx, itemRevisionId);
  const { rows } = await tx.query<TreeRow>(sql`
    WITH RECURSIVE tree (level, line_ids, line_nos, item_ids, parent_item_id, line_id, component_item_id, component_revision_id) AS (
      SELECT 1, ARRAY[bl.id], ARRAY[bl.line_no], ARRAY[${top.itemId}::uuid, bl.component_item_id], ${top.itemId}::uuid, bl.id,
             bl.component_item_id, (SELECT id FROM item_revisions c WHERE c.item_id = bl.component_item_id AND ${inForce})
        FROM bom_lines bl
       WHERE bl.item_revision_id = ${itemRevisionId} AND ${lineEffective(onDate)}
      UNION ALL
      SELECT t.level + 1, t.line_ids || bl.id, t.line_nos || bl.line_no, t.item_ids || bl.component_item_id, t.component_item_id, bl.id,
             bl.component_item_id, (SELECT id FROM item_revisions c WHERE c.item_id = bl.component_item_id AND ${inForce})
        FROM tree t JOIN bom_lines bl ON bl.item_revision_id = t.component_revision_id
       WHERE ${lineEffective(onDate)} AND bl.component_item_id <> ALL (t.item_ids)
    )
    SELECT t.level, t.line_ids AS "lineIds", t.line_nos AS "lineNos", t.parent_item_id AS "parentItemId",
           t.component_item_id AS "componentItemId", i.code AS "componentCode", i.name AS "componentName",
           t.component_revision_id AS "componentRevisionId", r.revision AS "componentRevision",
           bl.quantity_per::text AS "quantityPer", bl.unit, bl.scrap_factor::text AS "scrapFactor",
           bl.reference_designator AS "referenceDesignator", i.base_unit AS "baseUnit"
      FROM tree t JOIN bom_lines bl ON bl.id = t.line_id JOIN items i ON i.id = t.component_item_id
      LEFT JOIN item_revisions r ON r.id = t.component_revision_id
     ORDER BY t.line_nos`);
  const units = await loadItemUnits(tx, [...new Set(rows.map((r) => r.componentItemId))]);
  const gross = new Map<string, Decimal>();
  const totals = new Map<string, { componentItemId: string; componentCode: string; quantity: Decimal; baseUnit: string }>();
  const lines = rows.map((row): ExplosionLine => {
    const parentQty = row.level === 1 ? dec(quantity, 'quantity') : gross.get(row.lineIds.slice(0, -1).join('/'))!;
    const inLineUnit = parentQty.mul(dec(row.quantityPer)).mul(dec(row.scrapFactor).plus(1));
    const qty = convertRequirement(units.get(row.componentItemId)!, inLineUnit, row.unit, row.baseUnit);
    gross.set(row.lineIds.join('/'), qty);
    const total = totals.get(row.componentItemId);
    if (total) total.quantity = total.quantity.plus(qty);
    else
      totals.set(row.componentItemId, {
        componentItemId: row.componentItemId,
        componentCode: row.componentCode,
        quantity: qty,
        baseUnit: row.baseUnit,
      });
    return {
      level: row.level,
      path: row.lineNos.join('.'),
      parentItemId: row.parentItemId,
      componentItemId: row.componentItemId,
      componentCode: row.componentCode,
      componentName: row.componentName,
      componentRevisionId: row.componentRevisionId,
      componentRevision: row.componentRevision,
      quantityPer: decText(dec(row.quantityPer)),
      unit: row.unit,
      scrapFactor: decText(dec(row.scrapFactor)),
      referenceDesignator: row.referenceDesignator,
      quantity: decText(qty),
      baseUnit: row.baseUnit,
    };
  });
  return {
    itemRevisionId,
    quantity: decText(dec(quantity, 'quantity')),
    onDate,
    lines,
    totals: [...totals.values()]
      .map((t) => ({ ...t, quantity: decText(t.quantity) }))
      .sort((a, b) => a.componentCode.localeCompare(b.componentCode)),
  };
}

/** The revision of a component in force on a day at a site: released on or before it there and not yet superseded. */
function revisionInForce(onDate: string, siteId?: string) {
  return sql`c.released_at IS NOT NULL AND ${siteDay(siteId, sql`c.released_at`)} <= ${onDate}::date
    AND (c.obsoleted_at IS NULL OR ${siteDay(siteId, sql`c.obsoleted_at`)} > ${onDate}::date)`;
}

const lineEffective = (onDate: string) =>
  sql`(bl.effective_from IS NULL OR bl.effective_from <= ${onDate}::date) AND (bl.effective_to IS NULL OR bl.effective_to > ${onDate}::date)`;
