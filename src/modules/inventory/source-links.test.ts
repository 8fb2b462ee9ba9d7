import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, scratchDatabase, testDatabase } from '../../../test/db.js';
import { createSigner } from '../../../test/identity.js';
import { signedBy, stockWorld } from '../../../test/inventory.js';
import { type Database, loadMigrations, migrate } from '../../platform/db/index.js';
import { createTenant } from '../../platform/tenancy/index.js';
import { adjust, issue, release, takeOverStock, transfer } from './index.js';
import { receiveIntoQuarantine } from './receipts.js';
import { listMovements } from './views.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

describe(`typed source links of the stock ledger (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it("links each of inventory's own operations to itself, by kind and operation, and keeps a typed reference apart", async () => {
    const w = await stockWorld(db);
    const qa = await createSigner(db, w, { roles: ['QA Manager'] });
    const clerk = await createSigner(db, w, { roles: ['Warehouse'], fullName: 'Zhao Lei' });
    const sources = await w.tx(async (tx) => {
      const received = await receiveIntoQuarantine(tx, {
        itemId: w.items.tubing,
        locationId: w.locations.quarantine,
        quantity: '10',
        reference: { type: 'purchase_order', id: 'PO-OLD-7' },
      });
      const lotId = received.lots[0]!.id;
      await release(tx, { lotId, signing: signedBy(qa) });
      const moved = await transfer(tx, {
        itemId: w.items.tubing,
        lotId,
        fromLocationId: w.locations.quarantine,
        toLocationId: w.locations.store,
        quantity: '10',
      });
      const issued = await issue(tx, {
        itemId: w.items.tubing,
        lotId,
        locationId: w.locations.store,
        quantity: '2',
        purpose: 'production',
        reference: { type: 'work_order', id: 'WO-2026-00001' },
      });
      const adjusted = await adjust(tx, {
        itemId: w.items.tubing,
        lotId,
        locationId: w.locations.store,
        quantity: '-1',
        reason: 'cycle count',
        signing: signedBy(clerk),
      });
      const taken = await takeOverStock(tx, {
        itemId: w.items.tubing,
        locationId: w.locations.store,
        quantity: '5',
        status: 'released',
        source: 'legacy ERP lot 9',
      });
      const ops = { received, moved, issued, adjusted, taken };
      const { items } = await listMovements(tx, { itemId: w.items.tubing, sort: 'createdAt' });
      return { ops, items };
    });
    const { ops, items } = sources;
    expect(items.map((m) => [m.movementType, m.source, m.reference])).toEqual([
      [
        'receipt',
        { kind: 'stock_receipt', id: ops.received.operationId, line: null, label: null },
        { type: 'purchase_order', id: 'PO-OLD-7' },
      ],
      ['transfer', { kind: 'transfer', id: ops.moved.operationId, line: null, label: null }, null],
      ['issue', { kind: 'stock_issue', id: ops.issued.operationId, line: null, label: null }, { type: 'work_order', id: 'WO-2026-00001' }],
      ['adjustment', { kind: 'stock_adjustment', id: ops.adjusted.operationId, line: null, label: null }, null],
      [
        'receipt',
        { kind: 'opening_balance', id: ops.taken.operationId, line: null, label: null },
        { type: 'takeover', id: 'legacy ERP lot 9' },
      ],
    ]);
  });

  it('refuses a source kind the ledger does not know, and a line without a record', async () => {
    const w = await stockWorld(db);
    const insert = (kind: string | null, id: string | null, line: number | null) =>
      w.tx((tx) =>
        tx.query(
          `INSERT INTO stock_movements (operation_id, movement_type, item_id, quantity, to_location_id, to_site_id, source_kind, source_id, source_line)
           VALUES (mf_uuidv7(), 'receipt', $1, 1, $2, $3, $4, $5, $6)`,
          [w.items.labels, w.locations.quarantine, w.site.id, kind, id, line],
        ),
      );
    await expect(insert('sales_invoice', w.items.labels, null)).rejects.toThrow(/stock_movements_source_kind/);
    await expect(insert('stock_receipt', null, null)).rejects.toThrow(/stock_movements_source_pair/);
    await expect(insert(null, null, 3)).rejects.toThrow(/stock_movements_source_line/);
  });
});

describe('migration 0076: links derived for the rows written before', () => {
  let scratch: { db: Database; drop(): Promise<void> };
  beforeAll(async () => {
    scratch = await scratchDatabase();
    await migrate(
      scratch.db,
      loadMigrations().filter((m) => m.id < '0076'),
    );
  }, 120_000);
  afterAll(() => scratch.drop());

  it('[P11.10e] links purchase receipts to the receipt and its order line, the rest to their operation, in the audit trail with a reason', async () => {
    const { db: old } = scratch;
    const { tenant, site } = await createTenant(old, {
      code: 'mig-0076',
      name: 'Before links',
      site: { code: 'P1', name: 'Plant 1', timeZone: 'UTC' },
    });
    const t = tenant.id;
    const [item, supplier, quarantine, store] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const row = async (sql: string, params: unknown[]) => (await old.query<{ id: string }>(sql, params)).rows[0]!.id;
    const po = await row(
      `INSERT INTO purchase_orders (tenant_id, number, supplier_id, site_id, currency, status) VALUES ($1, 'PO-2026-00003', $2, $3, 'CNY', 'sent') RETURNING id`,
      [t, supplier, site.id],
    );
    const line = await row(
      `INSERT INTO purchase_order_lines (tenant_id, po_id, line_no, item_id, quantity, unit, unit_price, due_date)
       VALUES ($1, $2, 2, $3, 100, 'ea', 1, '2026-01-31') RETURNING id`,
      [t, po, item],
    );
    const lot = (number: string) =>
      row(`INSERT INTO lots (tenant_id, item_id, kind, number, status) VALUES ($1, $2, 'lot', $3, 'quarantine') RETURNING id`, [
        t,
        item,
        number,
      ]);
    const [bought, takenOver, direct] = [await lot('LOT-1'), await lot('LOT-2'), await lot('LOT-3')];
    const receipt = await row(
      `INSERT INTO receipts (tenant_id, number, po_id, po_line_id, supplier_id, item_id, site_id, lot_id, quantity, unit, supplier_lot,
         received_on, due_date, received_by)
       VALUES ($1, 'GR-2026-00009', $2, $3, $4, $5, $6, $7, 100, 'ea', 'S-1', '2026-01-20', '2026-01-31', 'Li Na') RETURNING id`,
      [t, po, line, supplier, item, site.id, bought],
    );
    const move = (type: string, lotId: string, from: string | null, to: string | null, ref: [string, string] | null) =>
      row(
        `INSERT INTO stock_movements (tenant_id, operation_id, movement_type, item_id, lot_id, quantity, from_location_id, from_site_id,
           to_location_id, to_site_id, reference_type, reference_id)
         VALUES ($1, mf_uuidv7(), $2, $3, $4, 10, $5, CASE WHEN $5::uuid IS NULL THEN NULL ELSE $6::uuid END,
                 $7, CASE WHEN $7::uuid IS NULL THEN NULL ELSE $6::uuid END, $8, $9) RETURNING id`,
        [t, type, item, lotId, from, site.id, to, ref?.[0] ?? null, ref?.[1] ?? null],
      );
    const rows = {
      bought: await move('receipt', bought, null, quarantine, ['purchase_order', 'PO-2026-00003']),
      takenOver: await move('receipt', takenOver, null, store, ['takeover', 'legacy ERP']),
      direct: await move('receipt', direct, null, quarantine, null),
      moved: await move('transfer', direct, quarantine, store, null),
      issued: await move('issue', direct, store, null, ['work_order', 'WO-1']),
    };

    await migrate(old);

    const { rows: linked } = await old.query<{ id: string; kind: string; sourceId: string; line: number | null; operationId: string }>(
      `SELECT id, source_kind AS kind, source_id AS "sourceId", source_line AS line, operation_id AS "operationId"
         FROM stock_movements WHERE tenant_id = $1`,
      [t],
    );
    const of = (id: string) => linked.find((r) => r.id === id)!;
    expect(of(rows.bought)).toMatchObject({ kind: 'purchase_receipt', sourceId: receipt, line: 2 });
    expect(of(rows.takenOver)).toMatchObject({ kind: 'opening_balance', sourceId: of(rows.takenOver).operationId, line: null });
    expect(of(rows.direct)).toMatchObject({ kind: 'stock_receipt', sourceId: of(rows.direct).operationId });
    expect(of(rows.moved)).toMatchObject({ kind: 'transfer', sourceId: of(rows.moved).operationId });
    expect(of(rows.issued)).toMatchObject({ kind: 'stock_issue', sourceId: of(rows.issued).operationId });

    // Each derived link is in the trail, with why; the ledger is append-only again afterwards.
    const { rows: trail } = await old.query<{ action: string; reason: string | null; new_values: Record<string, unknown> }>(
      `SELECT action, reason, new_values FROM audit_event WHERE tenant_id = $1 AND entity = 'stock_movements' AND record_id = $2 ORDER BY id`,
      [t, rows.bought],
    );
    expect(trail.map((e) => e.action)).toEqual(['insert', 'update']);
    expect(trail[1]).toMatchObject({
      reason: 'typed source link derived from the recorded reference (migration 0076)',
      new_values: { source_kind: 'purchase_receipt', source_id: receipt, source_line: 2 },
    });
    await expect(old.query('UPDATE stock_movements SET source_line = 3 WHERE id = $1', [rows.bought])).rejects.toThrow(/append-only/);
    const { rows: forced } = await old.query<{ relname: string; relforcerowsecurity: boolean }>(
      `SELECT relname, relforcerowsecurity FROM pg_class WHERE relname IN ('stock_movements', 'receipts', 'purchase_orders', 'purchase_order_lines')`,
    );
    expect(forced.every((r) => r.relforcerowsecurity)).toBe(true);
  }, 120_000);
});
