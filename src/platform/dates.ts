/**
 * Calendar days as ISO dates (YYYY-MM-DD). A day is counted as a day, whatever the time zone:
 * the time zone only decides which day "today" is (`dayIn`, or `siteToday` in SQL).
 */

const DAY_MS = 86_400_000;

/** The ISO date `days` calendar days after (or, negative, before) `day`. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The date in an IANA time zone (a site's) at an instant: today, unless another instant is given. */
export function dayIn(timeZone: string, at: Date | string = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}
