import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DecimalString, dec } from '../../platform/decimal.js';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { SignerPassword, SignerTotpCode } from '../../platform/esign/index.js';
import { inTenant, tenantOf } from '../../platform/http/app.js';
import { idempotent } from '../../platform/http/idempotency.js';
import type { ModuleDeps } from '../../platform/module.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { Id, IsoDate } from '../../platform/schema.js';
import { Lot, LotStatusSchema, MovementTypeSchema, INVENTORY_PERMISSIONS as P, Reference } from './contract.js';
import { adjust, issue, transfer } from './ledger.js';
import { hold, LOTS, listLots, reject, release, type Signing, unhold } from './lots.js';
import { receiveIntoQuarantine } from './receipts.js';
import { onHand, onHandByItem, suggestFefo } from './stock.js';
import {
  adjustmentSignature,
  BalanceView,
  describeBalances,
  describeFefo,
  describeItemTotals,
  describeLots,
  FefoLineView,
  ItemTotalView,
  LotDetail,
  LotView,
  listMovements,
  lotDetail,
  MOVEMENTS,
  MovementView,
} from './views.js';

const Obj = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });
const Reason = Type.String({ minLength: 1, maxLength: 1000 });
const Credentials = Obj({ password: SignerPassword, totpCode: Type.Optional(SignerTotpCode) });
const LotParams = Obj({ id: Id });
const Operation = Type.Object({ operationId: Id });
const tags = ['inventory'];

function signing(request: FastifyRequest, credentials: { password: string; totpCode?: string | undefined }): Signing {
  return { ctx: tenantOf(request), verifier: request.server.signerVerifier, credentials };
}

/**
 * Thin HTTP over the inventory services: validate, authorize (route permission), delegate.
 * Receipts, transfers, issues and holds honour `Idempotency-Key`; signed steps do not (their
 * body carries the signer's password, which must not be kept even as part of a request hash,
 * and a repeated release or rejection is refused by the lot's state machine anyway).
 */
export function inventoryRoutes(app: FastifyInstance, deps: Pick<ModuleDeps, 'recordNames'> = {}): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/inventory/lots',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Lots and serials, filtered, with their item, supplier and stock per location',
        description: 'Newest first unless sorted otherwise.',
        querystring: PageQuery(Object.keys(LOTS.sorts), {
          itemId: Type.Optional(Id),
          status: Type.Optional(LotStatusSchema),
          number: Type.Optional(Type.String({ maxLength: 80 })),
          supplierLot: Type.Optional(Type.String({ maxLength: 80 })),
          expiresBefore: Type.Optional(IsoDate),
          q: Type.Optional(
            Type.String({ minLength: 1, maxLength: 80, description: 'part of the lot or supplier lot number, or an item code' }),
          ),
          inStock: Type.Optional(Type.Boolean({ description: 'only lots with stock on hand' })),
        }),
        response: { 200: Page(LotView) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        // People read the newest lots first; an API caller may ask for any order.
        const page = await listLots(tx, { ...request.query, sort: request.query.sort ?? '-createdAt' });
        return { items: await describeLots(tx, page.items), nextCursor: page.nextCursor };
      }),
  );

  api.get(
    '/inventory/lots/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'A lot with its stock per location, status history, movements, signatures (with their manifestation) and next steps',
        params: LotParams,
        response: { 200: LotDetail },
      },
    },
    async (request) => inTenant(request, (tx) => lotDetail(tx, request.params.id, deps.recordNames)),
  );

  api.get(
    '/inventory/movements',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'The stock ledger, newest first: movements of a lot, an item or a location',
        querystring: PageQuery(Object.keys(MOVEMENTS.sorts), {
          lotId: Type.Optional(Id),
          itemId: Type.Optional(Id),
          locationId: Type.Optional(Id),
          type: Type.Optional(MovementTypeSchema),
        }),
        response: { 200: Page(MovementView) },
      },
    },
    async (request) => inTenant(request, (tx) => listMovements(tx, request.query, deps.recordNames)),
  );

  api.get(
    '/inventory/on-hand',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'On hand per item, lot and location (name at least one filter)',
        querystring: Obj({ itemId: Type.Optional(Id), lotId: Type.Optional(Id), locationId: Type.Optional(Id), siteId: Type.Optional(Id) }),
        response: { 200: Type.Object({ items: Type.Array(BalanceView) }) },
      },
    },
    async (request) => inTenant(request, async (tx) => ({ items: await describeBalances(tx, await onHand(tx, request.query)) })),
  );

  api.get(
    '/inventory/on-hand/by-item',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Totals per item for a site or a location: available, in quarantine and blocked',
        querystring: PageQuery([], { siteId: Type.Optional(Id), locationId: Type.Optional(Id), itemId: Type.Optional(Id) }),
        response: { 200: Page(ItemTotalView) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        const page = await onHandByItem(tx, request.query);
        return { items: await describeItemTotals(tx, page.items), nextCursor: page.nextCursor };
      }),
  );

  api.get(
    '/inventory/fefo',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'First-expiry-first-out suggestion of usable lots covering a quantity',
        querystring: Obj({ itemId: Id, siteId: Id, quantity: DecimalString() }),
        response: { 200: Type.Object({ lines: Type.Array(FefoLineView), shortfall: DecimalString() }) },
      },
    },
    async (request) => {
      const { itemId, siteId, quantity } = request.query;
      return inTenant(request, async (tx) => describeFefo(tx, await suggestFefo(tx, itemId, dec(quantity, 'quantity'), siteId)));
    },
  );

  api.post(
    '/inventory/receipts',
    {
      config: { permission: P.move, idempotent: true },
      schema: {
        tags,
        summary: 'Receive stock into a quarantine location (lot, serials or untracked quantity)',
        body: Obj({
          itemId: Id,
          itemRevisionId: Type.Optional(Id),
          locationId: Id,
          quantity: Type.Optional(DecimalString()),
          unit: Type.Optional(
            Type.String({ minLength: 1, maxLength: 16, description: "the quantity's unit; default the item's base unit" }),
          ),
          serials: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { minItems: 1, maxItems: 100_000 })),
          supplierId: Type.Optional(Id),
          supplierLot: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
          manufacturedOn: Type.Optional(IsoDate),
          expiresOn: Type.Optional(IsoDate),
          reference: Type.Optional(Reference),
        }),
        response: {
          201: Type.Object({
            operationId: Id,
            quantity: DecimalString(),
            lots: Type.Array(Type.Object({ id: Id, number: Type.String() })),
          }),
        },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({ status: 201, body: await receiveIntoQuarantine(tx, request.body) })),
  );

  api.post(
    '/inventory/transfers',
    {
      config: { permission: P.move, idempotent: true },
      schema: {
        tags,
        summary: 'Move stock between two locations of one site',
        body: Obj({
          itemId: Id,
          lotId: Type.Optional(Id),
          fromLocationId: Id,
          toLocationId: Id,
          quantity: DecimalString(),
          reason: Type.Optional(Reason),
          reference: Type.Optional(Reference),
        }),
        response: { 201: Operation },
      },
    },
    async (request, reply) => idempotent(request, reply, async (tx) => ({ status: 201, body: await transfer(tx, request.body) })),
  );

  api.post(
    '/inventory/issues',
    {
      config: { permission: P.move, idempotent: true },
      schema: {
        tags,
        summary: 'Issue usable stock to a work order or a shipment',
        body: Obj({
          itemId: Id,
          lotId: Type.Optional(Id),
          locationId: Id,
          quantity: DecimalString(),
          purpose: Type.Union([Type.Literal('production'), Type.Literal('shipment')]),
          reference: Reference,
        }),
        response: { 201: Operation },
      },
    },
    async (request, reply) => idempotent(request, reply, async (tx) => ({ status: 201, body: await issue(tx, request.body) })),
  );

  api.post(
    '/inventory/adjustments',
    {
      config: { permission: P.adjust },
      schema: {
        tags,
        summary: 'Book a counted difference, with reason and e-signature (meaning verified)',
        body: Obj({
          itemId: Id,
          lotId: Type.Optional(Id),
          locationId: Id,
          quantity: DecimalString({ description: 'signed change, e.g. "-2" or "0.5"' }),
          reason: Reason,
          signature: Credentials,
        }),
        response: { 201: Type.Object({ operationId: Id, movementId: Id, signature: SignatureSchema }) },
      },
    },
    async (request, reply) => {
      const { signature, ...input } = request.body;
      const booked = await inTenant(request, async (tx) => {
        const { operationId } = await adjust(tx, { ...input, signing: signing(request, signature) });
        return { operationId, ...(await adjustmentSignature(tx, operationId)) };
      });
      return reply.status(201).send(booked);
    },
  );

  const LotResponse = { 200: Lot };
  api.post(
    '/inventory/lots/:id/hold',
    {
      config: { permission: P.hold, idempotent: true },
      schema: { tags, summary: 'Put a lot on hold', params: LotParams, body: Obj({ reason: Reason }), response: LotResponse },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await hold(tx, { lotId: request.params.id, reason: request.body.reason }),
      })),
  );

  api.post(
    '/inventory/lots/:id/unhold',
    {
      config: { permission: P.hold, idempotent: true },
      schema: { tags, summary: 'Lift the hold on a lot', params: LotParams, body: Obj({ reason: Reason }), response: LotResponse },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({
        status: 200,
        body: await unhold(tx, { lotId: request.params.id, reason: request.body.reason }),
      })),
  );

  api.post(
    '/inventory/lots/:id/release',
    {
      config: { permission: P.signReleased },
      schema: {
        tags,
        summary: 'Release a quarantined lot by e-signature (meaning released)',
        params: LotParams,
        body: Obj({ reason: Type.Optional(Reason), signature: Credentials }),
        response: LotResponse,
      },
    },
    async (request) =>
      inTenant(request, (tx) =>
        release(tx, { lotId: request.params.id, reason: request.body.reason, signing: signing(request, request.body.signature) }),
      ),
  );

  api.post(
    '/inventory/lots/:id/reject',
    {
      config: { permission: P.signRejected },
      schema: {
        tags,
        summary: 'Reject a lot by e-signature (meaning rejected)',
        params: LotParams,
        body: Obj({ reason: Reason, signature: Credentials }),
        response: LotResponse,
      },
    },
    async (request) =>
      inTenant(request, (tx) =>
        reject(tx, { lotId: request.params.id, reason: request.body.reason, signing: signing(request, request.body.signature) }),
      ),
  );
}
