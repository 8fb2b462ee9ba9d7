import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modules } from '../../../src/modules/index.js';
import { SIGNATURE_MEANINGS } from '../../../src/platform/esign/contract.js';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function filesUnder(dir: string, match: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && match.test(e.name) && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const root = join(import.meta.dirname, '..', '..', '..');

/** The shared catalog with every module folder's catalog as its namespace, as index.ts builds it. */
function catalog(language: string, shared: Tree): Map<string, string> {
  const merged: Tree = { ...shared };
  for (const file of filesUnder(join(root, 'web', 'src', 'modules'), new RegExp(`^${language}\\.json$`))) {
    const namespace = /modules[/\\]([^/\\]+)[/\\]i18n[/\\][^/\\]+$/.exec(file)?.[1];
    if (!namespace) continue;
    expect(shared, `${namespace} is both a shared and a module namespace`).not.toHaveProperty(namespace);
    merged[namespace] = JSON.parse(readFileSync(file, 'utf8')) as Tree;
  }
  return flatten(merged);
}

const english = catalog('en', en as Tree);
const chinese = catalog('zh-CN', zhCN as Tree);
const namespaces = new Set([...english.keys()].map((k) => k.split('.')[0]));

/** Keys the web code names: `t('…')` calls, and any 'ns.…' string literal of a catalog namespace. */
function keysUsedInWeb(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of filesUnder(join(root, 'web', 'src'), /\.tsx?$/)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([^'$]+)'/g)) used.set(m[1]!, file);
    for (const m of text.matchAll(/'([a-z][A-Za-z]*(?:\.[A-Za-z0-9_-]+)+)'/g)) {
      if (namespaces.has(m[1]!.split('.')[0]!)) used.set(m[1]!, file);
    }
  }
  return used;
}

/**
 * Codes the server answers with (every 'error.…' and 'esign.…' literal in src/), and the values
 * the UI names through a key built from them, which the UI must be able to say.
 */
function problemCodesOfServer(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of filesUnder(join(root, 'src'), /\.ts$/)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'((?:error|esign)\.[A-Za-z0-9_.-]+)'/g)) codes.set(m[1]!, file);
  }
  for (const m of SIGNATURE_MEANINGS) codes.set(`esign.meaning.${m}`, 'src/platform/esign/types.ts');
  // The values the module screens show by name: `<namespace>.<list>.<value>`, as each module's contract lists them.
  const values = modules.flatMap((m) => Object.entries(m.vocabulary ?? {}));
  for (const [prefix, list] of values) for (const v of list) codes.set(`${prefix}.${v}`, `the server's ${prefix} list`);
  return codes;
}

describe('translations', () => {
  it('has every English key in Simplified Chinese and the other way round', () => {
    expect([...english.keys()].filter((k) => !chinese.has(k))).toEqual([]);
    expect([...chinese.keys()].filter((k) => !english.has(k))).toEqual([]);
  });

  it('leaves no message empty and keeps the same {{placeholders}} in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of english) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(chinese.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('knows every key the web code uses', () => {
    const missing = [...keysUsedInWeb()].filter(([k]) => !english.has(k)).map(([k, file]) => `${k} (${file.slice(root.length + 1)})`);
    expect(missing).toEqual([]);
  });

  it('can say every code and status value the server answers with', () => {
    const missing = [...problemCodesOfServer()]
      .filter(([k]) => !english.has(k))
      .map(([k, file]) => `${k} (${file.slice(root.length + 1)})`);
    expect(missing).toEqual([]);
  });
});
