import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ApiError } from '../api/client';
import en from './en.json';
import zhCN from './zh-CN.json';

/** The languages the product ships, with their names in their own language. */
export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((l) => l.code === value);
}

function initialLanguage(): Language {
  const saved = localStorage.getItem('mf.language');
  if (isLanguage(saved)) return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

type Catalog = { [key: string]: string | Catalog };

/**
 * A module folder's own strings (`modules/<name>/i18n/<language>.json`) are the `<name>`
 * namespace of the catalog, so each module's screens and their strings live together.
 */
const moduleCatalogs = import.meta.glob<Catalog>('../modules/*/i18n/*.json', { eager: true, import: 'default' });

function catalog(language: Language, shared: Catalog): Catalog {
  const merged: Catalog = { ...shared };
  for (const [path, strings] of Object.entries(moduleCatalogs)) {
    const [, namespace, lang] = /modules\/([^/]+)\/i18n\/([^/]+)\.json$/.exec(path) ?? [];
    if (lang !== language || !namespace) continue;
    if (namespace in shared) throw new Error(`the ${namespace} namespace is in both the shared and the module catalog`);
    merged[namespace] = strings;
  }
  return merged;
}

i18n.use(initReactI18next).init({
  resources: { en: { translation: catalog('en', en) }, 'zh-CN': { translation: catalog('zh-CN', zhCN) } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function applyLanguage(lang: Language): void {
  localStorage.setItem('mf.language', lang);
  document.documentElement.lang = lang;
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
}
document.documentElement.lang = i18n.language;

/**
 * What to tell a person about a failed request: the translation of the problem's `code`
 * (filled with its `params`) when we have one, else the server's English detail.
 */
export function problemMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const { code, params, detail } = err.problem;
    if (code && i18n.exists(code)) return i18n.t(code, params ?? {});
    return detail ?? i18n.t('error.unknown');
  }
  return err instanceof Error ? err.message : i18n.t('error.unknown');
}

export default i18n;
