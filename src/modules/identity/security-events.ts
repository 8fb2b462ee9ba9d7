import { recordSecurityEvent as appendSecurityEvent } from '../../platform/audit/index.js';
import type { Tx } from '../../platform/db/index.js';

export type SecurityEventKind =
  | 'login.succeeded'
  | 'login.failed'
  | 'account.locked'
  | 'totp.failed'
  | 'totp.enrolled'
  | 'password.changed'
  | 'permission.denied'
  | 'token.used'
  | 'token.refused'
  | 'token.created'
  | 'token.revoked'
  | 'session.revoked'
  | 'signature.failed'
  | 'user.created'
  | 'user.updated'
  | 'user.deactivated'
  | 'user.password_reset'
  | 'user.roles_changed'
  | 'user.role_grant_requested'
  | 'user.role_grant_approved'
  | 'user.role_grant_rejected'
  | 'policy.changed';

export interface SecurityEvent {
  kind: SecurityEventKind;
  /** The person the event is about (whose login failed, whose roles changed). */
  user?: { id: string; login: string } | undefined;
  /** Client address, when the event comes from a request. */
  ip?: string | undefined;
  detail?: Record<string, unknown>;
}

/**
 * The one place identity records security events (§11.300(d), Annex 11 §12.3): into the audit
 * trail (entity `security`), in the caller's transaction, with the actor and time of its
 * context. Never pass passwords, codes or tokens in `detail`.
 */
export async function recordSecurityEvent(tx: Tx, e: SecurityEvent): Promise<void> {
  await appendSecurityEvent(tx, {
    action: e.kind,
    subject: e.user ? { kind: 'user', id: e.user.id, name: e.user.login } : undefined,
    detail: { ...(e.ip ? { ip: e.ip } : {}), ...e.detail },
  });
}
