import { sql, type Tx } from '../db/index.js';
import { uuidv7 } from '../ids.js';

export interface NewEvent<D = unknown> {
  /** `module.entity.verb`, e.g. `change.eco.released`. */
  type: string;
  aggregate: { type: string; id: string };
  data: D;
  /** Defaults to the site of the tenant context, if any. */
  siteId?: string | undefined;
}

const listeners = new Set<() => void>();

/** Called after each commit that emitted events: running dispatchers wake up at once. */
export function onEmitted(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Wakes the dispatchers of this process, e.g. after a commit that made a delivery due. */
export const wakeDispatchers = (): void => {
  for (const listener of listeners) listener();
};

/**
 * Writes a domain event to the outbox inside the caller's transaction (tenant context required):
 * if the transaction rolls back, the event never existed. Returns the event id (UUIDv7).
 */
export async function emit<D>(tx: Tx, event: NewEvent<D>): Promise<string> {
  const id = uuidv7();
  await tx.query(
    sql`INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, aggregate_seq, site_id, data)
     SELECT ${id}, ${event.type}, ${event.aggregate.type}, ${event.aggregate.id},
            coalesce((SELECT max(aggregate_seq) FROM outbox_events
                       WHERE tenant_id = mf_current_tenant() AND aggregate_type = ${event.aggregate.type} AND aggregate_id = ${event.aggregate.id}), 0) + 1,
            coalesce(${event.siteId ?? null}::uuid, mf_current_site()), ${JSON.stringify(event.data ?? null)}`,
  );
  tx.afterCommit(wakeDispatchers);
  return id;
}
