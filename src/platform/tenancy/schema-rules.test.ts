import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, scratchDatabase } from '../../../test/db.js';
import en from '../../../web/src/i18n/en.json' with { type: 'json' };
import zhCN from '../../../web/src/i18n/zh-CN.json' with { type: 'json' };
import { auditReaders } from '../../server.js';
import { type Database, migrate } from '../db/index.js';

// A database of its own, migrated and nothing else: other tests add tables of their own to the shared one.
let scratch: { db: Database; drop(): Promise<void> };
let db: Database;
beforeAll(async () => {
  scratch = await scratchDatabase();
  db = scratch.db;
  await migrate(db);
}, 120_000);
afterAll(() => scratch.drop());

/**
 * Tenant tables without the audit trigger, each for a reason: the trail itself, delivery
 * mechanics of events already recorded, credentials and sessions (their changes are security
 * events; secrets never go into the trail), state derived from an audited ledger, and file
 * bytes whose hash the audited metadata row carries.
 */
const NOT_AUDITED: Record<string, string> = {
  audit_event: 'the trail itself',
  audit_chain_head: 'the trail itself',
  audit_checkpoints: 'the trail itself: signed checkpoints of its chain',
  outbox_events: 'events are the record of what happened',
  event_deliveries: 'delivery log',
  processed_events: 'delivery log',
  webhook_deliveries: 'delivery log',
  idempotency_keys: 'stored responses, 24 hours',
  number_sequences: 'counters; the numbered records are audited',
  sessions: 'security events',
  user_credentials: 'security events; secrets',
  password_history: 'security events; secrets',
  recovery_codes: 'security events; secrets',
  api_tokens: 'security events; secrets',
  stock_balances: 'derived from the audited ledger (mediforge inventory verify)',
  receipt_certificate_contents: 'file bytes; the audited certificate row holds their SHA-256',
};

/** The trail is sealed across tenants by the schema owner, so its policies are not forced on the owner. */
const RLS_NOT_FORCED = new Set(['audit_event', 'audit_chain_head', 'audit_checkpoints']);

describe(`schema rules (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10e] every tenant table has row-level security, forced, and every GxP record table the audit trigger', async () => {
    const { rows } = await db.query<{ table: string; rls: boolean; forced: boolean; audited: boolean }>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
             EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
                      WHERE g.tgrelid = c.oid AND p.proname LIKE 'mf_audit%') AS audited
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname = current_schema()
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
       ORDER BY 1`);
    expect(rows.length).toBeGreaterThan(40);
    const broken = rows.flatMap((r) => [
      ...(r.rls ? [] : [`${r.table}: no row-level security`]),
      ...(r.forced || RLS_NOT_FORCED.has(r.table) ? [] : [`${r.table}: row-level security not forced`]),
      ...(r.audited || NOT_AUDITED[r.table] ? [] : [`${r.table}: not audited`]),
    ]);
    expect(broken).toEqual([]);
    expect(rows.filter((r) => r.audited).map((r) => r.table)).toEqual(
      expect.arrayContaining(['sampling_states', 'sampling_decisions', 'stock_movements', 'lots', 'inspections', 'purchase_orders']),
    );
  });

  it('[P11.10d] every audited table names the permission that reads its history, and no other table does', async () => {
    const { rows } = await db.query<{ table: string }>(`
      SELECT DISTINCT c.relname AS table
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_trigger g ON g.tgrelid = c.oid JOIN pg_proc p ON p.oid = g.tgfoid
       WHERE n.nspname = current_schema() AND p.proname LIKE 'mf_audit%' AND c.relname NOT LIKE 'audit_%' -- the trail itself
       ORDER BY 1`);
    const readers = auditReaders();
    expect(rows.map((r) => r.table).filter((table) => !readers.has(table))).toEqual([]);
    // The history shows each field by its label, in both languages.
    const { rows: columns } = await db.query<{ column: string }>(
      'SELECT DISTINCT column_name AS column FROM information_schema.columns WHERE table_name = ANY($1) ORDER BY 1',
      [rows.map((r) => r.table)],
    );
    for (const catalog of [en, zhCN]) {
      const labels = catalog.history.fields as Record<string, string>;
      expect(columns.map((c) => c.column).filter((c) => !labels[c])).toEqual([]);
    }
    expect([...readers.keys()].filter((table) => !rows.some((r) => r.table === table))).toEqual([]);
  });
});
