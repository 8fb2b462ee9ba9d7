import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { inTenant } from '../../platform/http/app.js';
import { Id } from '../../platform/schema.js';
import { INVENTORY_PERMISSIONS as P, Trace } from './contract.js';
import { TRACE_DEPTH, TRACE_LIMIT, traceBackward, traceForward } from './genealogy.js';

const LotParams = Type.Object({ id: Id }, { additionalProperties: false });
const TraceQuery = Type.Object(
  {
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: TRACE_DEPTH })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: TRACE_LIMIT, default: TRACE_LIMIT })),
  },
  { additionalProperties: false },
);

/** Genealogy over HTTP: where a lot was used (forward) and what it was made from (backward), at any depth. */
export function genealogyRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['inventory'];
  api.get(
    '/inventory/lots/:id/genealogy/forward',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Where used: every lot and serial this lot went into, at any depth, nearest first',
        params: LotParams,
        querystring: TraceQuery,
        response: { 200: Trace },
      },
    },
    async (request) => inTenant(request, (tx) => traceForward(tx, request.params.id, request.query)),
  );
  api.get(
    '/inventory/lots/:id/genealogy/backward',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Made from: every lot and serial that went into this lot, at any depth, nearest first',
        params: LotParams,
        querystring: TraceQuery,
        response: { 200: Trace },
      },
    },
    async (request) => inTenant(request, (tx) => traceBackward(tx, request.params.id, request.query)),
  );
}
