import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { aLine, aSentOrder, type PurchasingWorld, purchasingWorld, receive } from '../../../test/purchasing.js';
import { postReceipt } from '../../flows/post-receipt.js';
import { withChangeReason } from '../../platform/audit/index.js';
import { addDays } from '../../platform/dates.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { listSignatures } from '../../platform/esign/index.js';
import { siteToday, withTenant } from '../../platform/tenancy/index.js';
import { setSupplierApproval } from '../masterdata/partners.js';
import { expireTenantsDeviations } from './expiry.js';
import { createDeviation, deviationDetail, getDeviation, type NewDeviation, recordDeviationUse, transitionDeviation } from './service.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

const today = (w: PurchasingWorld) => w.tx((tx) => siteToday(tx));

/** A concession for Luer connectors from the world's usual supplier, valid from today for a month, 800 ea. */
async function aDeviation(w: PurchasingWorld, overrides: Partial<NewDeviation> = {}) {
  const from = await today(w);
  return w.tx((tx) =>
    createDeviation(tx, w.person, {
      title: 'Luer connector thread flash up to 0.15 mm',
      reason: 'Mould cavity 3 worn; new insert due in four weeks.',
      riskAssessment: 'Thread engagement verified with ISO 80369-7 gauges on 50 samples; no leak at 300 kPa. Risk acceptable.',
      itemId: w.items.luer,
      supplierId: w.suppliers.approved,
      maxQuantity: '800',
      validFrom: from,
      validUntil: addDays(from, 30),
      ...overrides,
    }),
  );
}

const approve = (w: PurchasingWorld, id: string) =>
  w.tx((tx) => transitionDeviation(tx, w.approver, w.verifier, id, { to: 'approved', credentials: w.credentialsOf(w.approver) }));

async function anApprovedDeviation(w: PurchasingWorld, overrides: Partial<NewDeviation> = {}) {
  const d = await aDeviation(w, overrides);
  return (await approve(w, d.id)).deviation;
}

/** The supplier of the world's orders loses its approval for the Luer connector: from now on it delivers only under a deviation. */
const disqualifyForLuer = (w: PurchasingWorld) =>
  w.tx((tx) =>
    withChangeReason(tx, 'audit 2026-11: mould maintenance records missing', () =>
      setSupplierApproval(tx, w.suppliers.approved, w.items.luer, { status: 'disqualified', evidence: 'audit 2026-11', expiresOn: null }),
    ),
  );

/** What a receipt leaves behind: receipts, lots, the deviation's count and its uses. */
const state = (w: PurchasingWorld, deviationId: string) =>
  w.tx(async (tx: Tx) => {
    const count = async (q: string) => (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${q}`)).rows[0]!.n;
    const d = await getDeviation(tx, deviationId);
    return {
      receipts: await count('receipts'),
      lots: await count('lots'),
      uses: await count('deviation_uses'),
      used: d.usedQuantity,
      usedEvents: await count(`outbox_events WHERE type = 'deviations.deviation.used'`),
    };
  });

describe(`deviations (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10f] raises a deviation as a draft numbered DEV-YYYY-NNNNN in the item base unit', async () => {
    const w = await purchasingWorld(db);
    const d = await aDeviation(w);
    expect(d).toMatchObject({ status: 'draft', unit: 'ea', maxQuantity: '800', usedQuantity: '0', remainingQuantity: '800' });
    expect(d.number).toMatch(/^DEV-\d{4}-\d{5}$/);
  });

  it('refuses a deviation whose validity ends before it starts or whose quantity is not positive, all at once, creating nothing', async () => {
    const w = await purchasingWorld(db);
    const from = await today(w);
    await expect(aDeviation(w, { validUntil: addDays(from, -1), maxQuantity: '0' })).rejects.toMatchObject({
      status: 422,
      errors: [
        expect.objectContaining({ pointer: '/body/maxQuantity' }),
        expect.objectContaining({ pointer: '/body/validUntil', code: 'error.deviations.validUntilBeforeFrom' }),
      ],
    });
    expect((await w.tx((tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM deviations'))).rows[0]!.n).toBe(0);
  });

  it('[P11.10g-sod] refuses approval by the author of the deviation', async () => {
    const w = await purchasingWorld(db);
    const d = await aDeviation(w);
    await expect(
      w.tx((tx) => transitionDeviation(tx, w.person, w.verifier, d.id, { to: 'approved', credentials: w.credentialsOf(w.person) })),
    ).rejects.toMatchObject({ status: 409, code: 'error.esign.separationOfDuties' });
    expect((await w.tx((tx) => getDeviation(tx, d.id))).status).toBe('draft');
  });

  it('[P11.50] approves by signature (meaning approved), then closes by signature with a reason; a closed deviation permits nothing', async () => {
    const w = await purchasingWorld(db);
    const d = await aDeviation(w);
    await expect(w.tx((tx) => transitionDeviation(tx, w.approver, w.verifier, d.id, { to: 'approved' }))).rejects.toMatchObject({
      code: 'error.esign.credentialsRequired',
    });
    const approved = await approve(w, d.id);
    expect(approved.deviation.status).toBe('approved');
    expect(approved.signature).toMatchObject({ meaning: 'approved' });
    await expect(
      w.tx((tx) => transitionDeviation(tx, w.approver, w.verifier, d.id, { to: 'closed', credentials: w.credentialsOf(w.approver) })),
    ).rejects.toMatchObject({ code: 'error.audit.reasonRequired' });
    const closed = await w.tx((tx) =>
      transitionDeviation(tx, w.approver, w.verifier, d.id, {
        to: 'closed',
        credentials: w.credentialsOf(w.approver),
        comment: 'Mould insert replaced; supplier requalified',
      }),
    );
    expect(closed.deviation.status).toBe('closed');
    const detail = await w.tx((tx) => deviationDetail(tx, d.id));
    expect(detail.signatures.map((s) => [s.meaning, s.valid])).toEqual([
      ['approved', true],
      ['verified', true],
    ]);
    expect(detail.allowedTransitions).toEqual([]);
    await expect(
      w.tx((tx) =>
        recordDeviationUse(tx, w.person, {
          deviationId: d.id,
          itemId: w.items.luer,
          supplierId: w.suppliers.approved,
          quantity: '1',
          on: d.validFrom,
          usedBy: { kind: 'work_order', id: d.id },
        }),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'error.deviations.notOpen' });
    const events = await w.tx((tx) =>
      tx.query<{ type: string }>(`SELECT type FROM outbox_events WHERE type LIKE 'deviations.%' ORDER BY id`),
    );
    expect(events.rows.map((e) => e.type)).toEqual(['deviations.deviation.approved', 'deviations.deviation.closed']);
  });

  it('[P11.10f] cancels a draft with a reason; refuses approving a cancelled one and expiring by hand', async () => {
    const w = await purchasingWorld(db);
    const d = await aDeviation(w);
    await expect(w.tx((tx) => transitionDeviation(tx, w.person, null, d.id, { to: 'cancelled' }))).rejects.toMatchObject({
      code: 'error.audit.reasonRequired',
    });
    const cancelled = await w.tx((tx) =>
      transitionDeviation(tx, w.person, null, d.id, { to: 'cancelled', comment: 'Insert arrived early' }),
    );
    expect(cancelled.deviation.status).toBe('cancelled');
    await expect(approve(w, d.id)).rejects.toMatchObject({ status: 409, code: 'error.state.illegalTransition' });
    const other = await anApprovedDeviation(w);
    await expect(w.tx((tx) => transitionDeviation(tx, w.person, null, other.id, { to: 'expired' }))).rejects.toMatchObject({
      status: 409,
      code: 'error.deviations.expiresByDate',
    });
    expect(await w.tx(async (tx) => (await listSignatures(tx, 'deviations', d.id)).length)).toBe(0);
  });

  it('[Q.SUP] lets a supplier not approved for the item deliver under an approved deviation, counting the use against the receipt', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer, { quantity: '1000' })]);
    await disqualifyForLuer(w);
    await expect(receive(w, po.lines[0]!.id, { quantity: '500' })).rejects.toMatchObject({
      status: 409,
      code: 'error.purchasing.supplierNotApproved',
    });
    const d = await anApprovedDeviation(w);
    const receipt = await receive(w, po.lines[0]!.id, { quantity: '500', deviationId: d.id });
    expect(receipt.deviationId).toBe(d.id);
    const detail = await w.tx((tx) => deviationDetail(tx, d.id));
    expect(detail).toMatchObject({ usedQuantity: '500', remainingQuantity: '300' });
    expect(detail.uses).toMatchObject([
      { usedBy: { kind: 'purchase_receipt', id: receipt.id }, quantity: '500', lot: 'S-24-001', usedOn: receipt.receivedOn },
    ]);
    expect(await state(w, d.id)).toMatchObject({ receipts: 1, uses: 1, usedEvents: 1 });
  });

  it('refuses a receipt beyond the deviation quantity with a 409, leaving nothing behind', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer, { quantity: '1000' })]);
    await disqualifyForLuer(w);
    const d = await anApprovedDeviation(w);
    await receive(w, po.lines[0]!.id, { quantity: '500', deviationId: d.id });
    const before = await state(w, d.id);
    await expect(receive(w, po.lines[0]!.id, { quantity: '301', deviationId: d.id, supplierLot: 'S-24-002' })).rejects.toMatchObject({
      status: 409,
      code: 'error.deviations.quantityExceeded',
      params: { remaining: '300', quantity: '301', unit: 'ea' },
    });
    expect(await state(w, d.id)).toEqual(before);
    expect(before).toMatchObject({ receipts: 1, lots: 1, used: '500' });
  });

  it('refuses a receipt outside the deviation dates, from another supplier, for another item or lot, or under a draft', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer, { quantity: '1000' })]);
    await disqualifyForLuer(w);
    const from = await today(w);
    const line = po.lines[0]!.id;
    const cases: Array<[Partial<NewDeviation>, string]> = [
      [{ validFrom: addDays(from, -30), validUntil: addDays(from, -1) }, 'error.deviations.expired'],
      [{ validFrom: addDays(from, 1), validUntil: addDays(from, 30) }, 'error.deviations.notYetValid'],
      [{ supplierId: w.suppliers.unapproved }, 'error.deviations.otherSupplier'],
      [{ itemId: w.items.tubing }, 'error.deviations.otherItem'],
      [{ lots: ['S-99-001'] }, 'error.deviations.otherLot'],
    ];
    for (const [bounds, code] of cases) {
      const d = await anApprovedDeviation(w, bounds);
      await expect(receive(w, line, { quantity: '10', deviationId: d.id }), code).rejects.toMatchObject({ status: 409, code });
      expect(await state(w, d.id)).toMatchObject({ receipts: 0, lots: 0, uses: 0, used: '0' });
    }
    const draft = await aDeviation(w);
    await expect(receive(w, line, { quantity: '10', deviationId: draft.id })).rejects.toMatchObject({ code: 'error.deviations.notOpen' });
    await expect(receive(w, line, { quantity: '10', deviationId: '0190f5a0-0000-7000-8000-000000000001' })).rejects.toMatchObject({
      status: 404,
      code: 'error.deviations.notFound',
    });
    const bound = await anApprovedDeviation(w, { lots: ['S-24-007'] });
    await receive(w, line, { quantity: '10', deviationId: bound.id, supplierLot: 'S-24-007' });
    expect(await state(w, bound.id)).toMatchObject({ receipts: 1, uses: 1, used: '10' });
  });

  it('lets two receipts race for the last quantity of a deviation: one is received, the other refused', async () => {
    const w = await purchasingWorld(db);
    const po = await aSentOrder(w, [aLine(w.items.luer, { quantity: '1000' })]);
    await disqualifyForLuer(w);
    const d = await anApprovedDeviation(w, { maxQuantity: '500' });
    const attempt = (lot: string) =>
      withTenant(db, w.person, (tx) =>
        postReceipt(tx, w.person, {
          poLineId: po.lines[0]!.id,
          quantity: '300',
          locationId: w.quarantine,
          supplierLot: lot,
          deviationId: d.id,
        }),
      );
    const results = await Promise.allSettled([attempt('S-A'), attempt('S-B')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409, code: 'error.deviations.quantityExceeded' });
    expect(await state(w, d.id)).toMatchObject({ receipts: 1, lots: 1, uses: 1, used: '300' });
  });

  it('expires approved deviations past their last day, once, with an event; the others stay as they are', async () => {
    const w = await purchasingWorld(db);
    const from = await today(w);
    const lapsing = await anApprovedDeviation(w, { validUntil: addDays(from, 2) });
    const running = await anApprovedDeviation(w, { validUntil: addDays(from, 20) });
    const draft = await aDeviation(w, { validUntil: addDays(from, 2) });
    const [first] = await expireTenantsDeviations(db, [w.tenant], addDays(from, 3));
    expect(first!.expired.map((d) => d.id)).toEqual([lapsing.id]);
    const [again] = await expireTenantsDeviations(db, [w.tenant], addDays(from, 3));
    expect(again!.expired).toEqual([]);
    const statuses = await w.tx(async (tx) =>
      Promise.all([lapsing, running, draft].map(async (d) => (await getDeviation(tx, d.id)).status)),
    );
    expect(statuses).toEqual(['expired', 'approved', 'draft']);
    const events = await w.tx((tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'deviations.deviation.expired'`),
    );
    expect(events.rows[0]!.n).toBe(1);
  });

  it('counts use by a work order in the item base unit, to the last unit', async () => {
    const w = await purchasingWorld(db);
    const d = await anApprovedDeviation(w, { supplierId: undefined, maxQuantity: '100' });
    const use = (quantity: string) =>
      w.tx((tx) =>
        recordDeviationUse(tx, w.person, {
          deviationId: d.id,
          itemId: w.items.luer,
          quantity,
          on: d.validFrom,
          usedBy: { kind: 'work_order', id: '0190f5a0-0000-7000-8000-0000000000aa' },
        }),
      );
    expect(await use('60')).toMatchObject({ quantity: '60', usedBy: { kind: 'work_order' } });
    await expect(use('40.5')).rejects.toMatchObject({ code: 'error.deviations.quantityExceeded' });
    await use('40');
    expect((await w.tx((tx) => getDeviation(tx, d.id))).remainingQuantity).toBe('0');
  });
});
