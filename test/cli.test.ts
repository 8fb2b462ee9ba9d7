import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawnCli } from './processes.js';

/** The real command line, as an operator runs it, on a PGlite data directory of its own. */
// Each command is a fresh Node process that loads the whole product: allow for a busy machine.
vi.setConfig({ testTimeout: 240_000 });
const dataDir = mkdtempSync(join(tmpdir(), 'mediforge-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, NODE_ENV: 'development', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...extra };
}

const cli = (args: string[], extra: Record<string, string> = {}) => spawnCli(args, env(extra));

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

async function run(args: string[], extra?: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = cli(args, extra);
  const code = await exited(child);
  return { code, out: child.output() };
}

async function waitFor(child: ReturnType<typeof cli>, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 1800; i++) {
    const m = child.output().match(pattern);
    if (m) return m;
    if (child.exitCode !== null) throw new Error(`exited early:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern}:\n${child.output()}`);
}

// Each case starts real processes that load every module through tsx and, for serve, migrate and
// seed the demo tenant twice: on a loaded two-core machine that alone can pass the default 30 s.
describe('mediforge command line', { timeout: 120_000 }, () => {
  it('serves on first start with a demo tenant, then shuts down cleanly on Ctrl-C without corrupting PGlite', async () => {
    const first = cli(['serve']);
    const url = (await waitFor(first, /running on (http:\/\/localhost:\d+)/))[1];
    expect(first.output()).toMatch(/demo tenant "Demo Medical Devices Co\."/);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    first.kill('SIGINT');
    expect(await exited(first)).toBe(0);
    expect(first.output()).toContain('stopped cleanly');

    // The same data directory opens again: no re-seed, migrations current, data intact.
    const second = cli(['serve']);
    const url2 = (await waitFor(second, /running on (http:\/\/localhost:\d+)/))[1];
    expect(second.output()).not.toMatch(/demo tenant/);
    expect(await (await fetch(`${url2}/health`)).json()).toMatchObject({ status: 'ok' });
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);

    const again = await run([
      'tenant',
      'create',
      '--code',
      'acme-med',
      '--name',
      'Acme Medical',
      '--site-code',
      'BOS',
      '--site-name',
      'Boston',
      '--time-zone',
      'America/New_York',
    ]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/created tenant acme-med/);
    const dup = await run(['tenant', 'create', '--code', 'acme-med', '--name', 'Acme', '--site-code', 'X', '--site-name', 'X']);
    expect(dup.code).toBe(1);
    expect(dup.out).toMatch(/tenant acme-med already exists/);
  });

  it('refuses to start with a clear message when configuration is bad', async () => {
    const { code, out } = await run(['migrate', '--status'], { PORT: 'http' });
    expect(code).toBe(1);
    expect(out).toMatch(/configuration error: PORT must be a whole number/);
  });

  it('explains every command with --help', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['tenant', 'create', '--help'], ['seed', '--help']]) {
      const { code, out } = await run(args);
      expect(code, args.join(' ')).toBe(0);
      expect(out).toMatch(/Usage: mediforge/);
    }
  });
});
