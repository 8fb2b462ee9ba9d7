import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { type StockWorld, stockWorld } from '../../../test/inventory.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { traceBackward, traceForward, traceForwardFromLots } from './index.js';
import { receiveIntoQuarantine } from './receipts.js';

let db: Database;
let w: StockWorld;

beforeAll(async () => {
  db = await testDatabase();
});
beforeEach(async () => {
  w = await stockWorld(db);
});
afterAll(() => db.close());

const lot = async (tx: Tx, supplierLot: string) =>
  (await receiveIntoQuarantine(tx, { itemId: w.items.tubing, locationId: w.locations.quarantine, quantity: '10', supplierLot })).lots[0]!
    .id;

/** Links as a work order's output writes them: parent consumed into child. */
const link = (tx: Tx, parent: string, child: string, workOrderId = randomUUID()) =>
  tx.query('INSERT INTO lot_links (child_lot_id, parent_lot_id, work_order_id, quantity) VALUES ($1, $2, $3, 1)', [
    child,
    parent,
    workOrderId,
  ]);

describe(`genealogy traces (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[Q.TRC] answers a lot reached by two paths once, at its shortest depth, nearest first, with its item', async () => {
    await w.tx(async (tx) => {
      const [resin, cap, body, device] = [await lot(tx, 'R'), await lot(tx, 'C'), await lot(tx, 'B'), await lot(tx, 'D')];
      // resin → cap → body → device, and resin → device directly (a diamond).
      await link(tx, resin, cap);
      await link(tx, cap, body);
      await link(tx, body, device);
      await link(tx, resin, device);
      const forward = await traceForward(tx, resin);
      expect(forward.lots.map((l) => [l.lotId, l.depth])).toEqual([
        [cap, 1],
        [device, 1],
        [body, 2],
      ]);
      expect(forward.lots.find((l) => l.lotId === device)).toMatchObject({
        viaLotId: resin,
        itemId: w.items.tubing,
        itemCode: 'PVC-TUBE',
        itemName: 'PVC-TUBE',
      });
      const backward = await traceBackward(tx, device);
      expect(new Map(backward.lots.map((l) => [l.lotId, l.depth]))).toEqual(
        new Map([
          [body, 1],
          [resin, 1],
          [cap, 2],
        ]),
      );
    });
  });

  it('[Q.TRC] ends a walk around a corrupt cycle at the depth bound, each lot still once', async () => {
    await w.tx(async (tx) => {
      const [a, b, c] = [await lot(tx, 'A'), await lot(tx, 'B'), await lot(tx, 'C')];
      await link(tx, a, b);
      await link(tx, b, c);
      await link(tx, c, a);
      const forward = await traceForward(tx, a, { maxDepth: 50 });
      expect(forward.lots.map((l) => [l.lotId, l.depth])).toEqual([
        [b, 1],
        [c, 2],
        [a, 3],
      ]);
      expect((await traceBackward(tx, a, { maxDepth: 2 })).lots.map((l) => l.lotId)).toEqual([c, b]);
    });
  });

  it('[Q.TRC] answers an unlinked lot with nothing, and an unknown one as not found', async () => {
    await w.tx(async (tx) => {
      const alone = await lot(tx, 'L');
      expect(await traceForward(tx, alone)).toMatchObject({ lotId: alone, lots: [], truncated: false });
      await expect(traceBackward(tx, randomUUID())).rejects.toMatchObject({ status: 404 });
    });
  });

  it('[Q.TRC] walks from many lots at once, each lot once at its shortest distance from any, within the limit', async () => {
    await w.tx(async (tx) => {
      const [first, second, sub, device, other] = [
        await lot(tx, 'S1'),
        await lot(tx, 'S2'),
        await lot(tx, 'SUB'),
        await lot(tx, 'DEV'),
        await lot(tx, 'X'),
      ];
      // first → sub → device, second → device; `other` is not linked to either.
      await link(tx, first, sub);
      await link(tx, sub, device);
      await link(tx, second, device);
      await link(tx, other, await lot(tx, 'Y'));
      const both = await traceForwardFromLots(tx, [first, second]);
      expect(both.lots.map((l) => [l.lotId, l.depth])).toEqual(
        expect.arrayContaining([
          [sub, 1],
          [device, 1],
        ]),
      );
      expect(both).toMatchObject({ truncated: false });
      expect(both.lots).toHaveLength(2);
      expect((await traceForwardFromLots(tx, [first, second], { limit: 1 })).truncated).toBe(true);
      expect(await traceForwardFromLots(tx, [])).toMatchObject({ lots: [], truncated: false });
    });
  });
});
