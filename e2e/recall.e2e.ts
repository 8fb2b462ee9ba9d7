import { expect, screenshot, test } from './fixtures.js';
import { openAs } from './people.js';

/**
 * A supplier warns that a drip chamber lot it delivered is suspect: QA runs a recall query from
 * that supplier lot, sees every lot made from it and where it is, keeps the answer as a recall,
 * and the recall opens as a draft with the same answer.
 */
test('[Q.TRC] QA traces a suspect supplier lot to what was made from it and keeps it as a draft recall', async ({ page }) => {
  test.setTimeout(120_000);
  await openAs(page, 'qa.manager', '/recalls');
  await expect(page.getByRole('heading', { name: 'Recalls', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Recall query' }).click();
  await expect(page.getByRole('heading', { name: 'Recall query', level: 1 })).toBeVisible();

  await page.getByRole('combobox', { name: 'Supplier' }).fill('SUP-MOULD');
  await page.getByRole('option', { name: /^SUP-MOULD/ }).click();
  await page.getByRole('textbox', { name: 'Supplier lot number' }).fill('NPM-2609-114');
  await page.getByRole('button', { name: 'Find affected' }).click();

  // The drip chamber lot itself, and the sub-assembly lots the work orders made from it.
  await expect(page.getByRole('heading', { name: 'Summary' })).toBeVisible();
  await page.getByRole('tab', { name: /^Lots and serials/ }).click();
  const lots = page.getByRole('table');
  await expect(lots.getByRole('row').filter({ hasText: 'DRIP-CH-15' })).toHaveCount(1);
  await expect(lots.getByRole('row').filter({ hasText: 'IS-200-SA' }).first()).toBeVisible();
  // The sub-assemblies are still in the plant: no customer was reached.
  await expect(page.getByRole('tab', { name: 'Customers (0)' })).toBeVisible();
  await page.getByRole('tab', { name: /^Customers/ }).click();
  await expect(page.getByText('No affected lot or serial has been shipped to a customer.')).toBeVisible();
  await screenshot(page, 'recall-1-query-answer');

  await page.getByRole('button', { name: 'Keep as recall' }).click();
  const form = page.getByRole('dialog', { name: 'Keep the answer as a recall (draft)' });
  await form.getByRole('textbox', { name: 'Title' }).fill('Drip chamber lot NPM-2609-114: cracked housings');
  await form.getByRole('textbox', { name: 'Reason' }).fill('Supplier notice: housings of this moulding lot may crack under pressure.');
  await form.getByRole('button', { name: 'Keep as recall' }).click();

  await expect(page.getByRole('heading', { name: /^RCL-/, level: 1 })).toBeVisible();
  await expect(page.locator('[data-status="draft"]').first()).toHaveText('Draft');
  await expect(page.getByText('Supplier lot NPM-2609-114 of SUP-MOULD')).toBeVisible();
  await page.getByRole('tab', { name: /^Lots and serials/ }).click();
  await expect(page.getByRole('row').filter({ hasText: 'DRIP-CH-15' })).toHaveCount(1);
  await screenshot(page, 'recall-2-draft');
});
