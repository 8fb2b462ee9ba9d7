import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { purposeKey } from '../crypto.js';
import type { Tx } from '../db/index.js';
import { NotFound } from '../errors.js';
import { type App, inTenant, tenantOf } from '../http/app.js';
import type { ModuleDeps, RecordNames } from '../module.js';
import { Page, PageQuery } from '../paging.js';
import { AUDIT_PERMISSIONS } from './permissions.js';
import { AUDIT_CHECKPOINT_PURPOSE, verifyAuditChain } from './seal.js';
import { type AuditEvent, recordAsOf, recordHistory, searchAudit } from './trail.js';

const Entity = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'table name, or "security"' });
const RecordId = Type.String({ minLength: 1, maxLength: 200 });
/** A record's table: security events are read through the whole trail only (`audit:read`). */
const RecordEntity = Type.String({ pattern: '^(?!security$)[a-z][a-z0-9_]{0,62}$', description: 'table name' });

const AuditEventSchema = Type.Object({
  id: Type.String(),
  seq: Type.Union([Type.Integer(), Type.Null()], { description: 'position in the hash chain once sealed' }),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String() }),
  action: Type.String(),
  entity: Type.String(),
  recordId: Type.Union([Type.String(), Type.Null()]),
  changes: Type.Array(Type.Object({ field: Type.String(), old: Type.Unknown(), new: Type.Unknown() })),
  reason: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The records the changes refer to, named in one look-up per referring column. */
async function namesOf(
  tx: Tx,
  events: readonly AuditEvent[],
  lookups: ReadonlyMap<string, RecordNames> | undefined,
): Promise<Record<string, { code: string; name: string }>> {
  const wanted = new Map<string, Set<string>>();
  for (const e of events) {
    for (const c of e.changes) {
      if (!lookups?.has(c.field)) continue;
      for (const v of [c.old, c.new]) {
        if (typeof v === 'string' && UUID.test(v)) wanted.set(c.field, (wanted.get(c.field) ?? new Set()).add(v));
      }
    }
  }
  const names: Record<string, { code: string; name: string }> = {};
  for (const [column, ids] of wanted) {
    const lookup = lookups?.get(column);
    if (!lookup) continue;
    for (const r of await lookup(tx, [...ids])) names[r.id] = { code: r.code, name: r.name };
  }
  return names;
}

export function auditRoutes(app: App, deps: Pick<ModuleDeps, 'auditReaders' | 'recordNames'>): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  /**
   * A record's history is the record: reading it through the trail needs the permission that
   * reads the record itself (a person who may not see purchase orders may not see their history).
   */
  const mayReadRecords = async (request: FastifyRequest, entity: string): Promise<void> => {
    const permission = deps.auditReaders.get(entity);
    if (!permission) {
      throw new NotFound(`${entity} is not an audited record type`, { code: 'error.audit.entityUnknown', params: { entity } });
    }
    const guard = request.server.guard;
    if (guard) await guard(request, permission);
  };

  api.get(
    '/audit',
    {
      config: { permission: AUDIT_PERMISSIONS.read },
      schema: {
        tags: ['audit'],
        summary: 'The searchable trail of the tenant, newest first, by cursor',
        querystring: PageQuery([], {
          entity: Type.Optional(Entity),
          actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          action: Type.Optional(Type.String({ pattern: '^[a-z][a-zA-Z0-9_.]{0,62}$' })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: Page(AuditEventSchema) },
      },
    },
    async (request) => {
      const q = request.query;
      return inTenant(request, (tx) =>
        searchAudit(tx, {
          entity: q.entity,
          actor: q.actor,
          action: q.action,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          cursor: q.cursor,
          limit: q.limit,
        }),
      );
    },
  );

  api.get(
    '/audit/history',
    {
      config: { permission: AUDIT_PERMISSIONS.recordRead },
      schema: {
        tags: ['audit'],
        summary: "One record's history, oldest first: who changed which field from what to what, when and why",
        querystring: Type.Object({ entity: RecordEntity, id: RecordId }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(AuditEventSchema),
            names: Type.Record(Type.String(), Type.Object({ code: Type.String(), name: Type.String() }), {
              description: 'code and name of each record an id in the changes refers to (item, supplier, lot, location, person, site…)',
            }),
          }),
        },
      },
    },
    async (request) => {
      await mayReadRecords(request, request.query.entity);
      return inTenant(request, async (tx) => {
        const items = await recordHistory(tx, request.query.entity, request.query.id);
        return { items, names: await namesOf(tx, items, deps.recordNames) };
      });
    },
  );

  api.get(
    '/audit/record',
    {
      config: { permission: AUDIT_PERMISSIONS.recordRead },
      schema: {
        tags: ['audit'],
        summary: 'A record as it was at an instant, rebuilt from the audit trail',
        querystring: Type.Object(
          { entity: RecordEntity, id: RecordId, asOf: Type.String({ format: 'date-time' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            entity: Type.String(),
            id: Type.String(),
            asOf: Type.String(),
            exists: Type.Boolean(),
            record: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
            lastChange: Type.Union([
              Type.Object({
                at: Type.String(),
                actor: Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String() }),
                action: Type.String(),
              }),
              Type.Null(),
            ]),
          }),
        },
      },
    },
    async (request) => {
      const { entity, id, asOf } = request.query;
      await mayReadRecords(request, entity);
      const found = await inTenant(request, (tx) => recordAsOf(tx, entity, id, asOf));
      if (!found) {
        throw new NotFound(`the audit trail holds no ${entity} record ${id}`, {
          code: 'error.audit.recordNotFound',
          params: { entity, id },
        });
      }
      return found;
    },
  );

  api.get(
    '/audit/verify',
    {
      config: { permission: AUDIT_PERMISSIONS.verify },
      schema: {
        tags: ['audit'],
        summary: "Seal finished events, then verify the tenant's hash chain and name the first broken link",
        response: {
          200: Type.Object({
            tenantId: Type.String(),
            checked: Type.Integer(),
            ok: Type.Boolean(),
            firstBroken: Type.Union([
              Type.Object({
                seq: Type.Integer(),
                eventId: Type.Union([Type.String(), Type.Null()]),
                problem: Type.String(),
                detail: Type.String(),
              }),
              Type.Null(),
            ]),
            unsealed: Type.Object({ count: Type.Integer(), oldestAgeSeconds: Type.Union([Type.Number(), Type.Null()]) }),
            checkpoints: Type.Object(
              {
                checked: Type.Integer(),
                latest: Type.Union([
                  Type.Object({ tenantId: Type.String(), seq: Type.Integer(), hash: Type.String(), at: Type.String() }),
                  Type.Null(),
                ]),
              },
              { description: 'checkpoints signed with the server key (outside the database), each checked against the chain' },
            ),
          }),
        },
      },
    },
    async (request) =>
      verifyAuditChain(request.server.db, tenantOf(request).tenantId, {
        checkpointKey: purposeKey(request.server.config, AUDIT_CHECKPOINT_PURPOSE),
        onCheckpoint: (checkpoint) => request.log.info({ checkpoint }, 'audit checkpoint signed'),
      }),
  );
}
