import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { App } from '../http/app.js';
import { inTenant } from '../http/app.js';
import type { PermissionDef } from '../module.js';
import { SITE_PERMISSIONS } from '../permissions.js';
import { createSite, listSites, Site, SiteCode } from './service.js';

export { SITE_PERMISSIONS };

export const SITE_PERMISSION_DEFS: readonly PermissionDef[] = [
  { name: SITE_PERMISSIONS.read, description: 'See the sites (plants) of the company' },
  { name: SITE_PERMISSIONS.manage, description: 'Add and change sites' },
];

export function tenancyRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/sites',
    {
      config: { permission: SITE_PERMISSIONS.read },
      schema: {
        tags: ['sites'],
        summary: 'Sites (plants) of the tenant',
        response: { 200: Type.Object({ items: Type.Array(Site) }) },
      },
    },
    async (request) => ({ items: await inTenant(request, (tx) => listSites(tx)) }),
  );

  api.post(
    '/sites',
    {
      config: { permission: SITE_PERMISSIONS.manage },
      schema: {
        tags: ['sites'],
        summary: 'Add a site',
        body: Type.Object(
          {
            code: SiteCode,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            timeZone: Type.String({ minLength: 1, maxLength: 64 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Site },
      },
    },
    async (request, reply) => reply.status(201).send(await inTenant(request, (tx) => createSite(tx, request.body))),
  );
}
