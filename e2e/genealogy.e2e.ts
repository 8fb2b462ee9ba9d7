import { readFileSync } from 'node:fs';
import { expect, screenshot, test } from './fixtures.js';
import { openAs } from './people.js';

/**
 * A quality engineer traces the demo's sub-assembly lot: made from tubing and drip chamber lots
 * received from suppliers (each with the supplier's lot number), used in nothing yet. The tree
 * folds and opens, the same trace reads as a table, and it downloads as CSV.
 */
test('[Q.TRC] the engineer traces a sub-assembly lot back to its supplier lots, folds the tree, reads the table and downloads the CSV', async ({
  page,
}) => {
  await openAs(page, 'engineer', '/inventory/lots');
  await page.getByRole('textbox', { name: 'Search' }).fill('IS-200-SA');
  // The list filters as it is typed: take a row of the sub-assembly once it shows.
  const row = page.getByRole('row').filter({ hasText: 'IS-200-SA' }).first();
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: /^LOT-/ }).click();
  await expect(page.getByRole('heading', { name: /^LOT-\d{4}-\d{5}$/ })).toBeVisible();
  const lotNumber = (await page.getByRole('heading', { name: /^LOT-/ }).textContent())!;
  await page.getByRole('tab', { name: 'Genealogy' }).click();

  const forward = page.getByTestId('genealogy-forward');
  await expect(forward).toContainText('This lot has not gone into any other lot.');
  const backward = page.getByTestId('genealogy-backward');
  const tree = backward.getByTestId('genealogy-tree-backward');
  await expect(tree.getByTestId(`genealogy-node-${lotNumber}`)).toBeVisible();
  const tubing = tree.getByRole('treeitem').filter({ hasText: 'PVC-TUBE-3MM' }).first();
  await expect(tubing).toContainText(/Supplier .*JMP-\d{6}/);
  await expect(tubing).toContainText(/Work order WO-\d{4}-\d{5}/);
  await screenshot(page, 'genealogy-1-graph');

  await tree.getByRole('button', { name: `Hide the lots reached through ${lotNumber}` }).click();
  await expect(tree.getByRole('treeitem')).toHaveCount(0);
  await tree.getByRole('button', { name: new RegExp(`^Show the \\d+ lots reached through ${lotNumber}$`) }).click();
  await expect(tree.getByRole('treeitem').filter({ hasText: 'DRIP-CH-15' }).first()).toBeVisible();

  await page.getByText('Table', { exact: true }).click();
  const table = backward.getByRole('table');
  await expect(table.getByRole('columnheader', { name: 'Supplier lot' })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'PVC-TUBE-3MM' }).first()).toContainText(/JMP-\d{6}/);
  await expect(table.getByRole('row').filter({ hasText: 'PVC-TUBE-3MM' }).first()).toContainText('directly');
  await screenshot(page, 'genealogy-2-table');

  await expect(page.getByRole('link', { name: 'Print (PDF)' })).toHaveAttribute('href', /\/genealogy\/pdf\?lang=en$/);
  const [download] = await Promise.all([page.waitForEvent('download'), backward.getByRole('link', { name: 'CSV' }).click()]);
  expect(download.suggestedFilename()).toBe(`genealogy-backward-${lotNumber}.csv`);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    '\uFEFFLevel,Lot / serial,Kind,Item code,Item name,Status,Reached through,Work order,Supplier,Supplier lot',
  );
  expect(csv).toMatch(/PVC-TUBE-3MM.*JMP-\d{6}/);
});
