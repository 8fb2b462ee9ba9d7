import { expect, screenshot, test } from './fixtures.js';
import { demoPerson, firstSignIn, nextTotp, openAs } from './people.js';

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

/** A one-page PDF made here, so no binary file is kept with the test. */
function pdf(text: string): Buffer {
  const stream = `BT /F1 14 Tf 56 780 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

test('[P11.10k] a QA manager edits the content of a draft revision, attaches a PDF, previews it and sees the diff against the revision in force', async ({
  page,
}) => {
  await openAs(page, 'qa.manager', '/documents');
  await page.getByRole('textbox', { name: 'Search' }).fill('RF welder');
  await expect(page.getByRole('link', { name: /^DOC-/ })).toHaveCount(2);
  // Newest revision first: the draft being revised for the 7 Fr die.
  await page.getByRole('link', { name: /^DOC-/ }).first().click();
  await expect(page.getByRole('heading', { name: /rev 2/ })).toBeVisible();

  await page.getByRole('tab', { name: 'Content' }).click();
  await page.getByRole('button', { name: 'Edit content' }).click();
  const editor = page.locator('.ProseMirror');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Keep the first-article tips for 30 days.');
  await page.getByRole('button', { name: 'Save content' }).click();
  await expect(page.getByTestId('document-content')).toContainText('Keep the first-article tips for 30 days.');

  await page.getByRole('tab', { name: /Files/ }).click();
  await page.locator('input[type=file]').setInputFiles({
    name: 'First article record.pdf',
    mimeType: 'application/pdf',
    buffer: pdf('First article record, RF welder station 3'),
  });
  const row = page.getByRole('row').filter({ hasText: 'First article record.pdf' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('application/pdf');
  await row.getByRole('button', { name: 'Preview First article record.pdf' }).click();
  const preview = page.getByRole('dialog').getByTestId('file-preview');
  await expect(preview).toBeVisible();
  const src = await preview.getAttribute('src');
  const served = await page.request.get(src as string);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe('application/pdf');
  expect(served.headers()['content-disposition']).toMatch(/^inline;/);
  expect(served.headers()['x-content-type-options']).toBe('nosniff');
  expect(served.headers()['x-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  await screenshot(page, '6-document-file-preview');
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByTestId('diff-summary')).toContainText('From rev 1 to rev 2');
  const diff = page.getByTestId('diff-content');
  await expect(diff.locator('ins').filter({ hasText: 'Keep' })).toBeVisible();
  await expect(diff.locator('ins').filter({ hasText: '7 Fr' }).first()).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'First article record.pdf' })).toContainText('Added');
  await screenshot(page, '7-document-diff');

  // Who must have it: the roles it is distributed to, for every revision.
  await page.getByRole('tab', { name: /Distribution/ }).click();
  await expect(page.getByTestId('distribution')).toContainText('Operator');
  await expect(page.getByTestId('distribution')).toContainText('Engineer');
});
