/**
 * Units of measure and exact quantity conversion. Global units convert within their dimension
 * (SI prefixes; codes of UN/ECE Recommendation 20 kept for integrations); an item adds its own
 * conversions (1 box = 10 ea, 1 pack = 250 mL, 1 L = 1.03 kg) which also bridge dimensions.
 * Arithmetic is rational (BigInt), so a result is exact or refused: a count unit must come out
 * whole and any result must be a decimal with at most 12 places (our stored quantity scale),
 * unless the caller asks for explicit rounding.
 */
import { Decimal, dec, decText } from '../../platform/decimal.js';
import { BadRequest, type FieldError, ValidationFailed } from '../../platform/errors.js';
import { type Dimension, ROUNDING_MODES } from './contract.js';

export interface GlobalUnit {
  code: string;
  dimension: Dimension;
  /** UN/ECE Recommendation 20 common code. */
  unece: string;
  /** How many of the dimension's base unit one of this unit is. */
  inBase: string;
}

export const GLOBAL_UNITS: readonly GlobalUnit[] = [
  { code: 'kg', dimension: 'mass', unece: 'KGM', inBase: '1' },
  { code: 'g', dimension: 'mass', unece: 'GRM', inBase: '0.001' },
  { code: 'mg', dimension: 'mass', unece: 'MGM', inBase: '0.000001' },
  { code: 'L', dimension: 'volume', unece: 'LTR', inBase: '1' },
  { code: 'mL', dimension: 'volume', unece: 'MLT', inBase: '0.001' },
  { code: 'm', dimension: 'length', unece: 'MTR', inBase: '1' },
  { code: 'cm', dimension: 'length', unece: 'CMT', inBase: '0.01' },
  { code: 'mm', dimension: 'length', unece: 'MMT', inBase: '0.001' },
  { code: 'ea', dimension: 'count', unece: 'H87', inBase: '1' },
];
const GLOBAL = new Map(GLOBAL_UNITS.map((unit) => [unit.code, unit]));
const BASE_UNIT: Record<Dimension, string> = { mass: 'kg', volume: 'L', length: 'm', count: 'ea' };

/** Decimal places a stored quantity may carry (DECIMAL_PATTERN). */
export const QUANTITY_SCALE = 12;

/** An item's own conversion: 1 `from` = `factor` `to`. Units not in GLOBAL_UNITS are the item's packaging (count) units. */
export interface UnitConversion {
  from: string;
  to: string;
  factor: string | Decimal;
}

/** up = away from zero (whole boxes to order), down = toward zero (full boxes on hand). */
export interface Rounding {
  scale: number;
  mode: (typeof ROUNDING_MODES)[number];
}

const UNIT_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,15}$/;

/** Global units by their code; any other well-formed code is an item packaging unit counted in whole units. */
export function dimensionOf(unit: string): Dimension {
  if (!UNIT_CODE.test(unit))
    throw new BadRequest(`unknown unit of measure ${JSON.stringify(unit)}`, { code: 'error.units.unknown', params: { unit } });
  return GLOBAL.get(unit)?.dimension ?? 'count';
}

/**
 * Converts a quantity from one unit to another, exactly. Refuses conversions between
 * dimensions (or packaging units) that no item conversion connects.
 */
export function convertQuantity(
  quantity: Decimal | string,
  from: string,
  to: string,
  opts: { conversions?: readonly UnitConversion[]; rounding?: Rounding } = {},
): Decimal {
  const amount = dec(quantity, 'quantity');
  const conversions = opts.conversions ?? [];
  validateItemConversions(conversions);
  dimensionOf(from);
  // Counts are whole units; measures carry at most the stored quantity scale.
  const scale = dimensionOf(to) === 'count' ? 0 : QUANTITY_SCALE;
  const ratio = explore(from, conversions).ratios.get(to);
  if (!ratio) {
    throw new BadRequest(`no conversion from ${from} to ${to} for this item`, { code: 'error.units.noConversion', params: { from, to } });
  }
  const exact = multiply(rational(amount), ratio);
  const decimal = toDecimal(exact, scale);
  if (decimal) return decimal;
  if (opts.rounding) return round(exact, roundingScale(opts.rounding, scale), opts.rounding.mode);
  const params = { quantity: decText(amount), from, to };
  if (scale === 0) {
    throw new BadRequest(`${params.quantity} ${from} is not a whole number of ${to}`, { code: 'error.units.notWhole', params });
  }
  throw new BadRequest(`${params.quantity} ${from} in ${to} needs more than ${scale} decimal places`, {
    code: 'error.units.inexact',
    params,
  });
}

function roundingScale(rounding: Rounding, maxScale: number): number {
  if (!Number.isInteger(rounding.scale) || rounding.scale < 0 || !ROUNDING_MODES.includes(rounding.mode)) {
    throw new BadRequest(`rounding needs a scale of 0 or more and a mode of ${ROUNDING_MODES.join(', ')}`, {
      code: 'error.units.rounding',
    });
  }
  return Math.min(rounding.scale, maxScale);
}

/**
 * Checks an item's conversions as master data: known unit codes, positive factors, no unit
 * converted to itself, and every loop consistent (1 box = 10 ea and 1 box = 12 ea cannot both hold).
 * Field errors point into the list, e.g. /conversions/1/factor.
 */
export function validateItemConversions(conversions: readonly UnitConversion[]): void {
  const errors: FieldError[] = [];
  conversions.forEach((c, i) => {
    for (const side of ['from', 'to'] as const) {
      if (typeof c[side] !== 'string' || !UNIT_CODE.test(c[side])) {
        errors.push({ pointer: `/conversions/${i}/${side}`, message: 'unknown unit' });
      }
    }
    if (c.from === c.to) errors.push({ pointer: `/conversions/${i}/to`, message: 'converts a unit to itself' });
    if (!isPositiveDecimal(c.factor)) errors.push({ pointer: `/conversions/${i}/factor`, message: 'factor must be a positive decimal' });
    else if (GLOBAL.has(c.from) && GLOBAL.has(c.to) && dimensionOf(c.from) === dimensionOf(c.to)) {
      errors.push({ pointer: `/conversions/${i}/to`, message: `${c.from} to ${c.to} is a global conversion` });
    }
  });
  if (errors.length === 0) {
    // The first conversion that closes a loop with a different ratio is the contradicting one.
    const contradicting = conversions.findIndex((c, i) => !explore(c.from, conversions.slice(0, i + 1)).consistent);
    if (contradicting >= 0)
      errors.push({ pointer: `/conversions/${contradicting}/factor`, message: 'contradicts the conversions before it' });
  }
  if (errors.length > 0) {
    throw new ValidationFailed('the unit conversions of this item are not valid', errors, { code: 'error.units.conversions' });
  }
}

function isPositiveDecimal(value: unknown): boolean {
  try {
    const factor = dec(value as string | Decimal, 'factor');
    return factor.isFinite() && factor.gt(0);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Exact ratios over the conversion graph

interface Rational {
  n: bigint;
  d: bigint;
}

interface Edge {
  to: string;
  ratio: Rational;
}

/** Edges of the conversion graph: global units to their base unit, and both directions of each item conversion. */
function edgesOf(conversions: readonly UnitConversion[]): Map<string, Edge[]> {
  const edges = new Map<string, Edge[]>();
  const add = (from: string, edge: Edge) => edges.set(from, [...(edges.get(from) ?? []), edge]);
  const both = (from: string, to: string, ratio: Rational) => {
    add(from, { to, ratio });
    add(to, { to: from, ratio: { n: ratio.d, d: ratio.n } });
  };
  for (const unit of GLOBAL_UNITS) {
    if (unit.code !== BASE_UNIT[unit.dimension]) both(unit.code, BASE_UNIT[unit.dimension], rational(new Decimal(unit.inBase)));
  }
  for (const c of conversions) both(c.from, c.to, rational(new Decimal(c.factor)));
  return edges;
}

/** How many of each reachable unit one `from` is (breadth-first), and whether every loop agrees. */
function explore(from: string, conversions: readonly UnitConversion[]): { ratios: Map<string, Rational>; consistent: boolean } {
  const edges = edgesOf(conversions);
  const ratios = new Map<string, Rational>([[from, { n: 1n, d: 1n }]]);
  let consistent = true;
  const queue = [from];
  for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
    const here = ratios.get(unit)!;
    for (const edge of edges.get(unit) ?? []) {
      const there = multiply(here, edge.ratio);
      const known = ratios.get(edge.to);
      if (!known) {
        ratios.set(edge.to, there);
        queue.push(edge.to);
      } else if (known.n * there.d !== there.n * known.d) {
        consistent = false;
      }
    }
  }
  return { ratios, consistent };
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function normalise(n: bigint, d: bigint): Rational {
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

function rational(value: Decimal): Rational {
  const text = decText(value);
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const n = BigInt(whole + fraction) * (text.startsWith('-') ? -1n : 1n);
  return normalise(n, 10n ** BigInt(fraction.length));
}

function multiply(a: Rational, b: Rational): Rational {
  return normalise(a.n * b.n, a.d * b.d);
}

/** The exact decimal when it has at most `scale` places, else undefined. */
function toDecimal(value: Rational, scale: number): Decimal | undefined {
  const scaled = value.n * 10n ** BigInt(scale);
  if (scaled % value.d !== 0n) return undefined;
  return fromScaled(scaled / value.d, scale);
}

function round(value: Rational, scale: number, mode: Rounding['mode']): Decimal {
  const scaled = value.n * 10n ** BigInt(scale);
  const sign = scaled < 0n ? -1n : 1n;
  const magnitude = scaled * sign;
  let units = magnitude / value.d;
  const remainder = magnitude % value.d;
  if (remainder !== 0n) {
    const twice = remainder * 2n;
    const awayFromZero = mode === 'up' || (mode === 'half-even' && (twice > value.d || (twice === value.d && units % 2n === 1n)));
    if (awayFromZero) units += 1n;
  }
  return fromScaled(units * sign, scale);
}

function fromScaled(units: bigint, scale: number): Decimal {
  return new Decimal(units.toString()).div(new Decimal(10).pow(scale));
}

/** The most of anything one record may carry: a plausible quantity, price or total (12 integer digits). */
export const MAX_QUANTITY = new Decimal('999999999999');

/**
 * What is wrong with a quantity given in `unit`, as field errors: not above zero, implausibly
 * large, or a part of something counted in whole units (0.5 ea, 0.000000000001 box).
 */
export function quantityErrors(quantity: string | Decimal, unit: string, pointer: string): FieldError[] {
  const q = dec(quantity, 'quantity');
  if (q.lte(0)) return [{ pointer, message: 'must be greater than zero', code: 'error.quantity.notPositive' }];
  if (q.gt(MAX_QUANTITY))
    return [{ pointer, message: 'is implausibly large', code: 'error.quantity.tooLarge', params: { max: decText(MAX_QUANTITY) } }];
  if (UNIT_CODE.test(unit) && dimensionOf(unit) === 'count' && !q.isInteger()) {
    return [{ pointer, message: `${unit} is counted in whole units`, code: 'error.quantity.wholeNumber', params: { unit } }];
  }
  return [];
}
