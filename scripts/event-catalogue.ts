import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventCatalogueTable } from '../src/platform/events/index.js';
import { eventCatalogues } from '../src/server.js';

/**
 * Writes the event catalogue of docs/events.md from every contract's events (`npm run docs:events`),
 * so an event added to a contract reaches the docs without a second edit.
 */
export const EVENTS_DOC = join(import.meta.dirname, '..', 'docs', 'events.md');
const START = /<!-- event-catalogue:[^>]*-->\n/;
const END = '<!-- /event-catalogue -->';

/** The document with its catalogue section as the contracts say it. */
export function withCurrentCatalogue(doc: string): string {
  const start = START.exec(doc);
  const end = doc.indexOf(END);
  if (!start || end < 0) throw new Error('docs/events.md has no event-catalogue markers');
  return `${doc.slice(0, start.index + start[0].length)}${eventCatalogueTable(eventCatalogues())}\n${doc.slice(end)}`;
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(EVENTS_DOC, withCurrentCatalogue(readFileSync(EVENTS_DOC, 'utf8')));
  console.log('docs/events.md: event catalogue written');
}
