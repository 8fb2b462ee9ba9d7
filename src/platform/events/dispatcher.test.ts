import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import type { Database, Tx } from '../db/index.js';
import { withTenant } from '../tenancy/index.js';
import { listDeadEvents, retryDeadEvent } from './dead-letters.js';
import { Dispatcher } from './dispatcher.js';
import { emit } from './outbox.js';
import type { DomainEvent, Subscription } from './types.js';

let db: Database;
let t: TestTenant;

/** A subscriber's real effect: a row in a tenant-owned table, written in the delivery's transaction. */
async function createEffectsTable(): Promise<void> {
  await db.query(`DO $$ BEGIN
    IF to_regclass('test_event_effects') IS NULL THEN
      CREATE TABLE test_event_effects (
        tenant_id uuid NOT NULL DEFAULT mf_current_tenant(), subscriber text NOT NULL, event_id uuid NOT NULL,
        aggregate_id text NOT NULL, sequence int NOT NULL, recorded bigint GENERATED ALWAYS AS IDENTITY);
      PERFORM mf_tenant_table('test_event_effects');
    END IF; END $$`);
}

const recording = (name: string, events: string[] = ['test.>']): Subscription => ({
  name,
  events,
  async handle(tx: Tx, event: DomainEvent) {
    await tx.query('INSERT INTO test_event_effects (subscriber, event_id, aggregate_id, sequence) VALUES ($1, $2, $3, $4)', [
      name,
      event.id,
      event.aggregate.id,
      event.sequence,
    ]);
  },
});

const effects = (subscriber: string) =>
  withTenant(db, t.ctx, async (tx) => {
    const { rows } = await tx.query<{ eventId: string; aggregateId: string; sequence: number }>(
      'SELECT event_id AS "eventId", aggregate_id AS "aggregateId", sequence FROM test_event_effects WHERE subscriber = $1 ORDER BY recorded',
      [subscriber],
    );
    return rows;
  });

const deliveries = (subscriber: string) =>
  withTenant(db, t.ctx, async (tx) => {
    const { rows } = await tx.query<{ eventId: string; status: string; attempts: number; lastError: string | null }>(
      `SELECT event_id AS "eventId", status, attempts, last_error AS "lastError" FROM event_deliveries
        WHERE subscriber = $1 ORDER BY position`,
      [subscriber],
    );
    return rows;
  });

const lot = (id: string) => ({ type: 'test.lot', id });

beforeAll(async () => {
  db = await testDatabase();
  await createEffectsTable();
});
afterAll(() => db.close());

describe(`transactional outbox and dispatcher (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('emits nothing when the business transaction rolls back', async () => {
    t = await testTenant(db);
    await expect(
      withTenant(db, t.ctx, async (tx) => {
        await emit(tx, { type: 'test.lot.created', aggregate: lot('L1'), data: { qty: '5' } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const count = await withTenant(db, t.ctx, async (tx) => (await tx.query('SELECT 1 FROM outbox_events')).rowCount);
    expect(count).toBe(0);
  });

  it('delivers every event once to each matching subscriber, in order per aggregate', async () => {
    t = await testTenant(db);
    const dispatcher = new Dispatcher(db, {
      subscriptions: [recording('lots', ['test.lot.*']), recording('everything', ['test.>']), recording('other', ['inventory.>'])],
      tenants: [t.tenant.id],
      batchSize: 3,
    });
    // Interleaved across transactions and aggregates; the seventh is in another module's namespace.
    for (let i = 1; i <= 3; i++) {
      await withTenant(db, t.ctx, async (tx) => {
        await emit(tx, { type: 'test.lot.moved', aggregate: lot('A'), data: { step: i } });
        await emit(tx, { type: 'test.lot.moved', aggregate: lot('B'), data: { step: i } });
      });
    }
    await withTenant(db, t.ctx, (tx) => emit(tx, { type: 'test.order.released', aggregate: { type: 'test.order', id: 'O1' }, data: {} }));
    await dispatcher.drain();

    const lots = await effects('lots');
    expect(lots).toHaveLength(6);
    for (const id of ['A', 'B']) expect(lots.filter((e) => e.aggregateId === id).map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(await effects('everything')).toHaveLength(7);
    expect(await effects('other')).toHaveLength(0);
    expect((await deliveries('lots')).every((d) => d.status === 'done' && d.attempts === 1)).toBe(true);
  });

  it('applies a redelivered event once: the processed record commits with the effect', async () => {
    t = await testTenant(db);
    const dispatcher = new Dispatcher(db, { subscriptions: [recording('once')], tenants: [t.tenant.id] });
    const id = await withTenant(db, t.ctx, (tx) => emit(tx, { type: 'test.lot.created', aggregate: lot('C'), data: {} }));
    await dispatcher.drain();
    // At-least-once: the same delivery comes round again (e.g. a process died before marking it done).
    await db.query(`UPDATE event_deliveries SET status = 'pending' WHERE tenant_id = $1 AND event_id = $2`, [t.tenant.id, id]);
    await dispatcher.drain();
    expect(await effects('once')).toEqual([{ eventId: id, aggregateId: 'C', sequence: 1 }]);
    expect((await deliveries('once'))[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('retries a failing subscriber, dead-letters the poison event, and never holds up others', async () => {
    t = await testTenant(db);
    const seen: string[] = [];
    let fixed = false;
    const flaky: Subscription = {
      name: 'flaky',
      events: ['test.>'],
      async handle(tx, event) {
        seen.push(`${event.aggregate.id}${event.sequence}`);
        // The write is rolled back with the failed attempt: no half effect survives.
        await tx.query('INSERT INTO test_event_effects (subscriber, event_id, aggregate_id, sequence) VALUES ($1, $2, $3, $4)', [
          'flaky',
          event.id,
          event.aggregate.id,
          event.sequence,
        ]);
        if ((event.data as { poison?: boolean }).poison && !fixed) throw new Error('cannot parse quantity');
      },
    };
    const dispatcher = new Dispatcher(db, {
      subscriptions: [flaky, recording('healthy')],
      retry: { baseMs: 0, maxAttempts: 3 },
      tenants: [t.tenant.id],
    });
    await withTenant(db, t.ctx, async (tx) => {
      await emit(tx, { type: 'test.lot.created', aggregate: lot('P'), data: { poison: true } });
      await emit(tx, { type: 'test.lot.moved', aggregate: lot('P'), data: {} });
      await emit(tx, { type: 'test.lot.created', aggregate: lot('Q'), data: {} });
    });
    await dispatcher.drain();

    // P2 waited for P1 (order per aggregate) and ran once P1 was dead-lettered; Q never waited.
    expect(seen.filter((s) => s === 'P1')).toHaveLength(3);
    expect(seen.indexOf('P2')).toBeGreaterThan(seen.lastIndexOf('P1'));
    expect(seen.indexOf('Q1')).toBeLessThan(seen.lastIndexOf('P1'));
    const flakyDeliveries = await deliveries('flaky');
    expect(flakyDeliveries[0]).toMatchObject({ status: 'dead', attempts: 3, lastError: 'Error: cannot parse quantity' });
    expect(flakyDeliveries.slice(1).map((d) => d.status)).toEqual(['done', 'done']);
    expect((await effects('flaky')).map((e) => `${e.aggregateId}${e.sequence}`).sort()).toEqual(['P2', 'Q1']);
    expect(await effects('healthy')).toHaveLength(3);

    // The administrator sees the dead letter with its error and, once the fault is fixed, sends it again.
    const dead = await withTenant(db, t.ctx, (tx) => listDeadEvents(tx, { limit: 10 }));
    expect(dead.items).toEqual([
      expect.objectContaining({ subscriber: 'flaky', sequence: 1, attempts: 3, lastError: 'Error: cannot parse quantity' }),
    ]);
    await expect(withTenant(db, t.ctx, (tx) => retryDeadEvent(tx, 'healthy', dead.items[0]!.eventId))).rejects.toThrow(/not dead-lettered/);
    fixed = true;
    await withTenant(db, t.ctx, (tx) => retryDeadEvent(tx, 'flaky', dead.items[0]!.eventId));
    await dispatcher.drain();
    expect((await effects('flaky')).map((e) => `${e.aggregateId}${e.sequence}`).sort()).toEqual(['P1', 'P2', 'Q1']);
    expect((await withTenant(db, t.ctx, (tx) => listDeadEvents(tx, { limit: 10 }))).items).toEqual([]);
  });

  it('does not let events queued behind a failing aggregate fill the batch and hold up other aggregates', async () => {
    t = await testTenant(db);
    const failing: Subscription = {
      name: 'strict',
      events: ['test.>'],
      handle: async (tx, event) => {
        if (event.aggregate.id === 'P') throw new Error('lot P cannot be booked');
        await recording('strict').handle(tx, event);
      },
    };
    const dispatcher = new Dispatcher(db, { subscriptions: [failing], retry: { baseMs: 60_000 }, batchSize: 2, tenants: [t.tenant.id] });
    await withTenant(db, t.ctx, async (tx) => {
      for (let i = 0; i < 5; i++) await emit(tx, { type: 'test.lot.moved', aggregate: lot('P'), data: {} });
      await emit(tx, { type: 'test.lot.moved', aggregate: lot('Q'), data: {} });
    });
    await dispatcher.drain();
    expect((await effects('strict')).map((e) => e.aggregateId)).toEqual(['Q']);
    expect((await deliveries('strict')).map((d) => d.attempts)).toEqual([1, 0, 0, 0, 0, 1]);
  });

  it('lets two dispatchers work side by side without delivering any event twice', async () => {
    t = await testTenant(db);
    const options = { subscriptions: [recording('shared')], tenants: [t.tenant.id], batchSize: 5 };
    await withTenant(db, t.ctx, async (tx) => {
      for (let i = 0; i < 40; i++) await emit(tx, { type: 'test.lot.moved', aggregate: lot(`S${i % 8}`), data: {} });
    });
    await Promise.all([new Dispatcher(db, options).drain(), new Dispatcher(db, options).drain()]);
    const done = await deliveries('shared');
    expect(done).toHaveLength(40);
    expect(done.every((d) => d.status === 'done' && d.attempts === 1)).toBe(true);
    const applied = await effects('shared');
    expect(new Set(applied.map((e) => e.eventId)).size).toBe(40);
    for (let i = 0; i < 8; i++) expect(applied.filter((e) => e.aggregateId === `S${i}`).map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
  });

  it('runs the handler in the event tenant context as the system, under row-level security', async () => {
    t = await testTenant(db);
    const other = await testTenant(db);
    const contexts: Array<{ tenant: string; actor: string; visible: number }> = [];
    const probe: Subscription = {
      name: 'probe',
      events: ['test.>'],
      async handle(tx) {
        const { rows } = await tx.query<{ tenant: string; actor: string; visible: number }>(
          `SELECT mf_current_tenant()::text AS tenant, current_setting('app.actor_name') AS actor,
                  (SELECT count(*)::int FROM outbox_events) AS visible`,
        );
        contexts.push(rows[0]!);
      },
    };
    const dispatcher = new Dispatcher(db, { subscriptions: [probe], tenants: [t.tenant.id, other.tenant.id] });
    await withTenant(db, t.ctx, (tx) => emit(tx, { type: 'test.lot.created', aggregate: lot('R'), data: {} }));
    await withTenant(db, other.ctx, (tx) => emit(tx, { type: 'test.lot.created', aggregate: lot('R'), data: {} }));
    await dispatcher.drain();
    expect(contexts).toEqual([
      { tenant: t.tenant.id, actor: 'system:events:probe', visible: 1 },
      { tenant: other.tenant.id, actor: 'system:events:probe', visible: 1 },
    ]);
  });

  it('carries a chain of reactions: a handler emits in its transaction and the next subscriber gets it, with the same request id', async () => {
    t = await testTenant(db);
    const releaseBom: Subscription = {
      name: 'masterdata.releaseBomOnEco',
      events: ['test.eco.released'],
      handle: async (tx, event) => {
        await emit(tx, { type: 'test.bom.released', aggregate: { type: 'test.bom', id: 'BOM-1' }, data: { eco: event.aggregate.id } });
      },
    };
    const flagged: DomainEvent[] = [];
    const flagOrders: Subscription = {
      name: 'production.flagOrders',
      events: ['test.bom.*'],
      handle: async (_tx, e) => void flagged.push(e),
    };
    const dispatcher = new Dispatcher(db, { subscriptions: [releaseBom, flagOrders], tenants: [t.tenant.id] });
    await withTenant(db, { ...t.ctx, requestId: 'req-eco-7' }, (tx) =>
      emit(tx, { type: 'test.eco.released', aggregate: { type: 'test.eco', id: 'ECO-7' }, data: {} }),
    );
    await dispatcher.drain();
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ type: 'test.bom.released', data: { eco: 'ECO-7' }, requestId: 'req-eco-7', siteId: t.site.id });
  });

  it('wakes up after a commit that emitted, without waiting for the poll', async () => {
    t = await testTenant(db);
    let resolve!: (e: DomainEvent) => void;
    const received = new Promise<DomainEvent>((r) => {
      resolve = r;
    });
    const dispatcher = new Dispatcher(db, {
      subscriptions: [{ name: 'waker', events: ['test.>'], handle: async (_tx, e) => resolve(e) }],
      tenants: [t.tenant.id],
      pollMs: 3_600_000,
    });
    dispatcher.start();
    try {
      const id = await withTenant(db, t.ctx, (tx) => emit(tx, { type: 'test.lot.created', aggregate: lot('W'), data: { a: 1 } }));
      const event = await received;
      expect(event).toMatchObject({ id, type: 'test.lot.created', tenantCode: t.tenant.code, sequence: 1, data: { a: 1 } });
      expect(event.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    } finally {
      await dispatcher.stop();
    }
  });
});
