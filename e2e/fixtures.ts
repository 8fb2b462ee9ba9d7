import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, chromium, expect, type Page } from '@playwright/test';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

/**
 * Each test gets Debian's chromium with a fresh temporary profile (`--user-data-dir`), a tablet
 * sized window (1280×800, overridable per test) and the test server as base URL.
 */
export const test = base.extend<{ viewportSize: { width: number; height: number } }>({
  viewportSize: [{ width: 1280, height: 800 }, { option: true }],
  context: async ({ viewportSize }, use) => {
    const profile = mkdtempSync(join(tmpdir(), 'mf-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: viewportSize,
      locale: 'en-US',
      timezoneId: 'Asia/Shanghai',
      baseURL: process.env.E2E_BASE_URL,
      acceptDownloads: true,
    });
    await use(context);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  },
  page: async ({ context }, use) => {
    await use(context.pages()[0] ?? (await context.newPage()));
  },
});

export { expect };

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
