import type { SecretBox } from '../../platform/crypto.js';
import type { DomainError } from '../../platform/errors.js';
import type { PermissionDef } from '../../platform/module.js';

/** Where identity reads the time; tests inject one they can move forward instead of sleeping. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What the identity services need besides the transaction. */
export interface IdentityEnv {
  /** Every permission routes may declare; roles are resolved against it. */
  catalog: readonly PermissionDef[];
  /** Seals TOTP seeds at rest. */
  box: SecretBox;
  clock: Clock;
}

/**
 * A refused step whose bookkeeping (failure count, lockout, security event) must still commit:
 * services return it, and the caller throws it once the transaction has committed.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
