/**
 * A timestamptz as the drivers return it: ISO-8601 in UTC with milliseconds, exactly as
 * `Date.prototype.toISOString()` writes the Date the driver reads from PostgreSQL's text (so a
 * time hashed into a signature before is the same text now); `infinity` stays itself.
 */
export function isoTime(text: string, read: (text: string) => Date): string {
  if (text === 'infinity' || text === '-infinity') return text;
  return read(text).toISOString();
}
