import { Decimal as DecimalJs } from 'decimal.js';
import i18next from 'i18next';

/**
 * Quantities and money in the browser: decimals read from the strings the API sends and people
 * type, computed exactly (never through JS numbers) with the server's library, precision and
 * pattern (src/platform/decimal.ts), and written out in the reader's language.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Decimal = InstanceType<typeof Decimal>;

/** The decimals the API accepts, as its schemas say: no exponent, up to 12 digits before the point and 12 after. */
export const DECIMAL_PATTERN = '^-?(0|[1-9][0-9]{0,11})(\\.[0-9]{1,12})?$';
const DECIMAL = new RegExp(DECIMAL_PATTERN);

/** What a person typed, written as the API writes decimals: no spaces, a decimal comma read as a point (`" 12,50 "` → `"12.50"`). */
export function typedDecimal(text: string): string {
  const cleaned = text.replace(/\s/g, '');
  return cleaned.includes('.') ? cleaned : cleaned.replace(',', '.');
}

/** A decimal typed by a person or sent by the API; undefined while it is not (yet) one the API accepts. */
export function parseDecimal(text: string | null | undefined): Decimal | undefined {
  const cleaned = typedDecimal(text ?? '');
  return DECIMAL.test(cleaned) ? new Decimal(cleaned) : undefined;
}

/** A typed decimal as the API's canonical string (`"12,50"` → `"12.5"`); undefined while it is not a number. */
export function decimalString(text: string | null | undefined): string | undefined {
  return parseDecimal(text)?.toFixed();
}

/** a × b, exact; undefined while either is not a number yet (a line's quantity × its unit price). */
export function product(a: string, b: string): string | undefined {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return x && y ? x.mul(y).toFixed() : undefined;
}

/** The sum of computed values (line totals), exact; undefined while one of them is not known yet. */
export function sumOf(values: ReadonlyArray<string | undefined>): string | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  return values.reduce((sum, v) => sum.add(new Decimal(v!)), new Decimal(0)).toFixed();
}

/** a − b, exact (a count less what is booked). */
export function difference(a: string, b: string): string {
  return new Decimal(a).sub(new Decimal(b)).toFixed();
}

/** What is still to come: the total less what is done, never below zero (ordered less received). */
export function remaining(total: string, done: string): string {
  return Decimal.max(new Decimal(total).sub(new Decimal(done)), 0).toFixed();
}

export function compareDecimal(a: string, b: string): number {
  return new Decimal(a).comparedTo(new Decimal(b));
}

export const isZero = (value: string): boolean => new Decimal(value).isZero();
export const isNegative = (value: string): boolean => compareDecimal(value, '0') < 0;
export const isPositive = (value: string): boolean => compareDecimal(value, '0') > 0;

/**
 * A decimal as the API sends it (a string, never a float), grouped as the reader's language
 * groups digits without passing through a JS number, so 12345678901234.5678 stays exact.
 * Trailing zeros of the fraction go, down to `minFraction` digits.
 */
export function formatDecimal(value: string | null | undefined, unit?: string, minFraction = 0, language = currentLanguage()): string {
  if (value === null || value === undefined || value === '') return '—';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) return unit ? `${value} ${unit}` : value;
  const [, sign, whole, fraction = ''] = m;
  const parts = new Intl.NumberFormat(language).formatToParts(1234567.5);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const point = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  let digits = fraction.replace(/0+$/, '');
  if (digits.length < minFraction) digits = digits.padEnd(minFraction, '0');
  const text = `${sign}${grouped}${digits ? point + digits : ''}`;
  return unit ? `${text} ${unit}` : text;
}

/**
 * Money with its ISO 4217 currency code, exact like `formatDecimal`, with at least the digits of
 * the currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD).
 */
export function formatMoney(amount: string | null | undefined, currency: string, language = currentLanguage()): string {
  if (!amount) return '—';
  return formatDecimal(amount, currency || undefined, minorDigits(currency), language);
}

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // Not (yet) a currency code, e.g. while the buyer is still choosing one.
    return 2;
  }
}

/** The language the app shows (web/src/i18n sets it on the shared i18next instance). */
function currentLanguage(): string {
  return i18next.language || 'en';
}
