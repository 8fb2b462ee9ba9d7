import { inspectReceivedLotFlow } from '../src/flows/inspect-received-lot.js';
import { postReceipt } from '../src/flows/post-receipt.js';
import { createLocation } from '../src/modules/masterdata/locations.js';
import { createSupplier, setSupplierApproval } from '../src/modules/masterdata/partners.js';
import { createPurchaseOrder, type PoLineInput, type PurchaseOrder, transitionPurchaseOrder } from '../src/modules/purchasing/orders.js';
import type { NewReceipt, Receipt } from '../src/modules/purchasing/receiving.js';
import { addDays, dayIn } from '../src/platform/dates.js';
import type { Database, Tx } from '../src/platform/db/index.js';
import type { SignerVerifier, SigningCredentials } from '../src/platform/esign/types.js';
import { Dispatcher } from '../src/platform/events/index.js';
import type { TenantContext } from '../src/platform/tenancy/index.js';
import { withTenant } from '../src/platform/tenancy/index.js';
import { TEST_SITE_TIME_ZONE, type TestTenant, testTenant } from './db.js';
import { createSigner, TestClock } from './identity.js';
import { anItem, standardUnits } from './masterdata.js';

/**
 * A tenant with what purchasing needs: units, a lot-controlled item in metres and one in
 * pieces, a supplier approved for both, a supplier approved for nothing, and a quarantine
 * location. `person` is the acting user's context. Both people are real users who sign with
 * their own password and authenticator code, checked by identity's `verifier`.
 */
export interface PurchasingWorld extends TestTenant {
  /** Li Na: creates, receives and records; as QA manager she may also sign quality decisions. */
  person: TenantContext;
  /**
   * Wang Fang, buyer and QA manager: approves what `person` created, decides what `person`
   * recorded (separation of duties).
   */
  approver: TenantContext;
  /** The identity module's signer verifier. */
  verifier: SignerVerifier;
  /** What `person` or `approver` types when signing: their password and a fresh authenticator code. */
  credentialsOf(who: TenantContext): SigningCredentials;
  items: { tubing: string; luer: string };
  suppliers: { approved: string; unapproved: string };
  quarantine: string;
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Delivers pending events of this tenant to the inspect-received-lot flow (opens inspections). */
  deliverEvents(): Promise<void>;
}

export async function purchasingWorld(db: Database): Promise<PurchasingWorld> {
  const base = await testTenant(db);
  const clock = new TestClock();
  const liNa = await createSigner(db, base, { fullName: 'Li Na', roles: ['QA Manager'] }, clock);
  const wangFang = await createSigner(db, base, { fullName: 'Wang Fang', roles: ['Buyer', 'QA Manager'] }, clock);
  const person = liNa.ctx;
  const approver = wangFang.ctx;
  const credentialsOf = (who: TenantContext) => {
    const signer = [liNa, wangFang].find((s) => s.user.id === who.actor.id);
    if (!signer) throw new Error(`${who.actor.name} is not a person of this world`);
    return signer.credentials();
  };
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
      verifier: wangFang.verifier,
      credentialsOf,
      tx,
      items: { tubing: tubing.id, luer: luer.id },
      suppliers: { approved: approved.id, unapproved: unapproved.id },
      quarantine: quarantine.id,
      deliverEvents: () => dispatcher.drain(),
    };
  });
}

/** A day counted from today on the test site's calendar. */
const inDays = (days: number) => addDays(dayIn(TEST_SITE_TIME_ZONE), days);

/** A line due in a week unless the test says otherwise. */
export function aLine(itemId: string, overrides: Partial<PoLineInput> = {}): PoLineInput {
  return { itemId, quantity: '500', unit: 'ea', unitPrice: '0.85', dueDate: inDays(7), ...overrides };
}

/** Creates (person), approves (approver, signed) and sends an order from the approved supplier. */
export async function aSentOrder(w: PurchasingWorld, lines: PoLineInput[]): Promise<PurchaseOrder> {
  return w.tx(async (tx) => {
    const po = await createPurchaseOrder(tx, { supplierId: w.suppliers.approved, siteId: w.site.id, currency: 'CNY', lines });
    await transitionPurchaseOrder(tx, w.approver, w.verifier, po.id, { to: 'approved', credentials: w.credentialsOf(w.approver) });
    return transitionPurchaseOrder(tx, w.person, null, po.id, { to: 'sent' });
  });
}

export function receive(w: PurchasingWorld, poLineId: string, overrides: Partial<NewReceipt> = {}): Promise<Receipt> {
  return w.tx((tx) =>
    postReceipt(tx, w.person, { poLineId, quantity: '500', locationId: w.quarantine, supplierLot: 'S-24-001', ...overrides }),
  );
}

export { inDays };
