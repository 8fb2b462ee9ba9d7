import { expect, screenshot, test } from './fixtures.js';
import { openAs } from './people.js';

/**
 * The shop floor on a tablet: the operator picks the clean-room work center, opens the first
 * operation of the in-progress sub-assembly order, cannot choose the leak tester whose
 * calibration is overdue, starts on the UV bonding station and completes the operation with its
 * good and scrap quantities; the leak test is next in the queue.
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
