import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../../test/db.js';
import { secretBox } from '../../crypto.js';
import type { Database } from '../../db/index.js';
import { ValidationFailed } from '../../errors.js';
import { withTenant } from '../../tenancy/index.js';
import type { CloudEvent } from '../cloudevents.js';
import { Dispatcher } from '../dispatcher.js';
import { emit } from '../outbox.js';
import { isPublicAddress } from './receiver.js';
import { webhookSender } from './sender.js';
import { createWebhook, listDeadLetters, listDeliveries, replayDelivery, rotateWebhookSecret, webhookFanOut } from './service.js';
import { signatureHeaders, verifyWebhookSignature } from './signature.js';

let db: Database;
let t: TestTenant;
const box = secretBox({});

/** The test receivers run on this machine: an operator allows such a host by name (WEBHOOK_ALLOWED_HOSTS). */
const INTERNAL = ['127.0.0.1'];

/** A real receiver on 127.0.0.1 that can be down (503 or not listening) and dedupes by webhook-id. */
class Receiver {
  mode: 'up' | 'unavailable' | 'silent' = 'up';
  secret = '';
  received: Array<{ id: string; verified: boolean; contentType: string; event: CloudEvent }> = [];
  readonly seen = new Set<string>();
  #server: Server | undefined;
  port = 0;

  async listen(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.mode === 'silent') return; // never answers
        if (this.mode === 'unavailable') {
          res.writeHead(503).end();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id']);
        const verified = verifyWebhookSignature(this.secret, req.headers['webhook-signature'] as string | undefined, body);
        this.received.push({ id, verified, contentType: String(req.headers['content-type']), event: JSON.parse(body) as CloudEvent });
        this.seen.add(id);
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.#server!.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/mediforge`;
  }
}

let receiver: Receiver;

function dispatcher(maxAttempts = 10, baseMs = 60_000, timeoutMs = 5_000): Dispatcher {
  return new Dispatcher(db, {
    subscriptions: [webhookFanOut],
    pumps: [
      webhookSender(db, {
        openSecret: box.open,
        retry: { baseMs, maxAttempts },
        timeoutMs,
        tenants: [t.tenant.id],
        allowedHosts: INTERNAL,
      }),
    ],
    tenants: [t.tenant.id],
  });
}

async function subscribe(events = ['inventory.lot.*']) {
  const created = await withTenant(db, t.ctx, (tx) => createWebhook(tx, { url: receiver.url, events }, box.seal, INTERNAL));
  receiver.secret = created.secret;
  return created;
}

const emitLotEvents = (n: number) =>
  withTenant(db, t.ctx, async (tx) => {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) {
      ids.push(
        await emit(tx, { type: 'inventory.lot.received', aggregate: { type: 'inventory.lot', id: `LOT-${i}` }, data: { qty: `${i}.5` } }),
      );
    }
    await emit(tx, { type: 'quality.ncr.opened', aggregate: { type: 'quality.ncr', id: 'NCR-1' }, data: {} });
    return ids;
  });

const deliveriesOf = (subscriptionId: string) =>
  withTenant(db, t.ctx, async (tx) => (await listDeliveries(tx, subscriptionId, { limit: 50 })).items);

/** Stands in for the passing of time: the scheduled retries become due now. */
const retriesDue = () =>
  db.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE tenant_id = $1 AND status = 'pending'`, [t.tenant.id]);

beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());
afterEach(() => receiver?.close());

describe(`outbound webhooks (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('delivers each event once to a receiver that was down and came back, signed and as CloudEvents', async () => {
    t = await testTenant(db);
    receiver = new Receiver();
    await receiver.listen();
    const sub = await subscribe();
    const ids = await emitLotEvents(3);
    const d = dispatcher();

    receiver.mode = 'unavailable';
    await d.drain();
    let log = await deliveriesOf(sub.id);
    expect(log).toHaveLength(3); // the NCR event does not match the subscription
    expect(log.every((x) => x.status === 'pending' && x.attempts === 1 && x.lastStatusCode === 503 && x.nextAttemptAt)).toBe(true);

    await receiver.close(); // now not even listening: connection refused
    await retriesDue();
    await d.drain();
    log = await deliveriesOf(sub.id);
    expect(log.every((x) => x.attempts === 2 && x.lastStatusCode === null && x.lastError === 'no answer from the receiver')).toBe(true);

    receiver.mode = 'up';
    await receiver.listen(); // back on the same port
    await retriesDue();
    await d.drain();
    log = await deliveriesOf(sub.id);
    expect(log.map((x) => [x.status, x.attempts, x.lastStatusCode, x.lastError])).toEqual(Array(3).fill(['delivered', 3, 204, null]));
    expect([...receiver.seen].sort()).toEqual([...ids].sort());
    expect(receiver.received.every((r) => r.verified && r.contentType.startsWith('application/cloudevents+json'))).toBe(true);
    expect(receiver.received.find((r) => r.id === ids[1])?.event).toMatchObject({
      specversion: '1.0',
      id: ids[1],
      source: `/mediforge/${t.tenant.code}`,
      type: 'com.mediforge.inventory.lot.received',
      subject: 'inventory.lot/LOT-2',
      datacontenttype: 'application/json',
      data: { qty: '2.5' },
      tenantid: t.tenant.id,
      siteid: t.site.id,
      sequence: '1',
    });

    // A manual replay sends the same event again with the same webhook-id: the receiver dedupes it.
    const first = log.find((x) => x.eventId === ids[0])!;
    await withTenant(db, t.ctx, (tx) => replayDelivery(tx, first.id));
    await d.drain();
    expect(receiver.received).toHaveLength(4);
    expect(receiver.seen.size).toBe(3);
  });

  it('dead-letters a delivery after the last attempt, keeps the error, and replays it on request', async () => {
    t = await testTenant(db);
    receiver = new Receiver();
    await receiver.listen();
    receiver.mode = 'unavailable';
    const sub = await subscribe(['inventory.>']);
    await emitLotEvents(1);
    await dispatcher(3, 0).drain();

    const dead = await withTenant(db, t.ctx, (tx) => listDeadLetters(tx, { limit: 10 }));
    expect(dead.items).toHaveLength(1);
    expect(dead.items[0]).toMatchObject({ subscriptionId: sub.id, status: 'dead', attempts: 3, lastStatusCode: 503, nextAttemptAt: null });
    expect(dead.items[0]?.lastError).toBe('receiver answered HTTP 503');

    receiver.mode = 'up';
    const replayed = await withTenant(db, t.ctx, (tx) => replayDelivery(tx, dead.items[0]!.id));
    expect(replayed).toMatchObject({ status: 'pending', attempts: 0 });
    await dispatcher(3, 0).drain();
    expect((await deliveriesOf(sub.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(receiver.seen.size).toBe(1);
  });

  it('gives up an attempt the receiver does not answer, and only for deliveries of active subscriptions', async () => {
    t = await testTenant(db);
    receiver = new Receiver();
    await receiver.listen();
    receiver.mode = 'silent';
    const sub = await subscribe(['inventory.>']);
    const paused = await withTenant(db, t.ctx, (tx) =>
      createWebhook(tx, { url: receiver.url, events: ['>'], active: false }, box.seal, INTERNAL),
    );
    await emitLotEvents(1);
    await dispatcher(10, 60_000, 200).drain();
    expect(await deliveriesOf(sub.id)).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 1, lastError: 'no answer from the receiver' }),
    ]);
    expect(await deliveriesOf(paused.id)).toEqual([]);
  });

  it('keeps the signing secret sealed at rest and refuses URLs that are not http(s)', async () => {
    t = await testTenant(db);
    receiver = new Receiver();
    const sub = await subscribe();
    expect(sub.secret).toMatch(/^whsec_/);
    const { rows } = await db.query<{ sealed: string }>('SELECT secret_sealed AS sealed FROM webhook_subscriptions WHERE id = $1', [
      sub.id,
    ]);
    expect(rows[0]?.sealed).not.toContain(sub.secret);
    expect(box.open(rows[0]!.sealed)).toBe(sub.secret);

    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@example.com/', 'not a url']) {
      await expect(withTenant(db, t.ctx, (tx) => createWebhook(tx, { url, events: ['>'] }, box.seal))).rejects.toBeInstanceOf(
        ValidationFailed,
      );
    }
    await expect(
      withTenant(db, t.ctx, (tx) => createWebhook(tx, { url: receiver.url, events: ['Bad..x'] }, box.seal, INTERNAL)),
    ).rejects.toThrow(/not an event type pattern/);
    const count = await withTenant(db, t.ctx, async (tx) => (await tx.query('SELECT 1 FROM webhook_subscriptions')).rowCount);
    expect(count).toBe(1);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"e1"}';
  const now = 1_800_000_000;
  const header = signatureHeaders(secret, 'e1', body, now)['webhook-signature'];

  it('verifies a signature made with the secret over timestamp and body', () => {
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, header, body, { nowSec: now + 10 })).toBe(true);
  });

  it('refuses another secret, a changed body, and a replay outside the tolerance', () => {
    expect(verifyWebhookSignature('whsec_other', header, body, { nowSec: now })).toBe(false);
    expect(verifyWebhookSignature(secret, header, '{"id":"e2"}', { nowSec: now })).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, { nowSec: now + 301 })).toBe(false);
    expect(verifyWebhookSignature(secret, undefined, body, { nowSec: now })).toBe(false);
  });

  it('[P11.10d] refuses receivers on this machine, private networks and metadata addresses, at subscription and at delivery', async () => {
    t = await testTenant(db);
    const refused = [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://172.20.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
      'http://0.0.0.0/hook',
    ];
    for (const url of refused) {
      const attempt = withTenant(db, t.ctx, (tx) => createWebhook(tx, { url, events: ['>'] }, box.seal));
      await expect(attempt, url).rejects.toMatchObject({ code: 'error.webhook.receiverRefused' });
    }
    for (const ok of ['8.8.8.8', '2606:4700::1111', '203.0.114.1']) expect(isPublicAddress(ok), ok).toBe(true);
    for (const bad of ['127.0.0.2', '::ffff:10.0.0.1', 'fe80::1', '224.0.0.1', 'not-an-ip']) expect(isPublicAddress(bad), bad).toBe(false);

    // Allowed by name at subscription, no longer at delivery: the delivery checks again and sends nothing.
    receiver = new Receiver();
    await receiver.listen();
    const sub = await subscribe(['>']);
    await emitLotEvents(1);
    const strict = new Dispatcher(db, {
      subscriptions: [webhookFanOut],
      pumps: [webhookSender(db, { openSecret: box.open, timeoutMs: 2_000, tenants: [t.tenant.id], allowedHosts: [] })],
      tenants: [t.tenant.id],
    });
    await strict.drain();
    const log = await deliveriesOf(sub.id);
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((x) => /^not sent: the receiver is on this machine/.test(x.lastError ?? ''))).toBe(true);
    expect(receiver.received).toHaveLength(0);
  });

  it('[P11.10e] audits subscriptions without their secret, and rotates the secret with an overlap in which both sign', async () => {
    t = await testTenant(db);
    receiver = new Receiver();
    await receiver.listen();
    const sub = await subscribe();
    const old = sub.secret;
    const rotated = await withTenant(db, t.ctx, (tx) => rotateWebhookSecret(tx, sub.id, [sub.version], box.seal, 24));
    expect(rotated.secret).not.toBe(old);
    expect(rotated.previousSecretValidUntil).not.toBeNull();

    // Both secrets sign during the overlap: a receiver still on the old one and one already on the new one verify.
    await emitLotEvents(1);
    await dispatcher().drain();
    expect(receiver.received.at(-1)?.verified).toBe(true);
    receiver.secret = rotated.secret;
    await emitLotEvents(1);
    await dispatcher().drain();
    expect(receiver.received.at(-1)?.verified).toBe(true);

    // Once the overlap ends, only the new secret signs.
    await withTenant(db, t.ctx, (tx) =>
      tx.query("UPDATE webhook_subscriptions SET previous_secret_until = now() - interval '1 second' WHERE id = $1", [sub.id]),
    );
    receiver.secret = old;
    await emitLotEvents(1);
    await dispatcher().drain();
    expect(receiver.received.at(-1)?.verified).toBe(false);

    const trail = await withTenant(
      db,
      t.ctx,
      async (tx) =>
        (
          await tx.query<{ action: string; values: string }>(
            "SELECT action, coalesce(new_values::text, '') || coalesce(old_values::text, '') AS values FROM audit_event WHERE entity = 'webhook_subscriptions' AND record_id = $1 ORDER BY id",
            [sub.id],
          )
        ).rows,
    );
    expect(trail.map((e) => e.action)).toEqual(['insert', 'update', 'update']);
    expect(trail[0]?.values).toContain('"secret_sealed": "[not recorded]"');
    for (const e of trail) {
      expect(e.values).not.toContain(old);
      expect(e.values).not.toContain(rotated.secret);
      const { rows } = await db.query<{ sealed: string }>('SELECT secret_sealed AS sealed FROM webhook_subscriptions WHERE id = $1', [
        sub.id,
      ]);
      expect(e.values).not.toContain(rows[0]?.sealed);
    }
  });
});
