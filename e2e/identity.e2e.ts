import { expect, screenshot, test } from './fixtures.js';
import { openAs } from './people.js';

// Administering people and signing records are separated duties (21 CFR 11.10(g), Annex 11 §12).

test('[P11.10g-sod] an administrator cannot give itself a signing role, and grants one to another only with a reason', async ({ page }) => {
  await openAs(page, 'admin', '/admin/users');
  await page.getByRole('link', { name: 'admin', exact: true }).click();
  await expect(page.getByTestId('own-roles')).toContainText('You cannot change your own roles');
  await expect(page.getByRole('button', { name: 'Add role' })).toHaveCount(0);
  await screenshot(page, 'identity-own-roles');

  // Another person's roles: a role that signs asks for the reason the audit trail keeps.
  await page.goto('/admin/users');
  await page.getByRole('link', { name: 'engineer', exact: true }).click();
  await page.getByRole('textbox', { name: 'Role', exact: true }).click();
  await page.getByRole('option', { name: 'QA Manager' }).click();
  await page.getByRole('button', { name: 'Add role' }).click();
  const reason = page.getByRole('textbox', { name: /Reason for granting a role that signs/ });
  await expect(reason).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await reason.fill('Deputy QA manager during the audit');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeEnabled();
  await screenshot(page, 'identity-grant-reason');
  // Not saved: the engineer keeps the roles the other scenarios rely on.
  await page.getByRole('button', { name: 'Remove role QA Manager' }).click();
  await expect(reason).toHaveCount(0);
});
