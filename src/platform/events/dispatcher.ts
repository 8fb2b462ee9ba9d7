import { type Database, type Queryable, sql, type Tx } from '../db/index.js';
import { enterTenant, systemContext } from '../tenancy/index.js';
import {
  type ClaimedDelivery,
  type DeliveryKey,
  errorText,
  inAggregateOrder,
  leaseDueDeliveries,
  loadEvents,
  lockDueDeliveries,
  lockNewEvents,
  markDone,
  markFailed,
  type TenantScope,
} from './deliveries.js';
import { onEmitted } from './outbox.js';
import { matchesAny } from './patterns.js';
import type { DomainEvent, Outlet, RetryPolicy, Subscription } from './types.js';

/**
 * Work done outside any transaction (HTTP, NATS): `claim` takes jobs with a lease in a short
 * transaction, `send` does the slow part and records the outcome itself.
 */
export interface Pump<J = unknown> {
  name: string;
  concurrency: number;
  claim(limit: number): Promise<J[]>;
  send(job: J): Promise<void>;
}

export interface DispatcherOptions {
  subscriptions?: readonly Subscription[];
  outlets?: readonly Outlet[];
  /** Further pumps with their own queues (webhook deliveries). */
  pumps?: readonly Pump[];
  retry?: Partial<RetryPolicy>;
  /** Events fanned out and deliveries taken per step. */
  batchSize?: number;
  /** Polling interval: picks up events of other processes and due retries. */
  pollMs?: number;
  /** How long an outlet's claim stays invisible to other processes. */
  leaseMs?: number;
  tenants?: TenantScope;
  log?: (message: string, err?: unknown) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, maxMs: 15 * 60_000, maxAttempts: 10 };

/**
 * Delivers outbox events at least once, in order per aggregate, to every subscriber whose
 * patterns match: in-process subscriptions inside a transaction, outlets and pumps outside one.
 * Each (subscriber, event) is a delivery of its own, so a failing subscriber is retried with
 * backoff and dead-lettered without holding up other subscribers or other aggregates.
 */
export class Dispatcher {
  readonly #db: Database;
  readonly #subscriptions: readonly Subscription[];
  readonly #pumps: Pump[];
  readonly #retry: RetryPolicy;
  readonly #batch: number;
  readonly #pollMs: number;
  readonly #scope: TenantScope;
  readonly #log: (message: string, err?: unknown) => void;
  readonly #outlets: readonly Outlet[];
  readonly #inflight = new Map<Pump, Set<Promise<void>>>();
  #running: Promise<void> | undefined;
  #stopped = false;
  #kicked = false;
  #wake: (() => void) | undefined;
  #unlisten: (() => void) | undefined;

  constructor(db: Database, opts: DispatcherOptions = {}) {
    this.#db = db;
    this.#subscriptions = opts.subscriptions ?? [];
    this.#outlets = opts.outlets ?? [];
    this.#retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.#batch = opts.batchSize ?? 200;
    this.#pollMs = opts.pollMs ?? 1_000;
    this.#scope = opts.tenants ?? null;
    this.#log = opts.log ?? (() => undefined);
    const names = [...this.#subscriptions, ...this.#outlets].map((s) => s.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new Error(`two event subscribers are named "${dup}"`);
    const leaseMs = opts.leaseMs ?? 60_000;
    this.#pumps = [...this.#outlets.map((o) => this.#outletPump(o, leaseMs)), ...(opts.pumps ?? [])];
    for (const pump of this.#pumps) this.#inflight.set(pump, new Set());
  }

  /** Runs in the background until stop(): woken by commits that emitted, else by polling. */
  start(): void {
    if (this.#running) return;
    this.#unlisten = onEmitted(() => this.kick());
    this.#running = this.#loop();
  }

  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  /** Stops taking work, lets in-flight sends finish, closes outlets. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unlisten?.();
    this.kick();
    await this.#running;
    await this.#settled();
    for (const outlet of this.#outlets) await outlet.close?.();
  }

  /** Works until nothing is due (retries scheduled later are left), without the background loop: tests, benchmarks. */
  async drain(maxSteps = 10_000): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      const worked = await this.step();
      await this.#settled();
      if (!worked) return;
    }
    throw new Error(`dispatcher still busy after ${maxSteps} steps`);
  }

  /** One round: fan out new events, deliver in-process, launch outbound sends. True if anything was done. */
  async step(): Promise<boolean> {
    const fanned = await this.#fanOut();
    const delivered = await this.#deliverInProcess();
    const launched = await this.#launchPumps();
    return fanned + delivered + launched > 0;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      this.#kicked = false;
      let worked = false;
      try {
        worked = await this.step();
      } catch (err) {
        this.#log('event dispatch step failed', err);
      }
      if (worked || this.#kicked || this.#stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  async #settled(): Promise<void> {
    for (const set of this.#inflight.values()) await Promise.all(set);
  }

  /** Creates one delivery per matching subscriber for each new event. */
  async #fanOut(): Promise<number> {
    const subscribers = [...this.#subscriptions, ...this.#outlets];
    return this.#db.transaction(async (tx) => {
      const events = await lockNewEvents(tx, this.#scope, this.#batch);
      if (events.length === 0) return 0;
      const rows = events.flatMap((e) =>
        subscribers.filter((s) => matchesAny(s.events, e.type)).map((s) => ({ ...e, subscriber: s.name })),
      );
      if (rows.length > 0) {
        await tx.query(
          sql`INSERT INTO event_deliveries (tenant_id, subscriber, event_id, position, aggregate_type, aggregate_id, aggregate_seq)
           SELECT * FROM unnest(${rows.map((r) => r.tenantId)}::uuid[], ${rows.map((r) => r.subscriber)}::text[], ${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.position)}::bigint[], ${rows.map((r) => r.aggregateType)}::text[], ${rows.map((r) => r.aggregateId)}::text[], ${rows.map((r) => r.sequence)}::int[])
           ON CONFLICT DO NOTHING`,
        );
      }
      await tx.query(
        sql`UPDATE outbox_events o SET fanned_out_at = now()
           FROM unnest(${events.map((e) => e.tenantId)}::uuid[], ${events.map((e) => e.id)}::uuid[]) AS k(tenant_id, id) WHERE o.tenant_id = k.tenant_id AND o.id = k.id`,
      );
      return events.length;
    });
  }

  /**
   * One transaction for a batch, one savepoint per delivery: the subscriber's effect, its
   * processed_events row and the delivery's status commit together; a failure rolls back only
   * that delivery's savepoint and schedules its retry. The tenant context (and with it the
   * tenant role) is entered once per run of deliveries of the same tenant.
   */
  async #deliverInProcess(): Promise<number> {
    if (this.#subscriptions.length === 0) return 0;
    const byName = new Map(this.#subscriptions.map((s) => [s.name, s]));
    return this.#db.transaction(async (tx) => {
      const locked = await lockDueDeliveries(tx, [...byName.keys()], this.#scope, this.#batch);
      const events = await loadEvents(tx, locked);
      const done: DeliveryKey[] = [];
      const failures: Array<{ d: ClaimedDelivery; err: unknown }> = [];
      const failed = new Set<string>();
      let tenant: string | undefined;
      for (const d of inAggregateOrder(locked, failed)) {
        if (d.tenantId !== tenant) {
          if (tenant) await tx.exec('RESET ROLE');
          await enterTenant(tx, systemContext(d.tenantId, 'events'));
          tenant = d.tenantId;
        }
        await tx.exec('SAVEPOINT delivery');
        try {
          await applyOnce(tx, byName.get(d.subscriber)!, events.get(d.eventId)!);
          await tx.exec('RELEASE SAVEPOINT delivery');
          done.push(d);
        } catch (err) {
          await tx.exec('ROLLBACK TO SAVEPOINT delivery');
          failed.add(d.chain);
          failures.push({ d, err });
        }
      }
      if (tenant) await tx.exec('RESET ROLE');
      for (const { d, err } of failures) await this.#failed(tx, d, d.attempts + 1, err);
      await markDone(tx, done, true);
      return done.length + failures.length;
    });
  }

  async #failed(q: Queryable, d: ClaimedDelivery, attempts: number, err: unknown): Promise<void> {
    const dead = attempts >= this.#retry.maxAttempts;
    this.#log(`event ${d.eventId} to ${d.subscriber} failed (attempt ${attempts})${dead ? ': dead-lettered' : ''}`, err);
    await markFailed(q, d, attempts, errorText(err), this.#retry);
  }

  async #launchPumps(): Promise<number> {
    let launched = 0;
    for (const pump of this.#pumps) {
      const inflight = this.#inflight.get(pump)!;
      const free = pump.concurrency - inflight.size;
      if (free <= 0 || this.#stopped) continue;
      const jobs = await pump.claim(Math.min(free, this.#batch));
      for (const job of jobs) {
        const sending: Promise<void> = pump
          .send(job)
          .catch((err) => this.#log(`${pump.name}: send failed`, err))
          .finally(() => {
            inflight.delete(sending);
            this.kick();
          });
        inflight.add(sending);
      }
      launched += jobs.length;
    }
    return launched;
  }

  #outletPump(outlet: Outlet, leaseMs: number): Pump<ClaimedDelivery> {
    return {
      name: outlet.name,
      concurrency: 32,
      claim: (limit) => this.#db.transaction((tx) => leaseDueDeliveries(tx, outlet.name, this.#scope, limit, leaseMs)),
      send: async (d) => {
        const event = (await loadEvents(this.#db, [d])).get(d.eventId)!;
        try {
          await outlet.publish(event);
        } catch (err) {
          await this.#failed(this.#db, d, d.attempts, err);
          return;
        }
        await markDone(this.#db, [d], false);
      },
    };
  }
}

/**
 * Applies an event once per subscriber: the processed_events row commits with the effect. The
 * same statement makes the subscriber the acting system job, with the event's site and request
 * id, so what the handler writes is attributed and correlated in the audit trail.
 */
async function applyOnce(tx: Tx, subscription: Subscription, event: DomainEvent): Promise<void> {
  const job = `events:${subscription.name}`;
  const fresh = await tx.query(
    sql`WITH actor AS (
       SELECT set_config('app.actor_id', ${job}, true), set_config('app.actor_name', ${`system:${job}`}, true),
              set_config('app.site_id', ${event.siteId ?? ''}, true), set_config('app.request_id', ${event.requestId}, true))
     INSERT INTO processed_events (subscriber, event_id) SELECT ${subscription.name}, ${event.id} FROM actor ON CONFLICT DO NOTHING`,
  );
  if (fresh.rowCount > 0) await subscription.handle(tx, event);
}
