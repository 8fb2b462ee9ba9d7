import { inspectReceivedLotFlow } from '../src/flows/inspect-received-lot.js';
import { postReceipt } from '../src/flows/post-receipt.js';
import { createLocation } from '../src/modules/masterdata/locations.js';
import { createSupplier, setSupplierApproval } from '../src/modules/masterdata/partners.js';
import { createPurchaseOrder, type PoLineInput, type PurchaseOrder, transitionPurchaseOrder } from '../src/modules/purchasing/orders.js';
import type { NewReceipt, Receipt } from '../src/modules/purchasing/receiving.js';
import type { Database, Tx } from '../src/platform/db/index.js';
import { Unauthorized } from '../src/platform/errors.js';
import type { SignerVerifier } from '../src/platform/esign/types.js';
import { Dispatcher } from '../src/platform/events/index.js';
import type { TenantContext } from '../src/platform/tenancy/index.js';
import { withTenant } from '../src/platform/tenancy/index.js';
import { type TestTenant, testTenant } from './db.js';
import { anItem, standardUnits } from './masterdata.js';

export const SIGNING_PASSWORD = 'correct horse battery staple';

/**
 * Stands in for the identity module at the signature seam: one password, a person with the
 * permissions given. Route tests use the real identity module instead.
 */
export function signer(permissions: readonly string[]): SignerVerifier {
  return async (_tx, ctx, creds) => {
    if (creds.password !== SIGNING_PASSWORD) throw new Unauthorized('the password is not correct', { code: 'error.esign.credentials' });
    return { userId: ctx.actor.id, login: ctx.actor.id, printedName: ctx.actor.name, permissions };
  };
}

export const BUYER_SIGNS = signer(['purchasing:sign.approved']);
export const QA_SIGNS = signer(['quality:sign.released', 'quality:sign.rejected', 'inventory:sign.released', 'inventory:sign.rejected']);
export const credentials = { password: SIGNING_PASSWORD };

/**
 * A tenant with what purchasing needs: units, a lot-controlled item in metres and one in
 * pieces, a supplier approved for both, a supplier approved for nothing, and a quarantine
 * location. `person` is the acting user's context (signatures need a person).
 */
export interface PurchasingWorld extends TestTenant {
  person: TenantContext;
  /** A second person: approves what `person` created, decides what `person` recorded (separation of duties). */
  approver: TenantContext;
  items: { tubing: string; luer: string };
  suppliers: { approved: string; unapproved: string };
  quarantine: string;
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Delivers pending events of this tenant to the inspect-received-lot flow (opens inspections). */
  deliverEvents(): Promise<void>;
}

export async function purchasingWorld(db: Database): Promise<PurchasingWorld> {
  const base = await testTenant(db);
  const person: TenantContext = { ...base.ctx, actor: { kind: 'user', id: 'buyer-1', name: 'Li Na' } };
  const approver: TenantContext = { ...base.ctx, actor: { kind: 'user', id: 'manager-1', name: 'Wang Fang' } };
  const tx = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(db, person, fn);
  const dispatcher = new Dispatcher(db, { subscriptions: inspectReceivedLotFlow.subscriptions ?? [], tenants: [base.tenant.id] });
  return tx(async (t) => {
    await standardUnits(t);
    const tubing = await anItem(t, { code: 'PVC-TUBE', name: 'PVC tubing', baseUnit: 'm', tracking: 'lot' });
    const luer = await anItem(t, { code: 'LUER-M', name: 'Luer connector', baseUnit: 'ea', tracking: 'lot' });
    const supplier = (code: string) =>
      createSupplier(t, { code, name: `${code} Co.`, addressLine1: 'Park Road 1', city: 'Suzhou', country: 'CN' });
    const approved = await supplier('SUP-OK');
    const unapproved = await supplier('SUP-NEW');
    for (const item of [tubing, luer]) {
      await setSupplierApproval(t, approved.id, item.id, { status: 'approved', evidence: 'audit 2026-01', expiresOn: null });
    }
    const quarantine = await createLocation(t, { siteId: base.site.id, warehouse: 'QA', name: 'Receiving quarantine', kind: 'quarantine' });
    return {
      ...base,
      person,
      approver,
      tx,
      items: { tubing: tubing.id, luer: luer.id },
      suppliers: { approved: approved.id, unapproved: unapproved.id },
      quarantine: quarantine.id,
      deliverEvents: () => dispatcher.drain(),
    };
  });
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A line due in a week unless the test says otherwise. */
export function aLine(itemId: string, overrides: Partial<PoLineInput> = {}): PoLineInput {
  return { itemId, quantity: '500', unit: 'ea', unitPrice: '0.85', dueDate: inDays(7), ...overrides };
}

/** Creates (person), approves (approver, signed) and sends an order from the approved supplier. */
export async function aSentOrder(w: PurchasingWorld, lines: PoLineInput[]): Promise<PurchaseOrder> {
  return w.tx(async (tx) => {
    const po = await createPurchaseOrder(tx, { supplierId: w.suppliers.approved, siteId: w.site.id, currency: 'CNY', lines });
    await transitionPurchaseOrder(tx, w.approver, BUYER_SIGNS, po.id, { to: 'approved', credentials });
    return transitionPurchaseOrder(tx, w.person, null, po.id, { to: 'sent' });
  });
}

export function receive(w: PurchasingWorld, poLineId: string, overrides: Partial<NewReceipt> = {}): Promise<Receipt> {
  return w.tx((tx) =>
    postReceipt(tx, w.person, { poLineId, quantity: '500', locationId: w.quarantine, supplierLot: 'S-24-001', ...overrides }),
  );
}

export { inDays };
