import { expect, screenshot, test } from './fixtures.js';
import { nextTotp, openAs } from './people.js';

/**
 * The outbound flow end to end on a tablet: the warehouse clerk opens the hospital's late order
 * (in red), picks by scanning — a thermometer serial as a GS1 element string in its printed form,
 * the infusion set's suggested lot by its number, an unknown number refused in plain words — ships, and
 * sees the shipment with its SSCC carton and the exact lots, then finds where a serial went in
 * the sales records. Then one thermometer comes back: sales authorises the return against the
 * shipment, the warehouse receives it into quarantine, and the QA manager (who did not receive it)
 * restocks it by e-signature.
 */
test.describe.configure({ mode: 'serial' });

let shipmentPath = '';

test.describe('on a 10-inch tablet, upright', () => {
  test.use({ viewportSize: { width: 800, height: 1280 } });

  test('the warehouse clerk picks a late order by scan and ships it', async ({ page }) => {
    await openAs(page, 'warehouse', '/sales/orders');
    const row = page.getByRole('row').filter({ hasText: 'EMHG-PO-7702' });
    await expect(row).toContainText('late');
    await row.getByRole('link').click();
    await expect(page.getByRole('heading', { name: /^SO-\d{4}-\d{5}$/ })).toBeVisible();
    await page.getByRole('button', { name: 'Pick and ship' }).click();

    const scan = page.getByLabel('Scan a lot or serial');
    await expect(scan).toBeFocused();
    await scan.fill('NO-SUCH-LOT');
    await scan.press('Enter');
    await expect(page.getByRole('alert', { name: 'Cannot ship this' })).toContainText(
      'There is no lot or serial NO-SUCH-LOT of the ordered items.',
    );

    for (let i = 1; i <= 6; i++) {
      await scan.fill(`(01)06941234500024(21)TH300-2611-${String(i).padStart(4, '0')}`);
      await scan.press('Enter');
      await expect(page.getByText(`Scanned: ${i}`)).toBeVisible();
    }
    // The infusion set's lot the pick list suggests first (earliest expiry), by its number.
    const suggested = (await page
      .getByText(/^LOT-\d{4}-\d{5} ×/)
      .first()
      .textContent())!.split(' ')[0]!;
    await scan.fill(suggested);
    await scan.press('Enter');
    await expect(page.getByText('Scanned: 7')).toBeVisible();
    await screenshot(page, 'shipping-1-picked-tablet');
    await page.getByRole('button', { name: 'Ship', exact: true }).click();

    await expect(page.getByRole('heading', { name: /^SH-\d{4}-\d{5}$/ })).toBeVisible();
    await expect(page.getByText(/^1: \(00\)\d{18}$/)).toBeVisible();
    await expect(page.getByRole('table', { name: 'Lots and serials of line 2' })).toContainText('TH300-2611-0006');
    await expect(page.getByRole('table', { name: 'Lots and serials of line 1' })).toContainText(/LOT-\d{4}-\d{5}/);
    await screenshot(page, 'shipping-2-shipment');
    shipmentPath = new URL(page.url()).pathname;

    await page.getByRole('link', { name: 'TH300-2611-0003' }).click();
    await expect(page.getByRole('heading', { name: 'Sales records' })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'TH300-2611-0003' })).toContainText('(01)06941234500024(21)TH300-2611-0003');
  });

  test('[Q.TRC] [P11.50] a returned thermometer comes back into quarantine and the QA manager restocks it by e-signature', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    expect(shipmentPath, 'the shipment of the scenario before').not.toBe('');
    await openAs(page, 'sales', shipmentPath);
    await page.getByRole('button', { name: 'Authorise return' }).click();
    const authorise = page.getByRole('dialog', { name: /^Authorise a return of SH-/ });
    // A serial is one unit: it is ticked, not counted.
    await authorise.getByRole('checkbox', { name: 'Quantity returned of TH300-2611-0006' }).check();
    await authorise.getByLabel('Reason for the return').fill('Ordered one too many; unopened.');
    await authorise.getByRole('button', { name: 'Authorise', exact: true }).click();
    await expect(page.getByRole('heading', { name: /^RMA-\d{4}-\d{5}$/ })).toBeVisible();
    await expect(page.getByText('Authorised', { exact: true }).first()).toBeVisible();
    const returnPath = new URL(page.url()).pathname;

    await page.context().clearCookies();
    await openAs(page, 'warehouse', returnPath);
    await page.getByRole('button', { name: 'Receive', exact: true }).click();
    const receive = page.getByRole('dialog', { name: /^Receive return RMA-/ });
    await expect(receive.getByRole('textbox', { name: 'Quantity received of TH300-2611-0006' })).toHaveValue('1');
    await receive.getByRole('button', { name: 'Receive into quarantine' }).click();
    await expect(page.getByText('Received', { exact: true }).first()).toBeVisible();

    await page.context().clearCookies();
    const qa = await openAs(page, 'qa.manager', returnPath);
    await page.getByRole('button', { name: 'Disposition', exact: true }).click();
    const dispose = page.getByRole('dialog', { name: /^Disposition return RMA-/ });
    await dispose.getByRole('textbox', { name: 'Quantity' }).fill('1');
    await dispose.getByRole('combobox', { name: 'Restocked to' }).click();
    await page.getByRole('option').first().click();
    await dispose.getByLabel('Justification').fill('Unopened, seal intact, serial checked against the shipment.');
    await dispose.getByRole('button', { name: 'Continue to signature' }).click();
    const dialog = page.getByRole('dialog', { name: 'Electronic signature' });
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill(qa.password);
    await dialog.getByLabel('Verification code').fill(await nextTotp(qa));
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await expect(dialog.getByTestId('manifestation')).toContainText('Signed by Li Wei (qa.manager)');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('table', { name: 'Dispositions' })).toContainText('Restock');
    await expect(page.getByText('Dispositioned', { exact: true }).first()).toBeVisible();
    await screenshot(page, 'shipping-3-return-restocked');
  });
});
