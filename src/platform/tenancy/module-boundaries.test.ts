import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house rules of modules, checked on the source: a module is reached only through its public
 * face (`index.ts`) or its contract (`contract.ts`), a contract is TypeBox only (the web app
 * imports it), a module writes only the tables it owns, and flows call modules from outside.
 */

const root = resolve(import.meta.dirname, '..', '..', '..');
const rel = (file: string) => relative(root, file).split(sep).join('/');

function sources(dir: string, match = /\.tsx?$/): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && match.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

interface Import {
  file: string;
  spec: string;
  target: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) {
    const spec = m[2]!;
    // `@server/…` is how the web app names the server's src/ (vite alias).
    const target = spec.startsWith('.')
      ? rel(resolve(dirname(file), spec)).replace(/\.js$/, '')
      : spec.startsWith('@server/')
        ? `src/${spec.slice('@server/'.length)}`
        : spec;
    out.push({ file: rel(file), spec, target, typeOnly: Boolean(m[1]) });
  }
  return out;
}

const moduleOf = (path: string) => /^src\/modules\/([^/]+)\//.exec(path)?.[1];
const isPublicFace = (target: string) => /^src\/modules\/[^/]+\/(index|contract)$/.test(target);

/**
 * Files contracts may build on: TypeBox-only pieces of the platform and other contracts, and the
 * CSV cell rule (plain functions), so a download from a screen and one from the server escape alike.
 */
const CONTRACT_BASES = [
  /^typebox$/,
  /^src\/platform\/(schema|contract|permissions|esign\/contract|csv)$/,
  /^src\/modules\/[^/]+\/contract$/,
];

/** Which module (or the platform) created each table, from the migration's area: `0040_inventory_lots.sql` → inventory. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const name of readdirSync(join(root, 'migrations')).filter((f) => f.endsWith('.sql'))) {
    const area = /^\d{4}_([a-z]+)/.exec(name)?.[1] ?? 'platform';
    const owner = ['platform', 'esign'].includes(area) ? 'platform' : area;
    const sql = readFileSync(join(root, 'migrations', name), 'utf8');
    for (const m of sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/gi)) owners.set(m[1]!.toLowerCase(), owner);
  }
  return owners;
}

describe('module boundaries', () => {
  const moduleFiles = sources('src/modules');

  it('reaches another module only through its index.ts or contract.ts', () => {
    const breaches = moduleFiles
      .flatMap(importsOf)
      .filter((i) => moduleOf(i.target) && moduleOf(i.target) !== moduleOf(i.file) && !isPublicFace(i.target))
      .map((i) => `${i.file} imports ${i.spec}`);
    expect(breaches).toEqual([]);
  });

  it('keeps the composition root, the command line and flows on modules’ public faces, and the platform free of modules', () => {
    const outside = [join(root, 'src', 'server.ts'), join(root, 'src', 'cli.ts'), ...sources('src/flows'), ...sources('src/platform')];
    const breaches = outside
      .flatMap(importsOf)
      .filter((i) => i.target.startsWith('src/modules/'))
      .filter((i) => i.file.startsWith('src/platform/') || !(isPublicFace(i.target) || i.target === 'src/modules/index'))
      .map((i) => `${i.file} imports ${i.spec}`);
    expect(breaches).toEqual([]);
  });

  it('keeps every contract to TypeBox, the platform’s schema pieces and other contracts', () => {
    const contracts = moduleFiles.filter((f) => f.endsWith(`${sep}contract.ts`));
    expect(contracts.map(rel).sort()).toEqual(
      readdirSync(join(root, 'src', 'modules'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => `src/modules/${e.name}/contract.ts`)
        .sort(),
    );
    const breaches = contracts
      .flatMap(importsOf)
      .filter((i) => !CONTRACT_BASES.some((allowed) => allowed.test(i.target)))
      .map((i) => `${i.file} imports ${i.spec}`);
    expect(breaches).toEqual([]);
  });

  it('publishes events only from a contract’s catalogue (publish), never a bare type string (emit)', () => {
    const breaches = moduleFiles.filter((f) =>
      /\bimport\s*\{[^}]*\bemit\b[^}]*\}\s*from\s*'[^']*platform\/events/.test(readFileSync(f, 'utf8')),
    );
    expect(breaches.map(rel)).toEqual([]);
  });

  it('keeps flows outside modules: no module imports a flow; a flow says first what happens, and owns no table or permission', async () => {
    const intoFlows = moduleFiles
      .flatMap(importsOf)
      .filter((i) => i.target.startsWith('src/flows/'))
      .map((i) => `${i.file} imports ${i.spec}`);
    expect(intoFlows).toEqual([]);
    for (const file of sources('src/flows')) {
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith('// '), `${rel(file)} starts with what happens`).toBe(true);
      expect(/\b(?:INSERT\s+INTO|UPDATE\s+[a-z_]+\s+SET|DELETE\s+FROM)\b/.test(text), `${rel(file)} writes a table itself`).toBe(false);
    }
    const { flows } = await import('../../flows/index.js');
    for (const flow of flows) {
      expect(flow, flow.name).not.toHaveProperty('auditedTables');
      expect(flow, flow.name).not.toHaveProperty('permissions');
    }
  });

  it('writes only the tables the module owns', () => {
    const owners = tableOwners();
    const breaches: string[] = [];
    for (const file of moduleFiles) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)\b/g)) {
        const owner = owners.get(m[1]!);
        if (owner && owner !== moduleOf(rel(file))) breaches.push(`${rel(file)} writes ${m[1]} (owned by ${owner})`);
      }
    }
    expect(breaches).toEqual([]);
  });

  it('lets web screens use the server only through contracts, with no import cycle between screen folders', () => {
    const webFiles = sources('web/src');
    const toServer = webFiles
      .flatMap(importsOf)
      .filter((i) => i.target.startsWith('src/'))
      .filter((i) => !CONTRACT_BASES.some((allowed) => allowed.test(i.target)))
      .map((i) => `${i.file} imports ${i.spec}`);
    expect(toServer).toEqual([]);
    const folder = (path: string) => /^web\/src\/modules\/([^/]+)\//.exec(path)?.[1];
    const edges = new Set(
      webFiles
        .flatMap(importsOf)
        .filter((i) => folder(i.file) && folder(i.target) && folder(i.file) !== folder(i.target))
        .map((i) => `${folder(i.file)}→${folder(i.target)}`),
    );
    const cycles = [...edges].filter((e) => edges.has(e.split('→').reverse().join('→')));
    expect(cycles).toEqual([]);
  });
});
