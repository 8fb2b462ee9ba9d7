import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures.js';
import { nextTotp, openAs, type Person } from './people.js';

/**
 * The shop floor on a tablet: the operator picks the clean-room work center, opens the first
 * operation of the in-progress sub-assembly order, cannot choose the leak tester whose
 * calibration is overdue, starts on the UV bonding station and completes the operation with its
 * good and scrap quantities; the leak test is next in the queue. Then QA: one person reviews the
 * device history record of the order the operator finished, another releases its lot.
 */
test.describe.configure({ mode: 'serial' });

test.describe('on a 10-inch tablet, landscape', () => {
  test.use({ viewportSize: { width: 1280, height: 800 } });

  test('[P11.10g] the operator starts an operation on calibrated equipment only and completes it', async ({ page }) => {
    test.setTimeout(120_000);
    await openAs(page, 'operator', '/production/operations');
    await page.getByRole('combobox', { name: 'Work center' }).click();
    await page.getByRole('option', { name: /^CR-ASSY/ }).click();
    const card = page.locator('.mantine-Card-root').filter({ hasText: 'Op. 10 Cut tubing and bond components' });
    await expect(card).toHaveCount(1);
    await expect(card).toContainText('IS-200-SA');
    await card.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByText('Op. 10 Cut tubing and bond components').first()).toBeVisible();

    await page.getByRole('combobox', { name: 'Equipment' }).click();
    await expect(page.getByRole('option', { name: /LEAK-01 .* calibration overdue/ })).toHaveAttribute('aria-disabled', 'true');
    await page.getByRole('option', { name: /^UV-BOND-01/ }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(page.getByText('Running', { exact: true }).first()).toBeVisible();
    await screenshot(page, 'production-1-operation-running');

    await page.getByRole('textbox', { name: /^Good/ }).fill('195');
    await page.getByRole('textbox', { name: /^Scrap \(/ }).fill('5');
    await page.getByRole('combobox', { name: 'Scrap reason' }).click();
    await page.getByRole('option').first().click();
    await page.getByRole('button', { name: 'Complete operation' }).click();
    // Back in the queue: operation 10 is done, the leak test is next and may start now.
    await expect(page.getByRole('heading', { name: 'My work queue' })).toBeVisible();
    await expect(page.locator('.mantine-Card-root').filter({ hasText: 'Op. 10 Cut tubing and bond components' })).toHaveCount(0);
    const next = page.locator('.mantine-Card-root').filter({ hasText: 'Op. 20 Leak test' });
    await expect(next).toContainText('Pending');
    await expect(next.getByRole('button', { name: 'Open' })).toBeEnabled();
    await screenshot(page, 'production-2-next-operation');
  });
});

/** Signs in the open signature dialog as `person` and closes it once the signature shows. */
async function signAs(page: Page, person: Person, name: string) {
  const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
  await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(person.password);
  await dialog.getByLabel('Verification code').fill(await nextTotp(person));
  await dialog.getByRole('button', { name: 'Sign' }).click();
  await expect(dialog.getByTestId('manifestation')).toContainText(`Signed by ${name} (${person.login})`);
  await dialog.getByRole('button', { name: 'Close' }).click();
}

test('[Q.ACC] QA reviews the device history record of the completed order, and another QA person releases its lot', async ({ page }) => {
  test.setTimeout(180_000);
  const reviewer = await openAs(page, 'qa.reviewer', '/production/work-orders');
  await page.getByRole('row').filter({ hasText: 'Completed' }).getByRole('link', { name: /^WO-/ }).first().click();
  await expect(page.getByRole('heading', { name: /^WO-/, level: 1 })).toBeVisible();
  const orderPath = new URL(page.url()).pathname;
  await page.getByRole('tab', { name: /Device history record/ }).click();
  await expect(page.getByTestId('dhr-blockers')).toContainText('The record is not reviewed yet.');
  const operations = page.getByTestId('dhr-operations');
  await expect(operations).toContainText('Zhang Min');
  await expect(operations).toContainText('UV-BOND-01');
  await expect(operations).toContainText('In date');
  await expect(page.getByRole('button', { name: 'Release output (sign)' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Review (sign)' }).click();
  await signAs(page, reviewer, 'Huang Min');
  await expect(page.getByTestId('dhr-status')).toHaveText('Reviewed');
  await screenshot(page, 'production-3-dhr-reviewed');

  await page.context().clearCookies();
  const qa = await openAs(page, 'qa.manager', orderPath);
  await page.getByRole('tab', { name: /Device history record/ }).click();
  await page.getByRole('button', { name: 'Release output (sign)' }).click();
  await signAs(page, qa, 'Li Wei');
  await expect(page.getByTestId('dhr-status')).toHaveText('Released');
  await expect(page.getByTestId('dhr-lots')).toContainText('Released');
  await screenshot(page, 'production-4-output-released');
});
