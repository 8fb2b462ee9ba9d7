import type { Static, TSchema } from 'typebox';

/**
 * The shapes of a module's contract (`src/modules/<m>/contract.ts`): its permissions and the
 * events it publishes. TypeBox only, like `schema.ts`, because the web app imports contracts.
 */

export interface PermissionDef {
  /** `module:action`, e.g. `inventory:issue`, `quality:ncr.disposition`, `admin:users`. */
  name: string;
  description: string;
}

/**
 * A module's permissions by key, each with its name and what it allows: `names.read` is what a
 * route declares and a screen checks, `list` is what the role catalog is built from.
 */
export function definePermissions<const P extends Record<string, PermissionDef>>(
  permissions: P,
): { names: { readonly [K in keyof P]: P[K]['name'] }; list: readonly PermissionDef[] } {
  const names = Object.fromEntries(Object.entries(permissions).map(([k, p]) => [k, p.name])) as { [K in keyof P]: P[K]['name'] };
  return { names, list: Object.values(permissions) };
}

/** One event a module publishes: its type, its aggregate, when it happens and its payload. */
export interface EventDef<T extends string = string, S extends TSchema = TSchema> {
  type: T;
  /** The aggregate type (CloudEvents `subject` prefix), e.g. `inventory.lot`. */
  aggregate: string;
  /** When it is published, in a sentence (the docs' event catalogue). */
  when: string;
  data: S;
}

/** A module's event catalogue: keys for code, each with its type and payload schema. */
export const defineEvents = <const E extends Record<string, EventDef>>(events: E): E => events;

/** The payload type of an event definition. */
export type EventData<E extends EventDef> = Static<E['data']>;

/**
 * Value lists whose values the screens name, by catalog prefix (`'inventory.lotStatuses'` →
 * `inventory.lotStatuses.released` in both languages). The catalog test reads every contract's.
 */
export type Vocabulary = Readonly<Record<string, readonly string[]>>;
