import { expect, screenshot, test } from './fixtures.js';
import { nextTotp, openAs } from './people.js';

/**
 * Separation of duties in signed steps, as people meet it: the buyer who creates a purchase order
 * is told on the order, before trying, that a second person must approve it; trying anyway, the
 * signature dialog says which rule refused it, in English and in Chinese, and nothing is signed.
 */

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test('[P11.10g-sod] the buyer who created a purchase order sees why they cannot approve it', async ({ page }) => {
  test.setTimeout(120_000);
  const buyer = await openAs(page, 'buyer', '/purchasing/orders/new');
  await page.getByRole('combobox', { name: 'Supplier' }).fill('SUP-EMS');
  await page.getByRole('option', { name: /SUP-EMS/ }).click();
  await page.getByRole('combobox', { name: 'Currency' }).click();
  await page.getByRole('option', { name: /^CNY/ }).click();
  await page.getByRole('combobox', { name: 'Item' }).fill('PROBE-NTC');
  await page.getByRole('option', { name: /PROBE-NTC/ }).click();
  await page.getByRole('textbox', { name: 'Quantity' }).fill('200');
  await page.getByRole('textbox', { name: /Unit price/ }).fill('3.80');
  await page.getByLabel('Due date').fill(inDays(21));
  await page.getByRole('button', { name: 'Create draft' }).click();

  const heading = page.getByRole('heading', { name: /^PO-\d{4}-\d{5}$/, level: 1 });
  await expect(heading).toBeVisible();
  const number = (await heading.textContent())!.trim();
  await expect(page.getByText('Draft', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('row', { name: /Created by/ })).toContainText('Chen Jing');
  // Before trying: the order says a second person must approve it, and why.
  const notice = page.getByTestId('sod-notice');
  await expect(notice).toContainText('A second person must approve this order');
  await expect(notice).toContainText(`You created ${number}. Separation of duties keeps the person who created an order from approving it`);
  await screenshot(page, 'duties-1-creator-notice');

  // Trying anyway: the signature is refused, naming the rule, and nothing is signed.
  await page.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
  await expect(dialog.getByTestId('signature-meaning')).toHaveText('Approved');
  await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(buyer.password);
  await dialog.getByLabel('Verification code').fill(await nextTotp(buyer));
  await dialog.getByRole('button', { name: 'Sign' }).click();
  await expect(dialog.getByRole('alert')).toContainText(`Separation of duties: the person who created ${number} cannot approve it.`);
  await screenshot(page, 'duties-2-approval-refused');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Draft', { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId('manifestation')).toHaveCount(0);

  // The same, in Chinese.
  await page.getByRole('button', { name: 'Language' }).click();
  await page.getByRole('menuitem', { name: '中文' }).click();
  await expect(page.getByTestId('sod-notice')).toContainText(`${number} 由您创建。按照职责分离，订单的创建人不能批准该订单`);
  await page.getByRole('button', { name: '批准' }).click();
  const zhDialog = page.getByRole('dialog', { name: '电子签名' });
  await zhDialog.getByRole('textbox', { name: '密码', exact: true }).fill(buyer.password);
  // The refused attempt signed nothing, so this is still the session's first signing: the code too.
  await zhDialog.locator('input[inputmode="numeric"]').fill(await nextTotp(buyer));
  await zhDialog.getByRole('button', { name: '签名' }).click();
  await expect(zhDialog.getByRole('alert')).toContainText(`职责分离：${number} 的创建人不能批准它。`);
  await screenshot(page, 'duties-3-approval-refused-zh');
  await zhDialog.getByRole('button', { name: '取消' }).click();
  // Back to English for the scenarios that follow as this person.
  await page.getByRole('button', { name: '语言' }).click();
  await page.getByRole('menuitem', { name: 'English' }).click();
  await expect(page.getByTestId('sod-notice')).toContainText('A second person must approve this order');
});
