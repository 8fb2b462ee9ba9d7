import { type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { toCloudEvent } from './cloudevents.js';
import type { DomainEvent, Outlet } from './types.js';

export const NATS_STREAM = 'MEDIFORGE';
export const NATS_SUBJECT_ROOT = 'mediforge';

/** `mediforge.<tenant code>.<event type>`: consumers filter by tenant and by type, e.g. `mediforge.*.inventory.lot.>`. */
export const natsSubject = (event: Pick<DomainEvent, 'tenantCode' | 'type'>): string =>
  `${NATS_SUBJECT_ROOT}.${event.tenantCode}.${event.type}`;

export interface NatsBridgeOptions {
  url: string;
  stream?: string;
  /** Connection attempt and publish acknowledgement. */
  timeoutMs?: number;
}

/**
 * Publishes every dispatched event to JetStream as CloudEvents JSON, with `Nats-Msg-Id` set to
 * the event id: a redelivery after a lost acknowledgement is dropped by the stream's duplicate
 * window. Connects on first use and again after the connection is lost, creating the stream
 * (`mediforge.>`) if it does not exist. A failed publish is retried by the dispatcher.
 */
export function natsBridge(opts: NatsBridgeOptions): Outlet {
  const stream = opts.stream ?? NATS_STREAM;
  const timeout = opts.timeoutMs ?? 5_000;
  let ready: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;

  async function open() {
    const nc = await connect({ servers: opts.url, timeout, name: 'mediforge-events' });
    try {
      const jsm = await jetstreamManager(nc, { timeout });
      await jsm.streams.info(stream).catch(async (err: unknown) => {
        if (!/not found/i.test(String((err as Error)?.message))) throw err;
        await jsm.streams.add({ name: stream, subjects: [`${NATS_SUBJECT_ROOT}.>`] });
      });
      nc.closed().then(() => {
        ready = undefined;
      });
      return { nc, js: jetstream(nc, { timeout }) };
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  async function connection() {
    ready ??= open().catch((err) => {
      ready = undefined;
      throw err;
    });
    return ready;
  }

  async function publish(event: DomainEvent): Promise<void> {
    const { js } = await connection();
    // Structured mode of the CloudEvents NATS binding: the whole event is the payload.
    const h = headers();
    h.set('content-type', 'application/cloudevents+json; charset=utf-8');
    await js.publish(natsSubject(event), JSON.stringify(toCloudEvent(event)), { msgID: event.id, headers: h });
  }

  return {
    name: 'platform.nats',
    events: ['>'],
    publish,
    async close() {
      const current = ready;
      ready = undefined;
      if (current) await (await current.catch(() => undefined))?.nc.drain();
    },
  };
}
