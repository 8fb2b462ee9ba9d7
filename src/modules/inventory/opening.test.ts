import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { type StockWorld, stockWorld } from '../../../test/inventory.js';
import { recordHistory } from '../../platform/audit/trail.js';
import type { Database } from '../../platform/db/index.js';
import { lotHistory, takeOverStock, transfer, unhold, verifyBalances } from './index.js';

let db: Database;
let w: StockWorld;

beforeAll(async () => {
  db = await testDatabase();
});
beforeEach(async () => {
  w = await stockWorld(db);
});
afterAll(() => db.close());

describe(`stock taken over at go-live (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('keeps the status the stock had in the previous system and names the source in its history, ledger and audit trail', async () => {
    const history = await w.tx(async (tx) => {
      const { lots } = await takeOverStock(tx, {
        itemId: w.items.tubing,
        locationId: w.locations.store,
        quantity: '1200',
        supplierLot: 'JMP-2611',
        manufacturedOn: '2026-10-02',
        status: 'released',
        source: 'legacy ERP lot 26-1102',
      });
      return lotHistory(tx, lots[0]!.id);
    });
    expect(history.lot).toMatchObject({ status: 'released', supplierLot: 'JMP-2611', expiresOn: '2028-10-01', onHand: '1200' });
    expect(history.statusChanges).toMatchObject([
      { fromStatus: 'released', toStatus: 'released', reason: 'taken over from legacy ERP lot 26-1102' },
    ]);
    expect(history.movements).toMatchObject([
      {
        movementType: 'receipt',
        quantity: '1200',
        toLocationId: w.locations.store,
        reference: { type: 'takeover', id: 'legacy ERP lot 26-1102' },
      },
    ]);
    expect(history.signatures).toEqual([]);
    const trail = await w.tx((tx) => recordHistory(tx, 'lots', history.lot.id));
    expect(trail[0]).toMatchObject({ action: 'insert', reason: 'taken over from legacy ERP lot 26-1102' });
    // Released stock taken over moves on like any released lot.
    await w.tx((tx) =>
      transfer(tx, {
        itemId: w.items.tubing,
        lotId: history.lot.id,
        fromLocationId: w.locations.store,
        toLocationId: w.locations.line,
        quantity: '50',
      }),
    );
    expect((await w.tx((tx) => verifyBalances(tx))).differences).toEqual([]);
  });

  it('takes over held serials as held from release, and lifting the hold releases them', async () => {
    const lotId = await w.tx(async (tx) => {
      const { lots } = await takeOverStock(tx, {
        itemId: w.items.thermometer,
        locationId: w.locations.quarantine,
        serials: ['TH-000101', 'TH-000102'],
        status: 'on_hold',
        holdReason: 'display flicker complaint under investigation',
        source: 'legacy ERP',
      });
      expect(lots.map((l) => l.number)).toEqual(['TH-000101', 'TH-000102']);
      return lots[0]!.id;
    });
    const lifted = await w.tx((tx) => unhold(tx, { lotId, reason: 'flicker traced to the test fixture, not the device' }));
    expect(lifted.status).toBe('released');
  });

  it('refuses stock whose status the location does not take, and taking over without naming the source', async () => {
    const take = (status: 'quarantine' | 'released', locationId: string, source = 'legacy ERP') =>
      w.tx((tx) => takeOverStock(tx, { itemId: w.items.tubing, locationId, quantity: '5', status, source }));
    await expect(take('quarantine', w.locations.store)).rejects.toMatchObject({ status: 409, code: 'error.inventory.location.refuses' });
    await expect(take('released', w.locations.quarantine)).rejects.toMatchObject({ status: 409, code: 'error.inventory.location.refuses' });
    await expect(take('released', w.locations.store, '  ')).rejects.toMatchObject({ status: 422 });
    expect(await w.tx(async (tx) => (await tx.query('SELECT 1 FROM lots')).rowCount)).toBe(0);
  });
});
