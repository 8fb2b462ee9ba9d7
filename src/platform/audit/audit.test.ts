import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, TEST_SITE_TIME_ZONE, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { purposeKey } from '../crypto.js';
import type { Database } from '../db/index.js';
import { uuidv7 } from '../ids.js';
import { createSite, type TenantContext, withTenant } from '../tenancy/index.js';
import { AUDIT_CHECKPOINT_PURPOSE, type Checkpoint, sealAuditTrail, verifyAuditChain } from './seal.js';
import { recordAsOf, recordHistory, recordSecurityEvent, recordSecurityEventNow, searchAudit } from './trail.js';
import { verifyAllChains } from './watch.js';

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

const person = (t: TestTenant, reason?: string): TenantContext => ({
  ...t.ctx,
  actor: { kind: 'user', id: 'u-liwei', name: 'Li Wei' },
  requestId: uuidv7(),
  reason,
});

/**
 * Seals until every event of the tenant is sealed. The sealer leaves events of transactions
 * newer than the oldest one still running anywhere (other test files share PostgreSQL), so this
 * waits for those to finish rather than assuming they have.
 */
async function sealAll(tenantId: string): Promise<void> {
  for (;;) {
    await sealAuditTrail(db, tenantId);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event WHERE tenant_id = $1 AND seq IS NULL', [
      tenantId,
    ]);
    if (rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The database clock, to the microsecond. */
const serverTime = async () =>
  (await db.query<{ now: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`)).rows[0]!
    .now;

const renameSite = (t: TestTenant, ctx: TenantContext, name: string) =>
  withTenant(db, ctx, (tx) => tx.query('UPDATE sites SET name = $1 WHERE id = $2', [name, t.site.id]));

describe(`audit trail (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10e] records who, what, when, old and new values, and why for every change', async () => {
    const t = await testTenant(db);
    await renameSite(t, person(t, 'plant renamed after the merger'), 'Plant One');
    const history = await withTenant(db, t.ctx, (tx) => recordHistory(tx, 'sites', t.site.id));
    expect(history.map((e) => e.action)).toEqual(['insert', 'update']);
    const [created, renamed] = history;
    expect(created?.changes).toContainEqual({ field: 'name', old: null, new: 'Plant 1' });
    expect(renamed).toMatchObject({
      actor: { kind: 'user', id: 'u-liwei', name: 'Li Wei' },
      entity: 'sites',
      recordId: t.site.id,
      changes: [{ field: 'name', old: 'Plant 1', new: 'Plant One' }],
      reason: 'plant renamed after the merger',
    });
    expect(Date.parse(renamed?.at ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('[P11.10e] records each row of a many-row insert as its own event, in insertion order, with composite keys', async () => {
    const t = await testTenant(db);
    const events = await db.transaction(async (tx) => {
      await tx.exec(`CREATE TEMP TABLE audit_probe (tenant_id uuid NOT NULL, part text NOT NULL, n int, note text) ON COMMIT DROP;
        SELECT mf_audit_table('audit_probe', ARRAY['part', 'n']);`);
      await tx.query(
        `INSERT INTO audit_probe SELECT $1, 'P-' || i, CASE WHEN i = 2 THEN NULL ELSE i END, 'row ' || i FROM generate_series(1, 3) i`,
        [t.ctx.tenantId],
      );
      const { rows } = await tx.query<{ tenant: string; action: string; recordId: string; values: Record<string, unknown> }>(
        `SELECT tenant_id AS tenant, action, record_id AS "recordId", new_values AS values
           FROM audit_event WHERE entity = 'audit_probe' AND tenant_id = $1 ORDER BY id`,
        [t.ctx.tenantId],
      );
      return rows;
    });
    expect(events.map((e) => [e.tenant, e.action, e.recordId])).toEqual([
      [t.ctx.tenantId, 'insert', 'P-1:1'],
      [t.ctx.tenantId, 'insert', 'P-2'],
      [t.ctx.tenantId, 'insert', 'P-3:3'],
    ]);
    expect(events[1]!.values).toEqual({ tenant_id: t.ctx.tenantId, part: 'P-2', n: null, note: 'row 2' });
  });

  it('[P11.10e] records a many-row update or delete as one event per changed row, with only the changed fields, secrets unrecorded', async () => {
    const t = await testTenant(db);
    const events = await db.transaction(async (tx) => {
      await tx.exec(`CREATE TEMP TABLE audit_probe (tenant_id uuid NOT NULL, part text NOT NULL, n int, note text, secret text, qty numeric)
          ON COMMIT DROP;
        SELECT mf_audit_table('audit_probe', ARRAY['part', 'n'], excluded_columns => ARRAY['secret']);`);
      await tx.query(
        `INSERT INTO audit_probe SELECT $1, 'P-' || i, CASE WHEN i = 2 THEN NULL ELSE i END, 'row ' || i, NULL, i * 1.5
           FROM generate_series(1, 4) i`,
        [t.ctx.tenantId],
      );
      // P-1: note and quantity change; P-2: only the secret is set; P-3: its secret is set to what it was (null); P-4: untouched.
      await tx.query(`UPDATE audit_probe SET note = CASE WHEN part = 'P-1' THEN 'changed' ELSE note END,
                                             qty = CASE WHEN part = 'P-1' THEN 2.50 ELSE qty END,
                                             secret = CASE WHEN part = 'P-2' THEN 'hunter2' ELSE secret END
                       WHERE part <> 'P-4'`);
      await tx.query(`DELETE FROM audit_probe WHERE part IN ('P-2', 'P-3')`);
      const { rows } = await tx.query<{ action: string; recordId: string; old: unknown; new: unknown }>(
        `SELECT action, record_id AS "recordId", old_values AS old, new_values AS new
           FROM audit_event WHERE entity = 'audit_probe' AND tenant_id = $1 AND action <> 'insert' ORDER BY id`,
        [t.ctx.tenantId],
      );
      return rows;
    });
    expect(events.filter((e) => e.action === 'update')).toEqual(
      expect.arrayContaining([
        { action: 'update', recordId: 'P-1:1', old: { note: 'row 1', qty: 1.5 }, new: { note: 'changed', qty: 2.5 } },
        { action: 'update', recordId: 'P-2', old: { secret: null }, new: { secret: '[not recorded]' } },
      ]),
    );
    expect(events.filter((e) => e.action === 'update')).toHaveLength(2);
    expect(events.filter((e) => e.action === 'delete')).toEqual([
      {
        action: 'delete',
        recordId: 'P-2',
        old: { tenant_id: t.ctx.tenantId, part: 'P-2', n: null, note: 'row 2', secret: '[not recorded]', qty: 3 },
        new: null,
      },
      {
        action: 'delete',
        recordId: 'P-3:3',
        old: { tenant_id: t.ctx.tenantId, part: 'P-3', n: 3, note: 'row 3', secret: null, qty: 4.5 },
        new: null,
      },
    ]);
  });

  it('refuses an update that changes the key naming a record in the trail', async () => {
    const t = await testTenant(db);
    await expect(withTenant(db, person(t), (tx) => tx.query("UPDATE sites SET id = mf_uuidv7() WHERE code = 'P1'"))).rejects.toMatchObject({
      code: 'MFKEY',
    });
    const history = await withTenant(db, t.ctx, (tx) => recordHistory(tx, 'sites', t.site.id));
    expect(history.map((e) => e.action)).toEqual(['insert']);
  });

  it('records nothing for a change that is rolled back, and nothing for an update that changes nothing', async () => {
    const t = await testTenant(db);
    await expect(
      withTenant(db, person(t), async (tx) => {
        await tx.query("UPDATE sites SET name = 'Never' WHERE id = $1", [t.site.id]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await renameSite(t, person(t), 'Plant 1');
    const history = await withTenant(db, t.ctx, (tx) => recordHistory(tx, 'sites', t.site.id));
    expect(history.map((e) => e.action)).toEqual(['insert']);
  });

  it('[P11.10e] shows a record as it was at a past instant', async () => {
    const t = await testTenant(db);
    await renameSite(t, person(t), 'Plant Alpha');
    const between = await serverTime();
    await renameSite(t, person(t), 'Plant Beta');
    const later = await serverTime();
    const asOf = (when: string) => withTenant(db, t.ctx, (tx) => recordAsOf(tx, 'sites', t.site.id, when));
    expect((await asOf(between))?.record).toMatchObject({ name: 'Plant Alpha', code: 'P1', time_zone: TEST_SITE_TIME_ZONE });
    expect((await asOf(later))?.record).toMatchObject({ name: 'Plant Beta' });
    expect(await asOf('2000-01-01T00:00:00Z')).toMatchObject({ exists: false, record: null, lastChange: null });
  });

  it('lets the application role read its events but never update or delete them', async () => {
    const t = await testTenant(db);
    for (const statement of [
      "UPDATE audit_event SET reason = 'x'",
      'DELETE FROM audit_event',
      'INSERT INTO audit_event (tenant_id) VALUES (mf_current_tenant())',
    ]) {
      await expect(withTenant(db, t.ctx, (tx) => tx.query(statement))).rejects.toThrow(/permission denied/);
    }
    const page = await withTenant(db, t.ctx, (tx) => searchAudit(tx, {}));
    expect(page.items.every((e) => e.recordId === t.site.id || e.recordId === t.tenant.id)).toBe(true);
  });

  it('refuses even the owner to alter a sealed event or delete any event, while sealing stays possible', async () => {
    const t = await testTenant(db);
    await sealAll(t.tenant.id);
    await expect(db.query("UPDATE audit_event SET reason = 'edited' WHERE tenant_id = $1", [t.tenant.id])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_event WHERE tenant_id = $1', [t.tenant.id])).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(db, t.tenant.id)).ok).toBe(true);
  });

  it('[P11.10a] detects an event altered outside the application and names exactly that link', async () => {
    const t = await testTenant(db);
    for (const name of ['A', 'B', 'C']) await renameSite(t, person(t), `Plant ${name}`);
    await sealAll(t.tenant.id);
    const before = await verifyAuditChain(db, t.tenant.id);
    expect(before).toMatchObject({ ok: true, checked: 5, firstBroken: null });
    // A superuser bypasses the append-only trigger and rewrites history.
    await db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query(`UPDATE audit_event SET new_values = '{"name": "Plant Z"}' WHERE tenant_id = $1 AND seq = 4`, [t.tenant.id]);
    });
    const after = await verifyAuditChain(db, t.tenant.id);
    expect(after.ok).toBe(false);
    expect(after.firstBroken).toMatchObject({ seq: 4, problem: 'hash-mismatch' });
  });

  it('[P11.10a] detects a chain rewritten and sealed again by its signed checkpoint, and raises the break as an event', async () => {
    const t = await testTenant(db);
    const key = purposeKey({ secretKey: 'ab'.repeat(32) }, AUDIT_CHECKPOINT_PURPOSE);
    for (const name of ['A', 'B', 'C']) await renameSite(t, person(t), `Plant ${name}`);
    await sealAll(t.tenant.id);
    const signed: Checkpoint[] = [];
    const before = await verifyAuditChain(db, t.tenant.id, { checkpointKey: key, onCheckpoint: (c) => signed.push(c) });
    expect(before).toMatchObject({ ok: true, checked: 5, checkpoints: { latest: { seq: 5 } } });
    expect(signed).toHaveLength(1);

    // Whoever owns the database rewrites event #4 and seals the chain again from #3: every hash agrees.
    await db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query(
        `UPDATE audit_event SET new_values = '{"name": "Plant Z"}', seq = NULL, prev_hash = NULL, hash = NULL
                       WHERE tenant_id = $1 AND seq >= 4`,
        [t.tenant.id],
      );
      await tx.query(
        `UPDATE audit_chain_head h SET seq = 3, hash = e.hash FROM audit_event e
                       WHERE h.tenant_id = $1 AND e.tenant_id = $1 AND e.seq = 3`,
        [t.tenant.id],
      );
    });
    await sealAll(t.tenant.id);
    expect((await verifyAuditChain(db, t.tenant.id)).firstBroken).toMatchObject({ seq: 5, problem: 'checkpoint-mismatch' });

    // The periodic verification raises it for people and systems to act on.
    const broken = await verifyAllChains(db, { checkpointKey: key, tenantIds: [t.tenant.id] });
    expect(broken.map((r) => r.firstBroken?.problem)).toEqual(['checkpoint-mismatch']);
    const raised = await withTenant(
      db,
      t.ctx,
      async (tx) => (await tx.query<{ type: string }>("SELECT type FROM outbox_events WHERE type = 'audit.chain.broken'")).rows,
    );
    expect(raised).toHaveLength(1);
  });

  it('[P11.10a] refuses a checkpoint the server did not sign', async () => {
    const t = await testTenant(db);
    const key = purposeKey({ secretKey: 'cd'.repeat(32) }, AUDIT_CHECKPOINT_PURPOSE);
    await renameSite(t, person(t), 'Plant Q');
    await sealAll(t.tenant.id);
    await db.query(
      `INSERT INTO audit_checkpoints (tenant_id, seq, hash, mac)
       SELECT tenant_id, seq, hash, repeat('0', 64) FROM audit_event WHERE tenant_id = $1 AND seq = 2`,
      [t.tenant.id],
    );
    expect((await verifyAuditChain(db, t.tenant.id, { checkpointKey: key })).firstBroken).toMatchObject({
      seq: 2,
      problem: 'checkpoint-forged',
    });
    await expect(db.query('DELETE FROM audit_checkpoints WHERE tenant_id = $1', [t.tenant.id])).rejects.toThrow(/append-only/);
  });

  it('[P11.10a] detects events cut from the end of the chain', async () => {
    const t = await testTenant(db);
    await renameSite(t, person(t), 'Plant X');
    await sealAll(t.tenant.id);
    await db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query('DELETE FROM audit_event WHERE tenant_id = $1 AND seq = 3', [t.tenant.id]);
    });
    expect((await verifyAuditChain(db, t.tenant.id)).firstBroken).toMatchObject({ seq: 3, problem: 'head-mismatch' });
  });

  it('keeps one valid chain when many transactions of one tenant write and seal at the same time', async () => {
    const t = await testTenant(db);
    const writers = Array.from({ length: 12 }, (_, i) =>
      withTenant(db, person(t), async (tx) => {
        await createSite(tx, { code: `W${i}`, name: `Workshop ${i}`, timeZone: 'Asia/Shanghai' });
        await tx.query("UPDATE sites SET name = name || ' (new)' WHERE code = $1", [`W${i}`]);
      }),
    );
    const sealers = Array.from({ length: 4 }, () => sealAuditTrail(db, t.tenant.id));
    await Promise.all([...writers, ...sealers]);
    await sealAll(t.tenant.id);
    const report = await verifyAuditChain(db, t.tenant.id);
    expect(report).toMatchObject({ ok: true, firstBroken: null, unsealed: { count: 0 } });
    expect(report.checked).toBe(2 + 12 * 2);
  });

  it('records security events; one that must outlive a failing request commits on its own', async () => {
    const t = await testTenant(db);
    const subject = { kind: 'user', id: 'u-zhang', name: 'Zhang San' };
    await expect(
      withTenant(db, t.ctx, async (tx) => {
        await recordSecurityEvent(tx, { action: 'login.succeeded', subject });
        throw new Error('session could not be created');
      }),
    ).rejects.toThrow('session could not be created');
    await recordSecurityEventNow(db, t.ctx, { action: 'account.locked', subject, detail: { failures: 5 } });
    const page = await withTenant(db, t.ctx, (tx) => searchAudit(tx, { entity: 'security' }));
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ action: 'account.locked', recordId: 'u-zhang' });
    expect(page.items[0]?.changes).toContainEqual({ field: 'detail', old: null, new: { failures: 5 } });
  });
});
