import { expect, screenshot, test } from './fixtures.js';
import { demoPerson, firstSignIn, nextTotp } from './people.js';

test.describe.configure({ mode: 'serial' });

const qa = demoPerson('qa.manager');

test('[P11.50] [P11.200a] a QA manager approves a document with an e-signature and sees its manifestation', async ({ page, context }) => {
  await page.goto('/documents');
  await firstSignIn(page, qa, 'Balloon-Leak-Test-2bar');
  await expect(page).toHaveURL(/\/documents$/);
  await page.getByRole('textbox', { name: 'Search' }).fill('leak test');
  await expect(page.getByRole('link', { name: /^DOC-/ })).toHaveCount(1);
  await page.getByRole('link', { name: /^DOC-/ }).click();
  await expect(page.getByRole('heading', { name: /rev 1/ })).toBeVisible();
  await expect(page.getByText('In review', { exact: true }).first()).toBeVisible();

  await page.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
  await expect(dialog.getByTestId('signature-meaning')).toHaveText('Approved');
  await expect(dialog.getByText(/Balloon leak test at 2 bar/)).toBeVisible();
  // A wrong password signs nothing and says so.
  await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill('not my password');
  await dialog.getByLabel('Verification code').fill('000000');
  await dialog.getByRole('button', { name: 'Sign' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();

  await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(qa.password);
  await dialog.getByLabel('Verification code').fill(await nextTotp(qa));
  await dialog.getByLabel('Comment').fill('Leak limit confirmed against the design verification report.');
  await dialog.getByRole('button', { name: 'Sign' }).click();
  const manifestation = dialog.getByTestId('manifestation');
  await expect(manifestation).toContainText('Signed by Li Wei (qa.manager)');
  await expect(manifestation).toContainText('meaning: Approved');
  await expect(manifestation).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00/);
  await expect(manifestation).toContainText('Valid');
  await screenshot(page, '4-signature-manifestation');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await expect(page.getByText('Approved', { exact: true }).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Signatures' }).click();
  await expect(page.getByRole('tabpanel').getByTestId('manifestation')).toContainText('Signed by Li Wei');
  qa.cookies = await context.cookies();
});

test('[P11.10e] the history of a record shows who changed which field from what to what, and the record as it was', async ({
  page,
  context,
}) => {
  await context.addCookies(qa.cookies!);
  await page.goto('/documents');
  await page.getByRole('textbox', { name: 'Search' }).fill('leak test');
  await expect(page.getByRole('link', { name: /^DOC-/ })).toHaveCount(1);
  await page.getByRole('link', { name: /^DOC-/ }).click();
  await page.getByRole('tab', { name: 'History' }).click();
  const approval = page.getByTestId('field-diff').filter({ hasText: 'approved' }).last();
  const statusRow = approval.getByRole('row').filter({ hasText: 'status' });
  await expect(statusRow.getByRole('cell').nth(1)).toHaveText('in_review');
  await expect(statusRow.getByRole('cell').nth(2)).toHaveText('approved');
  await expect(page.getByText('Li Wei').first()).toBeVisible();

  // As of now the trail rebuilds the approved record.
  const now = await page.evaluate('new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 19)');
  await page.getByLabel('Show the record as it was at').fill(String(now));
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page.getByTestId('as-of')).toContainText('approved');
  await screenshot(page, '5-history-diff');
});
