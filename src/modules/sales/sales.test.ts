import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { confirmedOrder, inTx, releasedSerials, type SalesWorld, salesWorld, setLot } from '../../../test/sales.js';
import { shipOrder } from '../../flows/ship-order.js';
import { addDays } from '../../platform/dates.js';
import type { Database } from '../../platform/db/index.js';
import { sql } from '../../platform/db/index.js';
import { getLot, onHand, verifyBalances } from '../inventory/index.js';
import {
  addLicence,
  checkScan,
  createSalesOrder,
  describeShipment,
  getSalesOrder,
  isSscc,
  onTimeDelivery,
  pickList,
  revokeLicence,
  searchSalesRecords,
  transitionSalesOrder,
} from './index.js';

let db: Database;
let w: SalesWorld;

beforeAll(async () => {
  db = await testDatabase();
  w = await salesWorld(db);
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

async function counts() {
  return inTx(db, w, async (tx) => {
    const { rows } = await tx.query<{ shipments: number; records: number; movements: number }>(sql`SELECT
      (SELECT count(*)::int FROM shipments) AS shipments, (SELECT count(*)::int FROM sales_records) AS records,
      (SELECT count(*)::int FROM stock_movements WHERE movement_type = 'shipment') AS movements`);
    return rows[0]!;
  });
}

describe('sales order life cycle', () => {
  it('moves an order draft → confirmed → partially shipped → shipped → closed, numbered SO-YYYY-NNNNN', async () => {
    const lots = await inTx(db, w, (tx) => releasedSerials(tx, w, ['LC-1', 'LC-2']));
    const order = await inTx(db, w, (tx) => confirmedOrder(tx, w, [{ itemId: w.devices.pump, quantity: '2' }]));
    expect(order.number).toMatch(/^SO-\d{4}-\d{5}$/);
    expect(order.status).toBe('confirmed');
    const ship = (lotId: string) =>
      inTx(db, w, (tx) => shipOrder(tx, w.ctx, { orderId: order.id, lines: [{ lineNo: 1, lots: [{ lotId, quantity: '1' }] }] }));
    await ship(lots[0]!.id);
    expect((await inTx(db, w, (tx) => getSalesOrder(tx, order.id))).status).toBe('partially_shipped');
    await ship(lots[1]!.id);
    const shipped = await inTx(db, w, (tx) => getSalesOrder(tx, order.id));
    expect(shipped.status).toBe('shipped');
    expect(shipped.lines[0]!.openQuantity).toBe('0');
    const closed = await inTx(db, w, (tx) => transitionSalesOrder(tx, w.ctx, order.id, { to: 'closed' }));
    expect(closed.status).toBe('closed');
    const events = await inTx(db, w, async (tx) =>
      (await tx.query<{ type: string }>(sql`SELECT type FROM outbox_events WHERE aggregate_id = ${order.id} ORDER BY sequence`)).rows.map(
        (r) => r.type,
      ),
    ).catch(() => null);
    if (events)
      expect(events).toEqual(['sales.order.confirmed', 'sales.order.partiallyShipped', 'sales.order.shipped', 'sales.order.closed']);
  });

  it('refuses illegal steps and a cancellation without a reason; cancels a draft with one', async () => {
    const draft = await inTx(db, w, (tx) =>
      createSalesOrder(tx, {
        customerId: w.customers.distributor.id,
        shipToId: w.customers.distributor.shipTo,
        siteId: w.site.id,
        currency: 'CNY',
        lines: [{ itemId: w.devices.set, quantity: '10', unitPrice: '35.50', requestedDate: addDays(w.today, 3) }],
      }),
    );
    expect(await codeOf(inTx(db, w, (tx) => transitionSalesOrder(tx, w.ctx, draft.id, { to: 'closed' })))).toBe(
      'error.state.illegalTransition',
    );
    expect(await codeOf(inTx(db, w, (tx) => transitionSalesOrder(tx, w.ctx, draft.id, { to: 'cancelled' })))).not.toBe('no error');
    const cancelled = await inTx(db, w, (tx) =>
      transitionSalesOrder(tx, w.ctx, draft.id, { to: 'cancelled', comment: 'customer withdrew' }),
    );
    expect(cancelled.status).toBe('cancelled');
  });

  it('refuses a fraction of a counted unit and an implausible date, every field at once, writing nothing', async () => {
    const before = await inTx(
      db,
      w,
      async (tx) => (await tx.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM sales_orders`)).rows[0]!.n,
    );
    const err = await inTx(db, w, (tx) =>
      createSalesOrder(tx, {
        customerId: w.customers.distributor.id,
        shipToId: w.customers.distributor.shipTo,
        siteId: w.site.id,
        currency: 'CNY',
        lines: [{ itemId: w.devices.pump, quantity: '1.5', unitPrice: '-1', requestedDate: '2199-01-01' }],
      }),
    ).catch((e: { errors?: unknown[] }) => e);
    expect((err as { errors: unknown[] }).errors).toHaveLength(3);
    const after = await inTx(
      db,
      w,
      async (tx) => (await tx.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM sales_orders`)).rows[0]!.n,
    );
    expect(after).toBe(before);
  });
});

describe('customer licences', () => {
  const draftFor = (customer: 'distributor' | 'hospital', itemId: string) =>
    inTx(db, w, (tx) =>
      createSalesOrder(tx, {
        customerId: w.customers[customer].id,
        shipToId: w.customers[customer].shipTo,
        siteId: w.site.id,
        currency: 'CNY',
        lines: [{ itemId, quantity: '1', unitPrice: '10', requestedDate: addDays(w.today, 5) }],
      }),
    );

  it('refuses to confirm for a customer without a licence on record', async () => {
    const draft = await draftFor('hospital', w.devices.pump);
    expect(await codeOf(inTx(db, w, (tx) => transitionSalesOrder(tx, w.ctx, draft.id, { to: 'confirmed' })))).toBe(
      'error.sales.licence.missing',
    );
    expect((await inTx(db, w, (tx) => getSalesOrder(tx, draft.id))).status).toBe('draft');
  });

  it('refuses to confirm when the licence has expired, and when it does not cover the item type', async () => {
    const customerId = w.customers.hospital.id;
    await inTx(db, w, (tx) =>
      addLicence(tx, customerId, {
        kind: 'hospital_licence',
        number: 'H-2019-77',
        scope: ['finished_device'],
        validFrom: '2019-01-01',
        validTo: addDays(w.today, -1),
      }),
    );
    const draft = await draftFor('hospital', w.devices.pump);
    expect(await codeOf(inTx(db, w, (tx) => transitionSalesOrder(tx, w.ctx, draft.id, { to: 'confirmed' })))).toBe(
      'error.sales.licence.expired',
    );
    await inTx(db, w, (tx) =>
      addLicence(tx, customerId, {
        kind: 'distribution_filing',
        number: 'BA-2024-12',
        scope: ['component'],
        validFrom: addDays(w.today, -10),
      }),
    );
    expect(await codeOf(inTx(db, w, (tx) => transitionSalesOrder(tx, w.ctx, draft.id, { to: 'confirmed' })))).toBe(
      'error.sales.licence.outOfScope',
    );
  });

  it('refuses to ship once the licence is revoked after the order was confirmed', async () => {
    const [lot] = await inTx(db, w, (tx) => releasedSerials(tx, w, ['REV-1']));
    const order = await inTx(db, w, (tx) => confirmedOrder(tx, w, [{ itemId: w.devices.pump, quantity: '1' }]));
    const licence = await inTx(db, w, (tx) =>
      addLicence(tx, w.customers.distributor.id, { kind: 'other', number: 'TMP-1', scope: ['finished_device'], validFrom: w.today }),
    );
    const { rows } = await inTx(db, w, (tx) =>
      tx.query<{ id: string }>(sql`SELECT id FROM sales_customer_licences WHERE customer_id = ${w.customers.distributor.id}`),
    );
    for (const r of rows) await inTx(db, w, (tx) => revokeLicence(tx, w.customers.distributor.id, r.id, 'withdrawn by the authority'));
    const before = await counts();
    const code = await codeOf(
      inTx(db, w, (tx) => shipOrder(tx, w.ctx, { orderId: order.id, lines: [{ lineNo: 1, lots: [{ lotId: lot!.id, quantity: '1' }] }] })),
    );
    expect(code).toBe('error.sales.licence.missing');
    expect(await counts()).toEqual(before);
    // Licensed again for the rest of the file.
    await inTx(db, w, (tx) =>
      addLicence(tx, w.customers.distributor.id, {
        kind: 'distribution_licence',
        number: 'NEW-2',
        scope: ['finished_device'],
        validFrom: w.today,
      }),
    );
    expect(licence.number).toBe('TMP-1');
  });
});

describe('picking and shipping', () => {
  it('suggests released lots first expiry first, and ships the exact lots with typed ledger links, SSCCs and sales records', async () => {
    const late = await inTx(db, w, (tx) => setLot(tx, w, '50', { expiresOn: addDays(w.today, 200) }));
    const early = await inTx(db, w, (tx) => setLot(tx, w, '30', { expiresOn: addDays(w.today, 100) }));
    await inTx(db, w, (tx) => setLot(tx, w, '99', { status: 'on_hold', expiresOn: addDays(w.today, 50) }));
    const serials = await inTx(db, w, (tx) => releasedSerials(tx, w, ['FEFO-1', 'FEFO-2']));
    const order = await inTx(db, w, (tx) =>
      confirmedOrder(tx, w, [
        { itemId: w.devices.set, quantity: '40' },
        { itemId: w.devices.pump, quantity: '2' },
      ]),
    );
    const picks = await inTx(db, w, (tx) => pickList(tx, order.id));
    const setPicks = picks.find((p) => p.lineNo === 1)!;
    expect(setPicks.lots.map((l) => [l.lotId, l.take])).toEqual([
      [early.id, '30'],
      [late.id, '10'],
    ]);
    const shipment = await inTx(db, w, (tx) =>
      shipOrder(tx, w.ctx, {
        orderId: order.id,
        cartons: 2,
        lines: [
          {
            lineNo: 1,
            lots: [
              { lotId: early.id, quantity: '30' },
              { lotId: late.id, quantity: '10' },
            ],
          },
          { lineNo: 2, lots: serials.map((s) => ({ lotId: s.id, quantity: '1', carton: 2 })) },
        ],
      }),
    );
    expect(shipment.number).toMatch(/^SH-\d{4}-\d{5}$/);
    expect(shipment.sscc).toHaveLength(2);
    for (const code of shipment.sscc) expect(isSscc(code)).toBe(true);
    expect(shipment.sscc[0]!.startsWith('39506000')).toBe(true);

    await inTx(db, w, async (tx) => {
      const { rows } = await tx.query<{ source_kind: string; source_id: string; source_line: number; lot_id: string }>(
        sql`SELECT source_kind, source_id, source_line, lot_id FROM stock_movements WHERE movement_type = 'shipment' AND source_id = ${shipment.id} ORDER BY source_line, lot_id`,
      );
      expect(rows).toHaveLength(4);
      expect(rows.every((r) => r.source_kind === 'shipment' && r.source_id === shipment.id)).toBe(true);
      expect(rows.map((r) => r.source_line)).toEqual([1, 1, 2, 2]);
      expect((await getLot(tx, serials[0]!.id)).status).toBe('shipped');
      expect((await getLot(tx, early.id)).status).toBe('shipped');
      expect((await getLot(tx, late.id)).onHand).toBe('40');
      expect((await verifyBalances(tx)).differences).toEqual([]);
      const doc = await describeShipment(tx, shipment.id);
      expect(doc.cartons.map((c) => c.sscc)).toEqual(shipment.sscc);
      expect(doc.lines[1]!.lots.map((l) => [l.number, l.cartonNo])).toEqual([
        ['FEFO-1', 2],
        ['FEFO-2', 2],
      ]);
      expect(doc.lines[1]!.lots[0]!.udiHri).toBe('(01)09506000134352(21)FEFO-1');
    });
    const found = await inTx(db, w, (tx) => searchSalesRecords(tx, { lot: 'FEFO-2' }));
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({ customerId: w.customers.distributor.id, shipmentNumber: shipment.number, quantity: '1' });
    expect(found.items[0]!.shipToText).toContain('88 Zhongshan Road');
  });

  it('refuses over-shipment beyond the open quantity, changing nothing', async () => {
    const serials = await inTx(db, w, (tx) => releasedSerials(tx, w, ['OVER-1', 'OVER-2']));
    const order = await inTx(db, w, (tx) => confirmedOrder(tx, w, [{ itemId: w.devices.pump, quantity: '1' }]));
    const before = await counts();
    const code = await codeOf(
      inTx(db, w, (tx) =>
        shipOrder(tx, w.ctx, { orderId: order.id, lines: [{ lineNo: 1, lots: serials.map((s) => ({ lotId: s.id, quantity: '1' })) }] }),
      ),
    );
    expect(code).toBe('error.sales.overShipment');
    expect(await counts()).toEqual(before);
    expect((await inTx(db, w, (tx) => getLot(tx, serials[0]!.id))).status).toBe('released');
  });

  it('refuses lots on hold, in quarantine, expired or of another item, each with its reason, changing nothing', async () => {
    const held = await inTx(db, w, (tx) => setLot(tx, w, '5', { status: 'on_hold' }));
    const waiting = await inTx(db, w, (tx) => setLot(tx, w, '5', { status: 'quarantine' }));
    const expired = await inTx(db, w, (tx) =>
      setLot(tx, w, '5', { manufacturedOn: addDays(w.today, -400), expiresOn: addDays(w.today, -1) }),
    );
    const [pump] = await inTx(db, w, (tx) => releasedSerials(tx, w, ['WRONG-1']));
    const order = await inTx(db, w, (tx) => confirmedOrder(tx, w, [{ itemId: w.devices.set, quantity: '5' }]));
    const before = await counts();
    const ship = (lotId: string) =>
      codeOf(inTx(db, w, (tx) => shipOrder(tx, w.ctx, { orderId: order.id, lines: [{ lineNo: 1, lots: [{ lotId, quantity: '5' }] }] })));
    expect(await ship(held.id)).toBe('error.inventory.ship.onHold');
    expect(await ship(waiting.id)).toBe('error.inventory.ship.quarantine');
    expect(await ship(expired.id)).toBe('error.inventory.ship.expired');
    expect(await ship(pump!.id)).toBe('error.inventory.ship.wrongItem');
    expect(await counts()).toEqual(before);
  });

  it(
    'ships the same serial once when two shipments confirm it at the same time: one wins, the other gets a 409',
    async () => {
      const [serial] = await inTx(db, w, (tx) => releasedSerials(tx, w, ['RACE-1']));
      const a = await inTx(db, w, (tx) => confirmedOrder(tx, w, [{ itemId: w.devices.pump, quantity: '1' }]));
      const b = await inTx(db, w, (tx) => confirmedOrder(tx, w, [{ itemId: w.devices.pump, quantity: '1' }]));
      const ship = (orderId: string) =>
        inTx(db, w, (tx) => shipOrder(tx, w.ctx, { orderId, lines: [{ lineNo: 1, lots: [{ lotId: serial!.id, quantity: '1' }] }] }));
      const results = await Promise.allSettled([ship(a.id), ship(b.id)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason.status).toBe(409);
      expect(['error.inventory.ship.shipped', 'error.inventory.insufficient', 'error.inventory.ship.notInStock']).toContain(
        lost[0]!.reason.code,
      );
      const records = await inTx(db, w, (tx) => searchSalesRecords(tx, { lot: 'RACE-1' }));
      expect(records.items).toHaveLength(1);
    },
    onPostgres ? 30_000 : 10_000,
  );

  it('checks a scanned GS1 element string or a plain serial against the order, naming the reason for a blocked lot', async () => {
    await inTx(db, w, (tx) => releasedSerials(tx, w, ['SCAN-1']));
    const held = await inTx(db, w, (tx) => setLot(tx, w, '3', { status: 'on_hold' }));
    const order = await inTx(db, w, (tx) =>
      confirmedOrder(tx, w, [
        { itemId: w.devices.pump, quantity: '1' },
        { itemId: w.devices.set, quantity: '3' },
      ]),
    );
    const scanned = await inTx(db, w, (tx) => checkScan(tx, order.id, '(01)09506000134352(21)SCAN-1'));
    expect(scanned).toMatchObject({ lineNo: 1, lotNumber: 'SCAN-1', kind: 'serial', quantity: '1' });
    expect((await inTx(db, w, (tx) => checkScan(tx, order.id, 'SCAN-1'))).lotNumber).toBe('SCAN-1');
    expect(await codeOf(inTx(db, w, (tx) => checkScan(tx, order.id, held.number)))).toBe('error.inventory.ship.onHold');
    expect(await codeOf(inTx(db, w, (tx) => checkScan(tx, order.id, 'NO-SUCH')))).toBe('error.sales.scan.unknownLot');
  });
});

describe('sales records', () => {
  it('[P11.10e] refuses to change or delete a sales record', async () => {
    const { items } = await inTx(db, w, (tx) => searchSalesRecords(tx, { lot: 'FEFO-1' }));
    const id = items[0]!.id;
    expect(await codeOf(inTx(db, w, (tx) => tx.query(sql`UPDATE sales_records SET quantity = 2 WHERE id = ${id}`)))).toBe('42501');
    expect(await codeOf(inTx(db, w, (tx) => tx.query(sql`DELETE FROM sales_records WHERE id = ${id}`)))).toBe('42501');
  });

  it('measures on-time delivery per month from the lines completed', async () => {
    const periods = await inTx(db, w, (tx) => onTimeDelivery(tx, addDays(w.today, -40), addDays(w.today, 40)));
    expect(periods.length).toBeGreaterThan(0);
    expect(periods.reduce((n, p) => n + p.lines, 0)).toBeGreaterThan(0);
    expect(await inTx(db, w, (tx) => onHand(tx, { itemId: w.devices.pump }))).toBeDefined();
  });
});
