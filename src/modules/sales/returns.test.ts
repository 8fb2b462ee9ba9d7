import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { createSigner, type Signer } from '../../../test/identity.js';
import { confirmedOrder, inTx, releasedSerials, type SalesWorld, salesWorld, setLot } from '../../../test/sales.js';
import { dispositionCustomerReturn } from '../../flows/disposition-customer-return.js';
import { receiveCustomerReturn } from '../../flows/receive-customer-return.js';
import { shipOrder } from '../../flows/ship-order.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { sql } from '../../platform/db/index.js';
import { listSignatures } from '../../platform/esign/index.js';
import { getLot, onHand, verifyBalances } from '../inventory/index.js';
import { describeNcr } from '../nonconformance/index.js';
import { authoriseReturn, cancelReturn, closeReturn, customerReturnDetail, getCustomerReturn, returnableLots } from './index.js';

let db: Database;
let w: SalesWorld;
/** Quality's two signers: Li Wei also receives goods at the dock; Wang Fang only decides. */
let li: Signer;
let wang: Signer;

beforeAll(async () => {
  db = await testDatabase();
  w = await salesWorld(db);
  li = await createSigner(db, w, { roles: ['QA Manager', 'Warehouse'], fullName: 'Li Wei' });
  wang = await createSigner(db, w, { roles: ['QA Manager'], fullName: 'Wang Fang' });
});
afterAll(async () => {
  await db.close();
});

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

/** A shipment of the distributor: a lot of 10 infusion sets and the given pump serials. */
async function shipped(serials: string[]) {
  return inTx(db, w, async (tx) => {
    const lot = await setLot(tx, w, '10');
    const pumps = await releasedSerials(tx, w, serials);
    const order = await confirmedOrder(tx, w, [
      { itemId: w.devices.set, quantity: '10' },
      { itemId: w.devices.pump, quantity: String(serials.length) },
    ]);
    const shipment = await shipOrder(tx, w.ctx, {
      orderId: order.id,
      lines: [
        { lineNo: 1, lots: [{ lotId: lot.id, quantity: '10' }] },
        { lineNo: 2, lots: pumps.map((p) => ({ lotId: p.id, quantity: '1' })) },
      ],
    });
    return { shipmentId: shipment.id, lotId: lot.id, serialIds: pumps.map((p) => p.id) };
  });
}

/** Everything a refusal must leave as it was: returns, their lines and dispositions, the ledger rows of returns, signatures. */
async function counts() {
  return inTx(db, w, async (tx) => {
    const { rows } = await tx.query<Record<string, number>>(sql`SELECT
      (SELECT count(*)::int FROM customer_returns) AS returns,
      (SELECT coalesce(sum(received_quantity), 0)::int FROM customer_return_lines) AS received,
      (SELECT coalesce(sum(dispositioned_quantity), 0)::int FROM customer_return_lines) AS dispositioned,
      (SELECT count(*)::int FROM customer_return_dispositions) AS dispositions,
      (SELECT count(*)::int FROM stock_movements WHERE source_kind = 'customer_return') AS movements,
      (SELECT count(*)::int FROM esignatures) AS signatures,
      (SELECT count(*)::int FROM nonconformances) AS ncrs`);
    return rows[0]!;
  });
}

const returnMovements = (tx: Tx, returnId: string) =>
  tx.query<{
    movement_type: string;
    quantity: string;
    source_line: number;
    from_location_id: string | null;
    to_location_id: string | null;
  }>(
    sql`SELECT movement_type, quantity::text AS quantity, source_line, from_location_id, to_location_id FROM stock_movements
     WHERE source_kind = 'customer_return' AND source_id = ${returnId} ORDER BY created_at, id`,
  );

const stockAt = async (tx: Tx, lotId: string, locationId: string) => (await onHand(tx, { lotId, locationId }))[0]?.quantity ?? '0';

const authorise = (shipmentId: string, lines: Array<{ shipmentLineNo: number; lotId: string; quantity: string }>) =>
  inTx(db, w, (tx) => authoriseReturn(tx, w.ctx, { shipmentId, reason: 'Outer pouches torn in transit', lines }));

const receive = (who: Signer | null, id: string, lines: Array<{ lotId: string; quantity: string }>, locationId = w.locations.quarantine) =>
  inTx(db, w, (tx) => receiveCustomerReturn(tx, who?.ctx ?? w.ctx, id, { locationId, lines }));

describe(`customer returns (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[Q.TRC] authorises a return against the exact lots and serials a shipment left with, numbered RMA-YYYY-NNNNN', async () => {
    const s = await shipped(['RMA-A1', 'RMA-A2']);
    const ret = await authorise(s.shipmentId, [
      { shipmentLineNo: 1, lotId: s.lotId, quantity: '4' },
      { shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' },
    ]);
    expect(ret).toMatchObject({ number: expect.stringMatching(/^RMA-\d{4}-\d{5}$/), status: 'authorised', authorisedQuantity: '5' });
    expect(ret.lines.map((l) => [l.lineNo, l.shipmentLineNo, l.lotKind, l.authorisedQuantity, l.toReceive])).toEqual([
      [1, 1, 'lot', '4', '4'],
      [2, 2, 'serial', '1', '1'],
    ]);
    const left = await inTx(db, w, (tx) => returnableLots(tx, s.shipmentId));
    expect(left.map((l) => [l.lotKind, l.shipped, l.authorised, l.returnable])).toEqual([
      ['lot', '10', '4', '6'],
      ['serial', '1', '1', '0'],
      ['serial', '1', '0', '1'],
    ]);
  });

  it('[P11.10f] refuses a lot not on the shipment line, more than it shipped, and a serial returned twice, writing nothing', async () => {
    const s = await shipped(['RMA-B1']);
    await authorise(s.shipmentId, [
      { shipmentLineNo: 1, lotId: s.lotId, quantity: '8' },
      { shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' },
    ]);
    const before = await counts();
    expect(await codeOf(authorise(s.shipmentId, [{ shipmentLineNo: 2, lotId: s.lotId, quantity: '1' }]))).toBe(
      'error.sales.return.notOnShipment',
    );
    expect(await codeOf(authorise(s.shipmentId, [{ shipmentLineNo: 1, lotId: s.lotId, quantity: '3' }]))).toBe(
      'error.sales.return.overAuthorised',
    );
    expect(await codeOf(authorise(s.shipmentId, [{ shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' }]))).toBe(
      'error.sales.return.serialReturned',
    );
    expect(await codeOf(authorise(s.shipmentId, [{ shipmentLineNo: 1, lotId: s.lotId, quantity: '1.5' }]))).toBe(
      'error.quantity.wholeNumber',
    );
    expect(await counts()).toEqual(before);
  });

  it('[P11.10f] keeps a serial from being returned twice in the database too, beyond the service', async () => {
    const s = await shipped(['RMA-C1']);
    const ret = await authorise(s.shipmentId, [{ shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' }]);
    const err = await inTx(db, w, async (tx) => {
      const { rows } = await tx.query<{
        id: string;
      }>(sql`INSERT INTO customer_returns (number, shipment_id, order_id, customer_id, site_id, reason)
        SELECT 'RMA-BY-HAND', shipment_id, order_id, customer_id, site_id, reason FROM customer_returns WHERE id = ${ret.id} RETURNING id`);
      await tx.query(sql`INSERT INTO customer_return_lines (return_id, line_no, shipment_line_no, item_id, lot_id, lot_kind, lot_number, authorised_quantity)
        VALUES (${rows[0]!.id}, 1, 2, ${w.devices.pump}, ${s.serialIds[0]!}, 'serial', 'RMA-C1', 1)`);
    }).catch((e: { code?: string }) => e);
    expect((err as { code?: string }).code).toBe('P0001');
  });

  it('[P11.10f] lets two people authorise the same serial at once: one wins, the other is refused', async () => {
    const s = await shipped(['RMA-D1']);
    const results = await Promise.allSettled([
      authorise(s.shipmentId, [{ shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' }]),
      authorise(s.shipmentId, [{ shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' }]),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason.code).toBe('error.sales.return.serialReturned');
    const left = await inTx(db, w, (tx) => returnableLots(tx, s.shipmentId, s.serialIds));
    expect(left[0]).toMatchObject({ authorised: '1', returnable: '0' });
  });

  it('cancels a return before anything came back, with a reason, and frees what it authorised; not after a receipt', async () => {
    const s = await shipped(['RMA-E1']);
    const first = await authorise(s.shipmentId, [{ shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' }]);
    expect(await codeOf(inTx(db, w, (tx) => cancelReturn(tx, w.ctx, first.id, '  ')))).toBe('error.audit.reasonRequired');
    const cancelled = await inTx(db, w, (tx) => cancelReturn(tx, w.ctx, first.id, 'Customer found the pump works after all'));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Customer found the pump works after all' });
    const again = await authorise(s.shipmentId, [{ shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' }]);
    await receive(null, again.id, [{ lotId: s.serialIds[0]!, quantity: '1' }]);
    expect(await codeOf(inTx(db, w, (tx) => cancelReturn(tx, w.ctx, again.id, 'too late')))).toBe('error.state.illegalTransition');
    expect(await codeOf(receive(null, cancelled.id, [{ lotId: s.serialIds[0]!, quantity: '1' }]))).toBe('error.sales.return.notReceivable');
  });

  it('[Q.NC] receives the exact lots and serials back into quarantine: ledger rows naming the return, the lots quarantined', async () => {
    const s = await shipped(['RMA-F1']);
    const ret = await authorise(s.shipmentId, [
      { shipmentLineNo: 1, lotId: s.lotId, quantity: '5' },
      { shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' },
    ]);
    const before = await counts();
    expect(await codeOf(receive(null, ret.id, [{ lotId: s.lotId, quantity: '6' }]))).toBe('error.sales.return.overReceived');
    expect(await codeOf(receive(null, ret.id, [{ lotId: w.devices.pump, quantity: '1' }]))).toBe('error.sales.return.lotNotOnReturn');
    expect(await codeOf(receive(null, ret.id, [{ lotId: s.lotId, quantity: '1' }], w.locations.store))).toBe(
      'error.inventory.location.notQuarantine',
    );
    expect(await codeOf(receive(null, ret.id, [{ lotId: s.lotId, quantity: '1' }], w.locations.otherSite))).toBe(
      'error.inventory.location.notQuarantine',
    );
    expect(await counts()).toEqual(before);

    const part = await receive(li, ret.id, [{ lotId: s.lotId, quantity: '3' }]);
    expect(part).toMatchObject({ status: 'partially_received', receivedQuantity: '3' });
    const full = await receive(null, ret.id, [
      { lotId: s.lotId, quantity: '2' },
      { lotId: s.serialIds[0]!, quantity: '1' },
    ]);
    expect(full).toMatchObject({ status: 'received', receivedQuantity: '6' });
    expect(full.lines[0]).toMatchObject({ receivedQuantity: '5', toReceive: '0', quarantineLocationId: w.locations.quarantine });
    expect(full.lines[0]!.receivedByIds).toEqual([li.user.id]);
    await inTx(db, w, async (tx) => {
      const movements = (await returnMovements(tx, ret.id)).rows;
      expect(movements.map((m) => [m.movement_type, m.quantity, m.source_line, m.to_location_id])).toEqual([
        ['receipt', '3', 1, w.locations.quarantine],
        ['receipt', '2', 1, w.locations.quarantine],
        ['receipt', '1', 2, w.locations.quarantine],
      ]);
      expect((await getLot(tx, s.lotId)).status).toBe('quarantine');
      expect(await getLot(tx, s.serialIds[0]!)).toMatchObject({ status: 'quarantine', onHand: '1' });
      expect(await stockAt(tx, s.lotId, w.locations.quarantine)).toBe('5');
      expect((await verifyBalances(tx)).differences).toEqual([]);
    });
    expect(await codeOf(receive(null, ret.id, [{ lotId: s.serialIds[0]!, quantity: '1' }]))).toBe('error.sales.return.notReceivable');
  });

  it('[P11.10g-sod] restocks only under the signature of someone who did not receive the goods: lot released, stock back on the shelf', async () => {
    const s = await shipped(['RMA-G1']);
    const ret = await authorise(s.shipmentId, [{ shipmentLineNo: 1, lotId: s.lotId, quantity: '2' }]);
    await receive(li, ret.id, [{ lotId: s.lotId, quantity: '2' }]);
    const restock = (who: Signer, locationId?: string) =>
      inTx(db, w, (tx) =>
        dispositionCustomerReturn(tx, who.ctx, who.verifier, ret.id, {
          lines: [{ lineNo: 1, kind: 'restock', quantity: '2', ...(locationId ? { locationId } : {}) }],
          justification: 'Pouches intact under inspection; outer carton replaced',
          credentials: who.credentials(),
        }),
      );
    const before = await counts();
    const sod = await restock(li, w.locations.store).catch((e: { code?: string; params?: Record<string, string> }) => e);
    expect(sod).toMatchObject({ code: 'error.esign.separationOfDuties', params: { rule: 'notReceiver' } });
    expect(await codeOf(restock(wang))).toBe('error.sales.return.locationRequired');
    expect(await counts()).toEqual(before);

    const done = await restock(wang, w.locations.store);
    expect(done).toMatchObject({ status: 'dispositioned', dispositionedQuantity: '2' });
    expect(done.dispositions[0]).toMatchObject({
      kind: 'restock',
      quantity: '2',
      restockLocationId: w.locations.store,
      decidedBy: 'Wang Fang',
    });
    await inTx(db, w, async (tx) => {
      const signatures = await listSignatures(tx, 'customer_return_dispositions', done.dispositions[0]!.id);
      expect(signatures).toMatchObject([{ meaning: 'released', signer: { name: 'Wang Fang' }, valid: true }]);
      expect((await getLot(tx, s.lotId)).status).toBe('released');
      expect(await stockAt(tx, s.lotId, w.locations.quarantine)).toBe('0');
      expect(await stockAt(tx, s.lotId, w.locations.store)).toBe('2');
      const transfer = (await returnMovements(tx, ret.id)).rows.at(-1)!;
      expect(transfer).toMatchObject({ movement_type: 'transfer', quantity: '2', from_location_id: w.locations.quarantine });
    });
    const closed = await inTx(db, w, (tx) => closeReturn(tx, w.ctx, ret.id));
    expect(closed).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    const events = await inTx(db, w, async (tx) =>
      (await tx.query<{ type: string }>(sql`SELECT type FROM outbox_events WHERE aggregate_id = ${ret.id} ORDER BY sequence`)).rows.map(
        (r) => r.type,
      ),
    ).catch(() => null);
    if (events) {
      expect(events).toEqual(['sales.return.authorised', 'sales.return.received', 'sales.return.dispositioned', 'sales.return.closed']);
    }
  });

  it('[Q.NC] scraps from quarantine and takes the rest into an NCR raised from the return, linked both ways, the lot held', async () => {
    const s = await shipped(['RMA-H1']);
    const ret = await authorise(s.shipmentId, [
      { shipmentLineNo: 1, lotId: s.lotId, quantity: '4' },
      { shipmentLineNo: 2, lotId: s.serialIds[0]!, quantity: '1' },
    ]);
    await receive(li, ret.id, [
      { lotId: s.lotId, quantity: '4' },
      { lotId: s.serialIds[0]!, quantity: '1' },
    ]);
    const decide = (lines: Parameters<typeof dispositionCustomerReturn>[4]['lines'], defectClass?: 'major') =>
      inTx(db, w, (tx) =>
        dispositionCustomerReturn(tx, wang.ctx, wang.verifier, ret.id, {
          lines,
          justification: 'Seal channels found on 1 pouch; pump display cracked',
          credentials: wang.credentials(),
          ...(defectClass ? { defectClass } : {}),
        }),
      );
    const before = await counts();
    expect(
      await codeOf(
        decide(
          [
            { lineNo: 1, kind: 'scrap', quantity: '1' },
            { lineNo: 1, kind: 'ncr', quantity: '2' },
          ],
          'major',
        ),
      ),
    ).toBe('error.sales.return.dispositionSum');
    expect(await codeOf(decide([{ lineNo: 2, kind: 'ncr', quantity: '1' }]))).toBe('error.sales.return.defectClassRequired');
    expect(await codeOf(decide([{ lineNo: 2, kind: 'scrap', quantity: '1', locationId: w.locations.store }]))).toBe(
      'error.sales.return.locationOnlyForRestock',
    );
    expect(await codeOf(decide([{ lineNo: 3, kind: 'scrap', quantity: '1' }]))).toBe('error.sales.return.noSuchLine');
    expect(await counts()).toEqual(before);

    const done = await decide(
      [
        { lineNo: 1, kind: 'scrap', quantity: '1' },
        { lineNo: 1, kind: 'ncr', quantity: '3' },
        { lineNo: 2, kind: 'ncr', quantity: '1' },
      ],
      'major',
    );
    expect(done.status).toBe('dispositioned');
    const ncrId = done.dispositions.find((d) => d.kind === 'ncr')!.nonconformanceId!;
    expect(done.dispositions.filter((d) => d.kind === 'ncr').map((d) => d.nonconformanceId)).toEqual([ncrId, ncrId]);
    await inTx(db, w, async (tx) => {
      const ncr = await describeNcr(tx, ncrId);
      expect(ncr).toMatchObject({ source: 'customer_return', sourceId: ret.id, customerReturn: { id: ret.id, code: ret.number } });
      expect(ncr.affected.map((a) => [a.lotId, a.quantity])).toEqual([
        [s.lotId, '3'],
        [s.serialIds[0]!, '1'],
      ]);
      expect(done.dispositions.find((d) => d.kind === 'ncr')!.ncrNumber).toBe(ncr.number);
      expect((await getLot(tx, s.lotId)).status).toBe('on_hold');
      expect((await getLot(tx, s.serialIds[0]!)).status).toBe('on_hold');
      const scrapped = (await returnMovements(tx, ret.id)).rows.find((m) => m.movement_type === 'scrap')!;
      expect(scrapped).toMatchObject({ quantity: '1', source_line: 1, from_location_id: w.locations.quarantine });
      expect(await stockAt(tx, s.lotId, w.locations.quarantine)).toBe('3');
      const signed = await Promise.all(done.dispositions.map((d) => listSignatures(tx, 'customer_return_dispositions', d.id)));
      expect(signed.flat().map((x) => x.meaning)).toEqual(['approved', 'approved', 'approved']);
    });
    expect(
      await codeOf(
        inTx(db, w, (tx) =>
          dispositionCustomerReturn(tx, wang.ctx, wang.verifier, ret.id, {
            lines: [{ lineNo: 1, kind: 'scrap', quantity: '1' }],
            justification: 'again',
            credentials: wang.credentials(),
          }),
        ),
      ),
    ).toBe('error.sales.return.notDispositionable');
    await inTx(db, w, (tx) => closeReturn(tx, w.ctx, ret.id));
    expect(await codeOf(inTx(db, w, (tx) => closeReturn(tx, w.ctx, ret.id)))).toBe('error.state.illegalTransition');
    expect(await codeOf(receive(null, ret.id, [{ lotId: s.lotId, quantity: '1' }]))).toBe('error.sales.return.notReceivable');
  });

  it('closes a return the customer sent only part of, with a reason, once what came back is dispositioned', async () => {
    const s = await shipped(['RMA-J1']);
    const ret = await authorise(s.shipmentId, [{ shipmentLineNo: 1, lotId: s.lotId, quantity: '5' }]);
    await receive(li, ret.id, [{ lotId: s.lotId, quantity: '2' }]);
    expect(await codeOf(inTx(db, w, (tx) => closeReturn(tx, w.ctx, ret.id, 'rest not coming')))).toBe('error.state.guardFailed');
    await inTx(db, w, (tx) =>
      dispositionCustomerReturn(tx, wang.ctx, wang.verifier, ret.id, {
        lines: [{ lineNo: 1, kind: 'scrap', quantity: '2' }],
        justification: 'Crushed',
        credentials: wang.credentials(),
      }),
    );
    expect((await inTx(db, w, (tx) => getCustomerReturn(tx, ret.id))).status).toBe('partially_received');
    expect(await codeOf(inTx(db, w, (tx) => closeReturn(tx, w.ctx, ret.id)))).toBe('error.audit.reasonRequired');
    const closed = await inTx(db, w, (tx) => closeReturn(tx, w.ctx, ret.id, 'Customer keeps the other three'));
    expect(closed.status).toBe('closed');
    expect((await inTx(db, w, (tx) => customerReturnDetail(tx, ret.id))).allowedTransitions).toEqual([]);
  });
});
