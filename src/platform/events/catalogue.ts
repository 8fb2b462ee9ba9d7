import type { EventData, EventDef } from '../contract.js';
import type { Tx } from '../db/index.js';
import { emit } from './outbox.js';
import type { DomainEvent, Subscription } from './types.js';

/**
 * Modules publish and receive the events of their contracts' catalogues through these two, so
 * a payload is typed where it is written and where it is read, and no type string is retyped.
 */

export interface Publication<E extends EventDef> {
  /** The aggregate's id; its type is the definition's unless this event names another one. */
  aggregateId: string;
  aggregateType?: string;
  data: EventData<E>;
  /** Defaults to the site of the tenant context, if any. */
  siteId?: string | undefined;
}

/** Writes an event of a contract's catalogue to the outbox, in the caller's transaction. */
export function publish<E extends EventDef>(tx: Tx, def: E, event: Publication<E>): Promise<string> {
  return emit(tx, {
    type: def.type,
    aggregate: { type: event.aggregateType ?? def.aggregate, id: event.aggregateId },
    data: event.data,
    siteId: event.siteId,
  });
}

/** A reaction to events of other modules' catalogues, with the payload typed by their definitions. */
export function subscribe<const E extends readonly EventDef[]>(subscription: {
  /** Stable name: it is the delivery identity (see Subscription). */
  name: string;
  to: E;
  handle(tx: Tx, event: DomainEvent<EventData<E[number]>>): Promise<void>;
}): Subscription {
  return {
    name: subscription.name,
    events: subscription.to.map((e) => e.type),
    // The dispatcher delivers only the types listed, each written by `publish` with its definition's payload.
    handle: (tx, event) => subscription.handle(tx, event as DomainEvent<EventData<E[number]>>),
  };
}

/** The docs' event catalogue (docs/events.md) as a Markdown table, from every contract's events. */
export function eventCatalogueTable(catalogues: ReadonlyArray<Readonly<Record<string, EventDef>>>): string {
  const rows = catalogues.flatMap((c) => Object.values(c));
  const fields = (def: EventDef) => {
    const properties = (def.data as { properties?: Record<string, unknown> }).properties ?? {};
    return Object.keys(properties)
      .map((k) => `\`${k}\``)
      .join(', ');
  };
  return [
    '| type | aggregate | when | data |',
    '| --- | --- | --- | --- |',
    ...rows.map((def) => `| \`${def.type}\` | \`${def.aggregate}\` | ${def.when} | ${fields(def)} |`),
  ].join('\n');
}
