import { createConnection } from 'node:net';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import type { Database } from '../db/index.js';
import { withTenant } from '../tenancy/index.js';
import type { CloudEvent } from './cloudevents.js';
import { Dispatcher } from './dispatcher.js';
import { NATS_STREAM, natsBridge } from './nats.js';
import { emit } from './outbox.js';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Whether a NATS server answers on NATS_URL (default the local one). */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url.replace(/^nats:/, 'http:'));
  const socket = createConnection({ host: hostname, port: Number(port || 4222) });
  return new Promise<boolean>((resolve) => {
    socket.setTimeout(1_000);
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => resolve(false));
  }).finally(() => socket.destroy());
}

const natsUp = await reachable(NATS_URL).then((up) => {
  if (!up) console.warn(`NATS JetStream bridge test skipped: no NATS server reachable at ${NATS_URL}`);
  return up;
});

let db: Database;
let t: TestTenant;
let nc: NatsConnection;

describe.skipIf(!natsUp)(`NATS JetStream bridge against a real server (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  beforeAll(async () => {
    db = await testDatabase();
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await nc?.drain();
    await db?.close();
  });

  it('publishes each dispatched event once as CloudEvents on mediforge.<tenant>.<type>, deduplicated by event id', async () => {
    t = await testTenant(db);
    const bridge = natsBridge({ url: NATS_URL });
    const dispatcher = new Dispatcher(db, { outlets: [bridge], tenants: [t.tenant.id] });
    const ids = await withTenant(db, t.ctx, async (tx) => [
      await emit(tx, { type: 'inventory.lot.released', aggregate: { type: 'inventory.lot', id: 'LOT-7' }, data: { qty: '10' } }),
      await emit(tx, { type: 'inventory.lot.shipped', aggregate: { type: 'inventory.lot', id: 'LOT-7' }, data: { qty: '4' } }),
      await emit(tx, { type: 'quality.ncr.opened', aggregate: { type: 'quality.ncr', id: 'NCR-9' }, data: {} }),
    ]);
    await dispatcher.drain();

    const consumer = await jetstream(nc).consumers.get(NATS_STREAM, { filter_subjects: `mediforge.${t.tenant.code}.>` });
    const messages: Array<{ subject: string; event: CloudEvent; msgId: string | undefined }> = [];
    for (let i = 0; i < ids.length; i++) {
      const m = await consumer.next({ expires: 5_000 });
      if (!m) break;
      messages.push({ subject: m.subject, event: m.json<CloudEvent>(), msgId: m.headers?.get('Nats-Msg-Id') });
    }
    // Every event once; order holds per aggregate (LOT-7), not across aggregates.
    expect(messages.map((m) => m.event.id).sort()).toEqual([...ids].sort());
    expect(messages.filter((m) => m.event.subject === 'inventory.lot/LOT-7').map((m) => m.subject)).toEqual([
      `mediforge.${t.tenant.code}.inventory.lot.released`,
      `mediforge.${t.tenant.code}.inventory.lot.shipped`,
    ]);
    expect(messages.every((m) => m.msgId === m.event.id)).toBe(true);
    expect(messages.find((m) => m.event.id === ids[1])?.event).toMatchObject({
      specversion: '1.0',
      type: 'com.mediforge.inventory.lot.shipped',
      source: `/mediforge/${t.tenant.code}`,
      subject: 'inventory.lot/LOT-7',
      sequence: '2',
      data: { qty: '4' },
    });

    // A redelivery (e.g. the acknowledgement was lost) is recognised by the stream, not stored twice.
    await db.query(`UPDATE event_deliveries SET status = 'pending', next_attempt_at = now() WHERE tenant_id = $1 AND event_id = $2`, [
      t.tenant.id,
      ids[0],
    ]);
    await dispatcher.drain();
    const { rows } = await db.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM event_deliveries WHERE tenant_id = $1 AND event_id = $2',
      [t.tenant.id, ids[0]],
    );
    expect(rows[0]).toEqual({ status: 'done', attempts: 2 });
    expect(await consumer.next({ expires: 1_000 })).toBeNull();
    await dispatcher.stop();
  });
});
