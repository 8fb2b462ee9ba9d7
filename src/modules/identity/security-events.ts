import type { Tx } from '../../platform/db/index.js';
import { uuidv7 } from '../../platform/ids.js';

export type SecurityEventKind =
  | 'login.succeeded'
  | 'login.failed'
  | 'user.locked'
  | 'totp.failed'
  | 'totp.enrolled'
  | 'password.changed'
  | 'permission.denied'
  | 'token.used'
  | 'token.created'
  | 'token.revoked'
  | 'session.revoked'
  | 'signing.failed'
  | 'user.created'
  | 'user.updated'
  | 'user.deactivated'
  | 'user.password_reset'
  | 'user.roles_changed'
  | 'policy.changed';

export interface SecurityEvent {
  kind: SecurityEventKind;
  at: Date;
  userId?: string | undefined;
  login?: string | undefined;
  /** Who did it: the person or token acting, or `anonymous`. */
  actor: string;
  ip?: string | undefined;
  detail?: Record<string, unknown>;
}

/**
 * The one place identity records security events (§11.300(d), Annex 11 §12.3), in the caller's
 * transaction and tenant. Never pass passwords, codes or tokens in `detail`.
 */
export async function recordSecurityEvent(tx: Tx, e: SecurityEvent): Promise<void> {
  await tx.query('INSERT INTO security_events (id, at, kind, user_id, login, actor, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
    uuidv7(),
    e.at,
    e.kind,
    e.userId ?? null,
    e.login ?? null,
    e.actor,
    e.ip ?? null,
    JSON.stringify(e.detail ?? {}),
  ]);
}
