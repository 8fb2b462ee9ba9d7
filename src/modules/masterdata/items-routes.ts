import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { DecimalString } from '../../platform/decimal.js';
import { SigningBody } from '../../platform/esign/index.js';
import { idempotent, ifMatchVersions, inTenant, tenantOf } from '../../platform/http/index.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { BomLine, BomLineInput, getBom, getEffectiveBom, setBom } from './bom.js';
import { Explosion, explodeBom, WhereUsedRow, whereUsed } from './bom-graph.js';
import { Id, IsoDate, Search } from './common.js';
import { ITEM_TYPES, ItemPackaging, MASTERDATA, PackagingLevelsBody, TRACKING_MODES } from './contract.js';
import { tagged } from './http.js';
import {
  convertQuantity,
  createItem,
  getItem,
  Item,
  ItemChanges,
  ItemSummary,
  listItems,
  NewItem,
  setItemConversion,
  updateItem,
} from './items.js';
import { getPackagingLevels, setPackagingLevels } from './packaging.js';
import {
  createNextRevision,
  getItemRevision,
  ItemRevision,
  ItemRevisionDetail,
  itemRevisionDetail,
  listItemRevisions,
  transitionRevision,
  updateRevisionDescription,
} from './revisions.js';
import { getRouting, RoutingOperation, RoutingOperationInput, setRouting } from './routing.js';
import { createUnit, listUnits, NewUnit, Unit } from './uom.js';

const read = { permission: MASTERDATA.read };
const write = { permission: MASTERDATA.write };
const create = { permission: MASTERDATA.write, idempotent: true };
const ById = Type.Object({ id: Id });
const Description = Type.String({ maxLength: 2000 });
const Comment = Type.String({ minLength: 1, maxLength: 1000 });

/** Units, items, item revisions with their BOM and routing, explosion and where-used. */
export function itemRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['masterdata'];

  api.get(
    '/units',
    { config: read, schema: { tags, summary: 'Units of measure', response: { 200: Type.Object({ items: Type.Array(Unit) }) } } },
    async (req) => ({
      items: await inTenant(req, (tx) => listUnits(tx)),
    }),
  );
  api.post(
    '/units',
    { config: create, schema: { tags, summary: 'Add a unit of measure', body: NewUnit, response: { 201: Unit } } },
    async (req, reply) => idempotent(req, reply, async (tx) => ({ status: 201, body: await createUnit(tx, req.body) })),
  );

  api.get(
    '/items',
    {
      config: read,
      schema: {
        tags,
        summary: 'Items with their released and in-work revision; q searches code, name and GTIN',
        querystring: PageQuery([], {
          q: Search,
          type: Type.Optional(Type.Enum(ITEM_TYPES)),
          tracking: Type.Optional(Type.Enum(TRACKING_MODES)),
          active: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Page(ItemSummary) },
      },
    },
    async (req) => inTenant(req, (tx) => listItems(tx, req.query)),
  );
  api.post(
    '/items',
    {
      config: create,
      schema: { tags, summary: 'Create an item with its first revision (A, draft)', body: NewItem, response: { 201: Item } },
    },
    async (req, reply) => idempotent(req, reply, async (tx) => ({ status: 201, body: await createItem(tx, req.body) })),
  );
  api.get('/items/:id', { config: read, schema: { tags, params: ById, response: { 200: Item } } }, async (req, reply) =>
    tagged(reply, await inTenant(req, (tx) => getItem(tx, req.params.id))),
  );
  api.patch(
    '/items/:id',
    { config: { ...write, ifMatch: true }, schema: { tags, params: ById, body: ItemChanges, response: { 200: Item } } },
    async (req, reply) => tagged(reply, await inTenant(req, (tx) => updateItem(tx, req.params.id, req.body, ifMatchVersions(req)))),
  );
  api.put(
    '/items/:id/conversions/:unit',
    {
      config: { ...write, ifMatch: true },
      schema: {
        tags,
        summary: 'Set how many base units one unit of this item is',
        params: Type.Object({ id: Id, unit: Type.String({ minLength: 1, maxLength: 16 }) }),
        body: Type.Object({ factor: DecimalString() }, { additionalProperties: false }),
        response: { 200: Item },
      },
    },
    async (req, reply) =>
      tagged(
        reply,
        await inTenant(req, (tx) => setItemConversion(tx, req.params.id, req.params.unit, req.body.factor, ifMatchVersions(req))),
      ),
  );
  api.get(
    '/items/:id/packaging-levels',
    {
      config: read,
      schema: { tags, summary: "The item's packaging levels, each with its GTIN (UDI-DI)", params: ById, response: { 200: ItemPackaging } },
    },
    async (req, reply) => tagged(reply, await inTenant(req, (tx) => getPackagingLevels(tx, req.params.id))),
  );
  api.put(
    '/items/:id/packaging-levels',
    {
      config: { ...write, ifMatch: true },
      schema: {
        tags,
        summary:
          "Replace the item's packaging levels: GTIN per level (check digit verified, unique in the tenant), contained level and quantity",
        params: ById,
        body: PackagingLevelsBody,
        response: { 200: ItemPackaging },
      },
    },
    async (req, reply) =>
      tagged(reply, await inTenant(req, (tx) => setPackagingLevels(tx, req.params.id, req.body.levels, ifMatchVersions(req)))),
  );
  api.get(
    '/items/:id/convert',
    {
      config: read,
      schema: {
        tags,
        summary: 'Convert a quantity of the item between units',
        params: ById,
        querystring: Type.Object(
          {
            quantity: DecimalString(),
            from: Type.String({ minLength: 1, maxLength: 16 }),
            to: Type.String({ minLength: 1, maxLength: 16 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ quantity: DecimalString(), unit: Type.String() }) },
      },
    },
    async (req) => ({
      quantity: await inTenant(req, (tx) => convertQuantity(tx, req.params.id, req.query.quantity, req.query.from, req.query.to)),
      unit: req.query.to,
    }),
  );
  api.get(
    '/items/:id/where-used',
    {
      config: read,
      schema: {
        tags,
        summary: 'Revisions using the item, over all levels',
        params: ById,
        response: { 200: Type.Object({ items: Type.Array(WhereUsedRow) }) },
      },
    },
    async (req) => ({ items: await inTenant(req, (tx) => whereUsed(tx, req.params.id)) }),
  );

  api.get(
    '/items/:id/revisions',
    { config: read, schema: { tags, params: ById, response: { 200: Type.Object({ items: Type.Array(ItemRevision) }) } } },
    async (req) => ({
      items: await inTenant(req, async (tx) => {
        await getItem(tx, req.params.id);
        return listItemRevisions(tx, req.params.id);
      }),
    }),
  );
  api.post(
    '/items/:id/revisions',
    {
      config: create,
      schema: {
        tags,
        summary: 'Start the next revision as a draft copy of the current BOM and routing',
        params: ById,
        body: Type.Object({ description: Description }, { additionalProperties: false }),
        response: { 201: ItemRevision },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({ status: 201, body: await createNextRevision(tx, req.params.id, req.body.description) })),
  );
  api.get(
    '/item-revisions/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A revision with its signatures and allowed next steps',
        params: ById,
        response: { 200: ItemRevisionDetail },
      },
    },
    async (req, reply) => tagged(reply, await inTenant(req, (tx) => itemRevisionDetail(tx, req.params.id))),
  );
  api.patch(
    '/item-revisions/:id',
    {
      config: { ...write, ifMatch: true },
      schema: {
        tags,
        summary: 'Change a draft revision',
        params: ById,
        body: Type.Object({ description: Description }, { additionalProperties: false }),
        response: { 200: ItemRevision },
      },
    },
    async (req, reply) =>
      tagged(reply, await inTenant(req, (tx) => updateRevisionDescription(tx, req.params.id, req.body.description, ifMatchVersions(req)))),
  );
  api.post(
    '/item-revisions/:id/transitions',
    {
      config: create,
      schema: {
        tags,
        summary: 'Submit a draft for review (in_review), return it to draft, or withdraw a draft (obsolete, with a comment)',
        params: ById,
        body: Type.Object(
          { to: Type.Enum(['in_review', 'draft', 'obsolete']), comment: Type.Optional(Comment) },
          { additionalProperties: false },
        ),
        response: { 200: ItemRevision },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({
        status: 200,
        body: await transitionRevision(tx, tenantOf(req), null, req.params.id, req.body),
      })),
  );
  api.post(
    '/item-revisions/:id/release',
    {
      config: { permission: MASTERDATA.signReleased, idempotent: true },
      schema: {
        tags,
        summary:
          'Release a reviewed revision by electronic signature (meaning "released"); the previous released revision becomes obsolete',
        params: ById,
        body: SigningBody,
        response: { 200: ItemRevision },
      },
    },
    async (req, reply) => {
      const { password, totpCode, comment } = req.body;
      return idempotent(req, reply, async (tx) => ({
        status: 200,
        body: await transitionRevision(tx, tenantOf(req), req.server.signerVerifier, req.params.id, {
          to: 'released',
          credentials: { password, totpCode },
          comment,
        }),
      }));
    },
  );

  api.get(
    '/item-revisions/:id/bom',
    {
      config: read,
      schema: {
        tags,
        summary: 'BOM lines of the revision; with onDate only those in effect that day',
        params: ById,
        querystring: Type.Object({ onDate: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: { 200: Type.Object({ lines: Type.Array(BomLine) }) },
      },
    },
    async (req) => ({
      lines: await inTenant(req, (tx) =>
        req.query.onDate ? getEffectiveBom(tx, req.params.id, req.query.onDate) : getBom(tx, req.params.id),
      ),
    }),
  );
  api.put(
    '/item-revisions/:id/bom',
    {
      config: { ...write, ifMatch: true },
      schema: {
        tags,
        summary: 'Replace the BOM of a draft revision (If-Match: the ETag of the revision)',
        params: ById,
        body: Type.Object({ lines: Type.Array(BomLineInput, { maxItems: 1000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ lines: Type.Array(BomLine) }) },
      },
    },
    async (req, reply) => {
      const versions = ifMatchVersions(req);
      return inTenant(req, async (tx) => {
        const lines = await setBom(tx, req.params.id, req.body.lines, versions);
        tagged(reply, await getItemRevision(tx, req.params.id));
        return { lines };
      });
    },
  );
  api.get(
    '/item-revisions/:id/explosion',
    {
      config: read,
      schema: {
        tags,
        summary: 'Multi-level BOM explosion for a quantity on a day, with scrap',
        params: ById,
        querystring: Type.Object({ quantity: DecimalString(), onDate: IsoDate }, { additionalProperties: false }),
        response: { 200: Explosion },
      },
    },
    async (req) => inTenant(req, (tx) => explodeBom(tx, req.params.id, req.query.quantity, req.query.onDate)),
  );
  api.get(
    '/item-revisions/:id/routing',
    { config: read, schema: { tags, params: ById, response: { 200: Type.Object({ operations: Type.Array(RoutingOperation) }) } } },
    async (req) => ({
      operations: await inTenant(req, (tx) => getRouting(tx, req.params.id)),
    }),
  );
  api.put(
    '/item-revisions/:id/routing',
    {
      config: { ...write, ifMatch: true },
      schema: {
        tags,
        summary: 'Replace the routing of a draft revision (If-Match: the ETag of the revision)',
        params: ById,
        body: Type.Object({ operations: Type.Array(RoutingOperationInput, { maxItems: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ operations: Type.Array(RoutingOperation) }) },
      },
    },
    async (req, reply) => {
      const versions = ifMatchVersions(req);
      return inTenant(req, async (tx) => {
        const operations = await setRouting(tx, req.params.id, req.body.operations, versions);
        tagged(reply, await getItemRevision(tx, req.params.id));
        return { operations };
      });
    },
  );
}
