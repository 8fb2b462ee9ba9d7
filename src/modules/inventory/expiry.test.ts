import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { stockWorld } from '../../../test/inventory.js';
import type { Database } from '../../platform/db/index.js';
import { startExpiryJob } from './expiry.js';
import { getLot, lotHistory } from './index.js';
import { receiveIntoQuarantine } from './receipts.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe(`the expiry job of the server (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10f] marks a lot expired once its date has passed, once, and leaves lots still in date alone', async () => {
    const w = await stockWorld(db);
    const receive = (expiresOn: string) =>
      w.tx(async (tx) => {
        const { lots } = await receiveIntoQuarantine(tx, {
          itemId: w.items.tubing,
          locationId: w.locations.quarantine,
          quantity: '10',
          expiresOn,
        });
        return lots[0]!.id;
      });
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
});
