import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/db.js';
import { signedBy } from '../../../test/inventory.js';
import { anItem, firstRevisionId, release as releaseRevision } from '../../../test/masterdata.js';
import { aWorkOrder, type ProductionWorld, productionWorld, stockLot } from '../../../test/production.js';
import { addDays } from '../../platform/dates.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { sql } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { getLot, release, traceBackward, traceForward, verifyBalances } from '../inventory/index.js';
import { setBom } from '../masterdata/bom.js';
import { createWorkOrder, issueMaterial, reportOutput, returnMaterial, transitionWorkOrder, workOrderOutput } from './index.js';

let db: Database;
let w: ProductionWorld;

beforeAll(async () => {
  db = await testDatabase();
  w = await productionWorld(db);
});
afterAll(async () => {
  await db.close();
});

const inTx = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, w.ctx, fn);

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as { status?: number; code?: string; errors?: Array<{ code?: string }> };
    return { status: e.status, code: e.code, fields: (e.errors ?? []).map((f) => f.code) };
  }
  return { status: 0, code: 'no error', fields: [] };
};

/** A device order in progress: 10 m of tubing lot A, 0.71 m of lot B issued and returned, 14 caps. */
async function runningDeviceOrder(quantity = '7') {
  return inTx(async (tx) => {
    const order = await aWorkOrder(tx, w, quantity);
    const tubingA = await stockLot(tx, w, w.items.tubing, '50');
    const tubingB = await stockLot(tx, w, w.items.tubing, '5');
    const caps = await stockLot(tx, w, w.parts.cap, '100');
    await issueMaterial(tx, w.ctx, order.id, { lotId: tubingA.id, quantity: '10' });
    await issueMaterial(tx, w.ctx, order.id, { lotId: tubingB.id, quantity: '0.71' });
    await returnMaterial(tx, w.ctx, order.id, { lotId: tubingB.id, quantity: '0.71', locationId: w.locations.store });
    await issueMaterial(tx, w.ctx, order.id, { lotId: caps.id, quantity: '14' });
    return { order, tubingA: tubingA.id, tubingB: tubingB.id, caps: caps.id };
  });
}

const links = (childIds: string[]) =>
  inTx(
    async (tx) =>
      (
        await tx.query<{ parent: string; child: string; quantity: string; workOrderId: string; kind: string }>(
          sql`SELECT parent_lot_id AS parent, child_lot_id AS child, trim_scale(quantity)::text AS quantity,
                     work_order_id AS "workOrderId", kind
                FROM lot_links WHERE child_lot_id = ANY(${childIds}::uuid[]) ORDER BY quantity`,
        )
      ).rows,
  );

const counts = () =>
  inTx(
    async (tx) =>
      (
        await tx.query<{ lots: number; outputs: number; links: number; moves: number }>(sql`SELECT
          (SELECT count(*) FROM lots)::int AS lots, (SELECT count(*) FROM work_order_outputs)::int AS outputs,
          (SELECT count(*) FROM lot_links)::int AS links, (SELECT count(*) FROM stock_movements)::int AS moves`)
      ).rows[0]!,
  );

/** A serial-controlled finished device (shelf life one year) made of one DEV each, its revision released by QA. */
async function serialDevice() {
  const item = await inTx((tx) =>
    anItem(tx, { code: 'PUMP-X', name: 'Pump', type: 'finished_device', tracking: 'serial', shelfLifeDays: 365 }),
  );
  const revision = await inTx(async (tx) => {
    const id = await firstRevisionId(tx, item.id);
    await setBom(tx, id, [{ lineNo: 10, componentItemId: w.device.id, quantityPer: '1', unit: 'ea' }]);
    return id;
  });
  await withTenant(db, w.qa.ctx, (tx) => releaseRevision(tx, w.qa, revision));
  return { item, revision };
}

describe('production output', () => {
  it('[Q.TRC] takes a finished lot into quarantine at the order site, on the ledger as production output of the work order', async () => {
    const { order, tubingA, caps } = await runningDeviceOrder();
    const output = await inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '7' }));
    expect(output).toMatchObject({ tracking: 'lot', ordered: '7', reported: '7', limit: '7.7', lotTotal: 1 });
    expect(output.reports).toHaveLength(1);
    const produced = output.lots[0]!;
    expect(produced).toMatchObject({ kind: 'lot', status: 'quarantine', quantity: '7' });
    expect(produced.number).toMatch(/^LOT-\d{4}-\d{5}$/);
    const lot = await inTx((tx) => getLot(tx, produced.id));
    expect(lot).toMatchObject({ itemId: w.device.id, itemRevisionId: w.device.revisionA, manufacturedOn: w.today, onHand: '7' });
    const ledger = await inTx(
      async (tx) =>
        (
          await tx.query<{ type: string; kind: string; source: string; to: string; quantity: string }>(
            sql`SELECT movement_type AS type, source_kind AS kind, source_id AS source, to_location_id AS to, trim_scale(quantity)::text AS quantity
                  FROM stock_movements WHERE lot_id = ${produced.id}`,
          )
        ).rows,
    );
    expect(ledger).toEqual([
      { type: 'production_output', kind: 'work_order', source: order.id, to: w.locations.quarantine, quantity: '7' },
    ]);
    // consumed net of returns: tubing B came back whole, so it is not in the device
    expect(await links([produced.id])).toEqual([
      { parent: tubingA, child: produced.id, quantity: '10', workOrderId: order.id, kind: 'consumed_into' },
      { parent: caps, child: produced.id, quantity: '14', workOrderId: order.id, kind: 'consumed_into' },
    ]);
    const events = await inTx(
      async (tx) =>
        (await tx.query<{ type: string }>(sql`SELECT type FROM outbox_events WHERE aggregate_id = ${order.id} ORDER BY aggregate_seq`))
          .rows,
    );
    expect(events.map((e) => e.type).at(-1)).toBe('production.output.reported');
    const linked = await inTx(
      async (tx) =>
        (
          await tx.query<{ data: { parents: number; links: number } }>(
            sql`SELECT data FROM outbox_events WHERE type = 'inventory.genealogy.linked' AND data->>'workOrderId' = ${order.id}`,
          )
        ).rows,
    );
    expect(linked.map((e) => e.data)).toEqual([expect.objectContaining({ parents: 2, children: 1, links: 2 })]);
    expect((await inTx((tx) => verifyBalances(tx))).differences).toEqual([]);
  });

  it('[P11.10f] completes a work order only once output is reported', async () => {
    const { order } = await runningDeviceOrder();
    expect(await refusal(inTx((tx) => transitionWorkOrder(tx, w.ctx, order.id, { to: 'completed' })))).toMatchObject({
      status: 409,
      code: 'error.state.guardFailed',
    });
    await inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '5' }));
    expect((await inTx((tx) => transitionWorkOrder(tx, w.ctx, order.id, { to: 'completed' }))).status).toBe('completed');
    expect(await refusal(inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '1' })))).toMatchObject({
      status: 409,
      code: 'error.production.output.orderNotInProgress',
    });
  });

  it('[P11.10f] refuses output of an order not in progress, beyond the tolerance without a reason, or a fractional count; nothing changes', async () => {
    const released = await inTx((tx) => aWorkOrder(tx, w));
    const { order } = await runningDeviceOrder();
    const before = await counts();
    expect(await refusal(inTx((tx) => reportOutput(tx, w.ctx, released.id, { quantity: '1' })))).toMatchObject({
      status: 409,
      code: 'error.production.output.orderNotInProgress',
    });
    expect(await refusal(inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '8' })))).toMatchObject({
      status: 422,
      code: 'error.production.output.overOutputReason',
      fields: ['error.production.output.overOutputReason'],
    });
    expect(await refusal(inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '2.5' })))).toMatchObject({ status: 422 });
    expect(await refusal(inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '0' })))).toMatchObject({ status: 422 });
    expect(await counts()).toEqual(before);
    // within the tolerance (7 × 1.1 = 7.7) no reason is needed; beyond it a reason lets it through
    await inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '7' }));
    const more = await inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '2', reason: 'yield better than planned' }));
    expect(more.reported).toBe('9');
    expect(more.reports.map((r) => r.reason)).toEqual([null, 'yield better than planned']);
  });

  it('[Q.TRC] commissions 200 serials in quarantine, each linked to the consumed sub-assembly lot, traced two levels both ways', async () => {
    const { order: subOrder, tubingA, caps } = await runningDeviceOrder();
    const sub = (await inTx((tx) => reportOutput(tx, w.ctx, subOrder.id, { quantity: '7' }))).lots[0]!;
    await withTenant(db, w.qa.ctx, (tx) => release(tx, { lotId: sub.id, signing: signedBy(w.qa) }));
    const pump = await serialDevice();
    const order = await inTx(async (tx) => {
      const created = await createWorkOrder(tx, {
        itemRevisionId: pump.revision,
        quantity: '200',
        siteId: w.site.id,
        dueDate: addDays(w.today, 5),
      });
      await transitionWorkOrder(tx, w.ctx, created.id, { to: 'released' });
      await issueMaterial(tx, w.ctx, created.id, { lotId: sub.id, quantity: '7' });
      return created;
    });
    const output = await inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '200' }));
    expect(output).toMatchObject({ tracking: 'serial', reported: '200', lotTotal: 200 });
    expect(output.lots).toHaveLength(200);
    const year = w.today.slice(0, 4);
    expect(output.lots[0]).toMatchObject({ kind: 'serial', status: 'quarantine', quantity: '1', number: `PUMP-X-${year}-000001` });
    expect(output.lots[199]!.number).toBe(`PUMP-X-${year}-000200`);
    expect(output.lots.every((l) => l.expiresOn === addDays(w.today, 365))).toBe(true);
    const serialIds = output.lots.map((l) => l.id);
    const ledger = await inTx(
      async (tx) =>
        (
          await tx.query<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM stock_movements WHERE movement_type = 'production_output' AND source_kind = 'work_order'
                  AND source_id = ${order.id} AND lot_id = ANY(${serialIds}::uuid[]) AND quantity = 1 AND to_location_id = ${w.locations.quarantine}`,
          )
        ).rows[0]!.n,
    );
    expect(ledger).toBe(200);
    const serialLinks = await links(serialIds);
    expect(serialLinks).toHaveLength(200);
    expect(new Set(serialLinks.map((l) => l.parent))).toEqual(new Set([sub.id]));
    expect(serialLinks.every((l) => l.quantity === '7')).toBe(true);
    expect((await inTx((tx) => getLot(tx, sub.id))).status).toBe('consumed');

    const forward = await inTx((tx) => traceForward(tx, tubingA));
    expect(forward.lots).toHaveLength(201);
    expect(forward.lots[0]).toMatchObject({ lotId: sub.id, depth: 1, viaLotId: tubingA, workOrderId: subOrder.id, status: 'consumed' });
    expect(new Set(forward.lots.filter((l) => l.depth === 2).map((l) => l.lotId))).toEqual(new Set(serialIds));
    expect(forward.lots[1]).toMatchObject({
      kind: 'serial',
      itemCode: 'PUMP-X',
      itemName: 'Pump',
      viaLotId: sub.id,
      workOrderId: order.id,
    });

    const backward = await inTx((tx) => traceBackward(tx, serialIds[42]!));
    expect(backward.lots.map((l) => [l.lotId, l.depth])).toEqual(
      expect.arrayContaining([
        [sub.id, 1],
        [tubingA, 2],
        [caps, 2],
      ]),
    );
    expect(backward.lots).toHaveLength(3);
    expect((await inTx((tx) => traceBackward(tx, serialIds[0]!, { maxDepth: 1 }))).lots.map((l) => l.lotId)).toEqual([sub.id]);
    expect(await inTx((tx) => traceForward(tx, tubingA, { limit: 10 }))).toMatchObject({ truncated: true });
    expect((await inTx((tx) => workOrderOutput(tx, order.id))).reports[0]).toMatchObject({ quantity: '200', lotCount: 200 });
  });

  it('[P11.10e] keeps genealogy links append-only and audited', async () => {
    const { order } = await runningDeviceOrder();
    const lot = (await inTx((tx) => reportOutput(tx, w.ctx, order.id, { quantity: '3' }))).lots[0]!;
    expect(await refusal(inTx((tx) => tx.query(sql`UPDATE lot_links SET quantity = 1 WHERE child_lot_id = ${lot.id}`)))).not.toMatchObject({
      code: 'no error',
    });
    expect(await refusal(inTx((tx) => tx.query(sql`DELETE FROM lot_links WHERE child_lot_id = ${lot.id}`)))).not.toMatchObject({
      code: 'no error',
    });
    expect(await refusal(inTx((tx) => tx.query(sql`DELETE FROM work_order_outputs WHERE work_order_id = ${order.id}`)))).not.toMatchObject({
      code: 'no error',
    });
    expect(await links([lot.id])).toHaveLength(2);
    const audited = await inTx(
      async (tx) =>
        (
          await tx.query<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM audit_event WHERE entity = 'lot_links' AND action = 'insert' AND record_id LIKE ${`%${lot.id}%`}`,
          )
        ).rows[0]!.n,
    );
    expect(audited).toBe(2);
  });
});
