import { defineConfig } from '@playwright/test';

/**
 * Browser tests against the built app served by the real server (see global-setup.ts), in
 * Debian's chromium (no browser download). One worker: the 2-core CI machine also runs the server.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  globalSetup: './global-setup.ts',
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: '../node_modules/.e2e-results',
  use: { actionTimeout: 15_000, navigationTimeout: 30_000, trace: 'retain-on-failure' },
});
