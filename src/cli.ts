#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { modules } from './modules/index.js';
import { AUDIT_CHECKPOINT_PURPOSE, verifyAuditChain } from './platform/audit/index.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { purposeKey } from './platform/crypto.js';
import { type Database, MigrationError, migrate, migrationStatus, openDatabase } from './platform/db/index.js';
import type { CliContext } from './platform/module.js';
import { createTenant, findTenant, isTimeZone, listTenants } from './platform/tenancy/index.js';
import { permissionCatalog, seedDemo, startServer } from './server.js';

/** `mediforge`: the operator's command line: the platform's commands, then each module's (`commands` on the module). */
const program = new Command()
  .name('mediforge')
  .description('Mediforge: ERP, MES, QMS and traceability for medical-device manufacturers')
  .showHelpAfterError();

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig());
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

program
  .command('serve')
  .description('apply migrations, seed the demo tenant on first start, and serve the API and web UI')
  .action(async () => {
    const config = loadConfig();
    const running = await startServer(config);
    console.log(
      `Mediforge is running on ${running.url}  (database: ${config.databaseUrl ? 'PostgreSQL' : config.dataDir === ':memory:' ? 'PGlite in memory' : `PGlite in ${config.dataDir}`})`,
    );
    let signals = 0;
    const shutdown = (signal: string) => {
      if (++signals > 1) {
        console.error('second signal: exiting without waiting');
        process.exit(1);
      }
      console.log(`${signal}: finishing in-flight requests and closing the database…`);
      const timer = setTimeout(() => {
        console.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
        process.exit(1);
      }, config.shutdownTimeoutMs);
      running.stop().then(
        () => {
          clearTimeout(timer);
          console.log('stopped cleanly');
          process.exit(0);
        },
        (err) => {
          console.error('shutdown failed:', err);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .option('--status', 'only show applied and pending migrations')
  .action(async (opts: { status?: boolean }) => {
    await withDb(async (db) => {
      if (opts.status) {
        const s = await migrationStatus(db);
        console.log(`applied: ${s.applied}; pending: ${s.pending.length ? s.pending.join(', ') : 'none'}`);
        return;
      }
      const ran = await migrate(db);
      console.log(ran.length ? `applied: ${ran.join(', ')}` : 'database is up to date');
    });
  });

const tenant = program.command('tenant').description('manage tenants (companies using this installation)');
tenant
  .command('create')
  .description('create a tenant with its first site')
  .requiredOption('--code <code>', 'tenant code, lower case (e.g. acme-med)')
  .requiredOption('--name <name>', 'company name')
  .requiredOption('--site-code <code>', 'first site code, upper case (e.g. SZ1)')
  .requiredOption('--site-name <name>', 'first site name')
  .option(
    '--time-zone <tz>',
    'IANA time zone of the site',
    (v) => {
      if (!isTimeZone(v)) throw new InvalidArgumentError(`"${v}" is not an IANA time zone`);
      return v;
    },
    'UTC',
  )
  .action(async (o: { code: string; name: string; siteCode: string; siteName: string; timeZone: string }) => {
    await withDb(async (db) => {
      await migrate(db);
      const { tenant: t, site } = await createTenant(db, {
        code: o.code,
        name: o.name,
        site: { code: o.siteCode, name: o.siteName, timeZone: o.timeZone },
      });
      console.log(`created tenant ${t.code} (${t.id}) with site ${site.code} (${site.id})`);
    });
  });

program
  .command('seed')
  .description('load data into the database')
  .requiredOption('--demo', 'create the demo tenant with a realistic small device maker')
  .action(async () => {
    await withDb(async (db) => {
      await migrate(db);
      for (const line of await seedDemo(db)) console.log(line);
    });
  });

const audit = program.command('audit').description('the tamper-evident audit trail');
audit
  .command('verify')
  .description("seal finished events, then verify each tenant's hash chain; exits 1 at the first broken link")
  .option('--tenant <code>', 'only this tenant')
  .action(async (o: { tenant?: string }) => {
    await withDb(async (db) => {
      const tenants = o.tenant ? [await findTenant(db, o.tenant)] : await listTenants(db);
      let failed = false;
      for (const t of tenants) {
        if (!t) throw new Error(`tenant "${o.tenant}" not found`);
        const r = await verifyAuditChain(db, t.id, { checkpointKey: purposeKey(loadConfig(), AUDIT_CHECKPOINT_PURPOSE) });
        const pending = r.unsealed.count ? `; ${r.unsealed.count} unsealed (oldest ${r.unsealed.oldestAgeSeconds?.toFixed(1)} s)` : '';
        const broken = r.firstBroken ? `; BROKEN at event #${r.firstBroken.seq}: ${r.firstBroken.detail}` : '';
        const latest = r.checkpoints.latest;
        const signed = latest ? `; ${r.checkpoints.checked} signed checkpoints, latest #${latest.seq} ${latest.hash} at ${latest.at}` : '';
        console.log(`${t.code}: ${r.ok ? 'ok' : 'FAILED'} — ${r.checked} sealed events checked${signed}${pending}${broken}`);
        failed ||= !r.ok;
      }
      if (failed) process.exitCode = 1;
    });
  });

async function tenantsNamed(db: Database, code: string | undefined) {
  if (!code) return listTenants(db);
  const t = await findTenant(db, code);
  if (!t) throw new Error(`tenant "${code}" not found`);
  return [t];
}

// Each module adds its own commands (users and roles, stock checks, …).
const context: CliContext = { withDb, tenantsNamed, permissions: () => permissionCatalog() };
for (const mod of modules) mod.commands?.(program, context);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`configuration error: ${err.message}`);
  else if (err instanceof MigrationError) console.error(`database error: ${err.message}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
