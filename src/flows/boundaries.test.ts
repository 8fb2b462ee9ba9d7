import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flows } from './index.js';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The code files under a folder of src/ (tests are not code a module ships). */
function codeFiles(folder: string): string[] {
  return readdirSync(join(src, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(src, folder, f));
}

/** Every relative import of a file, resolved to a path under src/. */
function importsOf(file: string): string[] {
  const found = [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => m[1]!);
  return found.map((path) => relative(src, resolve(dirname(file), path)).replace(/\.js$/, '.ts'));
}

describe('flows and modules keep their boundaries', () => {
  it('no module imports a flow', () => {
    const offending = codeFiles('modules').flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('flows/'))
        .map((target) => `${relative(src, file)} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('a flow reaches modules only through their faces (src/modules/<module>/index.ts), and tells what happens first', () => {
    const files = codeFiles('flows');
    const offending = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('modules/') && !/^modules\/[a-z]+\/index\.ts$/.test(target))
        .map((target) => `${relative(src, file)} → ${target}`),
    );
    expect(offending).toEqual([]);
    for (const file of files) expect(readFileSync(file, 'utf8').startsWith('// '), relative(src, file)).toBe(true);
  });

  it('flows own no tables and declare no permissions', () => {
    for (const flow of flows) expect(flow, flow.name).not.toHaveProperty('auditedTables');
    for (const flow of flows) expect(flow, flow.name).not.toHaveProperty('permissions');
  });
});
