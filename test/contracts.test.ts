import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS_DOC, withCurrentCatalogue } from '../scripts/event-catalogue.js';
import { modules } from '../src/modules/index.js';
import { eventCatalogues } from '../src/server.js';

describe('module contracts', () => {
  it('keeps the docs event catalogue as the contracts declare it (npm run docs:events rewrites it)', () => {
    const doc = readFileSync(EVENTS_DOC, 'utf8');
    expect(doc).toBe(withCurrentCatalogue(doc));
  });

  it('names every event type once, as module.entity.verb of the module that publishes it', () => {
    const seen = new Set<string>();
    for (const mod of modules) {
      for (const def of Object.values(mod.events ?? {})) {
        expect(def.type, `${mod.name} publishes ${def.type}`).toMatch(new RegExp(`^${mod.name}\\.[a-z][A-Za-z]*\\.[a-z][A-Za-z]*$`));
        expect(seen.has(def.type), `${def.type} is declared twice`).toBe(false);
        seen.add(def.type);
      }
    }
    for (const catalogue of eventCatalogues()) for (const def of Object.values(catalogue)) seen.add(def.type);
    expect(seen.size).toBe(eventCatalogues().reduce((n, c) => n + Object.keys(c).length, 0));
  });
});
