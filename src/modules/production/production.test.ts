import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/db.js';
import { anItem, firstRevisionId, release } from '../../../test/masterdata.js';
import { aWorkOrder, CAP_GTIN, nextRevisionWithBom, type ProductionWorld, productionWorld, stockLot } from '../../../test/production.js';
import { addDays } from '../../platform/dates.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { sql } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { getLot, onHand, takeOverStock, verifyBalances } from '../inventory/index.js';
import { setItemConversion } from '../masterdata/items.js';
import {
  createWorkOrder,
  issueMaterial,
  listWorkOrders,
  reportOutput,
  returnMaterial,
  transitionWorkOrder,
  updateWorkOrder,
  type WorkOrderDetail,
  workOrderDetail,
} from './index.js';

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

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

const line = (wo: WorkOrderDetail, lineNo: number) => wo.materials.find((m) => m.lineNo === lineNo)!;

describe('work order life cycle', () => {
  it('moves draft → released → in progress → completed → closed, numbered WO-YYYY-NNNNN, one event per step', async () => {
    const draft = await inTx((tx) => aWorkOrder(tx, w, '7', { draft: true }));
    expect(draft.number).toMatch(/^WO-\d{4}-\d{5}$/);
    expect(draft.status).toBe('draft');
    const released = await inTx((tx) => transitionWorkOrder(tx, w.ctx, draft.id, { to: 'released' }));
    expect(released.status).toBe('released');
    expect(released.frozenOn).toBe(w.today);
    const lot = await inTx((tx) => stockLot(tx, w, w.items.tubing, '50'));
    const running = await inTx((tx) => issueMaterial(tx, w.ctx, draft.id, { lotId: lot.id, quantity: '10.71' }));
    expect(running.status).toBe('in_progress');
    await inTx((tx) => reportOutput(tx, w.ctx, draft.id, { quantity: '7' }));
    expect((await inTx((tx) => transitionWorkOrder(tx, w.ctx, draft.id, { to: 'completed' }))).status).toBe('completed');
    const closed = await inTx((tx) => transitionWorkOrder(tx, w.ctx, draft.id, { to: 'closed' }));
    expect(closed.status).toBe('closed');
    expect(closed.allowedTransitions).toEqual([]);
    const events = await inTx(
      async (tx) =>
        (await tx.query<{ type: string }>(sql`SELECT type FROM outbox_events WHERE aggregate_id = ${draft.id} ORDER BY aggregate_seq`))
          .rows,
    );
    expect(events.map((e) => e.type)).toEqual([
      'production.workorder.released',
      'production.workorder.materialIssued',
      'production.workorder.started',
      'production.output.reported',
      'production.workorder.completed',
      'production.workorder.closed',
    ]);
  });

  it('[P11.10f] refuses steps out of order with the current state and the allowed steps', async () => {
    const draft = await inTx((tx) => aWorkOrder(tx, w, '7', { draft: true }));
    expect(await codeOf(inTx((tx) => transitionWorkOrder(tx, w.ctx, draft.id, { to: 'completed' })))).toBe('error.state.illegalTransition');
    expect(await codeOf(inTx((tx) => transitionWorkOrder(tx, w.ctx, draft.id, { to: 'closed' })))).toBe('error.state.illegalTransition');
  });

  it('cancels a draft or released order only with a reason, and not once material is issued', async () => {
    const draft = await inTx((tx) => aWorkOrder(tx, w, '7', { draft: true }));
    expect(await codeOf(inTx((tx) => transitionWorkOrder(tx, w.ctx, draft.id, { to: 'cancelled' })))).toBe('error.audit.reasonRequired');
    const cancelled = await inTx((tx) => transitionWorkOrder(tx, w.ctx, draft.id, { to: 'cancelled', comment: 'customer withdrew' }));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelReason).toBe('customer withdrew');
    const released = await inTx((tx) => aWorkOrder(tx, w));
    expect((await inTx((tx) => transitionWorkOrder(tx, w.ctx, released.id, { to: 'cancelled', comment: 'plan changed' }))).status).toBe(
      'cancelled',
    );
    const running = await inTx((tx) => aWorkOrder(tx, w));
    const lot = await inTx((tx) => stockLot(tx, w, w.items.tubing, '20'));
    await inTx((tx) => issueMaterial(tx, w.ctx, running.id, { lotId: lot.id, quantity: '1' }));
    expect(await codeOf(inTx((tx) => transitionWorkOrder(tx, w.ctx, running.id, { to: 'cancelled', comment: 'x' })))).toBe(
      'error.state.illegalTransition',
    );
  });

  it('refuses a due date in the past, a fractional count, a revision that is not released; changes only drafts', async () => {
    const base = { itemRevisionId: w.device.revisionA, siteId: w.site.id, dueDate: addDays(w.today, 3) };
    const err = await inTx((tx) => createWorkOrder(tx, { ...base, quantity: '2.5', dueDate: addDays(w.today, -1) })).catch((e) => e);
    expect(err.code).toBe('error.production.workOrder.invalid');
    expect(err.errors.map((e: { code: string }) => e.code).sort()).toEqual(
      ['error.production.dueDatePast', 'error.quantity.wholeNumber'].sort(),
    );
    const draftRevision = await inTx((tx) => firstRevisionId(tx, w.items.thermometer));
    const notReleased = await inTx((tx) => createWorkOrder(tx, { ...base, itemRevisionId: draftRevision, quantity: '1' })).catch((e) => e);
    expect(notReleased.errors[0].code).toBe('error.production.revisionNotReleased');
    const draft = await inTx((tx) => aWorkOrder(tx, w, '7', { draft: true }));
    const changed = await inTx((tx) => updateWorkOrder(tx, draft.id, [draft.version], { quantity: '9', notes: 'rush' }));
    expect(changed.quantity).toBe('9');
    expect(await codeOf(inTx((tx) => updateWorkOrder(tx, draft.id, [draft.version], { quantity: '8' })))).toBe('error.precondition.stale');
    const released = await inTx((tx) => aWorkOrder(tx, w));
    expect(await codeOf(inTx((tx) => updateWorkOrder(tx, released.id, [released.version], { quantity: '8' })))).toBe(
      'error.production.workOrder.notDraft',
    );
  });
});

describe('frozen structure', () => {
  it('computes requirements with scrap and unit conversion exactly: 7 × 150 cm × 1.02 = 10.71 m, 7 × 2 × 1.01 = 14.14 ea, 7 × 0.02 carton = 7 ea', async () => {
    const order = await inTx((tx) => aWorkOrder(tx, w, '7'));
    const detail = await inTx((tx) => workOrderDetail(tx, order.id));
    expect(detail.materials.map((m) => [m.lineNo, m.requiredQuantity, m.baseUnit, m.issuedQuantity, m.openQuantity])).toEqual([
      [10, '10.71', 'm', '0', '10.71'],
      [20, '14.14', 'ea', '0', '14.14'],
      [30, '7', 'ea', '0', '7'],
    ]);
    expect(line(detail, 10)).toMatchObject({ quantityPer: '150', unit: 'cm', scrapFactor: '0.02' });
    expect(detail.operations.map((o) => [o.sequence, o.name, o.setupMinutes, o.runMinutesPerUnit, o.inspectionPoints])).toEqual([
      [10, 'Assemble', '15', '1.5', []],
      [20, 'Leak test', '0', '0', ['No pressure drop at 50 kPa']],
    ]);
  });

  it('keeps a released order as it was when master data changes afterwards; a draft of the superseded revision cannot be released', async () => {
    const world = await productionWorld(db);
    const tx = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, world.ctx, fn);
    const released = await tx((t) => aWorkOrder(t, world, '10'));
    const draft = await tx((t) => aWorkOrder(t, world, '10', { draft: true }));
    const before = await tx((t) => workOrderDetail(t, released.id));
    expect(before.materials.map((m) => m.requiredQuantity)).toEqual(['15.3', '20.2', '10']);
    await tx((t) => setItemConversion(t, world.parts.carton, 'carton', '25'));
    const revisionB = await nextRevisionWithBom(db, world, world.device.id, [
      { lineNo: 10, componentItemId: world.items.tubing, quantityPer: '200', unit: 'cm', scrapFactor: '0.05' },
    ]);
    const after = await tx((t) => workOrderDetail(t, released.id));
    expect(after.materials).toEqual(before.materials);
    expect(after.operations).toEqual(before.operations);
    expect(after.revision).toBe('A');
    expect(await codeOf(tx((t) => transitionWorkOrder(t, world.ctx, draft.id, { to: 'released' })))).toBe('error.state.guardFailed');
    const onB = await tx(async (t) => {
      const order = await createWorkOrder(t, { itemRevisionId: revisionB, quantity: '10', siteId: world.site.id, dueDate: world.today });
      return transitionWorkOrder(t, world.ctx, order.id, { to: 'released' });
    });
    expect(onB.materials.map((m) => [m.lineNo, m.requiredQuantity, m.baseUnit])).toEqual([[10, '21', 'm']]);
  });
});

describe('material issue', () => {
  it('issues by lot number or GS1 element string; the ledger names the work order and its line; issued and open follow', async () => {
    const order = await inTx((tx) => aWorkOrder(tx, w, '7'));
    const lot = await inTx((tx) => stockLot(tx, w, w.items.tubing, '30'));
    const byNumber = await inTx((tx) => issueMaterial(tx, w.ctx, order.id, { scan: lot.number, quantity: '5' }));
    expect(line(byNumber, 10)).toMatchObject({ issuedQuantity: '5', openQuantity: '5.71' });
    const byNumberAgain = await inTx((tx) => issueMaterial(tx, w.ctx, order.id, { scan: `  ${lot.number} `, quantity: '5.71' }));
    expect(line(byNumberAgain, 10)).toMatchObject({ issuedQuantity: '10.71', openQuantity: '0' });
    // The cap carries a GTIN: its lot is scanned as the element string printed on its label, with and without parentheses.
    const caps = await inTx((tx) => stockLot(tx, w, w.parts.cap, '20'));
    await inTx((tx) => issueMaterial(tx, w.ctx, order.id, { scan: `(01)${CAP_GTIN}(10)${caps.number}`, quantity: '4' }));
    const byGs1 = await inTx((tx) => issueMaterial(tx, w.ctx, order.id, { scan: `01${CAP_GTIN}10${caps.number}`, quantity: '4' }));
    expect(line(byGs1, 20)).toMatchObject({ issuedQuantity: '8', openQuantity: '6.14' });
    expect(byGs1.movements.map((m) => [m.kind, m.lotNumber, m.quantity])).toEqual([
      ['issue', lot.number, '5'],
      ['issue', lot.number, '5.71'],
      ['issue', caps.number, '4'],
      ['issue', caps.number, '4'],
    ]);
    const ledger = await inTx(
      async (tx) =>
        (
          await tx.query<{ movementType: string; sourceKind: string; sourceId: string; sourceLine: number; quantity: string }>(sql`SELECT
        movement_type AS "movementType", source_kind AS "sourceKind", source_id AS "sourceId", source_line AS "sourceLine",
        trim_scale(quantity)::text AS quantity FROM stock_movements WHERE lot_id = ${lot.id} AND movement_type = 'issue' ORDER BY created_at`)
        ).rows,
    );
    expect(ledger).toEqual([
      { movementType: 'issue', sourceKind: 'work_order', sourceId: order.id, sourceLine: 10, quantity: '5' },
      { movementType: 'issue', sourceKind: 'work_order', sourceId: order.id, sourceLine: 10, quantity: '5.71' },
    ]);
    expect((await inTx((tx) => getLot(tx, lot.id))).onHand).toBe('19.29');
    expect((await inTx((tx) => verifyBalances(tx))).differences).toEqual([]);
  });

  it('refuses each reason with its own code and writes nothing', async () => {
    const order = await inTx((tx) => aWorkOrder(tx, w, '7'));
    const draft = await inTx((tx) => aWorkOrder(tx, w, '7', { draft: true }));
    const good = await inTx((tx) => stockLot(tx, w, w.items.tubing, '3'));
    const held = await inTx((tx) => stockLot(tx, w, w.items.tubing, '20', { status: 'on_hold' }));
    const quarantined = await inTx((tx) => stockLot(tx, w, w.items.tubing, '20', { status: 'quarantine' }));
    const expired = await inTx((tx) => stockLot(tx, w, w.items.tubing, '20', { expiresOn: addDays(w.today, -1) }));
    const cap = await inTx((tx) => stockLot(tx, w, w.parts.cap, '1'));
    const notOnBom = await inTx(async (tx) => stockLot(tx, w, (await anItem(tx, { name: 'Stranger' })).id, '10'));
    const issue = (orderId: string, input: { lotId?: string; scan?: string; quantity: string; reason?: string }) =>
      codeOf(inTx((tx) => issueMaterial(tx, w.ctx, orderId, input)));
    const before = await inTx((tx) => onHand(tx, { itemId: w.items.tubing }));
    expect(await issue(draft.id, { lotId: good.id, quantity: '1' })).toBe('error.production.issue.orderNotOpen');
    expect(await issue(order.id, { lotId: held.id, quantity: '1' })).toBe('error.production.issue.lotOnHold');
    expect(await issue(order.id, { lotId: quarantined.id, quantity: '1' })).toBe('error.production.issue.lotNotReleased');
    expect(await issue(order.id, { lotId: expired.id, quantity: '1' })).toBe('error.production.issue.lotExpired');
    expect(await issue(order.id, { lotId: notOnBom.id, quantity: '1' })).toBe('error.production.issue.wrongItem');
    expect(await issue(order.id, { scan: 'NO-SUCH-LOT', quantity: '1' })).toBe('error.production.issue.unknownLot');
    // The lot number is right, the product on the label is not: refused, not issued as the lot of that number.
    expect(await issue(order.id, { scan: `(01)09506000134376(10)${good.number}`, quantity: '1' })).toBe('error.production.issue.wrongItem');
    expect(await issue(order.id, { lotId: good.id, quantity: '4' })).toBe('error.production.issue.shortStock');
    expect(await issue(order.id, { lotId: cap.id, quantity: '1.5' })).toBe('error.quantity.wholeNumber');
    const after = await inTx((tx) => onHand(tx, { itemId: w.items.tubing }));
    expect(after).toEqual(before);
    expect((await inTx((tx) => workOrderDetail(tx, order.id))).movements).toEqual([]);
  });

  it('refuses a lot of another revision than the one in force when the order was released', async () => {
    const world = await productionWorld(db);
    const tx = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, world.ctx, fn);
    const capA = await tx((t) => firstRevisionId(t, world.parts.cap));
    await withTenant(db, world.qa.ctx, (t) => release(t, world.qa, capA));
    const capB = await nextRevisionWithBom(db, world, world.parts.cap, []);
    const order = await tx((t) => aWorkOrder(t, world, '7'));
    expect(order.status).toBe('released');
    const detail = await tx((t) => workOrderDetail(t, order.id));
    expect(line(detail, 20).componentRevisionId).toBe(capB);
    const oldLot = await tx((t) => stockLot(t, world, world.parts.cap, '20', { itemRevisionId: capA }));
    const newLot = await tx((t) => stockLot(t, world, world.parts.cap, '20', { itemRevisionId: capB }));
    expect(await codeOf(tx((t) => issueMaterial(t, world.ctx, order.id, { lotId: oldLot.id, quantity: '2' })))).toBe(
      'error.production.issue.wrongRevision',
    );
    const issued = await tx((t) => issueMaterial(t, world.ctx, order.id, { lotId: newLot.id, quantity: '2' }));
    expect(line(issued, 20).issuedQuantity).toBe('2');
  });

  it('needs a reason to issue beyond the requirement, and records it', async () => {
    const order = await inTx((tx) => aWorkOrder(tx, w, '7'));
    const lot = await inTx((tx) => stockLot(tx, w, w.parts.carton, '20'));
    await inTx((tx) => issueMaterial(tx, w.ctx, order.id, { lotId: lot.id, quantity: '7' }));
    const refused = await inTx((tx) => issueMaterial(tx, w.ctx, order.id, { lotId: lot.id, quantity: '1' })).catch((e) => e);
    expect(refused.code).toBe('error.production.issue.overIssueReason');
    expect(refused.status).toBe(422);
    const over = await inTx((tx) => issueMaterial(tx, w.ctx, order.id, { lotId: lot.id, quantity: '1', reason: 'carton damaged' }));
    expect(line(over, 30)).toMatchObject({ issuedQuantity: '8', openQuantity: '0' });
    expect(over.movements.at(-1)).toMatchObject({ kind: 'issue', quantity: '1', reason: 'carton damaged' });
  });

  it('issues the last of a lot (consumed) and takes unused material back into stock (released again); never more than issued', async () => {
    const order = await inTx((tx) => aWorkOrder(tx, w, '7'));
    const lot = await inTx((tx) => stockLot(tx, w, w.parts.cap, '10'));
    await inTx((tx) => issueMaterial(tx, w.ctx, order.id, { lotId: lot.id, quantity: '10' }));
    expect((await inTx((tx) => getLot(tx, lot.id))).status).toBe('consumed');
    expect(
      await codeOf(inTx((tx) => returnMaterial(tx, w.ctx, order.id, { lotId: lot.id, quantity: '11', locationId: w.locations.line }))),
    ).toBe('error.production.return.moreThanIssued');
    const back = await inTx((tx) =>
      returnMaterial(tx, w.ctx, order.id, { lotId: lot.id, quantity: '3', locationId: w.locations.line, reason: 'left over' }),
    );
    expect(line(back, 20)).toMatchObject({ issuedQuantity: '7', openQuantity: '7.14' });
    const returned = await inTx((tx) => getLot(tx, lot.id));
    expect(returned).toMatchObject({ status: 'released', onHand: '3' });
    expect(
      await codeOf(inTx((tx) => returnMaterial(tx, w.ctx, order.id, { lotId: lot.id, quantity: '1', locationId: w.locations.quarantine }))),
    ).toBe('error.inventory.location.refuses');
    expect((await inTx((tx) => verifyBalances(tx))).differences).toEqual([]);
  });

  it('serialises two people issuing the last stock of one lot at once: one wins, the other is refused', async () => {
    const order = await inTx((tx) => aWorkOrder(tx, w, '7'));
    const other = await inTx((tx) => aWorkOrder(tx, w, '7'));
    const lot = await inTx((tx) => stockLot(tx, w, w.parts.cap, '5'));
    const results = await Promise.allSettled([
      inTx((tx) => issueMaterial(tx, w.ctx, order.id, { lotId: lot.id, quantity: '5' })),
      inTx((tx) => issueMaterial(tx, w.ctx, other.id, { lotId: lot.id, quantity: '5' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['error.production.issue.lotNotReleased', 'error.production.issue.shortStock']).toContain(refused.reason.code);
    expect((await inTx((tx) => getLot(tx, lot.id))).onHand).toBe('0');
    expect((await inTx((tx) => verifyBalances(tx))).differences).toEqual([]);
  });
});

describe('audit trail and tenants', () => {
  it('[P11.10e] records the creation, release, frozen lines and issues of an order with who and why', async () => {
    const order = await inTx((tx) => aWorkOrder(tx, w, '7'));
    const lot = await inTx((tx) => stockLot(tx, w, w.items.tubing, '12'));
    await inTx((tx) => issueMaterial(tx, w.ctx, order.id, { lotId: lot.id, quantity: '2' }));
    const trail = await inTx(
      async (tx) =>
        (
          await tx.query<{ table: string; action: string; reason: string | null; actor: string }>(sql`SELECT entity AS table, action,
          reason, actor_name AS actor FROM audit_event
          WHERE entity LIKE 'work_order%' AND (record_id LIKE ${`%${order.id}%`} OR new_values::text LIKE ${`%${order.id}%`})
          ORDER BY id`)
        ).rows,
    );
    const tables = new Set(trail.map((t) => `${t.table}:${t.action}`));
    for (const expected of [
      'work_orders:insert',
      'work_orders:update',
      'work_order_materials:insert',
      'work_order_operations:insert',
      'work_order_materials:update',
      'work_order_material_movements:insert',
    ]) {
      expect(tables).toContain(expected);
    }
    expect(trail.find((t) => t.table === 'work_orders' && t.action === 'update')?.reason).toBe('release: draft → released');
    expect(trail.every((t) => t.actor === 'system:test')).toBe(true);
  });

  it('keeps tenants apart: another tenant sees none of the orders', async () => {
    const order = await inTx((tx) => aWorkOrder(tx, w, '7'));
    const other = await productionWorld(db);
    expect(await codeOf(withTenant(db, other.ctx, (tx) => workOrderDetail(tx, order.id)))).toBe('error.production.workOrder.notFound');
    const page = await withTenant(db, other.ctx, (tx) => listWorkOrders(tx, {}));
    expect(page.items.map((o) => o.id)).not.toContain(order.id);
  });
});

describe('components kept without lots', () => {
  it('[Q.TRC] issues and returns an untracked component by line and quantity, takes turns on the last stock, and still refuses a lot-controlled line without its lot', async () => {
    const bags = await inTx((tx) => anItem(tx, { name: 'Poly bag', type: 'packaging', tracking: 'none' }));
    const revision = await nextRevisionWithBom(db, w, w.device.id, [
      { lineNo: 10, componentItemId: w.parts.cap, quantityPer: '2', unit: 'ea' },
      { lineNo: 20, componentItemId: bags.id, quantityPer: '1', unit: 'ea' },
    ]);
    await inTx((tx) =>
      takeOverStock(tx, {
        itemId: bags.id,
        locationId: w.locations.store,
        quantity: '12',
        status: 'released',
        source: 'legacy ERP bin B-01',
      }),
    );
    const order = await inTx(async (tx) => {
      const created = await createWorkOrder(tx, {
        itemRevisionId: revision,
        quantity: '10',
        siteId: w.site.id,
        dueDate: addDays(w.today, 7),
      });
      return transitionWorkOrder(tx, w.ctx, created.id, { to: 'released' });
    });
    expect(line(order, 20).componentTracking).toBe('none');
    // a lot-controlled line is still booked by its lot
    expect(await codeOf(inTx((tx) => issueMaterial(tx, w.ctx, order.id, { lineNo: 10, quantity: '2' })))).toBe(
      'error.production.issue.lotRequired',
    );
    // two people take the last bags at once: one gets 8, the other is refused with what is left
    const results = await Promise.allSettled([
      inTx((tx) => issueMaterial(tx, w.ctx, order.id, { lineNo: 20, quantity: '8', reason: 'second bag per set for the export batch' })),
      inTx((tx) => issueMaterial(tx, w.ctx, order.id, { lineNo: 20, quantity: '8', reason: 'second bag per set for the export batch' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'error.inventory.insufficient' });
    const issued = await inTx((tx) => workOrderDetail(tx, order.id));
    expect(line(issued, 20)).toMatchObject({ issuedQuantity: '8', openQuantity: '2' });
    expect(issued.status).toBe('in_progress');
    expect(issued.movements).toMatchObject([{ lineNo: 20, kind: 'issue', lotId: null, lotNumber: null, quantity: '8' }]);
    expect(await inTx((tx) => onHand(tx, { itemId: bags.id }))).toMatchObject([{ quantity: '4' }]);

    expect(
      await codeOf(inTx((tx) => returnMaterial(tx, w.ctx, order.id, { lineNo: 20, quantity: '9', locationId: w.locations.store }))),
    ).toBe('error.production.return.moreThanIssued');
    const back = await inTx((tx) => returnMaterial(tx, w.ctx, order.id, { lineNo: 20, quantity: '3', locationId: w.locations.store }));
    expect(line(back, 20).issuedQuantity).toBe('5');
    expect(await inTx((tx) => onHand(tx, { itemId: bags.id }))).toMatchObject([{ quantity: '7' }]);
    expect((await inTx((tx) => verifyBalances(tx))).differences).toEqual([]);
  });
});
