import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { idempotent, ifMatchVersions, inTenant } from '../../platform/http/index.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { Id, Search } from './common.js';
import { EQUIPMENT_STATUSES, LOCATION_KINDS, MASTERDATA } from './contract.js';
import { tagged } from './http.js';
import { createLocation, getLocation, Location, LocationChanges, listLocations, NewLocation, updateLocation } from './locations.js';
import {
  createEquipment,
  createWorkCenter,
  Equipment,
  EquipmentChanges,
  getEquipment,
  getWorkCenter,
  listEquipment,
  listWorkCenters,
  NewEquipment,
  NewWorkCenter,
  updateEquipment,
  updateWorkCenter,
  WorkCenter,
  WorkCenterChanges,
} from './resources.js';

const read = { permission: MASTERDATA.read };
const write = { permission: MASTERDATA.write };
const create = { permission: MASTERDATA.write, idempotent: true };
const ById = Type.Object({ id: Id });

/** Work centers, equipment and storage locations. */
export function resourceRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['masterdata'];

  api.get(
    '/work-centers',
    {
      config: read,
      schema: {
        tags,
        querystring: PageQuery([], { q: Search, siteId: Type.Optional(Id), active: Type.Optional(Type.Boolean()) }),
        response: { 200: Page(WorkCenter) },
      },
    },
    async (req) => inTenant(req, (tx) => listWorkCenters(tx, req.query)),
  );
  api.post('/work-centers', { config: create, schema: { tags, body: NewWorkCenter, response: { 201: WorkCenter } } }, async (req, reply) =>
    idempotent(req, reply, async (tx) => ({ status: 201, body: await createWorkCenter(tx, req.body) })),
  );
  api.get('/work-centers/:id', { config: read, schema: { tags, params: ById, response: { 200: WorkCenter } } }, async (req, reply) =>
    tagged(reply, await inTenant(req, (tx) => getWorkCenter(tx, req.params.id))),
  );
  api.patch(
    '/work-centers/:id',
    { config: { ...write, ifMatch: true }, schema: { tags, params: ById, body: WorkCenterChanges, response: { 200: WorkCenter } } },
    async (req, reply) => tagged(reply, await inTenant(req, (tx) => updateWorkCenter(tx, req.params.id, req.body, ifMatchVersions(req)))),
  );

  api.get(
    '/equipment',
    {
      config: read,
      schema: {
        tags,
        querystring: PageQuery([], {
          q: Search,
          workCenterId: Type.Optional(Id),
          status: Type.Optional(Type.Enum(EQUIPMENT_STATUSES)),
          calibrationOverdue: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Page(Equipment) },
      },
    },
    async (req) => inTenant(req, (tx) => listEquipment(tx, req.query)),
  );
  api.post('/equipment', { config: create, schema: { tags, body: NewEquipment, response: { 201: Equipment } } }, async (req, reply) =>
    idempotent(req, reply, async (tx) => ({ status: 201, body: await createEquipment(tx, req.body) })),
  );
  api.get('/equipment/:id', { config: read, schema: { tags, params: ById, response: { 200: Equipment } } }, async (req, reply) =>
    tagged(reply, await inTenant(req, (tx) => getEquipment(tx, req.params.id))),
  );
  api.patch(
    '/equipment/:id',
    { config: { ...write, ifMatch: true }, schema: { tags, params: ById, body: EquipmentChanges, response: { 200: Equipment } } },
    async (req, reply) => tagged(reply, await inTenant(req, (tx) => updateEquipment(tx, req.params.id, req.body, ifMatchVersions(req)))),
  );

  api.get(
    '/locations',
    {
      config: read,
      schema: {
        tags,
        querystring: PageQuery([], {
          q: Search,
          siteId: Type.Optional(Id),
          kind: Type.Optional(Type.Enum(LOCATION_KINDS)),
          active: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Page(Location) },
      },
    },
    async (req) => inTenant(req, (tx) => listLocations(tx, req.query)),
  );
  api.post('/locations', { config: create, schema: { tags, body: NewLocation, response: { 201: Location } } }, async (req, reply) =>
    idempotent(req, reply, async (tx) => ({ status: 201, body: await createLocation(tx, req.body) })),
  );
  api.get('/locations/:id', { config: read, schema: { tags, params: ById, response: { 200: Location } } }, async (req, reply) =>
    tagged(reply, await inTenant(req, (tx) => getLocation(tx, req.params.id))),
  );
  api.patch(
    '/locations/:id',
    { config: { ...write, ifMatch: true }, schema: { tags, params: ById, body: LocationChanges, response: { 200: Location } } },
    async (req, reply) => tagged(reply, await inTenant(req, (tx) => updateLocation(tx, req.params.id, req.body, ifMatchVersions(req)))),
  );
}
