import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../test/db.js';
import { aLine, aSentOrder, type PurchasingWorld, purchasingWorld, receive } from '../../test/purchasing.js';
import { listMovements } from '../modules/inventory/views.js';
import { getPurchaseOrder } from '../modules/purchasing/index.js';
import type { Database, Tx } from '../platform/db/index.js';
import { buildRecordNames } from '../platform/module.js';
import { composition } from '../server.js';
import { postReceipt } from './post-receipt.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

/** Makes every insert into `table` by this tenant fail, as a full disk would; returns the undo. */
async function failingInserts(table: string, tenantId: string): Promise<() => Promise<void>> {
  const name = `mf_test_fail_${table}_${randomBytes(4).toString('hex')}`;
  await db.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'could not extend file: no space left on device' USING ERRCODE = '53100'; END $$`);
  await db.query(
    `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW WHEN (NEW.tenant_id = '${tenantId}') EXECUTE FUNCTION ${name}()`,
  );
  return async () => {
    await db.query(`DROP TRIGGER ${name} ON ${table}`);
    await db.query(`DROP FUNCTION ${name}()`);
  };
}

/** What a receipt leaves behind in the tenant: purchasing's records, inventory's, and the events. */
const leftBehind = (w: PurchasingWorld, poId: string) =>
  w.tx(async (tx) => {
    const count = async (query: string) => (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${query}`)).rows[0]!.n;
    const po = await getPurchaseOrder(tx, poId);
    return {
      receipts: await count('receipts'),
      received: po.lines[0]!.receivedQuantity,
      status: po.status,
      lots: await count('lots'),
      movements: await count('stock_movements'),
      balances: await count('stock_balances'),
      events: await count(`outbox_events WHERE type IN ('purchasing.receipt.posted', 'inventory.lot.quarantined')`),
    };
  });

/** The transaction, with every statement's text kept: what a receipt reads is observable. */
function recording(tx: Tx): { tx: Tx; statements: string[] } {
  const statements: string[] = [];
  const proxy = new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (text: Parameters<Tx['query']>[0], params?: unknown[]) => {
          statements.push(typeof text === 'string' ? text : text.text);
          return target.query(text, params);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { tx: proxy, statements };
}

describe(`the post-receipt flow (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10e] links the ledger rows of a receipt to the receipt and the order line it received, labelled by its number', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.tubing, { quantity: '40', unit: 'm' }), aLine(w.items.luer, { quantity: '200' })]);
    const receipt = await receive(w, po.lines[1]!.id, { quantity: '200' });
    const { items } = await w.tx((tx) => listMovements(tx, { lotId: receipt.lotId }, buildRecordNames({}, composition)));
    expect(items).toMatchObject([
      {
        movementType: 'receipt',
        quantity: '200',
        source: { kind: 'purchase_receipt', id: receipt.id, line: 2, label: receipt.number },
        reference: null,
      },
    ]);
  });

  it('reads the order, the item, the location and the site date once per receipt', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer, { quantity: '300' })]);
    const statements = await w.tx(async (tx) => {
      const recorded = recording(tx);
      await postReceipt(recorded.tx, w.person, {
        poLineId: po.lines[0]!.id,
        quantity: '300',
        locationId: w.quarantine,
        supplierLot: 'S-1',
      });
      return recorded.statements;
    });
    const reads = (pattern: RegExp) => statements.filter((s) => pattern.test(s)).length;
    expect({
      orders: reads(/\bFROM purchase_orders\b/),
      items: reads(/\bFROM items\b/),
      locations: reads(/\bFROM storage_locations\b/),
      siteDates: reads(/ AS today\b/),
      receipts: reads(/\bFROM receipts\b/),
    }).toEqual({ orders: 1, items: 1, locations: 1, siteDates: 1, receipts: 0 });
    expect(await leftBehind(w, po.id)).toMatchObject({ receipts: 1, received: '300', status: 'received', lots: 1, movements: 1 });
  });

  it('[P11.10c] leaves no receipt when inventory fails after purchasing accepted the delivery, and no lot when the receipt fails', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer, { quantity: '100' })]);
    const nothing = { receipts: 0, received: '0', status: 'sent', lots: 0, movements: 0, balances: 0, events: 0 };

    // The lot is written, then its ledger row is refused: the order line stays open.
    const restoreLedger = await failingInserts('stock_movements', w.tenant.id);
    try {
      await expect(receive(w, po.lines[0]!.id, { quantity: '100' })).rejects.toThrow(/no space left/);
    } finally {
      await restoreLedger();
    }
    expect(await leftBehind(w, po.id)).toEqual(nothing);

    // Lot, ledger and balance are written, then the receipt is refused: the stock goes with it.
    const restoreReceipts = await failingInserts('receipts', w.tenant.id);
    try {
      await expect(receive(w, po.lines[0]!.id, { quantity: '100' })).rejects.toThrow(/no space left/);
    } finally {
      await restoreReceipts();
    }
    expect(await leftBehind(w, po.id)).toEqual(nothing);

    await receive(w, po.lines[0]!.id, { quantity: '100' });
    expect(await leftBehind(w, po.id)).toEqual({
      receipts: 1,
      received: '100',
      status: 'received',
      lots: 1,
      movements: 1,
      balances: 1,
      events: 2,
    });
  });
});
