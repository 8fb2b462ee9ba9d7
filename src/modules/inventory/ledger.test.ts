import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { createSigner, type Signer } from '../../../test/identity.js';
import { type StockWorld, signedBy, stockWorld } from '../../../test/inventory.js';
import type { Database } from '../../platform/db/index.js';
import { adjust, issue, onHand, release, transfer, verifyBalances } from './index.js';
import { receiveIntoQuarantine } from './receipts.js';

let db: Database;
let w: StockWorld;
/** Releases lots. */
let qa: Signer;
/** Counts stock and books adjustments. */
let clerk: Signer;

beforeAll(async () => {
  db = await testDatabase();
});
beforeEach(async () => {
  w = await stockWorld(db);
  qa = await createSigner(db, w, { roles: ['QA Manager'] });
  clerk = await createSigner(db, w, { roles: ['Warehouse'] });
});
afterAll(() => db.close());

/** A released lot of tubing with `quantity` metres in the raw-material store. */
async function releasedTubing(quantity: string): Promise<string> {
  return w.tx(async (tx) => {
    const { lots } = await receiveIntoQuarantine(tx, { itemId: w.items.tubing, locationId: w.locations.quarantine, quantity });
    const lotId = lots[0]!.id;
    await release(tx, { lotId, signing: signedBy(qa) });
    await transfer(tx, {
      itemId: w.items.tubing,
      lotId,
      fromLocationId: w.locations.quarantine,
      toLocationId: w.locations.store,
      quantity,
    });
    return lotId;
  });
}

const issue60 = (lotId: string) =>
  w.tx((tx) =>
    issue(tx, {
      itemId: w.items.tubing,
      lotId,
      locationId: w.locations.store,
      quantity: '60',
      purpose: 'production',
      reference: { type: 'work_order', id: 'WO-2026-00001' },
    }),
  );

describe(`stock ledger (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('keeps decimal quantities exact through receipt, transfer and issue', async () => {
    const lotId = await releasedTubing('100.125');
    await w.tx(async (tx) => {
      await transfer(tx, {
        itemId: w.items.tubing,
        lotId,
        fromLocationId: w.locations.store,
        toLocationId: w.locations.line,
        quantity: '0.1',
      });
      await transfer(tx, {
        itemId: w.items.tubing,
        lotId,
        fromLocationId: w.locations.store,
        toLocationId: w.locations.line,
        quantity: '0.2',
      });
      const rows = await onHand(tx, { lotId });
      expect(rows.map((r) => [r.locationId, r.quantity])).toEqual(
        expect.arrayContaining([
          [w.locations.store, '99.825'],
          [w.locations.line, '0.3'],
        ]),
      );
      expect(rows).toHaveLength(2);
    });
  });

  const move60 = (lotId: string) =>
    w.tx((tx) =>
      transfer(tx, { itemId: w.items.tubing, lotId, fromLocationId: w.locations.store, toLocationId: w.locations.line, quantity: '60' }),
    );
  it.each([
    ['issues', issue60, 'issue'],
    ['transfers', move60, 'transfer'],
  ] as const)(
    'lets exactly one of two concurrent %s of 60 from a lot of 100 succeed; the other gets 409 insufficient',
    async (_, take, type) => {
      const lotId = await releasedTubing('100');
      const results = await Promise.allSettled([take(lotId), take(lotId)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failure.reason).toMatchObject({
        status: 409,
        code: 'error.inventory.insufficient',
        params: { available: '40', requested: '60' },
      });
      await w.tx(async (tx) => {
        const store = (await onHand(tx, { lotId })).filter((b) => b.locationId === w.locations.store);
        expect(store.map((b) => b.quantity)).toEqual(['40']);
        const { rows } = await tx.query('SELECT 1 FROM stock_movements WHERE lot_id = $1 AND movement_type = $2', [lotId, type]);
        expect(rows).toHaveLength(type === 'transfer' ? 2 : 1); // plus the one that stocked the store
        expect((await verifyBalances(tx)).differences).toEqual([]);
      });
    },
  );

  it('runs opposite transfers of one lot at the same time without a deadlock, and keeps the balances equal to the ledger', async () => {
    const lotId = await releasedTubing('100');
    await w.tx((tx) =>
      transfer(tx, { itemId: w.items.tubing, lotId, fromLocationId: w.locations.store, toLocationId: w.locations.line, quantity: '50' }),
    );
    const move = (from: string, to: string) =>
      w.tx((tx) => transfer(tx, { itemId: w.items.tubing, lotId, fromLocationId: from, toLocationId: to, quantity: '1' }));
    const rounds = Array.from({ length: 10 }, () => [
      move(w.locations.store, w.locations.line),
      move(w.locations.line, w.locations.store),
    ]).flat();
    const results = await Promise.allSettled(rounds);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    await w.tx(async (tx) => {
      const rows = await onHand(tx, { lotId });
      expect(Object.fromEntries(rows.map((r) => [r.locationId, r.quantity]))).toEqual({
        [w.locations.store]: '50',
        [w.locations.line]: '50',
      });
      expect((await verifyBalances(tx)).differences).toEqual([]);
    });
  });

  it('never lets a balance go negative, even for a raw ledger insert', async () => {
    const lotId = await releasedTubing('5');
    await expect(
      w.tx((tx) =>
        tx.query(
          `INSERT INTO stock_movements (operation_id, movement_type, item_id, lot_id, quantity, from_location_id, from_site_id)
           VALUES (mf_uuidv7(), 'scrap', $1, $2, 6, $3, $4)`,
          [w.items.tubing, lotId, w.locations.store, w.site.id],
        ),
      ),
    ).rejects.toMatchObject({ code: 'MFI01' });
    await w.tx(async (tx) => expect((await onHand(tx, { lotId }))[0]?.quantity).toBe('5'));
  });

  it('posts a shipment statement set-based: its rows of one lot add up against the balance, all or nothing', async () => {
    const lotId = await releasedTubing('5');
    const ship = (quantities: number[]) =>
      w.tx((tx) =>
        tx.query(
          `INSERT INTO stock_movements (operation_id, movement_type, item_id, lot_id, quantity, from_location_id, from_site_id)
           SELECT mf_uuidv7(), 'shipment', $1, $2, q, $3, $4 FROM unnest($5::numeric[]) AS q`,
          [w.items.tubing, lotId, w.locations.store, w.site.id, quantities],
        ),
      );
    const refused = await ship([3, 3]).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'MFI01' });
    expect(JSON.parse((refused as { detail: string }).detail)).toMatchObject({ lotId, available: '5', requested: '6' });
    await w.tx(async (tx) => expect((await onHand(tx, { lotId }))[0]?.quantity).toBe('5'));
    await ship([2, 3]);
    await w.tx(async (tx) => {
      expect((await onHand(tx, { lotId })).map((b) => b.quantity)).toEqual([]);
      expect((await verifyBalances(tx)).differences).toEqual([]);
    });
  });

  it('[P11.10c] refuses to update or delete ledger rows, for the application role and the owner alike', async () => {
    const lotId = await releasedTubing('3');
    for (const statement of [
      'UPDATE stock_movements SET quantity = 1 WHERE lot_id = $1',
      'DELETE FROM stock_movements WHERE lot_id = $1',
    ]) {
      await expect(w.tx((tx) => tx.query(statement, [lotId]))).rejects.toThrow(/permission denied/);
      await expect(db.query(statement, [lotId])).rejects.toThrow(/append-only/);
    }
    await expect(w.tx((tx) => tx.query('UPDATE stock_balances SET quantity = 1 WHERE lot_id = $1', [lotId]))).rejects.toThrow(
      /permission denied/,
    );
  });

  it('stamps the actor and server time on every movement, whatever the caller sends', async () => {
    const lotId = await releasedTubing('2');
    const rows = await w.tx(async (tx) => {
      await tx.query(
        `INSERT INTO stock_movements (operation_id, movement_type, item_id, lot_id, quantity, from_location_id, from_site_id,
           actor_kind, actor_id, actor_name, request_id, created_at)
         VALUES (mf_uuidv7(), 'scrap', $1, $2, 1, $3, $4, 'user', 'x', 'Someone Else', 'forged', '2001-01-01')`,
        [w.items.tubing, lotId, w.locations.store, w.site.id],
      );
      return (
        await tx.query<{ actor_name: string; recent: boolean }>(
          `SELECT actor_name, created_at > now() - interval '1 day' AS recent FROM stock_movements WHERE lot_id = $1 AND movement_type = 'scrap'`,
          [lotId],
        )
      ).rows;
    });
    expect(rows).toEqual([{ actor_name: w.ctx.actor.name, recent: true }]);
  });

  it('[P11.10a] verify proves balances equal the ledger and names a balance the owner tampered with', async () => {
    const lotId = await releasedTubing('10');
    expect((await w.tx((tx) => verifyBalances(tx))).differences).toEqual([]);
    await db.query('UPDATE stock_balances SET quantity = 11 WHERE lot_id = $1 AND location_id = $2', [lotId, w.locations.store]);
    const report = await w.tx((tx) => verifyBalances(tx));
    expect(report.keys).toBeGreaterThan(0);
    expect(report.differences).toEqual([{ itemId: w.items.tubing, lotId, locationId: w.locations.store, ledger: '10', balance: '11' }]);
    await db.query('UPDATE stock_balances SET quantity = 10 WHERE lot_id = $1 AND location_id = $2', [lotId, w.locations.store]);
  });

  it('books an adjustment only with a reason and a valid e-signature of a permitted signer', async () => {
    const lotId = await releasedTubing('8');
    const base = { itemId: w.items.tubing, lotId, locationId: w.locations.store, quantity: '-1.5' };
    await expect(w.tx((tx) => adjust(tx, { ...base, reason: ' ', signing: signedBy(clerk) }))).rejects.toMatchObject({
      status: 422,
      code: 'error.inventory.reasonRequired',
    });
    await expect(
      w.tx((tx) => adjust(tx, { ...base, reason: 'cycle count', signing: signedBy(clerk, { password: 'wrong' }) })),
    ).rejects.toMatchObject({ status: 401 });
    // QA releases lots but does not adjust stock.
    await expect(w.tx((tx) => adjust(tx, { ...base, reason: 'cycle count', signing: signedBy(qa) }))).rejects.toMatchObject({
      status: 403,
      code: 'error.esign.notPermitted',
    });
    await w.tx((tx) => adjust(tx, { ...base, reason: 'cycle count: 1.5 m damaged', signing: signedBy(clerk) }));
    await w.tx(async (tx) => {
      expect((await onHand(tx, { lotId }))[0]?.quantity).toBe('6.5');
      const { rows } = await tx.query(`SELECT reason FROM stock_movements WHERE lot_id = $1 AND movement_type = 'adjustment'`, [lotId]);
      expect(rows).toEqual([{ reason: 'cycle count: 1.5 m damaged' }]);
    });
  });

  it('keeps transfers within one site and untracked items without lots', async () => {
    const lotId = await releasedTubing('4');
    await expect(
      w.tx((tx) =>
        transfer(tx, {
          itemId: w.items.tubing,
          lotId,
          fromLocationId: w.locations.store,
          toLocationId: w.locations.otherSite,
          quantity: '1',
        }),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'error.inventory.transfer.crossSite' });
    await w.tx(async (tx) => {
      await receiveIntoQuarantine(tx, { itemId: w.items.labels, locationId: w.locations.quarantine, quantity: '500' });
      await transfer(tx, {
        itemId: w.items.labels,
        fromLocationId: w.locations.quarantine,
        toLocationId: w.locations.line,
        quantity: '200',
      });
      const rows = await onHand(tx, { itemId: w.items.labels });
      expect(rows.map((r) => [r.locationId, r.lotId, r.quantity])).toEqual(
        expect.arrayContaining([
          [w.locations.quarantine, null, '300'],
          [w.locations.line, null, '200'],
        ]),
      );
    });
  });
});
