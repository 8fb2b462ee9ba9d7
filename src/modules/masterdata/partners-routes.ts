import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { tenantOf } from '../../platform/http/app.js';
import { idempotent, ifMatchVersions, inTenant } from '../../platform/http/index.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { Id, IsoDate, Search } from './common.js';
import { APPROVAL_STATUSES, MASTERDATA } from './contract.js';
import { tagged } from './http.js';
import {
  addShipTo,
  Customer,
  CustomerChanges,
  createCustomer,
  createSupplier,
  getCustomer,
  getSupplier,
  listCustomers,
  listSupplierApprovals,
  listSuppliers,
  NewCustomer,
  NewShipTo,
  NewSupplier,
  ShipToChanges,
  Supplier,
  SupplierApproval,
  SupplierChanges,
  updateCustomer,
  updateShipTo,
  updateSupplier,
} from './partners.js';
import { ApprovalDecision, decideSupplierApproval } from './partners-decisions.js';

const read = { permission: MASTERDATA.read };
const write = { permission: MASTERDATA.write };
const create = { permission: MASTERDATA.write, idempotent: true };
const ById = Type.Object({ id: Id });
const ActiveListQuery = PageQuery([], { q: Search, active: Type.Optional(Type.Boolean()) });

/** Suppliers and their approved supplier list, customers and their ship-to addresses. */
export function partnerRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['masterdata'];

  api.get(
    '/suppliers',
    {
      config: read,
      schema: { tags, querystring: ActiveListQuery, response: { 200: Page(Supplier) } },
    },
    async (req) => inTenant(req, (tx) => listSuppliers(tx, req.query)),
  );
  api.post('/suppliers', { config: create, schema: { tags, body: NewSupplier, response: { 201: Supplier } } }, async (req, reply) =>
    idempotent(req, reply, async (tx) => ({ status: 201, body: await createSupplier(tx, req.body) })),
  );
  api.get('/suppliers/:id', { config: read, schema: { tags, params: ById, response: { 200: Supplier } } }, async (req, reply) =>
    tagged(reply, await inTenant(req, (tx) => getSupplier(tx, req.params.id))),
  );
  api.patch(
    '/suppliers/:id',
    { config: { ...write, ifMatch: true }, schema: { tags, params: ById, body: SupplierChanges, response: { 200: Supplier } } },
    async (req, reply) => tagged(reply, await inTenant(req, (tx) => updateSupplier(tx, req.params.id, req.body, ifMatchVersions(req)))),
  );
  api.put(
    '/suppliers/:id/approvals/:itemId',
    {
      config: { permission: MASTERDATA.signSupplierApproval },
      schema: {
        tags,
        summary: "Decide the supplier's approved supplier list status for an item (signed, with a reason)",
        description:
          'A quality decision: approve, restrict (conditional), disqualify or re-approve. Re-authenticates the signer (password, plus the ' +
          'TOTP code when enrolled); the reason is `comment` or X-Change-Reason. evidenceDocumentId must name a controlled document.',
        params: Type.Object({ id: Id, itemId: Id }),
        body: ApprovalDecision,
        response: { 200: SupplierApproval },
      },
    },
    async (req) =>
      inTenant(req, (tx) =>
        decideSupplierApproval(tx, tenantOf(req), req.server.signerVerifier, req.params.id, req.params.itemId, req.body),
      ),
  );
  api.get(
    '/supplier-approvals',
    {
      config: read,
      schema: {
        tags,
        summary: 'The approved supplier list; approvedOn keeps only entries valid for purchasing on that day',
        querystring: PageQuery([], {
          supplierId: Type.Optional(Id),
          itemId: Type.Optional(Id),
          status: Type.Optional(Type.Enum(APPROVAL_STATUSES)),
          approvedOn: Type.Optional(IsoDate),
        }),
        response: { 200: Page(SupplierApproval) },
      },
    },
    async (req) => inTenant(req, (tx) => listSupplierApprovals(tx, req.query)),
  );

  api.get(
    '/customers',
    {
      config: read,
      schema: { tags, querystring: ActiveListQuery, response: { 200: Page(Customer) } },
    },
    async (req) => inTenant(req, (tx) => listCustomers(tx, req.query)),
  );
  api.post('/customers', { config: create, schema: { tags, body: NewCustomer, response: { 201: Customer } } }, async (req, reply) =>
    idempotent(req, reply, async (tx) => ({ status: 201, body: await createCustomer(tx, req.body) })),
  );
  api.get('/customers/:id', { config: read, schema: { tags, params: ById, response: { 200: Customer } } }, async (req, reply) =>
    tagged(reply, await inTenant(req, (tx) => getCustomer(tx, req.params.id))),
  );
  api.patch(
    '/customers/:id',
    { config: { ...write, ifMatch: true }, schema: { tags, params: ById, body: CustomerChanges, response: { 200: Customer } } },
    async (req, reply) => tagged(reply, await inTenant(req, (tx) => updateCustomer(tx, req.params.id, req.body, ifMatchVersions(req)))),
  );
  api.post(
    '/customers/:id/ship-tos',
    { config: create, schema: { tags, params: ById, body: NewShipTo, response: { 201: Customer } } },
    async (req, reply) => idempotent(req, reply, async (tx) => ({ status: 201, body: await addShipTo(tx, req.params.id, req.body) })),
  );
  api.patch(
    '/customers/:id/ship-tos/:shipToId',
    {
      config: { ...write, ifMatch: true },
      schema: { tags, params: Type.Object({ id: Id, shipToId: Id }), body: ShipToChanges, response: { 200: Customer } },
    },
    async (req, reply) =>
      tagged(reply, await inTenant(req, (tx) => updateShipTo(tx, req.params.id, req.params.shipToId, req.body, ifMatchVersions(req)))),
  );
}
