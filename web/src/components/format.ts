import i18n from '../i18n';

/** Date and time in the person's language, with the zone, as Part 11 time stamps must be read unambiguously. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // dateStyle/timeStyle cannot be combined with timeZoneName, hence the explicit fields.
  return new Intl.DateTimeFormat(i18n.language, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(d);
}

/** A field value as text for history and as-of views: JSON for structures, '—' for nothing. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A calendar date (`YYYY-MM-DD`, as the API sends dates without time) in the person's language. */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '—';
  const [y, m, d] = isoDate.split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  return new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/**
 * A decimal quantity or amount as the API sends it (a string, never a float), grouped by the
 * person's language without passing through a JS number, so 12345678901234.5678 stays exact.
 * Trailing zeros of the fraction go, down to `minFraction` digits.
 */
export function formatDecimal(value: string | null | undefined, unit?: string, minFraction = 0): string {
  if (value === null || value === undefined || value === '') return '—';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) return unit ? `${value} ${unit}` : value;
  const [, sign, whole, fraction = ''] = m;
  const parts = new Intl.NumberFormat(i18n.language).formatToParts(1234567.5);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const point = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  let digits = fraction.replace(/0+$/, '');
  if (digits.length < minFraction) digits = digits.padEnd(minFraction, '0');
  const text = `${sign}${grouped}${digits ? point + digits : ''}`;
  return unit ? `${text} ${unit}` : text;
}

/** Money with its ISO 4217 currency code, exact like `formatDecimal`, with at least two decimals. */
export function formatMoney(amount: string | null | undefined, currency: string): string {
  return amount ? `${formatDecimal(amount, undefined, 2)} ${currency}` : '—';
}
