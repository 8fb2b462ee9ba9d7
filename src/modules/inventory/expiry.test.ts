import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, TEST_SITE_TIME_ZONE, testDatabase } from '../../../test/db.js';
import { type StockWorld, stockWorld } from '../../../test/inventory.js';
import { addDays, dayIn } from '../../platform/dates.js';
import type { Database } from '../../platform/db/index.js';
import { createSite } from '../../platform/tenancy/index.js';
import { expireTenantsLots, startExpiryJob } from './expiry.js';
import { getLot, lotHistory } from './index.js';
import { receiveIntoQuarantine } from './receipts.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

const daysFromToday = (days: number) => addDays(dayIn(TEST_SITE_TIME_ZONE), days);

/** Ten metres of tubing received into quarantine, expiring on the day given; answers the lot's id. */
const tubingLot = (w: StockWorld, expiresOn: string) =>
  w.tx(async (tx) => {
    const { lots } = await receiveIntoQuarantine(tx, {
      itemId: w.items.tubing,
      locationId: w.locations.quarantine,
      quantity: '10',
      expiresOn,
    });
    return lots[0]!.id;
  });

describe(`the expiry job of the server (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10f] marks a lot expired once its date has passed, once, and leaves lots still in date alone', async () => {
    const w = await stockWorld(db);
    const receive = (expiresOn: string) => tubingLot(w, expiresOn);
    const [past, inDate] = [await receive(daysFromToday(-2)), await receive(daysFromToday(30))];
    const tenants = async () => [{ id: w.tenant.id, code: w.tenant.code, name: w.tenant.name }];
    const job = startExpiryJob(db, { intervalMs: 20, tenants, onError: (err) => expect.fail(String(err)) });
    try {
      for (let i = 0; i < 500 && (await w.tx((tx) => getLot(tx, past))).status !== 'expired'; i++)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100)); // a few more rounds of the job
    } finally {
      await job.stop();
    }
    const history = await w.tx((tx) => lotHistory(tx, past));
    expect(history.lot.status).toBe('expired');
    expect(history.statusChanges.filter((c) => c.toStatus === 'expired')).toHaveLength(1);
    expect((await w.tx((tx) => getLot(tx, inDate))).status).toBe('quarantine');
  });

  it('[P11.10f] expires a lot only once its date has passed at every site of the tenant', async () => {
    const w = await stockWorld(db);
    // 25 hours apart: Kiritimati's day is always at least one day after Pago Pago's.
    await w.tx((tx) => createSite(tx, { code: 'P-EAST', name: 'Line Islands', timeZone: 'Pacific/Kiritimati' }));
    await w.tx((tx) => createSite(tx, { code: 'P-WEST', name: 'American Samoa', timeZone: 'Pacific/Pago_Pago' }));
    const westToday = dayIn('Pacific/Pago_Pago');
    expect(dayIn('Pacific/Kiritimati') > westToday).toBe(true);
    const receive = (expiresOn: string) => tubingLot(w, expiresOn);
    const lastDayInTheWest = await receive(westToday);
    const pastEverywhere = await receive(addDays(westToday, -1));
    const tenant = { id: w.tenant.id, code: w.tenant.code, name: w.tenant.name };

    const expiredIds = async (onDate?: string) => (await expireTenantsLots(db, [tenant], onDate))[0]?.expired.map((l) => l.id);
    expect(await expiredIds()).toEqual([pastEverywhere]);
    expect((await w.tx((tx) => getLot(tx, lastDayInTheWest))).status).toBe('quarantine');

    expect(await expiredIds(addDays(westToday, 1))).toEqual([lastDayInTheWest]);
  });
});
