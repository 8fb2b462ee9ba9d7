import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { CHANGE_REASON_HEADER, parseChangeReason } from '../audit/reason.js';
import type { Config } from '../config.js';
import { type Database, migrationStatus, sql, type Tx } from '../db/index.js';
import { BadInput, type FieldError, NotFound, Unauthorized } from '../errors.js';
import type { SignerVerifier } from '../esign/types.js';
import { uuidv7 } from '../ids.js';
import {
  buildAuditReaders,
  buildPermissionCatalog,
  buildRecordNames,
  type Module,
  type ModuleDeps,
  type PermissionDef,
  type RecordNames,
} from '../module.js';
import { type TenantContext, withTenant } from '../tenancy/index.js';
import { installMetrics } from './metrics.js';
import { documentRefusals } from './openapi.js';
import { sendProblem, toProblem } from './problem.js';
import { setSecurityHeaders } from './security-headers.js';
import { CONTROL_CHARACTER, requestTextErrors } from './text.js';

/** Resolves who calls and whether they hold `permission`; installed by the identity module. */
export type Guard = (request: FastifyRequest, permission: string) => Promise<TenantContext>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `module:action` the caller must hold; every /api/v1 route declares this or `public`. */
    permission?: string;
    public?: boolean;
    /** The route demands If-Match (ifMatchVersions): documented in OpenAPI with its 412 and 428. */
    ifMatch?: boolean;
  }
  interface FastifyRequest {
    tenant: TenantContext | null;
    /** Control characters and line breaks found in the request's text, refused with the schema's findings. */
    textErrors: FieldError[] | null;
  }
  interface FastifyInstance {
    db: Database;
    config: Config;
    guard: Guard | null;
    /** Re-authentication for e-signatures; installed by the identity module. */
    signerVerifier: SignerVerifier | null;
  }
}

export type App = FastifyInstance;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface AppOptions {
  config: Config;
  db: Database;
  modules: Module[];
  /** Extra routes under /api/v1 from the platform itself (tenancy). */
  platformRoutes?: Array<(api: FastifyInstance, deps: ModuleDeps) => Promise<void> | void>;
  /** Permissions the platform routes declare (sites). */
  platformPermissions?: readonly PermissionDef[];
  /** The platform's own audited tables and the permission that reads each. */
  platformAuditedTables?: Readonly<Record<string, string>>;
  /** How the platform's own records (sites) are named where others refer to them. */
  platformRecordNames?: Readonly<Record<string, RecordNames>>;
}

/** The Fastify app, without listening: tests use inject(), `serve` calls listen(). */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config, db } = opts;
  const permissions = buildPermissionCatalog(opts.platformPermissions ?? [], opts.modules);
  const known = new Set(permissions.map((p) => p.name));
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : uuidv7();
    },
    bodyLimit: 10 * 1024 * 1024,
    // Behind a TLS-terminating proxy: the client's address and https come from X-Forwarded-*, so
    // the session cookie is Secure and HSTS is sent. Off unless configured: headers are spoofable.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    // A malformed or oversized URL is answered as every other refusal: problem+json, our words.
    frameworkErrors: (err, request, reply) => sendProblem(reply, toProblem(err, request)),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', db);
  app.decorate('config', config);
  app.decorate('guard', null);
  app.decorate('signerVerifier', null);
  app.decorateRequest('tenant', null);
  app.decorateRequest('textErrors', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const cfg = route.config as { permission?: string; public?: boolean } | undefined;
    if (!cfg?.public && !cfg?.permission) {
      throw new Error(`route ${route.method} ${route.url} declares no permission (deny by default)`);
    }
    if (cfg.permission && !known.has(cfg.permission)) {
      throw new Error(`route ${route.method} ${route.url} declares permission ${cfg.permission}, which no module defines`);
    }
  });
  // While closing, in-flight responses ask the client to drop its keep-alive connection, so
  // shutdown waits for the work in flight, not for idle sockets to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    setSecurityHeaders(request, reply);
    if (closing) reply.header('connection', 'close');
  });
  // Before schema validation: an unauthorised caller learns nothing about a route's input.
  app.addHook('preValidation', async (request) => {
    const cfg = request.routeOptions.config;
    if (!request.url.startsWith('/api/v1') || cfg.public || !cfg.permission) return;
    if (!app.guard) throw new Unauthorized('authentication required', { code: 'error.unauthorized' });
    const ctx = await app.guard(request, cfg.permission);
    const reason = parseChangeReason(request.headers[CHANGE_REASON_HEADER]);
    request.tenant = reason ? { ...ctx, reason } : ctx;
  });
  // No control character reaches the database or the audit trail (a NUL byte is not text to
  // PostgreSQL). Found before the schema runs, refused with its findings in one answer.
  app.addHook('preValidation', async (request) => {
    if (!request.url.startsWith('/api/v1')) return;
    request.textErrors = requestTextErrors(request);
  });
  app.addHook('preHandler', async (request) => {
    if (request.textErrors?.length) {
      throw new BadInput('the request holds control characters or line breaks where text must be plain', request.textErrors, {
        code: CONTROL_CHARACTER,
      });
    }
  });

  app.setErrorHandler((err, request, reply) => {
    const problem = toProblem(err, request);
    if (problem.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ problem: problem.type, status: problem.status }, problem.detail);
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, toProblem(new NotFound(`no route ${request.method} ${request.url}`, { code: 'error.route' }), request)),
  );

  await app.register(swagger, {
    transform: documentRefusals,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mediforge API',
        version: '1',
        description: 'ERP, MES, QMS and traceability for medical-device manufacturers. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'mf_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const registry = installMetrics(app, db);
  const auditReaders = buildAuditReaders(opts.platformAuditedTables ?? {}, opts.modules);
  for (const [table, permission] of auditReaders) {
    if (!known.has(permission)) throw new Error(`audited table ${table} is read with ${permission}, which no module defines`);
  }
  const recordNames = buildRecordNames(opts.platformRecordNames ?? {}, opts.modules);
  const deps: ModuleDeps = { config, db, permissions, auditReaders, recordNames };

  app.get('/health', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await db.query(sql`SELECT 1`);
      const status = await migrationStatus(db);
      const ok = status.pending.length === 0;
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'fail',
        database: 'ok',
        migrations: { applied: status.applied, pending: status.pending },
      });
    } catch (err) {
      app.log.warn({ err }, 'health check failed');
      return reply.status(503).send({ status: 'fail', database: 'unreachable' });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );

  for (const mod of opts.modules) await mod.register?.(app, deps);

  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
      for (const routes of opts.platformRoutes ?? []) await routes(api, deps);
      for (const mod of opts.modules) await mod.routes?.(api, deps);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

/** The caller's tenant context; only on routes that declare a permission. */
export function tenantOf(request: FastifyRequest): TenantContext {
  if (!request.tenant) throw new Unauthorized('authentication required', { code: 'error.unauthorized' });
  return request.tenant;
}

/** Runs fn in the caller's tenant transaction: the way every route handler reaches the database. */
export function inTenant<T>(request: FastifyRequest, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(request.server.db, tenantOf(request), fn);
}
