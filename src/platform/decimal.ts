import { Decimal as DecimalJs } from 'decimal.js';
import { BadRequest } from './errors.js';

export { DECIMAL_PATTERN, DecimalString } from './schema.js';

/**
 * Quantities and money are decimals end to end: SQL numeric ↔ Decimal ↔ JSON string.
 * A private clone so no other library can change our precision or rounding.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Decimal = InstanceType<typeof Decimal>;

/** What parses as a decimal inside the server (sums and SQL results may be longer than an input may). */
const DECIMAL_TEXT = /^-?(0|[1-9][0-9]{0,29})(\.[0-9]{1,12})?$/;

/** Parses a decimal from JSON or SQL; rejects floats-as-text like "1e3" or "NaN". */
export function dec(value: string | Decimal, field = 'value'): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value.trim())) {
    throw new BadRequest(`${field} must be a decimal number written as a string, got ${JSON.stringify(value)}`, {
      code: 'error.decimal',
      params: { field },
    });
  }
  return new Decimal(value.trim());
}

/** Canonical text for JSON and SQL: no exponent, no trailing zeros beyond the value. */
export function decText(value: Decimal): string {
  return value.toFixed();
}
