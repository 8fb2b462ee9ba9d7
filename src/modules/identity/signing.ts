import { AsyncResource } from 'node:async_hooks';
import { type Database, sql } from '../../platform/db/index.js';
import { Forbidden, Unauthorized } from '../../platform/errors.js';
import type { SignerVerifier } from '../../platform/esign/types.js';
import { withTenant } from '../../platform/tenancy/index.js';
import type { IdentityEnv } from './context.js';
import { checkSecondFactor, registerFailure } from './login.js';
import { verifyPassword } from './passwords.js';
import { userGrants } from './roles.js';
import { isLocked, loadCredentials } from './sessions.js';

/**
 * A failed signing must count toward lockout although the signing transaction rolls back.
 * The failure is written in its own transaction once the current one has ended: started from
 * the root async scope, it queues behind the open transaction (PGlite has one connection) or
 * waits for its row lock (PostgreSQL) instead of joining it.
 */
const detached = new AsyncResource('mediforge.identity.signing-failure');
const pending = new Set<Promise<void>>();

/** Resolves when every failed-signing record started so far is written (tests, shutdown). */
export async function signingFailuresWritten(): Promise<void> {
  await Promise.all([...pending]);
}

/**
 * Re-authentication inside a signing (21 CFR 11.200(a)): the first signing of a session needs
 * every factor the person has (password and TOTP); later signings in the same continuous
 * session need at least the password. Machines never sign; locked or deactivated people cannot.
 */
export function createSignerVerifier(db: Database, env: IdentityEnv): SignerVerifier {
  return async (tx, ctx, creds) => {
    if (ctx.actor.kind !== 'user') {
      throw new Forbidden('only a person can sign; API tokens and jobs cannot', { code: 'error.identity.tokenCannotSign' });
    }
    const user = await loadCredentials(tx, { id: ctx.actor.id });
    if (!user?.active) throw new Forbidden('a deactivated user cannot sign', { code: 'error.identity.deactivated' });
    const now = env.clock.now();
    if (isLocked(user, now)) throw new Forbidden('the account is locked', { code: 'error.identity.locked' });
    const { rows } = await tx.query<{ fullSigningAt: string | null }>(
      sql`SELECT full_signing_at AS "fullSigningAt" FROM sessions WHERE id = ${ctx.sessionId ?? null} AND user_id = ${user.id} AND revoked_at IS NULL AND expires_at > ${now}`,
    );
    const session = rows[0];
    // After an administrator's reset the administrator knew the password: the person confirms
    // their authenticator in the signing itself, whatever the session signed before.
    const blocked = user.signingBlockedSince !== null;
    const everyFactor = !session?.fullSigningAt || blocked;
    if (everyFactor && user.totpSecret && !creds.totpCode) {
      throw new Unauthorized('the first signing of a session needs your authenticator code too', {
        code: 'error.identity.signingNeedsTotp',
      });
    }
    const passwordOk = await verifyPassword(user.passwordHash, creds.password);
    const factorOk =
      !(everyFactor && user.totpSecret) || (passwordOk && (await checkSecondFactor(tx, env, user, creds.totpCode ?? '')) !== undefined);
    if (!passwordOk || !factorOk) {
      const write = detached
        .runInAsyncScope(() =>
          withTenant(db, ctx, async (failTx) => {
            const fresh = await loadCredentials(failTx, { id: user.id });
            if (fresh) await registerFailure(failTx, env, fresh, 'signature.failed', {});
          }),
        )
        .catch((err: unknown) => process.emitWarning(`a failed signing could not be recorded: ${String(err)}`))
        .finally(() => pending.delete(write));
      pending.add(write);
      throw new Unauthorized('the password or code is not correct', { code: 'error.identity.badSignature' });
    }
    // Whoever signs has a second factor of their own (a signing role requires it), checked here
    // and not only at sign-in: a role granted during a session does not slip past enrolment.
    if (!user.totpSecret) {
      throw new Forbidden('signing needs your own authenticator app: sign in again and enrol it', {
        code: 'error.identity.signingNeedsEnrolment',
      });
    }
    if (blocked && (user.mustChangePassword || Date.parse(user.passwordChangedAt) <= Date.parse(user.signingBlockedSince as string))) {
      throw new Forbidden('your password was reset by an administrator: set your own password before you sign', {
        code: 'error.identity.signingBlockedAfterReset',
      });
    }
    if (everyFactor && session) await tx.query(sql`UPDATE sessions SET full_signing_at = ${now} WHERE id = ${ctx.sessionId}`);
    if (blocked) await tx.query(sql`UPDATE users SET signing_blocked_since = NULL WHERE id = ${user.id}`);
    await tx.query(sql`UPDATE users SET failed_attempts = 0 WHERE id = ${user.id} AND failed_attempts > 0`);
    const grants = await userGrants(tx, env, user.id, ctx.siteId);
    return { userId: user.id, login: user.login, printedName: user.fullName, permissions: grants.permissions };
  };
}
