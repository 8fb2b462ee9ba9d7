import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/db.js';
import { aLine, aSentOrder, inDays, type PurchasingWorld, purchasingWorld, receive } from '../../../test/purchasing.js';
import type { Database } from '../../platform/db/index.js';
import type { FieldError } from '../../platform/errors.js';
import { transfer } from '../inventory/index.js';
import { createPurchaseOrder } from './orders.js';

/** What a tired person or a broken scanner types: every implausible value refused, every objection at once, nothing saved. */
let db: Database;
let w: PurchasingWorld;
beforeAll(async () => {
  db = await testDatabase();
  w = await purchasingWorld(db);
});
afterAll(() => db.close());

const fieldErrors = async (work: Promise<unknown>): Promise<Array<Pick<FieldError, 'pointer' | 'code'>>> => {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e as { errors?: FieldError[] },
  );
  expect(err, 'the request was accepted').toBeDefined();
  return (err?.errors ?? []).map(({ pointer, code }) => ({ pointer, code }));
};

const orderCount = () =>
  w.tx(async (tx) => Number((await tx.query<{ n: string }>('SELECT count(*) AS n FROM purchase_orders')).rows[0]?.n));

describe('plausible input', () => {
  it('refuses an order line of half a connector, an absurd price and a due date decades ahead, all at once', async () => {
    const before = await orderCount();
    const errors = await fieldErrors(
      w.tx((tx) =>
        createPurchaseOrder(tx, {
          supplierId: w.suppliers.approved,
          siteId: w.site.id,
          currency: 'CNY',
          lines: [
            aLine(w.items.luer, { quantity: '2.5' }),
            aLine(w.items.luer, { unitPrice: '999999999999999' }),
            aLine(w.items.tubing, { unit: 'm', quantity: '0.000000000001', dueDate: inDays(365 * 30) }),
          ],
        }),
      ),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { pointer: '/body/lines/0/quantity', code: 'error.quantity.wholeNumber' },
        { pointer: '/body/lines/1/unitPrice', code: 'error.quantity.tooLarge' },
        { pointer: '/body/lines/2/dueDate', code: 'error.date.tooFarAhead' },
      ]),
    );
    expect(await orderCount()).toBe(before);
  });

  it('refuses a receipt made tomorrow, expiring before it was made, at −500 °C, of 0.5 ea, all at once, and books nothing', async () => {
    const po = await aSentOrder(w, [aLine(w.items.luer)]);
    const errors = await fieldErrors(
      receive(w, po.lines[0]!.id, {
        quantity: '0.5',
        manufacturedOn: inDays(1),
        expiresOn: inDays(-30),
        conditions: { temperature: { value: '-500', unit: 'C' } },
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { pointer: '/body/quantity', code: 'error.quantity.wholeNumber' },
        { pointer: '/body/manufacturedOn', code: 'error.lot.manufacturedInFuture' },
        { pointer: '/body/expiresOn', code: 'error.lot.expiresBeforeManufacture' },
        { pointer: '/body/conditions/temperature/value', code: 'error.purchasing.receipt.temperature' },
      ]),
    );
    const lots = await w.tx(async (tx) => (await tx.query('SELECT 1 FROM lots')).rowCount);
    expect(lots).toBe(0);
    const ok = await receive(w, po.lines[0]!.id, { quantity: '100', manufacturedOn: inDays(-10), expiresOn: inDays(700) });
    expect(ok.quantity).toBe('100');
  });

  it('moves a counted item only in whole units', async () => {
    const errors = await fieldErrors(
      w.tx((tx) => transfer(tx, { itemId: w.items.luer, fromLocationId: w.quarantine, toLocationId: w.quarantine, quantity: '0.25' })),
    );
    expect(errors).toEqual([{ pointer: '/body/quantity', code: 'error.quantity.wholeNumber' }]);
  });
});
