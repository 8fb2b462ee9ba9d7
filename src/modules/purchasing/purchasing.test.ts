import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { createSigner } from '../../../test/identity.js';
import { aLine, aSentOrder, inDays, type PurchasingWorld, purchasingWorld, receive } from '../../../test/purchasing.js';
import { withChangeReason } from '../../platform/audit/reason.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { listSignatures } from '../../platform/esign/index.js';
import { createSite } from '../../platform/tenancy/index.js';
import { getLot, issue } from '../inventory/index.js';
import { createLocation } from '../masterdata/locations.js';
import { setSupplierApproval } from '../masterdata/partners.js';
import { createPurchaseOrder, getPurchaseOrder, transitionPurchaseOrder, updatePurchaseOrder } from './orders.js';
import { supplierDeliveryPerformance } from './receiving.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

const count = async (tx: Tx, table: string) => (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
const eventTypes = async (tx: Tx) =>
  (await tx.query<{ type: string }>('SELECT type FROM outbox_events ORDER BY position')).rows.map((r) => r.type);

describe(`purchase orders (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let w: PurchasingWorld;
  beforeAll(async () => {
    w = await purchasingWorld(db);
  });

  it('[P11.10f] numbers a draft, edits lines only in draft, and approves by signature bound to the lines', async () => {
    const po = await w.tx((tx) =>
      createPurchaseOrder(tx, {
        supplierId: w.suppliers.approved,
        siteId: w.site.id,
        currency: 'EUR',
        lines: [
          aLine(w.items.luer, { quantity: '1000', unitPrice: '0.125' }),
          aLine(w.items.tubing, { quantity: '250.5', unit: 'm', unitPrice: '1.2' }),
        ],
      }),
    );
    expect(po.number).toMatch(/^PO-\d{4}-\d{5}$/);
    expect(po).toMatchObject({ status: 'draft', total: '425.6', version: 1 });
    expect(po.lines.map((l) => l.lineTotal)).toEqual(['125', '300.6']);

    const edited = await w.tx((tx) =>
      updatePurchaseOrder(tx, po.id, [1], { lines: [aLine(w.items.luer, { quantity: '2000', unitPrice: '0.1' })] }),
    );
    expect(edited).toMatchObject({ total: '200', version: 2 });
    await expect(w.tx((tx) => updatePurchaseOrder(tx, po.id, [1], { notes: 'stale' }))).rejects.toMatchObject({ status: 412 });

    const clerk = await createSigner(db, w, { roles: ['Warehouse'] });
    await expect(
      w.tx((tx) => transitionPurchaseOrder(tx, clerk.ctx, clerk.verifier, po.id, { to: 'approved', credentials: clerk.credentials() })),
    ).rejects.toMatchObject({
      status: 403,
      code: 'error.esign.notPermitted',
    });
    await w.tx((tx) =>
      transitionPurchaseOrder(tx, w.approver, w.verifier, po.id, { to: 'approved', credentials: w.credentialsOf(w.approver) }),
    );
    await expect(w.tx((tx) => updatePurchaseOrder(tx, po.id, [3], { notes: 'too late' }))).rejects.toMatchObject({
      status: 409,
      code: 'error.purchasing.po.notDraft',
    });
    const signatures = await w.tx((tx) => listSignatures(tx, 'purchase_orders', po.id));
    expect(signatures).toMatchObject([{ meaning: 'approved', valid: true, signer: { name: 'Wang Fang' } }]);
    expect(await w.tx((tx) => eventTypes(tx))).toContain('purchasing.po.approved');
  });

  it('[Q.SUP] refuses to approve an order for an item its supplier is not approved to supply', async () => {
    const po = await w.tx((tx) =>
      createPurchaseOrder(tx, { supplierId: w.suppliers.unapproved, siteId: w.site.id, currency: 'CNY', lines: [aLine(w.items.luer)] }),
    );
    await expect(
      w.tx((tx) =>
        transitionPurchaseOrder(tx, w.approver, w.verifier, po.id, { to: 'approved', credentials: w.credentialsOf(w.approver) }),
      ),
    ).rejects.toMatchObject({
      status: 409,
      code: 'error.purchasing.supplierNotApproved',
    });
    expect((await w.tx((tx) => getPurchaseOrder(tx, po.id))).status).toBe('draft');
  });

  it('refuses bad order input with the fields named, and writes nothing', async () => {
    const before = await w.tx((tx) => count(tx, 'purchase_orders'));
    await expect(
      w.tx((tx) =>
        createPurchaseOrder(tx, { supplierId: w.suppliers.approved, siteId: w.site.id, currency: 'EUX', lines: [aLine(w.items.luer)] }),
      ),
    ).rejects.toMatchObject({ status: 422, code: 'error.purchasing.currency' });
    await expect(
      w.tx((tx) =>
        createPurchaseOrder(tx, {
          supplierId: w.suppliers.approved,
          siteId: w.site.id,
          currency: 'CNY',
          lines: [aLine(w.items.luer, { quantity: '0' })],
        }),
      ),
    ).rejects.toMatchObject({ status: 422, errors: [{ pointer: '/body/lines/0/quantity' }] });
    await expect(
      w.tx((tx) =>
        createPurchaseOrder(tx, {
          supplierId: w.suppliers.approved,
          siteId: w.site.id,
          currency: 'CNY',
          lines: [aLine(w.items.luer, { unit: 'kg' })],
        }),
      ),
    ).rejects.toMatchObject({ status: 422, code: 'error.purchasing.line.unit', errors: [{ pointer: '/body/lines/0/unit' }] });
    expect(await w.tx((tx) => count(tx, 'purchase_orders'))).toBe(before);
  });
});

describe(`receiving into quarantine (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[Q.ACC] receives into a quarantined lot, moves the order to partially received then received, and records conditions', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer, { quantity: '800' })]);
    const first = await receive(w, po.lines[0]!.id, {
      quantity: '500',
      supplierLot: 'NB-2611-07',
      manufacturedOn: inDays(-30),
      expiresOn: inDays(700),
      conditions: { temperature: { value: '21.5', unit: 'C' }, humidity: { value: '45.0', unit: '%RH' } },
    });
    expect(first).toMatchObject({
      quantity: '500',
      supplierLot: 'NB-2611-07',
      conditions: { temperature: { value: '21.5', unit: 'C' }, humidity: { value: '45.0', unit: '%RH' } },
      onTime: true,
    });
    const lot = await w.tx((tx) => getLot(tx, first.lotId));
    expect(lot).toMatchObject({ status: 'quarantine', onHand: '500', supplierId: w.suppliers.approved, supplierLot: 'NB-2611-07' });
    expect((await w.tx((tx) => getPurchaseOrder(tx, po.id))).status).toBe('partially_received');

    await receive(w, po.lines[0]!.id, { quantity: '300', supplierLot: 'NB-2611-08' });
    const done = await w.tx((tx) => getPurchaseOrder(tx, po.id));
    expect(done).toMatchObject({ status: 'received', lines: [{ receivedQuantity: '800' }] });
    const events = await w.tx((tx) => eventTypes(tx));
    expect(events.filter((t) => t === 'purchasing.receipt.posted')).toHaveLength(2);
    expect(events).toContain('purchasing.po.received');
  });

  it('[Q.SUP] refuses a receipt once the supplier is no longer approved for the item, and writes nothing', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer)]);
    await w.tx((tx) =>
      withChangeReason(tx, 'supplier audit 2026-11 failed', () =>
        setSupplierApproval(tx, w.suppliers.approved, w.items.luer, {
          status: 'disqualified',
          evidence: 'audit 2026-11 failed',
          expiresOn: null,
        }),
      ),
    );
    const outbox = await w.tx((tx) => count(tx, 'outbox_events'));
    await expect(receive(w, po.lines[0]!.id)).rejects.toMatchObject({ status: 409, code: 'error.purchasing.supplierNotApproved' });
    await w.tx(async (tx) => {
      expect(await count(tx, 'receipts')).toBe(0);
      expect(await count(tx, 'lots')).toBe(0);
      expect(await count(tx, 'outbox_events')).toBe(outbox);
      expect(await getPurchaseOrder(tx, po.id)).toMatchObject({ status: 'sent', lines: [{ receivedQuantity: '0' }] });
    });
  });

  it('refuses a receipt that names a deviation that does not exist, receiving nothing', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer)]);
    await expect(receive(w, po.lines[0]!.id, { deviationId: '0190f5a0-0000-7000-8000-000000000001' })).rejects.toMatchObject({
      status: 404,
      code: 'error.deviations.notFound',
    });
    await w.tx(async (tx) => {
      expect(await count(tx, 'receipts')).toBe(0);
      expect(await count(tx, 'lots')).toBe(0);
    });
  });

  it('refuses over-receipt beyond the ordered quantity plus the tolerance, in the line unit', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [
      aLine(w.items.tubing, { quantity: '100', unit: 'm' }),
      aLine(w.items.luer, { quantity: '50', overReceiptTolerancePct: '10' }),
    ]);
    const [tubing, luer] = po.lines;
    await expect(receive(w, tubing!.id, { quantity: '100.001' })).rejects.toMatchObject({
      status: 409,
      code: 'error.purchasing.overReceipt',
      params: { open: '100', unit: 'm' },
    });
    await receive(w, luer!.id, { quantity: '55' });
    await expect(receive(w, luer!.id, { quantity: '1' })).rejects.toMatchObject({
      code: 'error.purchasing.overReceipt',
      params: { open: '0' },
    });
    expect((await w.tx((tx) => getPurchaseOrder(tx, po.id))).status).toBe('partially_received');
  });

  it('receives only into quarantine at the site that ordered', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer)]);
    const elsewhere = await w.tx(async (tx) => {
      const site = await createSite(tx, { code: 'P2', name: 'Plant 2', timeZone: 'Asia/Shanghai' });
      return createLocation(tx, { siteId: site.id, warehouse: 'QA2', name: 'Plant 2 quarantine', kind: 'quarantine' });
    });
    await expect(receive(w, po.lines[0]!.id, { locationId: elsewhere.id })).rejects.toMatchObject({
      status: 409,
      code: 'error.purchasing.receipt.wrongSite',
    });
  });

  it('refuses to receive against an order that was not sent', async () => {
    const w = await purchasingWorld(db);
    const draft = await w.tx((tx) =>
      createPurchaseOrder(tx, { supplierId: w.suppliers.approved, siteId: w.site.id, currency: 'CNY', lines: [aLine(w.items.luer)] }),
    );
    await expect(receive(w, draft.lines[0]!.id)).rejects.toMatchObject({ status: 409, code: 'error.purchasing.po.notReceivable' });
  });

  it('[Q.ACC] keeps a received lot in quarantine out of production', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer)]);
    const receipt = await receive(w, po.lines[0]!.id);
    await expect(
      w.tx((tx) =>
        issue(tx, {
          itemId: w.items.luer,
          lotId: receipt.lotId,
          locationId: w.quarantine,
          quantity: '10',
          purpose: 'production',
          reference: { type: 'work_order', id: 'WO-2026-00001' },
        }),
      ),
    ).rejects.toMatchObject({ status: 409 });
    expect((await w.tx((tx) => getLot(tx, receipt.lotId))).onHand).toBe('500');
  });

  it("measures a supplier's on-time delivery from the receipt date against each line's due date", async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [
      aLine(w.items.luer, { quantity: '10', dueDate: inDays(-3) }),
      aLine(w.items.luer, { quantity: '10', dueDate: inDays(3) }),
      aLine(w.items.tubing, { quantity: '10', unit: 'm', dueDate: inDays(5) }),
    ]);
    for (const line of po.lines) await receive(w, line.id, { quantity: '10' });
    const performance = await w.tx((tx) => supplierDeliveryPerformance(tx, w.suppliers.approved));
    expect(performance).toMatchObject({ receipts: 3, onTime: 2, onTimePercent: '66.67' });
    expect(await w.tx((tx) => supplierDeliveryPerformance(tx, w.suppliers.unapproved))).toMatchObject({ receipts: 0, onTimePercent: null });
  });
});
