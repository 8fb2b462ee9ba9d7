import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type TFunction } from 'i18next';

/**
 * The server's translations are the web app's catalogs, read once at start: the shared strings
 * (`web/src/i18n/<language>.json`) and each screen folder's own (`web/src/modules/<m>/i18n/…`),
 * merged under the folder's name exactly as the web app merges them. One source of wording for
 * screens and printouts; a key missing in Chinese falls back to English, a key missing in both
 * shows as the key.
 */

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

type Catalog = { [key: string]: string | Catalog };

/** The folder holding `web/src`, found upward from this file (the same from `src/` and `dist/`). */
function webSource(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'web', 'src');
    if (existsSync(join(candidate, 'i18n', 'en.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the translation catalogs (web/src/i18n) were not found above the server code');
    dir = parent;
  }
}

const readJson = (path: string): Catalog => JSON.parse(readFileSync(path, 'utf8')) as Catalog;

function loadCatalog(root: string, language: Language): Catalog {
  const merged: Catalog = { ...readJson(join(root, 'i18n', `${language}.json`)) };
  const modules = join(root, 'modules');
  for (const name of readdirSync(modules).sort()) {
    const file = join(modules, name, 'i18n', `${language}.json`);
    if (!existsSync(file)) continue;
    if (name in merged) throw new Error(`the ${name} namespace is in both the shared and the module catalog`);
    merged[name] = readJson(file);
  }
  return merged;
}

let instance: typeof i18next | undefined;

function catalogs(): typeof i18next {
  if (instance) return instance;
  const root = webSource();
  const created = i18next.createInstance();
  void created.init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: loadCatalog(root, l) }])),
    lng: 'en',
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instance = created;
  return created;
}

export interface Translator {
  language: Language;
  t: TFunction;
  /** Whether the catalog (or its English fallback) has the key. */
  has(key: string): boolean;
}

/** Translations in one language. */
export function translator(language: Language): Translator {
  const i18n = catalogs();
  return { language, t: i18n.getFixedT(language), has: (key) => i18n.exists(key, { lng: language }) };
}

/**
 * The language of a response: the one asked for explicitly (the web app sends the person's
 * chosen language), else the best of `Accept-Language`, else English.
 */
export function pickLanguage(explicit: string | undefined, acceptLanguage: string | undefined): Language {
  if (isLanguage(explicit)) return explicit;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-cn') || tag.startsWith('zh-hans') || tag === 'zh-sg') return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}
