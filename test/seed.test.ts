import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modules } from '../src/modules/index.js';
import type { Database } from '../src/platform/db/index.js';
import { migrate } from '../src/platform/db/index.js';
import type { Module } from '../src/platform/module.js';
import { findTenant } from '../src/platform/tenancy/index.js';
import { DEMO_TENANT, seedDemo } from '../src/server.js';
import { scratchDatabase } from './db.js';

let scratch: { db: Database; drop(): Promise<void> };
beforeAll(async () => {
  scratch = await scratchDatabase();
  await migrate(scratch.db);
}, 120_000);
afterAll(() => scratch.drop());

describe('the demo seed', () => {
  it('[P11.10c] leaves nothing behind when a first start stops half-way, and seeds whole on the next start', async () => {
    const { db } = scratch;
    // A start that dies after some modules have seeded: the power goes, the process is killed.
    const crash: Module = {
      name: 'crash',
      async seedDemo() {
        throw new Error('the process stopped here');
      },
    };
    const last = modules.findIndex((m) => m.name === 'quality');
    await expect(seedDemo(db, [...modules.slice(0, last), crash, ...modules.slice(last)])).rejects.toThrow('the process stopped here');
    expect(await findTenant(db, DEMO_TENANT.code)).toBeUndefined();
    const leftovers = await db.query<{ n: string }>(
      "SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM sites) + (SELECT count(*) FROM users) + (SELECT count(*) FROM audit_event WHERE entity <> 'security') AS n",
    );
    expect(Number(leftovers.rows[0]?.n)).toBe(0);

    const notes = await seedDemo(db);
    expect(await findTenant(db, DEMO_TENANT.code)).toBeDefined();
    expect(notes.filter((n) => /one-time password/.test(n)).length).toBeGreaterThanOrEqual(7);
    // The recall simulation reaches the distributor that received the lot.
    const recall = await db.query<{ status: string; customers: string }>(
      'SELECT r.status, (SELECT count(DISTINCT customer_id) FROM recall_shipments s WHERE s.recall_id = r.id) AS customers FROM recalls r',
    );
    expect(recall.rows.map((r) => [r.status, Number(r.customers)])).toEqual([['draft', 1]]);
  }, 120_000);
});
