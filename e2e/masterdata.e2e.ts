import { expect, screenshot, test } from './fixtures.js';
import { nextTotp, openAs } from './people.js';

// One engineering change in order: the engineer prepares it, QA releases it by signature.
test.describe.configure({ mode: 'serial' });

let revisionPath = '';

test('an engineer creates a component (a wrong GTIN check digit is refused), adds it to the thermometer BOM and submits the revision', async ({
  page,
}) => {
  await openAs(page, 'engineer', '/items');
  await page.getByRole('button', { name: 'New item' }).click();
  const dialog = page.getByRole('dialog', { name: 'New item' });
  await dialog.getByLabel('Item code').fill('gasket-th300');
  await expect(dialog.getByLabel('Item code')).toHaveValue('GASKET-TH300');
  await dialog.getByLabel('Name').fill('Silicone probe gasket for TH-300');
  await dialog.getByLabel('GTIN').fill('6941234500038');
  await dialog.getByRole('button', { name: 'New item' }).click();
  // The server computes the check digit and says which one these digits need.
  await expect(dialog.getByText('The check digit of 6941234500038 is wrong: with these digits it must end in 1.')).toBeVisible();
  await dialog.getByLabel('GTIN').fill('6941234500031');
  await dialog.getByRole('button', { name: 'New item' }).click();
  await expect(page.getByRole('heading', { name: 'GASKET-TH300' })).toBeVisible();
  await expect(page.getByText('(01) 06941234500031')).toBeVisible();
  await expect(page.getByRole('row', { name: /rev A/ }).getByText('Draft')).toBeVisible();

  // The thermometer has revision B in review: no next revision until it is finished.
  await page.getByRole('link', { name: 'Items' }).first().click();
  await page.getByRole('textbox', { name: 'Search' }).fill('TH-300');
  await page.getByRole('link', { name: 'TH-300', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Start next revision' })).toBeDisabled();
  await page.getByRole('link', { name: 'rev B' }).click();
  await expect(page.getByRole('heading', { name: 'TH-300 rev B' })).toBeVisible();
  revisionPath = new URL(page.url()).pathname;
  await expect(page.getByTestId('read-only')).toContainText('in review');
  // Releasing is QA's signature: the engineer is not offered it.
  await expect(page.getByRole('button', { name: 'Release' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Return to draft' }).click();
  const step = page.getByRole('dialog', { name: 'Return to draft' });
  await step.getByLabel('Comment').fill('Add the probe gasket found missing in design review DR-07.');
  await step.getByRole('button', { name: 'Return to draft' }).click();
  await expect(page.getByRole('heading', { name: 'TH-300 rev B' }).locator('..').getByText('Draft')).toBeVisible();

  await page.getByRole('button', { name: 'Edit BOM' }).click();
  const editor = page.getByTestId('bom-editor');
  await page.getByRole('button', { name: 'Add line' }).click();
  const line = editor.getByRole('row').last();
  await expect(line.getByRole('textbox', { name: 'Line' })).toHaveValue('70');
  // The picker searches the server; once it answers, the one match is chosen by keyboard.
  await line.getByRole('combobox', { name: 'Component' }).fill('GASKET');
  await expect(page.getByRole('option')).toHaveText([/^GASKET-TH300 · Silicone probe gasket/]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(line.getByRole('combobox', { name: 'Component' })).toHaveValue(/^GASKET-TH300/);
  await line.getByRole('textbox', { name: 'Ref. designator' }).fill('G1');
  await line.getByRole('textbox', { name: 'Scrap factor' }).fill('1.5');
  await page.getByRole('button', { name: 'Save BOM' }).click();
  // The whole BOM is refused; the line says why, in the reader's words.
  await expect(line.getByText('A fraction from 0 up to (not including) 1, e.g. 0.02')).toBeVisible();
  await line.getByRole('textbox', { name: 'Scrap factor' }).fill('0.02');
  await page.getByRole('button', { name: 'Save BOM' }).click();
  await expect(page.getByText('BOM saved.')).toBeVisible();
  const bom = page.getByTestId('bom');
  await expect(bom.getByRole('row', { name: /GASKET-TH300/ })).toContainText('2 %');
  await expect(bom.getByRole('row', { name: /GASKET-TH300/ })).toContainText('G1');

  await page.getByRole('button', { name: 'Submit for review' }).click();
  await page.getByRole('dialog', { name: 'Submit for review' }).getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByTestId('read-only')).toContainText('in review');
  await expect(page.getByRole('button', { name: 'Edit BOM' })).toHaveCount(0);
  await screenshot(page, 'masterdata-1-submitted');
});

test('[P11.50] [P11.200a] the QA manager releases the revision by e-signature: its manifestation shows, it is read-only and revision A is obsolete', async ({
  page,
}) => {
  const qa = await openAs(page, 'qa.manager', revisionPath);
  await expect(page.getByRole('heading', { name: 'TH-300 rev B' })).toBeVisible();
  await page.getByRole('button', { name: 'Release' }).click();
  const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
  await expect(dialog.getByTestId('signature-meaning')).toHaveText('Released');
  await expect(dialog.getByText('TH-300 rev B — Electronic clinical thermometer, reusable')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(qa.password);
  await dialog.getByLabel('Verification code').fill(await nextTotp(qa));
  await dialog.getByLabel('Comment').fill('Design review DR-07 closed; gasket verified in IP22 test.');
  await dialog.getByRole('button', { name: 'Sign' }).click();
  await expect(dialog.getByTestId('manifestation')).toContainText('Signed by Li Wei (qa.manager)');
  await expect(dialog.getByTestId('manifestation')).toContainText('meaning: Released');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The released revision carries its signature and can no longer be changed.
  const main = page.getByRole('main');
  await expect(main.getByTestId('manifestation')).toContainText('Signed by Li Wei (qa.manager)');
  await expect(main.getByTestId('manifestation')).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00/);
  await expect(main.getByTestId('manifestation')).toContainText('Valid');
  await expect(page.getByTestId('read-only')).toContainText('released and read-only');
  await expect(page.getByRole('button', { name: 'Edit BOM' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Release' })).toHaveCount(0);
  await expect(page.getByRole('row', { name: 'Released by' })).toContainText('Li Wei');
  await screenshot(page, 'masterdata-2-released');

  await page.getByRole('link', { name: /^TH-300 · / }).click();
  await expect(page.getByRole('row', { name: /rev A/ }).getByText('Obsolete')).toBeVisible();
  await expect(page.getByRole('row', { name: /rev B/ }).getByText('Released')).toBeVisible();
  await expect(page.getByRole('row', { name: /rev B/ })).toContainText('Li Wei');
  await expect(page.getByRole('button', { name: 'Start next revision' })).toHaveCount(0);
});

test('the engineer starts the next revision from the released one: revision C, a draft copy of its BOM', async ({ page }) => {
  await openAs(page, 'engineer', revisionPath);
  await page.getByRole('button', { name: 'Start next revision' }).click();
  const dialog = page.getByRole('dialog', { name: 'Start next revision' });
  await dialog.getByLabel('Description of the change').fill('ECO-0042: battery door with captive screw');
  await dialog.getByRole('button', { name: 'Start next revision' }).click();
  await expect(page.getByRole('heading', { name: 'TH-300 rev C' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'TH-300 rev C' }).locator('..').getByText('Draft')).toBeVisible();
  await expect(page.getByTestId('bom').getByRole('row', { name: /GASKET-TH300/ })).toContainText('G1');
  await expect(page.getByRole('button', { name: 'Edit BOM' })).toBeVisible();
  await screenshot(page, 'masterdata-3-next-revision');
});
