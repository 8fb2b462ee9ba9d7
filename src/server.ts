import type { FastifyInstance } from 'fastify';
import { flows } from './flows/index.js';
import { modules } from './modules/index.js';
import {
  AUDIT_CHECKPOINT_PURPOSE,
  AUDIT_EVENTS,
  AUDIT_PERMISSION_DEFS,
  type Checkpoint,
  startAuditSealer,
  startAuditVerifier,
} from './platform/audit/index.js';
import { auditRoutes } from './platform/audit/routes.js';
import type { Config } from './platform/config.js';
import type { EventDef } from './platform/contract.js';
import { purposeKey } from './platform/crypto.js';
import { type Database, migrate, openDatabase, sql } from './platform/db/index.js';
import { ESIGN_PERMISSION_DEFS } from './platform/esign/index.js';
import { esignRoutes } from './platform/esign/routes.js';
import { eventPermissions, eventRoutes, startEvents, webhookPermissions, webhookRoutes } from './platform/events/index.js';
import { buildApp } from './platform/http/index.js';
import { serveWebApp } from './platform/http/web.js';
import type { Job } from './platform/jobs.js';
import {
  buildAuditReaders,
  buildPermissionCatalog,
  type DemoSeed,
  type Module,
  namesFrom,
  type PermissionDef,
  type RecordNames,
  registerSignables,
} from './platform/module.js';
import { createTenantIn, enterTenant, findTenant, listTenants, systemContext } from './platform/tenancy/index.js';
import { SITE_PERMISSION_DEFS, tenancyRoutes } from './platform/tenancy/routes.js';

/**
 * What the server is made of: every module, then the flows between them (src/flows/), which have a
 * module's shape and are registered after the modules with no special case.
 */
export const composition: Module[] = [...modules, ...flows];

/** The composition root: the only place that knows every module and flow. */
export async function createApp(config: Config, db: Database, parts: Module[] = composition): Promise<FastifyInstance> {
  registerSignables(parts);
  const app = await buildApp({
    config,
    db,
    modules: parts,
    platformRoutes: [tenancyRoutes, auditRoutes, esignRoutes, eventRoutes, webhookRoutes],
    platformPermissions: PLATFORM_PERMISSIONS,
    platformAuditedTables: PLATFORM_AUDITED_TABLES,
    platformRecordNames: PLATFORM_RECORD_NAMES,
  });
  await serveWebApp(app);
  return app;
}

/** Permissions the platform's own routes declare (sites, audit trail, signatures, events, webhooks). */
const PLATFORM_PERMISSIONS: readonly PermissionDef[] = [
  ...SITE_PERMISSION_DEFS,
  ...AUDIT_PERMISSION_DEFS,
  ...ESIGN_PERMISSION_DEFS,
  ...eventPermissions,
  ...webhookPermissions,
];

/** The platform's audited tables and who reads them; modules declare theirs on the module object. */
const PLATFORM_AUDITED_TABLES: Readonly<Record<string, string>> = {
  tenants: 'sites:read',
  sites: 'sites:read',
  esignatures: 'signatures:read',
  esign_duty_settings: 'signatures:duties.read',
  webhook_subscriptions: 'webhooks:read',
};

const sites = namesFrom((ids) => sql`SELECT id, code, name FROM sites WHERE id = ANY(${ids}::uuid[])`);
/** The platform's records as others refer to them. */
const PLATFORM_RECORD_NAMES: Readonly<Record<string, RecordNames>> = { site_id: sites, from_site_id: sites, to_site_id: sites };

/** Every event catalogue: the platform's, then each module's, in the order modules are listed. */
export function eventCatalogues(parts: Module[] = composition): Array<Readonly<Record<string, EventDef>>> {
  return [AUDIT_EVENTS, ...parts.flatMap((m) => (m.events ? [m.events] : []))];
}

/** Audited table → the permission that reads its history: the platform's and every module's. */
export function auditReaders(parts: Module[] = composition): Map<string, string> {
  return buildAuditReaders(PLATFORM_AUDITED_TABLES, parts);
}

/** Every permission a role can grant: the platform's own, then each module's. */
export function permissionCatalog(parts: Module[] = composition): PermissionDef[] {
  return buildPermissionCatalog(PLATFORM_PERMISSIONS, parts);
}

export const DEMO_TENANT = {
  code: 'demo',
  name: 'Demo Medical Devices Co.',
  site: { code: 'SZ1', name: 'Suzhou plant', timeZone: 'Asia/Shanghai' },
};

/**
 * Creates the demo tenant and lets every module seed it, all in one transaction: a first start
 * stopped half-way (Ctrl-C, a kill, a crash) leaves no half-made tenant, and the next start seeds
 * it again from the beginning.
 */
export async function seedDemo(db: Database, parts: Module[] = composition): Promise<string[]> {
  if (await findTenant(db, DEMO_TENANT.code)) throw new Error(`tenant "${DEMO_TENANT.code}" already exists`);
  registerSignables(parts);
  return db.transaction(async (tx) => {
    const { tenant, site } = await createTenantIn(tx, DEMO_TENANT);
    const seed: DemoSeed = { tenantId: tenant.id, siteId: site.id, notes: [] };
    for (const mod of parts) {
      if (!mod.seedDemo) continue;
      // Each module seeds as itself, under the tenant's row-level security, in the one transaction.
      await enterTenant(tx, systemContext(tenant.id, `seed:${mod.name}`, site.id));
      await mod.seedDemo(tx, seed);
    }
    return [`demo tenant "${tenant.name}" (code ${tenant.code}) with site ${site.code} ${site.name}`, ...seed.notes];
  });
}

export interface Running {
  app: FastifyInstance;
  db: Database;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, migrates, seeds a first start, starts module jobs and listens. */
export async function startServer(config: Config, log: (line: string) => void = console.log): Promise<Running> {
  const db = await openDatabase(config);
  try {
    const ran = await migrate(db);
    if (ran.length) log(`applied ${ran.length} migration(s): ${ran.join(', ')}`);
    if (config.demoSeed && (await listTenants(db)).length === 0) {
      for (const line of await seedDemo(db)) log(line);
    }
  } catch (err) {
    await db.close();
    throw err;
  }
  const app = await createApp(config, db);
  // Checkpoints of the audit chain are signed with a key the database never holds, and logged.
  const checkpoints = {
    checkpointKey: purposeKey(config, AUDIT_CHECKPOINT_PURPOSE),
    onCheckpoint: (checkpoint: Checkpoint) => app.log.info({ checkpoint }, 'audit checkpoint signed'),
  };
  const jobs: Job[] = [
    startAuditSealer(db, { ...checkpoints, onError: (err) => app.log.error({ err }, 'audit sealer failed') }),
    startAuditVerifier(db, {
      ...checkpoints,
      onBroken: (report) => app.log.error({ report }, 'audit trail broken: verification against its signed checkpoints failed'),
      onError: (err) => app.log.error({ err }, 'audit verification failed'),
    }),
  ];
  const permissions = permissionCatalog();
  const readers = auditReaders();
  const jobLog = (message: string, err: unknown) => app.log.error({ err }, message);
  for (const mod of composition) if (mod.start) jobs.push(await mod.start({ config, db, permissions, auditReaders: readers, log: jobLog }));
  // Stopped after the module jobs (jobs stop in reverse), so events they emit while stopping are still delivered.
  jobs.splice(1, 0, startEvents({ config, db, permissions, auditReaders: readers, modules: composition, log: jobLog }));
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    app,
    db,
    url,
    stop() {
      // Stop accepting, let in-flight requests finish, stop jobs, then close the database cleanly.
      stopping ??= (async () => {
        await app.close();
        for (const job of jobs.reverse()) await job.stop();
        await db.close();
      })();
      return stopping;
    },
  };
}
