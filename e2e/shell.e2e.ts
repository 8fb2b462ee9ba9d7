import { expect, screenshot, test } from './fixtures.js';
import { demoPerson, nextTotp, openAs, remember, resume, signIn, typeTotp } from './people.js';

// One story in order: the administrator's first sign-in sets up what the later scenarios use.
test.describe.configure({ mode: 'serial' });

const admin = demoPerson('admin');

test('first sign-in: forced password change, TOTP enrolment with recovery codes, then the page asked for', async ({ page, context }) => {
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/login\?redirect=%2Fadmin%2Fusers/);
  await expect(page.getByLabel('Company code')).toHaveValue('demo');
  await page.getByRole('textbox', { name: 'Login', exact: true }).fill(admin.login);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  const newPassword = 'Lot-Release-2026-Suzhou';
  await page.getByLabel('Current password').fill(admin.password);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(newPassword);
  await page.getByLabel('Repeat new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  admin.password = newPassword;

  await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code for the authenticator app' })).toBeVisible();
  admin.totpSecret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await typeTotp(page, await nextTotp(admin));
  await page.getByRole('button', { name: 'Confirm and turn on' }).click();

  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  admin.recoveryCodes = (await page.getByTestId('recovery-codes').locator('code').allTextContents()).map((c) => c.trim());
  expect(admin.recoveryCodes).toHaveLength(10);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download' }).click();
  expect((await download).suggestedFilename()).toBe('mediforge-recovery-codes.txt');
  await page.getByRole('button', { name: /I have saved the codes/ }).click();

  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'qa.manager' })).toBeVisible();
  admin.cookies = await context.cookies();
  remember(admin);
  await screenshot(page, '1-first-sign-in');
});

test.describe('on a 10-inch tablet held upright', () => {
  test.use({ viewportSize: { width: 800, height: 1280 } });

  test('switching to 中文 translates the navigation and is remembered for the person', async ({ page, context }) => {
    await resume(context, admin);
    await page.goto('/');
    await expect(page.getByRole('heading', { name: /Welcome, Demo Administrator/ })).toBeVisible();
    // The dashboard lists what waits in the demo plant: the receipts' inspections, the held pouch lot.
    await expect(page.getByTestId('queue-inspections').getByRole('link', { name: /^IQC-/ }).first()).toBeVisible();
    await expect(page.getByTestId('queue-onHold')).toContainText('POUCH-STER');
    await page.getByRole('button', { name: 'Language' }).click();
    await page.getByRole('menuitem', { name: '中文' }).click();
    await expect(page.getByRole('heading', { name: /欢迎，Demo Administrator/ })).toBeVisible();
    await page.getByRole('button', { name: '显示或隐藏导航' }).click();
    const nav = page.getByRole('navigation', { name: '主导航' });
    await expect(nav.getByRole('link', { name: '用户' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'API 令牌' })).toBeVisible();
    await expect(nav.getByRole('link', { name: '角色与权限' })).toBeVisible();
    await screenshot(page, '2-language-zh');

    // The choice is saved on the person (PATCH /auth/me), so a fresh browser opens in Chinese.
    await page.evaluate('localStorage.clear()');
    await page.reload();
    await expect(page.getByRole('heading', { name: /欢迎/ })).toBeVisible();
    await page.getByRole('button', { name: '语言' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
    await page.getByRole('button', { name: 'Dark mode' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await screenshot(page, '2-dashboard-dark');
  });
});

test('an administrator creates a user, sees the one-time password once and gives a role for one site', async ({ page, context }) => {
  await resume(context, admin);
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  // Checked in the browser by the server's own schema, before any request.
  await dialog.getByRole('textbox', { name: 'Login', exact: true }).fill('Wang Fang');
  await dialog.getByLabel('Full name').fill('王芳');
  await dialog.getByLabel('Email').fill('not-an-address');
  await dialog.getByRole('button', { name: 'New user' }).click();
  await expect(dialog.getByText('Not in the expected form')).toBeVisible();
  await expect(dialog.getByText('Not a valid email')).toBeVisible();

  await dialog.getByRole('textbox', { name: 'Login', exact: true }).fill('wang.fang');
  await dialog.getByLabel('Email').fill('wang.fang@example.cn');
  await dialog.getByRole('button', { name: 'New user' }).click();
  const secret = page.getByTestId('one-time-password');
  await expect(secret).toHaveText(/\S{8,}/);
  await page.getByRole('button', { name: 'Done' }).click();

  await expect(page.getByRole('heading', { name: '王芳' })).toBeVisible();
  const main = page.getByRole('main');
  await main.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'QA Inspector' }).click();
  await main.getByRole('combobox', { name: 'Site' }).click();
  await page.getByRole('option', { name: /SZ1/ }).click();
  await page.getByRole('button', { name: 'Add role' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Roles saved')).toBeVisible();
  const assigned = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'QA Inspector', exact: true }) });
  await expect(assigned.getByRole('cell', { name: 'SZ1', exact: true })).toBeVisible();
  await screenshot(page, '3-create-user');
});

test('an ended session returns to sign-in, and sign-in returns to the page', async ({ page, context }) => {
  await resume(context, admin);
  await page.goto('/admin/roles');
  await expect(page.getByRole('heading', { name: 'Roles & permissions' })).toBeVisible();
  await context.clearCookies();
  await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
  await expect(page.getByText('Your session has ended')).toBeVisible();
  await expect(page).toHaveURL(/\/login\?redirect=%2Fadmin%2Fusers/);
  await signIn(page, admin);
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  admin.cookies = await context.cookies();
});

test('an administrator subscribes a webhook (secret shown once); an auditor searches the trail and verifies its chain', async ({
  page,
  context,
}) => {
  await resume(context, admin);
  await page.goto('/admin/webhooks');
  await page.getByRole('button', { name: 'New subscription' }).click();
  const dialog = page.getByRole('dialog', { name: 'New subscription' });
  await dialog.getByRole('textbox', { name: 'Receiver URL' }).fill('https://erp.example.com/hooks/documents');
  await dialog.getByRole('textbox', { name: 'Description' }).fill('ERP document sync');
  await dialog.getByRole('combobox', { name: 'Event types' }).fill('documents.document.*');
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'New subscription' }).click();
  await expect(page.getByTestId('webhook-secret')).toHaveText(/\S{16,}/);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('link', { name: 'https://erp.example.com/hooks/documents' }).click();
  await expect(page.getByRole('heading', { name: 'Delivery log' })).toBeVisible();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByText('Paused', { exact: true })).toBeVisible();

  // An auditor account: created by the administrator, first sign-in changes the one-time password.
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const form = page.getByRole('dialog', { name: 'New user' });
  await form.getByRole('textbox', { name: 'Login', exact: true }).fill('auditor.zhao');
  await form.getByLabel('Full name').fill('Zhao Lei');
  await form.getByRole('button', { name: 'New user' }).click();
  const auditor = { login: 'auditor.zhao', password: (await page.getByTestId('one-time-password').textContent())!.trim() };
  await page.getByRole('button', { name: 'Done' }).click();
  const main = page.getByRole('main');
  await main.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Auditor' }).click();
  await page.getByRole('button', { name: 'Add role' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Roles saved')).toBeVisible();
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();

  await signIn(page, auditor);
  await page.getByLabel('Current password').fill(auditor.password);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('Audit-Trail-Reader-2026');
  await page.getByLabel('Repeat new password').fill('Audit-Trail-Reader-2026');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Audit trail' }).click();
  await page.getByRole('textbox', { name: 'Record type' }).fill('user_roles');
  await expect(page.getByRole('cell', { name: 'user_roles', exact: true }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('chain-result')).toContainText('The audit trail chain is intact');
  await screenshot(page, '6-audit-verify');
});

// Administering people and signing records are separated duties (21 CFR 11.10(g), Annex 11 §12).
test('[P11.10g-sod] an administrator cannot give itself a signing role, and grants one to another only with a reason', async ({ page }) => {
  await openAs(page, 'admin', '/admin/users');
  await page.getByRole('textbox', { name: 'Search' }).fill('admin');
  await page.getByRole('link', { name: 'admin', exact: true }).click();
  await expect(page.getByTestId('own-roles')).toContainText('You cannot change your own roles');
  await expect(page.getByRole('button', { name: 'Add role' })).toHaveCount(0);
  await screenshot(page, 'identity-own-roles');

  // Another person's roles: a role that signs asks for the reason the audit trail keeps.
  await page.goto('/admin/users');
  await page.getByRole('textbox', { name: 'Search' }).fill('engineer');
  await page.getByRole('link', { name: 'engineer', exact: true }).click();
  await page.getByRole('main').getByRole('combobox', { name: 'Role' }).click();
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
