import { withChangeReason } from '../../platform/audit/reason.js';
import { addDays } from '../../platform/dates.js';
import { sql, type Tx } from '../../platform/db/index.js';
import type { DemoSeed } from '../../platform/module.js';
import { siteToday, systemContext } from '../../platform/tenancy/index.js';
import { findItemByCode, listLocations, listSuppliers } from '../masterdata/index.js';
import { createPurchaseOrder, getPurchaseOrder, moveOrder, type PoLineInput, type PurchaseOrder } from './orders.js';
import type { NewReceipt } from './receiving.js';

type Stage = 'draft' | 'approved' | 'sent';

interface DemoOrder {
  supplier: string;
  stage: Stage;
  lines: Array<{ item: string; quantity: string; unit: string; price: string; dueInDays: number; received?: string }>;
}

/**
 * A month of buying for the demo device maker, due dates from two weeks back to a month ahead:
 * orders received in full (some late), partly received, sent, approved, drafts, and one draft
 * for a disqualified supplier that cannot be approved.
 */
const ORDERS: DemoOrder[] = [
  {
    supplier: 'SUP-POLY',
    stage: 'sent',
    lines: [{ item: 'PVC-TUBE-3MM', quantity: '3000', unit: 'm', price: '1.35', dueInDays: -10, received: '3000' }],
  },
  {
    supplier: 'SUP-MOULD',
    stage: 'sent',
    lines: [
      { item: 'DRIP-CH-15', quantity: '5000', unit: 'ea', price: '0.42', dueInDays: 3, received: '5000' },
      { item: 'ROLLER-CLAMP', quantity: '5000', unit: 'ea', price: '0.18', dueInDays: 3, received: '5000' },
    ],
  },
  {
    supplier: 'SUP-MOULD',
    stage: 'sent',
    lines: [{ item: 'LUER-LOCK-M', quantity: '10000', unit: 'ea', price: '0.09', dueInDays: 5, received: '6000' }],
  },
  {
    supplier: 'SUP-PACK',
    stage: 'sent',
    lines: [
      { item: 'POUCH-STER', quantity: '5000', unit: 'ea', price: '0.30', dueInDays: -4, received: '5000' },
      { item: 'LBL-IS200', quantity: '5000', unit: 'ea', price: '0.05', dueInDays: -4 },
    ],
  },
  {
    supplier: 'SUP-EMS',
    stage: 'sent',
    lines: [
      { item: 'PROBE-NTC', quantity: '500', unit: 'ea', price: '3.80', dueInDays: 12 },
      { item: 'HOUSING-TH300', quantity: '500', unit: 'ea', price: '2.10', dueInDays: 12 },
    ],
  },
  { supplier: 'SUP-MOULD', stage: 'approved', lines: [{ item: 'SPIKE-VENT', quantity: '2000', unit: 'ea', price: '0.25', dueInDays: 20 }] },
  { supplier: 'SUP-POLY', stage: 'draft', lines: [{ item: 'PVC-TUBE-3MM', quantity: '1500', unit: 'm', price: '1.32', dueInDays: 30 }] },
  { supplier: 'SUP-BATT', stage: 'draft', lines: [{ item: 'BAT-CR2032', quantity: '1000', unit: 'ea', price: '0.60', dueInDays: 14 }] },
];

/** Site-local dates some days from today at the demo site. */
async function siteDays(tx: Tx, seed: DemoSeed): Promise<(days: number) => string> {
  const today = await siteToday(tx, seed.siteId);
  return (days: number) => addDays(today, days);
}

/** The demo's orders, drafted, approved and sent; the goods that came are received by the post-receipt flow's seed. */
export async function seedPurchasing(tx: Tx, seed: DemoSeed): Promise<void> {
  const ctx = systemContext(seed.tenantId, 'seed:purchasing', seed.siteId);
  const due = await siteDays(tx, seed);
  for (const order of ORDERS) {
    const supplier = (await listSuppliers(tx, { q: order.supplier })).items[0]!;
    const lines: PoLineInput[] = [];
    for (const l of order.lines) {
      const item = (await findItemByCode(tx, l.item))!;
      lines.push({ itemId: item.id, quantity: l.quantity, unit: l.unit, unitPrice: l.price, dueDate: due(l.dueInDays) });
    }
    const po = await createPurchaseOrder(tx, { supplierId: supplier.id, siteId: seed.siteId, currency: 'CNY', lines });
    if (order.stage === 'draft') continue;
    await takeOverApproval(tx, po);
    if (order.stage === 'approved') continue;
    await moveOrder(tx, ctx, null, { ...po, status: 'approved' }, 'sent');
  }
  seed.notes.push(`purchasing: ${ORDERS.length} purchase orders`);
}

/**
 * What arrived for the demo's sent orders, as the dock would type it: the post-receipt flow's
 * seed receives these after the orders exist. Orders are matched to the list above in the order
 * they were created (their numbers).
 */
export async function demoDeliveries(tx: Tx, seed: DemoSeed): Promise<NewReceipt[]> {
  const due = await siteDays(tx, seed);
  const quarantine = (await listLocations(tx, { siteId: seed.siteId, kind: 'quarantine' })).items[0];
  if (!quarantine) throw new Error('demo receipts need the quarantine location of the master data seed');
  const { rows: sent } = await tx.query<{ id: string }>(`SELECT id FROM purchase_orders WHERE status = 'sent' ORDER BY number`);
  const deliveries: NewReceipt[] = [];
  for (const [n, order] of ORDERS.entries()) {
    if (order.stage !== 'sent') continue;
    const next = sent.shift();
    if (!next) throw new Error('the demo orders were not seeded');
    const po = await getPurchaseOrder(tx, next.id);
    for (const [i, l] of order.lines.entries()) {
      if (!l.received) continue;
      deliveries.push({
        poLineId: po.lines[i]!.id,
        quantity: l.received,
        locationId: quarantine.id,
        supplierLot: `${order.supplier.slice(4)}-${due(-20 + n).replaceAll('-', '')}-${i + 1}`,
        manufacturedOn: due(-40 + n),
        conditions: {
          temperature: { value: (20 + ((n * 7) % 6) / 2).toFixed(1), unit: 'C' },
          humidity: { value: String(40 + n * 2), unit: '%RH' },
        },
      });
    }
  }
  return deliveries;
}

/**
 * Orders approved before Mediforge were signed on paper: the demo takes them over as approved,
 * with that reason in the audit trail, since no person signs during seeding.
 */
async function takeOverApproval(tx: Tx, po: PurchaseOrder): Promise<void> {
  await withChangeReason(tx, 'taken over from the previous ERP: approval signed on paper', () =>
    tx.query(sql`UPDATE purchase_orders SET status = 'approved', version = version + 1 WHERE id = ${po.id} AND status = 'draft'`),
  );
}
