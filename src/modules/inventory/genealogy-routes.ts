import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { inTenant } from '../../platform/http/app.js';
import { LANGUAGES, pickLanguage, translator } from '../../platform/i18n.js';
import type { ModuleDeps } from '../../platform/module.js';
import { printable } from '../../platform/pdf/index.js';
import { Id } from '../../platform/schema.js';
import { INVENTORY_PERMISSIONS as P, TRACE_DIRECTIONS, Trace, type TraceDirection } from './contract.js';
import { TRACE_DEPTH, TRACE_LIMIT } from './genealogy.js';
import { genealogyCsv, genealogyPrintRecord, genealogyView } from './genealogy-view.js';
import { getLot } from './lots.js';

const LotParams = Type.Object({ id: Id }, { additionalProperties: false });
const TraceBounds = {
  maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: TRACE_DEPTH })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: TRACE_LIMIT, default: TRACE_LIMIT })),
};
const TraceQuery = Type.Object(TraceBounds, { additionalProperties: false });
const SUMMARIES: Record<TraceDirection, string> = {
  forward: 'Where used: every lot and serial this lot went into, at any depth, nearest first',
  backward:
    'Made from: every lot and serial that went into this lot, at any depth, nearest first, with the supplier origin of received lots',
};

/** Genealogy over HTTP: where a lot was used (forward) and what it was made from (backward), at any depth, as JSON, CSV and PDF. */
export function genealogyRoutes(app: FastifyInstance, deps: Pick<ModuleDeps, 'recordNames'> = {}): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['inventory'];
  for (const direction of TRACE_DIRECTIONS) {
    api.get(
      `/inventory/lots/:id/genealogy/${direction}`,
      {
        config: { permission: P.read },
        schema: { tags, summary: SUMMARIES[direction], params: LotParams, querystring: TraceQuery, response: { 200: Trace } },
      },
      async (request) => inTenant(request, (tx) => genealogyView(tx, direction, request.params.id, request.query, deps.recordNames)),
    );
    api.get(
      `/inventory/lots/:id/genealogy/${direction}/csv`,
      {
        config: { permission: P.read },
        schema: {
          tags,
          summary: `${SUMMARIES[direction]}, as CSV in tree order with translated headers and labels`,
          description: 'a file download (Content-Disposition: attachment), UTF-8 with a byte order mark',
          params: LotParams,
          querystring: Type.Object(
            {
              ...TraceBounds,
              lang: Type.Optional(Type.Enum(LANGUAGES, { description: "the reader's language; default from Accept-Language" })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const { lang, ...bounds } = request.query;
        const { t } = translator(pickLanguage(lang, request.headers['accept-language']));
        const { csv, number } = await inTenant(request, async (tx) => {
          const lot = await getLot(tx, request.params.id);
          return { csv: genealogyCsv(await genealogyView(tx, direction, lot.id, bounds, deps.recordNames), lot, t), number: lot.number };
        });
        const filename = `genealogy-${direction}-${number.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .header('cache-control', 'no-store')
          .send(csv);
      },
    );
  }
  printable(app, {
    path: '/inventory/lots/:id/genealogy/pdf',
    permission: P.read,
    tags,
    summary:
      "A lot's genealogy as a printable PDF: where used and made from, as indented trees with status, work order and supplier origin",
    load: (tx, ctx, id) => genealogyPrintRecord(tx, ctx, id, deps.recordNames),
  });
}
