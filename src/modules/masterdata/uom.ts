import { type Static, Type } from 'typebox';
import { sql, type Tx } from '../../platform/db/index.js';
import { type Decimal, dec } from '../../platform/decimal.js';
import { DomainError, ValidationFailed } from '../../platform/errors.js';
import { found } from './common.js';
import { DIMENSIONS } from './contract.js';
import { convertQuantity as convertUnits, dimensionOf, GLOBAL_UNITS, type UnitConversion } from './units.js';

/**
 * The units a tenant uses, and conversion of item quantities by the rules of units.ts: global
 * units within their dimension, an item's own conversions across them and for its packs.
 */

export const UnitCode = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,15}$', description: 'e.g. kg, mm, ea, carton' });
export const Unit = Type.Object({
  code: UnitCode,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  dimension: Type.Enum(DIMENSIONS),
  packaging: Type.Boolean({ description: 'a pack (box, carton) whose size each item defines; counted in whole units' }),
});
export type Unit = Static<typeof Unit>;
export const NewUnit = Type.Object({ code: UnitCode, name: Unit.properties.name }, { additionalProperties: false });
export type NewUnit = Static<typeof NewUnit>;

const isGlobal = (code: string) => GLOBAL_UNITS.some((u) => u.code === code);

/** Registers a unit under a display name: a global unit keeps its dimension, any other code is a pack. */
export async function createUnit(tx: Tx, input: NewUnit): Promise<Unit> {
  await tx.query(sql`INSERT INTO units (code, name, dimension) VALUES (${input.code}, ${input.name}, ${dimensionOf(input.code)})`);
  return getUnit(tx, input.code);
}

export async function getUnit(tx: Tx, code: string): Promise<Unit> {
  const { rows } = await tx.query<Omit<Unit, 'packaging'>>(sql`SELECT code, name, dimension FROM units WHERE code = ${code}`);
  const unit = found(rows[0], 'unit', code, 'error.masterdata.unit.notFound');
  return { ...unit, packaging: !isGlobal(unit.code) };
}

/** The tenant's registered units and every global unit (usable before its first use registers it). */
export async function listUnits(tx: Tx): Promise<Unit[]> {
  const { rows } = await tx.query<Omit<Unit, 'packaging'>>(sql`SELECT code, name, dimension FROM units ORDER BY dimension, code`);
  const registered = new Set(rows.map((r) => r.code));
  const globals = GLOBAL_UNITS.filter((u) => !registered.has(u.code)).map((u) => ({ code: u.code, name: u.code, dimension: u.dimension }));
  return [...rows, ...globals].map((u) => ({ ...u, packaging: !isGlobal(u.code) }));
}

/**
 * Makes sure a unit may be used: a global unit is registered on first use; a pack must have
 * been registered by name first, so a typo never becomes a new unit.
 */
export async function ensureUnit(tx: Tx, code: string, pointer: string): Promise<void> {
  const { rowCount } = await tx.query(sql`SELECT 1 FROM units WHERE code = ${code}`);
  if (rowCount > 0) return;
  if (isGlobal(code)) {
    await tx.query(sql`INSERT INTO units (code, name, dimension) VALUES (${code}, ${code}, ${dimensionOf(code)}) ON CONFLICT DO NOTHING`);
    return;
  }
  throw new ValidationFailed(`unit ${code} is not registered`, [{ pointer, message: 'unknown unit' }], {
    code: 'error.masterdata.unit.unknown',
    params: { unit: code },
  });
}

/** An item's base unit and own conversions, in the form units.ts reads them. */
export interface ItemUnits {
  baseUnit: string;
  conversions: UnitConversion[];
}

export async function loadItemUnits(tx: Tx, itemIds: readonly string[]): Promise<Map<string, ItemUnits>> {
  const { rows } = await tx.query<{ itemId: string; baseUnit: string; unit: string | null; factor: string | null }>(
    sql`SELECT i.id AS "itemId", i.base_unit AS "baseUnit", c.unit, c.factor::text AS factor
      FROM items i LEFT JOIN item_unit_conversions c ON c.item_id = i.id WHERE i.id = ANY (${[...itemIds]}::uuid[])`,
  );
  const units = new Map<string, ItemUnits>();
  for (const r of rows) {
    const entry = units.get(r.itemId) ?? { baseUnit: r.baseUnit, conversions: [] };
    if (r.unit && r.factor) entry.conversions.push({ from: r.unit, to: r.baseUnit, factor: r.factor });
    units.set(r.itemId, entry);
  }
  return units;
}

/** Exact conversion as stock counts it: a count unit must come out whole. */
export function convertItemQuantity(item: ItemUnits, qty: Decimal, from: string, to: string): Decimal {
  return from === to ? qty : convertUnits(qty, from, to, { conversions: item.conversions });
}

/**
 * A requirement (BOM quantity) in another unit: like `convertItemQuantity`, but a count may be
 * fractional — 0.02 carton per set is a real requirement, rounded only when material is issued.
 */
export function convertRequirement(item: ItemUnits, qty: Decimal, from: string, to: string): Decimal {
  try {
    return convertItemQuantity(item, qty, from, to);
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'error.units.notWhole') throw err;
    // How many `from` one `to` holds is whole here (e.g. 50 ea per carton); divide by it.
    return qty.div(convertItemQuantity(item, dec('1'), to, from));
  }
}
