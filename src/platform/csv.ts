/**
 * CSV per RFC 4180 for downloads: a field with a comma, quote or line break is quoted with its
 * quotes doubled, and a leading = + - @ (or tab, carriage return) is neutralised so a spreadsheet
 * never runs a cell as a formula. The text starts with a byte order mark so spreadsheets read
 * UTF-8 (Chinese names) correctly.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A header line and the rows as one CSV text, CRLF line ends. */
export function csvText(header: readonly string[], rows: Iterable<readonly string[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
