import type { Tx } from '../db/index.js';

/** A domain event as subscribers receive it: what happened to which aggregate, in which tenant. */
export interface DomainEvent<D = unknown> {
  id: string;
  /** `module.entity.verb`, e.g. `inventory.lot.quarantined`. */
  type: string;
  tenantId: string;
  tenantCode: string;
  siteId: string | null;
  aggregate: { type: string; id: string };
  /** 1, 2, 3… per aggregate: the order in which its events happened. */
  sequence: number;
  data: D;
  /** ISO 8601 server time of the emitting transaction. */
  occurredAt: string;
  /** The request (or job) that caused it, for correlation with the audit trail. */
  requestId: string;
}

/**
 * An in-process subscriber. `handle` runs in a transaction in the event's tenant context
 * (system actor); its effect and the record that it processed the event commit together,
 * so a redelivered event changes nothing twice.
 */
export interface Subscription {
  /** Stable name, e.g. `production.flagWorkOrdersOnEco`: renaming it redelivers everything. */
  name: string;
  /** Type patterns: `*` matches one segment, `>` the rest (`inventory.lot.*`, `quality.>`). */
  events: readonly string[];
  handle(tx: Tx, event: DomainEvent): Promise<void>;
}

/** A subscriber outside the database (the NATS bridge): called with no transaction open. */
export interface Outlet {
  name: string;
  events: readonly string[];
  publish(event: DomainEvent): Promise<void>;
  close?(): Promise<void>;
}

/** Retry policy: exponential backoff with jitter, capped, dead-lettered after maxAttempts. */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

/** Delay before attempt `attempts + 1`: base·2^(attempts−1), capped, with "equal jitter". */
export function backoffMs(policy: RetryPolicy, attempts: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
