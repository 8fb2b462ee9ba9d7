import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/**
 * Starts the built server (`dist/cli.js serve`) on a free port with a fresh embedded database in
 * a temp directory and the demo seed; tests read its address from E2E_BASE_URL.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(root, 'dist', 'cli.js')) || !existsSync(join(root, 'web', 'dist', 'index.html'))) {
    throw new Error('build first: npm run build');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'mf-e2e-'));
  // What the scenarios learn about the demo people (see people.ts), shared by every test file.
  const stateDir = mkdtempSync(join(tmpdir(), 'mf-e2e-state-'));
  process.env.E2E_STATE_DIR = stateDir;
  const server = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      DEMO_SEED: 'true',
      LOG_LEVEL: 'warn',
      MEDIFORGE_SECRET_KEY: randomBytes(32).toString('hex'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { url, output } = await listening(server);
  process.env.E2E_BASE_URL = url;
  // The demo seed prints each person's one-time password once, at first start.
  const passwords = Object.fromEntries([...output.matchAll(/login "([^"]+)", one-time password (\S+)/g)].map((m) => [m[1], m[2]]));
  process.env.E2E_DEMO_PASSWORDS = JSON.stringify(passwords);
  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  };
}

function listening(server: ChildProcess): Promise<{ url: string; output: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), output: out });
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}
