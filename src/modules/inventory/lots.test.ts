import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onPostgres, TEST_SITE_TIME_ZONE, testDatabase } from '../../../test/db.js';
import { createSigner, type Signer } from '../../../test/identity.js';
import { type StockWorld, signedBy, stockWorld } from '../../../test/inventory.js';
import { firstRevisionId } from '../../../test/masterdata.js';
import { addDays, dayIn } from '../../platform/dates.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { dec } from '../../platform/decimal.js';
import { expireLots, getLot, hold, issue, lotHistory, reject, release, suggestFefo, transfer, unhold } from './index.js';
import { receiveIntoQuarantine } from './receipts.js';

let db: Database;
let w: StockWorld;
/** Releases and rejects lots. */
let qa: Signer;

beforeAll(async () => {
  db = await testDatabase();
});
beforeEach(async () => {
  w = await stockWorld(db);
  qa = await createSigner(db, w, { roles: ['QA Manager'] });
});
afterAll(() => db.close());

const daysFromToday = (days: number) => addDays(dayIn(TEST_SITE_TIME_ZONE), days);

async function tubingLot(tx: Tx, quantity: string, expiresOn?: string): Promise<string> {
  const { lots } = await receiveIntoQuarantine(tx, {
    itemId: w.items.tubing,
    locationId: w.locations.quarantine,
    quantity,
    supplierLot: 'S-77',
    ...(expiresOn ? { expiresOn } : {}),
  });
  return lots[0]!.id;
}

const toStore = (tx: Tx, lotId: string, quantity: string) =>
  transfer(tx, { itemId: w.items.tubing, lotId, fromLocationId: w.locations.quarantine, toLocationId: w.locations.store, quantity });

const issueOne = (tx: Tx, lotId: string, locationId = w.locations.store) =>
  issue(tx, {
    itemId: w.items.tubing,
    lotId,
    locationId,
    quantity: '1',
    purpose: 'production',
    reference: { type: 'work_order', id: 'WO-1' },
  });

describe(`lots and their status (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('receives a lot into quarantine with a human number, supplier lot and expiry from the shelf life', async () => {
    const lot = await w.tx(async (tx) => {
      const { lots } = await receiveIntoQuarantine(tx, {
        itemId: w.items.tubing,
        locationId: w.locations.quarantine,
        quantity: '250.5',
        supplierLot: 'S-2026-118',
        manufacturedOn: '2026-01-31',
      });
      return getLot(tx, lots[0]!.id);
    });
    expect(lot).toMatchObject({ status: 'quarantine', kind: 'lot', supplierLot: 'S-2026-118', expiresOn: '2028-01-31', onHand: '250.5' });
    expect(lot.number).toMatch(/^LOT-\d{4}-\d{5}$/);
    await expect(
      w.tx((tx) => receiveIntoQuarantine(tx, { itemId: w.items.tubing, locationId: w.locations.store, quantity: '1' })),
    ).rejects.toMatchObject({ status: 409, code: 'error.inventory.location.notQuarantine' });
    await w.tx(async (tx) => {
      const { lots, quantity } = await receiveIntoQuarantine(tx, {
        itemId: w.items.tubing,
        itemRevisionId: await firstRevisionId(tx, w.items.tubing),
        locationId: w.locations.quarantine,
        quantity: '250',
        unit: 'cm',
      });
      expect(quantity).toBe('2.5');
      expect((await getLot(tx, lots[0]!.id)).onHand).toBe('2.5');
      await expect(
        receiveIntoQuarantine(tx, {
          itemId: w.items.tubing,
          itemRevisionId: await firstRevisionId(tx, w.items.labels),
          locationId: w.locations.quarantine,
          quantity: '1',
        }),
      ).rejects.toMatchObject({ status: 409, code: 'error.inventory.revisionItem' });
    });
  });

  it('[P11.10f] refuses to move a quarantined lot to a production location, and allows it once released', async () => {
    await w.tx(async (tx) => {
      const lotId = await tubingLot(tx, '10');
      const toLine = () =>
        transfer(tx, {
          itemId: w.items.tubing,
          lotId,
          fromLocationId: w.locations.quarantine,
          toLocationId: w.locations.line,
          quantity: '2',
        });
      await expect(toLine()).rejects.toMatchObject({ status: 409, code: 'error.inventory.location.refuses' });
      await release(tx, { lotId, signing: signedBy(qa) });
      await toLine();
      expect((await getLot(tx, lotId)).onHand).toBe('10');
    });
  });

  it('[P11.10f] refuses to issue quarantined, held or expired lots', async () => {
    await w.tx(async (tx) => {
      const quarantined = await tubingLot(tx, '5');
      await expect(issueOne(tx, quarantined, w.locations.quarantine)).rejects.toMatchObject({ code: 'error.inventory.lot.notUsable' });

      const held = await tubingLot(tx, '5');
      await release(tx, { lotId: held, signing: signedBy(qa) });
      await toStore(tx, held, '5');
      await hold(tx, { lotId: held, reason: 'supplier notice SCN-12' });
      await expect(issueOne(tx, held)).rejects.toMatchObject({ status: 409, code: 'error.inventory.lot.notUsable' });
      await unhold(tx, { lotId: held, reason: 'supplier notice closed' });
      expect((await getLot(tx, held)).status).toBe('released');
      await issueOne(tx, held);
    });
    await w.tx(async (tx) => {
      // Released before its expiry date passed; the nightly job has not marked it yet.
      const expired = await tubingLot(tx, '5', daysFromToday(-2));
      await tx.query(`UPDATE lots SET status = 'released' WHERE id = $1`, [expired]);
      await expect(issueOne(tx, expired, w.locations.quarantine)).rejects.toMatchObject({
        code: 'error.inventory.lot.notUsable',
        message: expect.stringContaining('expired on'),
      });
    });
  });

  it('releases and rejects only by e-signature with the right permission, and only from allowed states', async () => {
    // Moving and counting stock is not releasing it: the warehouse's signature is refused.
    const clerk = await createSigner(db, w, { roles: ['Warehouse'] });
    await w.tx(async (tx) => {
      const lotId = await tubingLot(tx, '3');
      await expect(release(tx, { lotId, signing: signedBy(clerk) })).rejects.toMatchObject({ status: 403 });
      await expect(reject(tx, { lotId, reason: '', signing: signedBy(qa) })).rejects.toMatchObject({ status: 422 });
      await reject(tx, { lotId, reason: 'incoming inspection failed (NCR-2026-00004)', signing: signedBy(qa) });
      await expect(release(tx, { lotId, signing: signedBy(qa) })).rejects.toMatchObject({
        status: 409,
        code: 'error.state.illegalTransition',
      });
      const history = await lotHistory(tx, lotId);
      expect(history.statusChanges.map((c) => [c.fromStatus, c.toStatus, c.reason])).toEqual([
        ['quarantine', 'rejected', 'incoming inspection failed (NCR-2026-00004)'],
      ]);
      expect(history.movements.map((m) => m.movementType)).toEqual(['receipt']);
      const events = await tx.query<{ type: string }>(
        `SELECT type FROM outbox_events WHERE aggregate_type = 'inventory.lot' AND aggregate_id = $1 ORDER BY aggregate_seq`,
        [lotId],
      );
      expect(events.rows.map((e) => e.type)).toEqual(['inventory.lot.rejected']);
    });
  });

  it('marks a lot consumed when its last unit is issued', async () => {
    await w.tx(async (tx) => {
      const lotId = await tubingLot(tx, '1');
      await release(tx, { lotId, signing: signedBy(qa) });
      await toStore(tx, lotId, '1');
      await issueOne(tx, lotId);
      expect(await getLot(tx, lotId)).toMatchObject({ status: 'consumed', onHand: '0' });
    });
  });

  it('suggests usable lots first-expiry-first-out, skipping held and expired ones', async () => {
    await w.tx(async (tx) => {
      const later = await tubingLot(tx, '30', daysFromToday(200));
      const sooner = await tubingLot(tx, '20', daysFromToday(100));
      const held = await tubingLot(tx, '50', daysFromToday(50));
      const noExpiry = await tubingLot(tx, '100');
      for (const lotId of [later, sooner, held, noExpiry]) await release(tx, { lotId, signing: signedBy(qa) });
      await hold(tx, { lotId: held, reason: 'complaint investigation' });

      const fefo = await suggestFefo(tx, w.items.tubing, dec('45.5'), w.site.id);
      expect(fefo.lines.map((l) => [l.lotId, l.take])).toEqual([
        [sooner, '20'],
        [later, '25.5'],
      ]);
      expect(fefo.shortfall).toBe('0');
      const all = await suggestFefo(tx, w.items.tubing, dec('200'), w.site.id);
      expect(all.lines.map((l) => l.lotId)).toEqual([sooner, later, noExpiry]);
      expect(all.shortfall).toBe('50');
    });
  });

  it('expires lots past their expiry date in the nightly job and emits an event for each', async () => {
    await w.tx(async (tx) => {
      const old = await tubingLot(tx, '7', daysFromToday(-1));
      const fresh = await tubingLot(tx, '7', daysFromToday(30));
      const expired = await expireLots(tx, daysFromToday(0));
      expect(expired.map((l) => l.id)).toContain(old);
      expect(expired.map((l) => l.id)).not.toContain(fresh);
      expect((await getLot(tx, old)).status).toBe('expired');
      const events = await tx.query(
        `SELECT data->>'to' AS "to" FROM outbox_events WHERE type = 'inventory.lot.expired' AND aggregate_id = $1`,
        [old],
      );
      expect(events.rows).toEqual([{ to: 'expired' }]);
      await expect(release(tx, { lotId: old, signing: signedBy(qa) })).rejects.toMatchObject({ code: 'error.state.illegalTransition' });
    });
  });

  it('receives serials as units of one, unique per item, and refuses duplicates', async () => {
    await w.tx(async (tx) => {
      const received = await receiveIntoQuarantine(tx, {
        itemId: w.items.thermometer,
        locationId: w.locations.quarantine,
        serials: ['TH-0001', 'TH-0002', 'TH-0003'],
      });
      expect(received.quantity).toBe('3');
      const first = await getLot(tx, received.lots[0]!.id);
      expect(first).toMatchObject({ kind: 'serial', number: 'TH-0001', onHand: '1', status: 'quarantine' });
    });
    await expect(
      w.tx((tx) =>
        receiveIntoQuarantine(tx, { itemId: w.items.thermometer, locationId: w.locations.quarantine, serials: ['TH-0009', 'TH-0002'] }),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'error.inventory.serial.exists' });
    await expect(
      w.tx((tx) =>
        receiveIntoQuarantine(tx, { itemId: w.items.thermometer, locationId: w.locations.quarantine, serials: ['TH-0010', 'TH-0010'] }),
      ),
    ).rejects.toMatchObject({ status: 422, code: 'error.inventory.serialDuplicate' });
    await expect(
      w.tx((tx) => tx.query(`INSERT INTO lots (item_id, kind, number) VALUES ($1, 'serial', 'TH-0001')`, [w.items.thermometer])),
    ).rejects.toMatchObject({ code: '23505' });
  });
});
