/**
 * `npm run dev`: the API server (restarting on change) and the Vite dev server (hot reload),
 * side by side. Open the Vite URL; it proxies /api to the API. Ctrl-C stops both.
 */
import { type ChildProcess, spawn } from 'node:child_process';

const webPort = process.env.PORT ?? '3000';
const apiPort = process.env.API_PORT ?? String(Number(webPort) + 1);

// Each child leads its own process group, so stopping it also stops what npx started under it.
const start = (args: string[], env: Record<string, string>): ChildProcess =>
  spawn('npx', args, { stdio: 'inherit', detached: true, env: { ...process.env, ...env } });

const children = [
  start(['tsx', 'watch', 'src/cli.ts', 'serve'], { PORT: apiPort }),
  start(['vite', '--config', 'web/vite.config.ts'], { PORT: webPort, API_PORT: apiPort }),
];

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  process.exitCode = code;
}
for (const child of children) child.on('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
