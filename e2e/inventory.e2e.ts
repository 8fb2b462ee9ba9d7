import { expect, screenshot, test } from './fixtures.js';
import { nextTotp, openAs } from './people.js';

/**
 * The received ROLLER-CLAMP lot while it waits in quarantine: the warehouse clerk may not take
 * it to the production line and is told why, books a counted difference under e-signature, and
 * the QA manager holds it with a reason and lifts the hold, all of it on the lot's page.
 */
test.describe.configure({ mode: 'serial' });

let lotPath = '';

test.describe('on a 10-inch tablet, upright', () => {
  test.use({ viewportSize: { width: 800, height: 1280 } });

  test('[P11.10f] [P11.50] the warehouse clerk cannot move the quarantined lot to production, and books a signed count difference', async ({
    page,
  }) => {
    const clerk = await openAs(page, 'warehouse', '/inventory/lots?view=quarantine');
    await page.getByRole('textbox', { name: 'Search' }).fill('ROLLER-CLAMP');
    await expect(page.getByRole('link', { name: /^LOT-/ })).toHaveCount(1);
    await expect(page.getByRole('row').filter({ hasText: 'ROLLER-CLAMP' })).toContainText('5,000 ea');
    await page.getByRole('link', { name: /^LOT-/ }).click();
    await expect(page.getByRole('heading', { name: /^LOT-\d{4}-\d{5}$/ })).toBeVisible();
    lotPath = new URL(page.url()).pathname;
    const lotNumber = (await page.getByRole('heading', { name: /^LOT-/ }).textContent())!;
    await expect(page.getByText('Quarantine', { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId('stock-per-location')).toContainText('WH1/RCV');
    // Releasing and holding are QA's; the clerk is not offered them.
    await expect(page.getByRole('button', { name: 'Release' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Put on hold' })).toHaveCount(0);

    await page.getByRole('button', { name: 'Transfer' }).first().click();
    const transfer = page.getByRole('dialog', { name: 'Transfer stock' });
    await transfer.getByRole('combobox', { name: 'To location' }).fill('LINE1');
    await page.getByRole('option', { name: /PROD\/LINE1/ }).click();
    await transfer.getByRole('textbox', { name: 'Quantity' }).fill('100');
    await transfer.getByRole('button', { name: 'Transfer' }).click();
    const refusal = transfer.getByRole('alert');
    await expect(refusal).toContainText(
      `Lot ${lotNumber} has status Quarantine: the Production location PROD/LINE1 does not take it. A production location takes only released lots that have not expired.`,
    );
    await screenshot(page, 'inventory-1-transfer-refused-tablet');
    await transfer.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('stock-per-location')).toContainText('5,000 ea');

    // Two clamps found cracked: counted 4,998 against 5,000 booked, signed as verified.
    await page.getByRole('button', { name: 'Adjust' }).first().click();
    const adjust = page.getByRole('dialog', { name: 'Adjust a counted difference' });
    await expect(adjust).toContainText('Booked here: 5,000 ea');
    await adjust.getByRole('textbox', { name: 'Counted quantity' }).fill('4998');
    await expect(adjust.getByTestId('adjust-difference')).toHaveText('Adjustment to book: -2 ea');
    await adjust.getByRole('textbox', { name: 'Reason' }).fill('Cycle count: 2 clamps cracked in the carton');
    await expect(adjust.getByTestId('signature-meaning')).toHaveText('Verified');
    // A wrong password books nothing and says so.
    await adjust.getByRole('textbox', { name: 'Password', exact: true }).fill('not my password');
    await adjust.getByRole('button', { name: 'Sign and book' }).click();
    await expect(adjust.getByRole('alert')).toBeVisible();
    await adjust.getByRole('textbox', { name: 'Password', exact: true }).fill(clerk.password);
    // Whoever signs has a second factor: the session's first signing asks for the code too.
    await adjust.getByLabel('Verification code').fill(await nextTotp(clerk));
    await adjust.getByRole('button', { name: 'Sign and book' }).click();
    const manifestation = adjust.getByTestId('manifestation');
    await expect(manifestation).toContainText(/Signed by .+ \(warehouse\)/);
    await expect(manifestation).toContainText('meaning: Verified');
    await expect(manifestation).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00/);
    await expect(manifestation).toContainText('Valid');
    await screenshot(page, 'inventory-2-adjustment-signed-tablet');
    await adjust.getByRole('button', { name: 'Close' }).click();

    await expect(page.getByTestId('stock-per-location')).toContainText('4,998 ea');
    await page.getByRole('tab', { name: /^Movements/ }).click();
    const row = page.getByRole('row').filter({ hasText: 'Cycle count: 2 clamps cracked in the carton' });
    await expect(row).toContainText('Adjustment');
    await expect(row).toContainText('−2 ea');
    await expect(row).toContainText('WH1/RCV');
    await expect(row.getByTestId('movement-signature')).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'Receipt' })).toContainText('+5,000 ea');
  });
});

test.describe('at the desk', () => {
  test('[P11.10e] the QA manager holds the lot with a reason, its status history says who and why, and lifts the hold', async ({
    page,
  }) => {
    expect(lotPath, 'the lot of the first scenario').not.toBe('');
    await openAs(page, 'qa.manager', lotPath);
    await expect(page.getByRole('button', { name: 'Release' })).toBeVisible();

    await page.getByRole('button', { name: 'Put on hold' }).click();
    const hold = page.getByRole('dialog', { name: 'Put the lot on hold' });
    await hold.getByRole('textbox', { name: 'Reason' }).fill('Supplier notice SN-2026-11: clamp wheel may slip');
    await hold.getByRole('button', { name: 'Put on hold' }).click();
    await expect(page.getByRole('button', { name: 'Lift hold' })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Held by' })).toContainText('Supplier notice SN-2026-11: clamp wheel may slip');
    // A held lot can still be rejected, not released.
    await expect(page.getByRole('button', { name: 'Release' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Reject' })).toBeVisible();

    await page.getByRole('tab', { name: /^Status history/ }).click();
    const history = page.getByTestId('status-history');
    const held = history.getByRole('row').filter({ hasText: 'Supplier notice SN-2026-11' });
    await expect(held).toContainText('Quarantine');
    await expect(held).toContainText('On hold');
    await expect(held).toContainText('Li Wei');
    await screenshot(page, 'inventory-3-held-status-history');

    await page.getByRole('button', { name: 'Lift hold' }).click();
    const lift = page.getByRole('dialog', { name: 'Lift the hold' });
    await lift.getByRole('textbox', { name: 'Reason' }).fill('Supplier confirmed lot MOULD clamps are not affected');
    await lift.getByRole('button', { name: 'Lift hold' }).click();
    await expect(page.getByRole('button', { name: 'Put on hold' })).toBeVisible();
    await expect(history.getByRole('row').filter({ hasText: 'not affected' })).toContainText('Li Wei');
    await expect(history.getByRole('row')).toHaveCount(3);

    // The clerk's signed adjustment is among the lot's signatures, with what it signed.
    await page.getByRole('tab', { name: /^Signatures/ }).click();
    const panel = page.getByRole('tabpanel');
    await expect(panel).toContainText('Adjustment −2 ea at WH1/RCV — Cycle count: 2 clamps cracked in the carton');
    await expect(panel.getByTestId('manifestation')).toContainText('meaning: Verified');
    await screenshot(page, 'inventory-4-signatures');
  });
});
