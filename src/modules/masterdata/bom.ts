import { type Static, Type } from 'typebox';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { DecimalString, dec } from '../../platform/decimal.js';
import { type FieldError, ValidationFailed } from '../../platform/errors.js';
import { assertNoBomCycle } from './bom-graph.js';
import { Id, IsoDate } from './common.js';
import { getItemRevision, lockDraftRevision } from './revisions.js';
import { convertRequirement, ensureUnit, loadItemUnits } from './uom.js';

/** Bills of materials: the components of one item revision, each line with its own effectivity. */

const BomLineFields = {
  lineNo: Type.Integer({ minimum: 1, maximum: 9999 }),
  componentItemId: Id,
  quantityPer: DecimalString({ description: 'per one base unit of the parent item, in `unit`' }),
  unit: Type.String({ minLength: 1, maxLength: 16 }),
  scrapFactor: DecimalString({ description: 'expected loss as a fraction: gross = net × (1 + scrapFactor); 0 ≤ f < 1' }),
  referenceDesignator: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
  effectiveFrom: Type.Union([IsoDate, Type.Null()]),
  effectiveTo: Type.Union([IsoDate, Type.Null()], { description: 'first day the line no longer applies' }),
};
/** A line as read back: with the component's code, name and base unit, so a BOM reads without a lookup per line. */
export const BomLine = Type.Object({
  id: Id,
  ...BomLineFields,
  componentCode: Type.String(),
  componentName: Type.String(),
  componentBaseUnit: Type.String(),
});
export type BomLine = Static<typeof BomLine>;
export const BomLineInput = Type.Object(
  {
    ...BomLineFields,
    scrapFactor: Type.Optional(BomLineFields.scrapFactor),
    referenceDesignator: Type.Optional(BomLineFields.referenceDesignator),
    effectiveFrom: Type.Optional(BomLineFields.effectiveFrom),
    effectiveTo: Type.Optional(BomLineFields.effectiveTo),
  },
  { additionalProperties: false },
);
export type BomLineInput = Static<typeof BomLineInput>;

const BOM_COLUMNS = `SELECT b.id, b.line_no AS "lineNo", b.component_item_id AS "componentItemId",
  trim_scale(b.quantity_per)::text AS "quantityPer", b.unit, trim_scale(b.scrap_factor)::text AS "scrapFactor",
  b.reference_designator AS "referenceDesignator", b.effective_from::text AS "effectiveFrom", b.effective_to::text AS "effectiveTo",
  i.code AS "componentCode", i.name AS "componentName", i.base_unit AS "componentBaseUnit"
  FROM bom_lines b JOIN items i ON i.id = b.component_item_id`;

export async function getBom(tx: Tx, itemRevisionId: string): Promise<BomLine[]> {
  await getItemRevision(tx, itemRevisionId);
  return (await tx.query<BomLine>(sql`${raw(BOM_COLUMNS)} WHERE b.item_revision_id = ${itemRevisionId} ORDER BY b.line_no`)).rows;
}

/** The lines of a revision's BOM in effect on a day (effective_from inclusive, effective_to exclusive). */
export async function getEffectiveBom(tx: Tx, itemRevisionId: string, onDate: string): Promise<BomLine[]> {
  await getItemRevision(tx, itemRevisionId);
  const { rows } = await tx.query<BomLine>(
    sql`${raw(BOM_COLUMNS)} WHERE b.item_revision_id = ${itemRevisionId} AND (b.effective_from IS NULL OR b.effective_from <= ${onDate}::date)
       AND (b.effective_to IS NULL OR b.effective_to > ${onDate}::date) ORDER BY b.line_no`,
  );
  return rows;
}

/** Replaces the BOM of a draft revision; refused as a whole when any line is wrong or would close a cycle. */
export async function setBom(tx: Tx, itemRevisionId: string, lines: BomLineInput[], versions?: readonly number[]): Promise<BomLine[]> {
  const revision = await lockDraftRevision(tx, itemRevisionId, versions);
  await checkLines(tx, revision.itemId, lines);
  for (const [i, l] of lines.entries()) await ensureUnit(tx, l.unit, `/body/lines/${i}/unit`);
  await assertNoBomCycle(
    tx,
    revision.itemId,
    lines.map((l) => l.componentItemId),
  );
  await tx.query(sql`DELETE FROM bom_lines WHERE item_revision_id = ${itemRevisionId}`);
  for (const l of lines) {
    await tx.query(sql`INSERT INTO bom_lines (item_revision_id, line_no, component_item_id, quantity_per, unit, scrap_factor,
        reference_designator, effective_from, effective_to)
      VALUES (${itemRevisionId}, ${l.lineNo}, ${l.componentItemId}, ${l.quantityPer}, ${l.unit}, ${l.scrapFactor ?? '0'},
        ${l.referenceDesignator ?? null}, ${l.effectiveFrom ?? null}, ${l.effectiveTo ?? null})`);
  }
  return getBom(tx, itemRevisionId);
}

async function checkLines(tx: Tx, parentItemId: string, lines: BomLineInput[]): Promise<void> {
  const components = await loadItemUnits(tx, [...new Set(lines.map((l) => l.componentItemId))]);
  const errors: FieldError[] = [];
  const seen = new Set<number>();
  lines.forEach((l, i) => {
    const at = (field: string, message: string) => errors.push({ pointer: `/body/lines/${i}/${field}`, message });
    if (seen.has(l.lineNo)) at('lineNo', `line ${l.lineNo} appears twice`);
    seen.add(l.lineNo);
    if (dec(l.quantityPer, 'quantityPer').lte(0)) at('quantityPer', 'must be greater than zero');
    const scrap = dec(l.scrapFactor ?? '0', 'scrapFactor');
    if (scrap.lt(0) || scrap.gte(1)) at('scrapFactor', 'must be a fraction from 0 up to (not including) 1');
    if (l.effectiveFrom && l.effectiveTo && l.effectiveTo <= l.effectiveFrom) at('effectiveTo', 'must be after effectiveFrom');
    const component = components.get(l.componentItemId);
    if (!component) at('componentItemId', 'unknown item');
    else if (l.componentItemId === parentItemId) at('componentItemId', 'an item cannot contain itself');
    else {
      try {
        convertRequirement(component, dec('1'), l.unit, component.baseUnit);
      } catch {
        at('unit', `cannot be converted to the component's base unit ${component.baseUnit}`);
      }
    }
  });
  if (errors.length) {
    throw new ValidationFailed(
      `the BOM has ${errors.length} error(s): ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`,
      errors,
      {
        code: 'error.masterdata.bom.invalid',
      },
    );
  }
}
