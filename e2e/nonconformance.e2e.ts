import { expect, screenshot, test } from './fixtures.js';
import { nextTotp, openAs } from './people.js';

/**
 * A rejected incoming lot through the material review board: the warehouse clerk receives
 * SUP-PACK's UDI labels into quarantine, the QA inspector records a sample that rejects the lot, the
 * QA manager rejects it by e-signature, the NCR is raised by itself with the lot held, and the QA
 * manager disposes part scrap and part return to supplier under one signature: the stock leaves
 * the ledger.
 */
test.describe.configure({ mode: 'serial' });

let inspectionPath = '';
let ncrPath = '';
let lotNumber = '';

test('[Q.ACC] the warehouse clerk receives the SUP-PACK labels and the QA inspector records a rejecting sample', async ({ page }) => {
  test.setTimeout(120_000);
  await openAs(page, 'warehouse', '/purchasing/receive');
  await page.getByRole('combobox', { name: 'Supplier' }).fill('SUP-PACK');
  await page.getByRole('option', { name: /SUP-PACK/ }).click();
  await page.getByTestId('receivable-order').filter({ hasText: 'SUP-PACK' }).click();
  await page.getByTestId('receivable-line').filter({ hasText: 'LBL-IS200' }).click();
  await page.getByLabel('Quantity received').fill('500');
  await page.getByLabel('Supplier lot number').fill('SSP-26-3391');
  await page.getByRole('button', { name: 'Post receipt' }).click();
  const done = page.getByTestId('receipt-done');
  await expect(done.getByText('Received into quarantine')).toBeVisible();
  lotNumber = (await done.getByTestId('lot-number').textContent())!;
  await done.getByTestId('receipt-number').click();
  await expect(page.getByRole('heading', { name: /^GR-/ })).toBeVisible();
  const receiptPath = new URL(page.url()).pathname;

  await page.context().clearCookies();
  await openAs(page, 'qa.inspector', receiptPath);
  await page.getByRole('link', { name: /^IQC-\d{4}-\d{5}$/ }).click({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: /^IQC-/ })).toBeVisible();
  inspectionPath = new URL(page.url()).pathname;
  const sample = page.getByRole('textbox', { name: /Defectives in the sample of/ });
  await sample.fill('5');
  await expect(page.getByTestId('running-count').getByTestId('verdict')).toHaveText('Sample rejects the lot');
  await page.getByRole('button', { name: 'Save result' }).click();
  await expect(page.getByText(/Recorded by/)).toBeVisible();
});

test('[Q.NC] the QA manager rejects the lot by e-signature: an NCR is raised and the lot is held', async ({ page }) => {
  test.setTimeout(120_000);
  expect(inspectionPath, 'the inspection of the scenario before').not.toBe('');
  const qa = await openAs(page, 'qa.manager', inspectionPath);
  await page.getByRole('button', { name: 'Reject the lot' }).click();
  const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
  await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(qa.password);
  await dialog.getByLabel('Verification code').fill(await nextTotp(qa));
  await dialog.getByLabel('Comment').fill('5 labels of the sample with a DataMatrix that does not scan; Re reached.');
  await dialog.getByRole('button', { name: 'Sign' }).click();
  await expect(dialog.getByTestId('manifestation')).toContainText('Signed by Li Wei (qa.manager)');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('lot-status')).toHaveText('Rejected');

  // The NCR list: the rejection raised one for the lot.
  await page.goto('/nonconformance/ncrs');
  const link = page.getByRole('row').filter({ hasText: lotNumber }).getByRole('link', { name: /^NCR-/ });
  await expect(link).toHaveCount(1, { timeout: 30_000 });
  await screenshot(page, 'nonconformance-1-list');
  await link.click();
  await expect(page.getByRole('heading', { name: /^NCR-/, level: 1 })).toBeVisible();
  ncrPath = new URL(page.url()).pathname;
  await expect(page.getByText('Open', { exact: true }).first()).toBeVisible();
  const affected = page.getByTestId('ncr-affected');
  await expect(affected).toContainText(lotNumber);
  await expect(affected).toContainText('500');

  // The lot's page shows the NCR and that the lot cannot be used.
  await affected.getByRole('link', { name: lotNumber }).click();
  await expect(page.getByRole('heading', { name: lotNumber, level: 1 })).toBeVisible();
  await expect(page.getByTestId('lot-ncrs').getByRole('link', { name: /^NCR-/ })).toBeVisible();
  await expect(page.getByText('Rejected', { exact: true }).first()).toBeVisible();
  await screenshot(page, 'nonconformance-2-lot-held');

  // And the inspection that rejected the lot links to its NCR.
  await page.goto(inspectionPath);
  await expect(page.getByTestId('lot-ncrs').getByRole('link', { name: /^NCR-/ })).toBeVisible();
});

test('[Q.NC] [P11.50] the QA manager disposes 300 scrap and 200 return to supplier under one signature', async ({ page }) => {
  test.setTimeout(120_000);
  expect(ncrPath, 'the NCR of the scenario before').not.toBe('');
  const qa = await openAs(page, 'qa.manager', ncrPath);
  await page.getByRole('button', { name: 'Disposition' }).click();
  const form = page.getByRole('dialog', { name: 'Disposition' });
  await form.getByRole('textbox', { name: 'Quantity' }).first().fill('300');
  await form.getByRole('button', { name: 'Split' }).click();
  await form.getByRole('combobox', { name: 'Disposition' }).nth(1).click();
  await page.getByRole('option', { name: 'Return to supplier' }).click();
  await form.getByRole('textbox', { name: 'Quantity' }).nth(1).fill('200');
  await form.getByLabel('Justification').fill('DataMatrix print unreadable: 300 scrapped here, 200 returned for supplier analysis.');
  await form.getByLabel('Notice to the supplier').fill('200 labels SSP-26-3391 returned: DataMatrix does not scan.');
  await form.getByRole('button', { name: 'Continue to signature' }).click();

  const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
  await expect(dialog.getByTestId('signature-meaning')).toHaveText('Approved');
  await expect(dialog).toContainText('Scrap 300');
  await expect(dialog).toContainText('Return to supplier 200');
  await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(qa.password);
  await dialog.getByLabel('Verification code').fill(await nextTotp(qa));
  await dialog.getByRole('button', { name: 'Sign' }).click();
  await expect(dialog.getByTestId('manifestation')).toContainText('meaning: Approved');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const dispositions = page.getByTestId('ncr-dispositions');
  await expect(dispositions.getByRole('row', { name: new RegExp(`^1 ${lotNumber} Scrap 300 `) })).toHaveCount(1);
  await expect(dispositions.getByRole('row', { name: new RegExp(`^2 ${lotNumber} Return to supplier 200 `) })).toHaveCount(1);
  await expect(page.getByText('200 labels SSP-26-3391 returned')).toBeVisible();
  await screenshot(page, 'nonconformance-3-disposed');

  // The stock left the ledger: the lot holds nothing any more.
  await page.getByTestId('ncr-affected').getByRole('link', { name: lotNumber }).click();
  await expect(page.getByRole('heading', { name: lotNumber, level: 1 })).toBeVisible();
  await expect(page.getByText('Nothing of this lot is on hand.')).toBeVisible();
  await expect(page.getByTestId('stock-per-location')).toHaveCount(0);
});
