/**
 * `npm run dev`: the API server (restarting on change) and the Vite dev server (hot reload),
 * side by side. Open the Vite URL; it proxies /api to the API. Ctrl-C stops both.
 */
import { type ChildProcess, spawn } from 'node:child_process';

const webPort = process.env.PORT ?? '3000';
const apiPort = process.env.API_PORT ?? String(Number(webPort) + 1);

const children: ChildProcess[] = [
  spawn('npx', ['tsx', 'watch', 'src/cli.ts', 'serve'], { stdio: 'inherit', env: { ...process.env, PORT: apiPort } }),
  spawn('npx', ['vite', '--config', 'web/vite.config.ts'], { stdio: 'inherit', env: { ...process.env, PORT: webPort, API_PORT: apiPort } }),
];

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const child of children) child.on('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
