import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, screenshot, test } from './fixtures.js';
import { nextTotp, openAs } from './people.js';

/**
 * The inbound flow end to end: the warehouse clerk receives the SUP-EMS order on a tablet into
 * quarantine with its certificate of analysis, incoming inspection opens by itself, the QA
 * manager records the AQL sample and releases the lot by e-signature. And what is refused: an
 * order of the disqualified supplier SUP-BATT can be neither received nor approved, and a line
 * does not take more than it may.
 */
test.describe.configure({ mode: 'serial' });

const certificate = Buffer.from(
  '%PDF-1.4\n% Certificate of analysis, Shenzhen EMS Electronics, lot EMS-NTC-2611-A\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n',
);
const sha256 = createHash('sha256').update(certificate).digest('hex');

let receiptPath = '';
let lotNumber = '';
let inspectionPath = '';

test.describe('on a 10-inch tablet, upright', () => {
  test.use({ viewportSize: { width: 800, height: 1280 } });

  test('[Q.ACC] the warehouse clerk receives the SUP-EMS order into quarantine with conditions and the CoA', async ({ page }) => {
    await openAs(page, 'warehouse', '/purchasing/receive');
    await page.getByRole('combobox', { name: 'Supplier' }).fill('SUP-EMS');
    await page.getByRole('option', { name: /SUP-EMS/ }).click();
    const order = page.getByTestId('receivable-order').filter({ hasText: 'SUP-EMS' });
    await expect(order).toHaveCount(1);
    await expect(order).toContainText('Sent');
    await order.click();

    const line = page.getByTestId('receivable-line').filter({ hasText: 'PROBE-NTC' });
    await expect(line).toContainText('Ordered500 ea');
    await expect(line).toContainText('Received0 ea');
    await expect(line).toContainText('Open500 ea');
    await line.click();

    await page.getByLabel('Quantity received').fill('500');
    await page.getByLabel('Supplier lot number').fill('EMS-NTC-2611-A');
    await page.getByLabel('Manufacture date').fill('2026-11-02');
    await page.getByLabel('Expiry date').fill('2029-11-01');
    await page.getByLabel('Temperature on arrival').fill('22,5');
    await page.getByLabel('Relative humidity').fill('46');
    await expect(page.getByRole('combobox', { name: 'Quarantine location' })).toHaveValue(/Receiving quarantine/);
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'COA EMS-NTC-2611-A.pdf', mimeType: 'application/pdf', buffer: certificate });
    await page.getByRole('button', { name: 'Post receipt' }).click();

    const done = page.getByTestId('receipt-done');
    await expect(done.getByText('Received into quarantine')).toBeVisible();
    await expect(done.getByTestId('receipt-number')).toHaveText(/^GR-\d{4}-\d{5}$/);
    await expect(done.getByTestId('lot-number')).toHaveText(/^LOT-\d{4}-\d{5}$/);
    await expect(done.getByText('Quarantine', { exact: true })).toBeVisible();
    // The hash the server recorded is the hash of the file that was sent.
    await expect(done.getByTestId('certificate-sha256')).toHaveText(sha256);
    await expect(done.getByTestId('certificate-hash-check')).toHaveText('Matches the file sent from this device.');
    lotNumber = (await done.getByTestId('lot-number').textContent())!;
    await screenshot(page, 'receiving-1-posted-tablet');

    // The receipt: order, line, conditions, delivery, and the certificate verified on download.
    await done.getByTestId('receipt-number').click();
    await expect(page.getByRole('heading', { name: /^GR-/ })).toBeVisible();
    receiptPath = new URL(page.url()).pathname;
    await expect(page.getByRole('row', { name: /Receiving conditions/ })).toContainText('22.5 °C · 46 %RH');
    await expect(page.getByRole('row', { name: /^Lot/ })).toContainText(lotNumber);
    await expect(page.getByRole('row', { name: /^Delivery/ })).toContainText('On time');
    const download = page.waitForEvent('download');
    await page.getByTestId('certificates').getByRole('button', { name: 'Download' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('COA EMS-NTC-2611-A.pdf');
    expect(
      createHash('sha256')
        .update(readFileSync((await file.path())!))
        .digest('hex'),
    ).toBe(sha256);
  });

  test('the disqualified supplier SUP-BATT has no order to receive against, and a line takes no more than ordered', async ({ page }) => {
    await openAs(page, 'warehouse', '/purchasing/receive');
    await page.getByRole('combobox', { name: 'Supplier' }).fill('SUP-BATT');
    await page.getByRole('option', { name: /SUP-BATT/ }).click();
    const none = page.getByTestId('no-receivable-orders');
    await expect(none).toContainText('No order is open for receiving');
    await expect(none).toContainText(
      /PO-\d{4}-\d{5} \(SUP-BATT\) is Draft: goods cannot be received against it until it is approved and sent\./,
    );
    await expect(page.getByTestId('receivable-order')).toHaveCount(0);
    await screenshot(page, 'receiving-2-nothing-to-receive-tablet');

    // The SUP-EMS housings: 500 ordered, no tolerance; 600 is refused and nothing is received.
    await page.getByRole('combobox', { name: 'Supplier' }).fill('SUP-EMS');
    await page.getByRole('option', { name: /SUP-EMS/ }).click();
    await page.getByTestId('receivable-order').filter({ hasText: 'SUP-EMS' }).click();
    await page.getByTestId('receivable-line').filter({ hasText: 'HOUSING-TH300' }).click();
    await page.getByLabel('Quantity received').fill('600');
    await page.getByLabel('Supplier lot number').fill('EMS-HSG-2611');
    await page.getByRole('button', { name: 'Post receipt' }).click();
    await expect(page.getByText(/Too much: line 2 of PO-\d{4}-\d{5} can take at most 500 ea more, tolerance included\./)).toBeVisible();
    await page.getByRole('button', { name: 'Another line' }).click();
    await expect(page.getByTestId('receivable-line').filter({ hasText: 'HOUSING-TH300' })).toContainText('Received0 ea');
  });
});

test.describe('at the desk', () => {
  test('[Q.ACC] [P11.50] [P11.10g-sod] the QA inspector records the AQL sample, and the QA manager releases the lot by e-signature', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    expect(receiptPath, 'the receipt of the first scenario').not.toBe('');
    await openAs(page, 'qa.inspector', receiptPath);
    // The receipt's event opens the inspection shortly after the receipt, not within it.
    await page.getByRole('link', { name: /^IQC-\d{4}-\d{5}$/ }).click({ timeout: 30_000 });
    await expect(page.getByRole('heading', { name: /^IQC-/ })).toBeVisible();
    inspectionPath = new URL(page.url()).pathname;

    // 500 pieces, level II, AQL 1.0, normal: code letter H, n 50, Ac 1, Re 2.
    const plan = page.getByTestId('sampling-plan');
    await expect(plan.getByTestId('lot-size')).toHaveText('500');
    await expect(plan.getByTestId('code-letter')).toHaveText('H');
    await expect(plan.getByTestId('sample-size')).toHaveText('50');
    await expect(plan.getByTestId('accept-number')).toHaveText('1');
    await expect(plan.getByTestId('reject-number')).toHaveText('2');
    await expect(plan).toContainText('Normal');
    await expect(page.getByTestId('lot-status')).toHaveText('Quarantine');
    await expect(page.getByRole('button', { name: 'Accept and release the lot' })).toHaveCount(0);

    // One defective of 50 is within Ac: the running count says so as it is typed.
    const count = page.getByTestId('running-count');
    await page.getByRole('textbox', { name: /Defectives in the sample of 50/ }).fill('1');
    await expect(count.getByTestId('nonconforming')).toHaveText('1');
    await expect(count.getByTestId('verdict')).toHaveText('Sample accepts the lot');
    await expect(page.getByTestId('disposition-hint')).toContainText('Record every characteristic');
    await page.getByRole('button', { name: 'Save result' }).click();
    await expect(page.getByText(/Recorded by Liu Yang/)).toBeVisible();

    // Whoever recorded the results does not also decide on the lot: the QA manager does.
    await page.context().clearCookies();
    const qa = await openAs(page, 'qa.manager', inspectionPath);
    await page.getByRole('button', { name: 'Accept and release the lot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
    await expect(dialog.getByTestId('signature-meaning')).toHaveText('Released');
    await expect(dialog.getByText(lotNumber)).toBeVisible();
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(qa.password);
    await dialog.getByLabel('Verification code').fill(await nextTotp(qa));
    await dialog.getByLabel('Comment').fill('CoA reviewed; 1 cosmetic defect in 50, within Ac 1.');
    await dialog.getByRole('button', { name: 'Sign' }).click();
    const manifestation = dialog.getByTestId('manifestation');
    await expect(manifestation).toContainText('Signed by Li Wei (qa.manager)');
    await expect(manifestation).toContainText('meaning: Released');
    await expect(manifestation).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00/);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await expect(page.getByText('Accepted', { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId('lot-status')).toHaveText('Released');
    await expect(page.getByRole('tabpanel').getByTestId('manifestation')).toContainText('meaning: Released');
    await screenshot(page, 'receiving-3-released');

    // The lot itself, in inventory: released.
    await page.getByTestId('inspection-lot').click();
    await expect(page).toHaveURL(/\/inventory\/lots\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { name: lotNumber, level: 1 })).toBeVisible();
    await expect(page.getByText('Released', { exact: true }).first()).toBeVisible();
  });

  test('[Q.ACC] [P11.50] the QA manager, as responsible authority, permits reduced inspection of the SUP-EMS probes by e-signature', async ({
    page,
  }) => {
    expect(inspectionPath, 'the inspection of the scenario before').not.toBe('');
    const qa = await openAs(page, 'qa.manager', inspectionPath);
    await page.getByRole('link', { name: 'Inspection plan and switching' }).click();
    await expect(page.getByRole('heading', { name: 'PROBE-NTC', level: 1 })).toBeVisible();
    await page.getByRole('tab', { name: 'Switching by supplier (1)' }).click();

    // The accepted lot: normal inspection, one lot accepted, Ac 1 so the switching score is 2 (9.3.3.2).
    const row = page.getByTestId('switching-row').filter({ hasText: 'SUP-EMS' });
    await expect(row.getByTestId('switching-severity')).toHaveText('Normal');
    await expect(row.getByTestId('switching-score')).toHaveText('2');
    await expect(row.getByTestId('recent-lots').getByRole('img')).toHaveCount(1);
    await expect(row.getByTestId('recent-lots').getByRole('img', { name: 'Lot accepted' })).toHaveCount(1);
    await expect(row.getByTestId('reduced-permitted')).toHaveText('No');
    await expect(row.getByRole('button', { name: 'Withdraw reduced inspection' })).toHaveCount(0);
    await expect(row.getByRole('button', { name: 'Resume on tightened' })).toHaveCount(0);

    await row.getByRole('button', { name: 'Permit reduced inspection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
    await expect(dialog.getByTestId('signature-meaning')).toHaveText('Approved');
    await expect(dialog).toContainText(/PROBE-NTC — .+ from SUP-EMS — .+: Permit reduced inspection/);
    await expect(dialog.getByTestId('signature-description')).toContainText('9.3.3');
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(qa.password);
    await dialog.getByLabel('Verification code').fill(await nextTotp(qa));
    // The reason is the comment, and it is required.
    await expect(dialog.getByRole('button', { name: 'Sign' })).toBeDisabled();
    await dialog.getByLabel('Comment').fill('Supplier audit 2026-10 passed; SPC on the NTC line stable.');
    await dialog.getByRole('button', { name: 'Sign' }).click();
    const manifestation = dialog.getByTestId('manifestation');
    await expect(manifestation).toContainText('Signed by Li Wei (qa.manager)');
    await expect(manifestation).toContainText('meaning: Approved');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Consent given: reduced inspection waits for a switching score of 30, so inspection stays normal.
    await expect(row.getByTestId('reduced-permitted')).toHaveText('Yes');
    await expect(row.getByTestId('switching-severity')).toHaveText('Normal');
    await expect(row.getByRole('button', { name: 'Permit reduced inspection' })).toHaveCount(0);
    await expect(row.getByRole('button', { name: 'Withdraw reduced inspection' })).toBeVisible();
    const signed = page.getByTestId('switching-signatures').getByTestId('manifestation');
    await expect(signed).toHaveCount(1);
    await expect(signed).toContainText('Signed by Li Wei (qa.manager)');
    await expect(signed).toContainText('meaning: Approved');
    await expect(signed).toContainText('Supplier audit 2026-10 passed');
    await screenshot(page, 'receiving-4-reduced-permitted');
    await page.setViewportSize({ width: 800, height: 1280 });
    await expect(page.getByRole('link', { name: 'Incoming inspection' })).not.toBeInViewport();
    await expect(row.getByRole('button', { name: 'Withdraw reduced inspection' })).toBeInViewport();
    await screenshot(page, 'receiving-4-reduced-permitted-tablet');
  });

  test('[Q.SUP] the buyer cannot approve the SUP-BATT order: the supplier is not on the approved supplier list', async ({ page }) => {
    const buyer = await openAs(page, 'buyer', '/purchasing/orders');
    await page.getByRole('combobox', { name: 'Supplier' }).fill('SUP-BATT');
    await page.getByRole('option', { name: /SUP-BATT/ }).click();
    // The filtered list replaces the full one: its one order is SUP-BATT's draft.
    const orders = page.getByRole('link', { name: /^PO-/ });
    await expect(orders).toHaveCount(1);
    await orders.click();
    await expect(page.getByText('Draft', { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId('asl-warning')).toContainText(
      'SUP-BATT is not on the approved supplier list today for BAT-CR2032 (line 1)',
    );

    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
    await expect(dialog.getByTestId('signature-meaning')).toHaveText('Approved');
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(buyer.password);
    await dialog.getByLabel('Verification code').fill(await nextTotp(buyer));
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await expect(dialog.getByRole('alert')).toContainText(
      /PO-\d{4}-\d{5} cannot be approved: supplier SUP-BATT is not on the approved supplier list on \d{4}-\d{2}-\d{2} for BAT-CR2032 \(line 1\)\./,
    );
    await screenshot(page, 'receiving-5-approval-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Nothing was signed: the order is still a draft without a signature.
    await expect(page.getByText('Draft', { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId('manifestation')).toHaveCount(0);
  });
});
