import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Money and quantities in the browser are decimals computed from the strings the API sends,
 * never JS numbers: the same library and pattern as the server (src/platform/decimal.ts).
 */
const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
type Decimal = InstanceType<typeof Decimal>;

const DECIMAL = /^-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,12})?$/;

/** A decimal typed by a person: trimmed, a decimal comma read as a point; undefined when not a number. */
export function parseDecimal(text: string | null | undefined): Decimal | undefined {
  const cleaned = normalizeDecimal(text ?? '');
  return DECIMAL.test(cleaned) ? new Decimal(cleaned) : undefined;
}

/** What a person typed, as the API's decimal string: `" 12,50 "` → `"12.50"`. */
export function normalizeDecimal(text: string): string {
  const trimmed = text.trim().replace(/\s/g, '');
  return trimmed.includes('.') ? trimmed : trimmed.replace(',', '.');
}

/** Quantity × price, exact; undefined while either is not a number yet. */
export function lineTotal(quantity: string, unitPrice: string): string | undefined {
  const q = parseDecimal(quantity);
  const p = parseDecimal(unitPrice);
  return q && p ? q.mul(p).toFixed() : undefined;
}

/** The sum of line totals, exact; undefined while a line has no total. */
export function sumOf(values: ReadonlyArray<string | undefined>): string | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  return values.reduce((sum, v) => sum.add(new Decimal(v!)), new Decimal(0)).toFixed();
}

/** What is still to come on a line: ordered less received, never below zero. */
export function remainingOf(line: { quantity: string; receivedQuantity: string }): string {
  return Decimal.max(new Decimal(line.quantity).sub(new Decimal(line.receivedQuantity)), 0).toFixed();
}

export function compareDecimal(a: string, b: string): number {
  return new Decimal(a).comparedTo(new Decimal(b));
}

export { Decimal };
