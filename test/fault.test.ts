import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBalances } from '../src/modules/inventory/index.js';
import { AUDIT_CHECKPOINT_PURPOSE, verifyAuditChain } from '../src/platform/audit/index.js';
import { purposeKey } from '../src/platform/crypto.js';
import { type Database, migrate, openDatabase } from '../src/platform/db/index.js';
import { createTenant, withTenant } from '../src/platform/tenancy/index.js';
import { createUser, TEST_PASSWORD } from './identity.js';
import { spawnCli } from './processes.js';

/**
 * Durability under a crash (§11.10(c)): the real server on PostgreSQL, written to by several
 * clients at once, killed with SIGKILL mid-stream and started again. Every write it acknowledged
 * is there, none is half-written, the audit chain verifies and stock equals the ledger.
 */
const url = process.env.DATABASE_URL;
const SECRET = randomBytes(32).toString('hex');
let scratchUrl = '';
let admin: Database | undefined;
let db: Database;
const scratchName = `mf_fault_${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  if (!url) return;
  admin = await openDatabase({ databaseUrl: url, dataDir: '', dbPoolMax: 1 });
  await admin.query(`CREATE DATABASE ${scratchName}`);
  const u = new URL(url);
  u.pathname = `/${scratchName}`;
  scratchUrl = u.toString();
  db = await openDatabase({ databaseUrl: scratchUrl, dataDir: '', dbPoolMax: 4 });
  await migrate(db);
}, 120_000);
afterAll(async () => {
  if (!admin) return;
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${scratchName} WITH (FORCE)`);
  await admin.close();
});

function serve() {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return spawnCli(['serve'], {
    ...rest,
    NODE_ENV: 'development',
    DATABASE_URL: scratchUrl,
    PORT: '0',
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
    MEDIFORGE_SECRET_KEY: SECRET,
  });
}

async function listening(child: ReturnType<typeof serve>): Promise<string> {
  for (let i = 0; i < 1200; i++) {
    const m = /running on (http:\/\/localhost:\d+)/.exec(child.output());
    if (m) return (m[1] as string).replace('localhost', '127.0.0.1');
    if (child.exitCode !== null) throw new Error(`the server exited:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not start:\n${child.output()}`);
}

describe.skipIf(!url)('a crash under writes (PostgreSQL)', () => {
  it('[P11.10c] loses no acknowledged write and leaves no half-written one when the server is killed', { timeout: 180_000 }, async () => {
    const { tenant, site } = await createTenant(db, {
      code: `fault-${randomBytes(3).toString('hex')}`,
      name: 'Crash Test Devices',
      site: { code: 'P1', name: 'Plant 1', timeZone: 'Asia/Shanghai' },
    });
    const ctx = {
      tenantId: tenant.id,
      siteId: site.id,
      actor: { kind: 'system' as const, id: 'test', name: 'system:test' },
      requestId: 'fault',
    };
    const engineer = await createUser(db, { tenant, site, ctx }, { roles: ['Engineer'], totp: false });

    const server = serve();
    const base = await listening(server);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: tenant.code, login: engineer.login, password: TEST_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    // Four clients create items as fast as they can; the server is killed while they do.
    const acknowledged: string[] = [];
    let stop = false;
    const client = async (n: number) => {
      for (let i = 0; !stop && i < 2000; i++) {
        const code = `C${n}-${String(i).padStart(5, '0')}`;
        try {
          const res = await fetch(`${base}/api/v1/items`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
            body: JSON.stringify({ code, name: `Crash part ${code}`, type: 'component', baseUnit: 'ea', tracking: 'lot' }),
          });
          if (res.status === 201) acknowledged.push(code);
          else if (res.status < 500) throw new Error(`refused ${code}: ${res.status} ${await res.text()}`);
        } catch (err) {
          if (err instanceof Error && err.message.startsWith('refused')) throw err;
          return; // the connection died with the server
        }
      }
    };
    const clients = [1, 2, 3, 4].map(client);
    await new Promise((r) => setTimeout(r, 3_000));
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    stop = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThan(10);

    // Started again on the same database: every acknowledged write is there, each with its audit event.
    const again = serve();
    await listening(again);
    try {
      const stored = await withTenant(db, ctx, async (tx) => {
        const items = (await tx.query<{ code: string }>('SELECT code FROM items')).rows.map((r) => r.code);
        const audited = Number(
          (await tx.query<{ n: string }>("SELECT count(*) AS n FROM audit_event WHERE entity = 'items' AND action = 'insert'")).rows[0]?.n,
        );
        const revisions = Number((await tx.query<{ n: string }>('SELECT count(*) AS n FROM item_revisions')).rows[0]?.n);
        return { items, audited, revisions };
      });
      expect(acknowledged.filter((code) => !stored.items.includes(code))).toEqual([]);
      // No half-written item: each has its first revision and its audit event, committed together.
      expect(stored.audited).toBe(stored.items.length);
      expect(stored.revisions).toBe(stored.items.length);

      const report = await verifyAuditChain(db, tenant.id, { checkpointKey: purposeKey({ secretKey: SECRET }, AUDIT_CHECKPOINT_PURPOSE) });
      expect(report).toMatchObject({ ok: true, firstBroken: null });
      const balances = await withTenant(db, ctx, (tx) => verifyBalances(tx));
      expect(balances.differences).toEqual([]);
    } finally {
      again.kill('SIGTERM');
      await new Promise((r) => again.once('exit', r));
    }
  });
});
