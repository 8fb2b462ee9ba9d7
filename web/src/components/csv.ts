import { csvCell } from '@server/platform/csv';
import { get, type Page, type Query } from '../api/client';

export function csvLine(cells: string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string;
}

/**
 * Every row of a list under its current filter and sort, fetched page by page and appended as
 * CSV text (only the text is kept, not the rows), then offered as a download.
 */
export async function exportCsv<T>(opts: {
  path: string;
  query: Query;
  columns: CsvColumn<T>[];
  fileName: string;
  signal: AbortSignal;
  onProgress: (rows: number) => void;
}): Promise<number> {
  const parts: string[] = ['\uFEFF', csvLine(opts.columns.map((c) => c.header))];
  let cursor: string | null = null;
  let rows = 0;
  do {
    const page: Page<T> = await get<Page<T>>(opts.path, { ...opts.query, limit: 200, cursor }, opts.signal);
    parts.push(page.items.map((row) => csvLine(opts.columns.map((c) => c.value(row)))).join(''));
    rows += page.items.length;
    opts.onProgress(rows);
    cursor = page.nextCursor;
  } while (cursor);
  offerDownload(parts, opts.fileName);
  return rows;
}

/** Rows already in the browser (an answer held by the page) as a CSV download. */
export function saveCsv<T>(rows: T[], columns: CsvColumn<T>[], fileName: string): void {
  offerDownload(
    ['\uFEFF', csvLine(columns.map((c) => c.header)), ...rows.map((row) => csvLine(columns.map((c) => c.value(row))))],
    fileName,
  );
}

// The BOM first lets spreadsheet programs read UTF-8 (Chinese names) correctly.
function offerDownload(parts: string[], fileName: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
