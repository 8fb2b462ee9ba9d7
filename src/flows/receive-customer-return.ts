// A customer's returned goods arrive (POST /sales/returns/:id/receive). In one transaction:
//   1. Sales accepts the receipt (acceptReturnReceipt): the return expects goods (authorised or
//      partially received), every lot or serial is on it, and no line gets more than it has
//      authorised and not yet received. It locks the return and writes nothing.
//   2. Inventory takes the exact lots and serials back (receiveReturn) into a quarantine location of
//      the site they were shipped from: ledger rows of type receipt linked to the return and its line
//      (source kind customer_return); a lot that was released, shipped or consumed is in quarantine
//      again until quality decides.
//   3. Sales records what came back (recordReturnReceipt): each line's received quantity, location and
//      receiver, the return's next status, the event sales.return.received.
// A refusal at any step leaves nothing behind: no stock in quarantine without its return, and no
// return saying goods came back that inventory does not hold.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { receiveReturn } from '../modules/inventory/index.js';
import { listLocations } from '../modules/masterdata/index.js';
import {
  acceptReturnReceipt,
  authoriseReturn,
  type CustomerReturn,
  customerReturnRecord,
  demoShipmentToReturn,
  ReturnReceiptBody,
  type ReturnReceiptInput,
  ReturnRecordSchema,
  recordReturnReceipt,
  SALES_PERMISSIONS,
} from '../modules/sales/index.js';
import type { Tx } from '../platform/db/index.js';
import { type App, tenantOf } from '../platform/http/app.js';
import { idempotent } from '../platform/http/idempotency.js';
import type { DemoSeed, Module } from '../platform/module.js';
import { Id } from '../platform/schema.js';
import { systemContext, type TenantContext } from '../platform/tenancy/index.js';

/** Receives returned goods into quarantine: the three steps above, in the caller's transaction. */
export async function receiveCustomerReturn(tx: Tx, ctx: TenantContext, id: string, input: ReturnReceiptInput): Promise<CustomerReturn> {
  const accepted = await acceptReturnReceipt(tx, id, input);
  const stock = await receiveReturn(tx, {
    source: { kind: 'customer_return', id: accepted.ret.id },
    siteId: accepted.ret.siteId,
    locationId: accepted.locationId,
    lots: accepted.picks,
    reason: `customer return ${accepted.ret.number}`,
  });
  return recordReturnReceipt(tx, ctx, accepted, stock);
}

function receiveRoute(app: App): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/sales/returns/:id/receive',
    {
      config: { permission: SALES_PERMISSIONS.returnReceive, idempotent: true },
      schema: {
        tags: ['sales'],
        summary: 'Receive the exact lots and serials of a return back into a quarantine location of the shipping site',
        description:
          'Refused (409) for a return that expects nothing (error.sales.return.notReceivable: received in full, closed or cancelled), a lot or serial not on the return (error.sales.return.lotNotOnReturn), more than a line has authorised and not yet received (error.sales.return.overReceived), a location that is not quarantine or at another site (error.inventory.location.notQuarantine, error.inventory.return.otherSite). Nothing is written on a refusal. Publishes sales.return.received and, for each lot back in quarantine, inventory.lot.returned.',
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        body: ReturnReceiptBody,
        response: { 200: ReturnRecordSchema },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        await receiveCustomerReturn(tx, tenantOf(request), request.params.id, request.body);
        return { status: 200, body: await customerReturnRecord(tx, request.params.id) };
      }),
  );
}

/** The demo: the distributor sends back 2 units of a lot it received, now in receiving quarantine awaiting quality's decision. */
async function seedDemoReturn(tx: Tx, seed: DemoSeed): Promise<void> {
  const shipped = await demoShipmentToReturn(tx);
  const quarantine = (await listLocations(tx, { siteId: seed.siteId, kind: 'quarantine', active: true, limit: 1 })).items[0];
  if (!shipped || !quarantine) return;
  const ctx = systemContext(seed.tenantId, 'seed', seed.siteId);
  const ret = await authoriseReturn(tx, ctx, {
    shipmentId: shipped.shipmentId,
    reason:
      'Two infusion sets arrived with torn outer pouches (customer complaint call 2026-11-18); the customer sends them back for inspection.',
    lines: [{ shipmentLineNo: shipped.lineNo, lotId: shipped.lotId, quantity: '2' }],
  });
  await receiveCustomerReturn(tx, ctx, ret.id, { locationId: quarantine.id, lines: [{ lotId: shipped.lotId, quantity: '2' }] });
  seed.notes.push(`sales: return ${ret.number} received into quarantine, awaiting quality's disposition`);
}

export const receiveCustomerReturnFlow: Module = {
  name: 'receive-customer-return',
  routes: (api) => receiveRoute(api),
  seedDemo: seedDemoReturn,
};
