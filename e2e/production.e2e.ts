import { expect, screenshot, test } from './fixtures.js';
import { openAs } from './people.js';

/**
 * The shop floor on a tablet: the operator picks the clean-room work center, opens the first
 * operation of the in-progress sub-assembly order, cannot choose the leak tester whose
 * calibration is overdue, starts on the UV bonding station and completes the operation with its
 * good and scrap quantities.
 */
test.describe.configure({ mode: 'serial' });

test.describe('on a 10-inch tablet, landscape', () => {
  test.use({ viewportSize: { width: 1280, height: 800 } });

  test('[P11.10g] the operator starts an operation on calibrated equipment only and completes it', async ({ page }) => {
    test.setTimeout(120_000);
    await openAs(page, 'operator', '/production/operations');
    await page.getByRole('textbox', { name: 'Work center' }).click();
    await page.getByRole('option', { name: /^CR-ASSY/ }).click();
    const card = page.locator('.mantine-Card-root').filter({ hasText: 'Op. 10 Cut tubing and bond components' });
    await expect(card).toHaveCount(1);
    await expect(card).toContainText('IS-200-SA');
    await card.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByText('Op. 10 Cut tubing and bond components').first()).toBeVisible();

    await page.getByRole('textbox', { name: 'Equipment' }).click();
    await expect(page.getByRole('option', { name: /LEAK-01 .* calibration overdue/ })).toHaveAttribute('aria-disabled', 'true');
    await page.getByRole('option', { name: /^UV-BOND-01/ }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(page.getByText('Running', { exact: true }).first()).toBeVisible();
    await screenshot(page, 'production-1-operation-running');

    await page.getByRole('textbox', { name: /^Good/ }).fill('195');
    await page.getByRole('textbox', { name: /^Scrap \(/ }).fill('5');
    await page.getByRole('textbox', { name: 'Scrap reason' }).click();
    await page.getByRole('option').first().click();
    await page.getByRole('button', { name: 'Complete operation' }).click();
    await expect(page.getByText('Good 195, scrap 5, rework 0.')).toBeVisible();
    await screenshot(page, 'production-2-operation-completed');
  });
});
