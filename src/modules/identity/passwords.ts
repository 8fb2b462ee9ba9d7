import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { type Static, Type } from 'typebox';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { type FieldError, ValidationFailed } from '../../platform/errors.js';
import { recordSecurityEvent } from './security-events.js';

/** `Algorithm.Argon2id`, a const enum the library declares ambiently. */
const ARGON2ID = 2;

/** argon2id with the library's defaults (19 MiB, 2 passes: the OWASP baseline). */
export const hashPassword = (password: string): Promise<string> => hash(password, { algorithm: ARGON2ID });

export const verifyPassword = async (stored: string, password: string): Promise<boolean> => {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
};

let dummy: Promise<string> | undefined;
/** Spends the same time as a real check when the user does not exist, so timing reveals nothing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('mediforge-timing-equaliser');
  await verifyPassword(await dummy, password);
}

export const SecurityPolicy = Type.Object(
  {
    minLength: Type.Integer({ minimum: 8, maximum: 128, description: 'minimum password length' }),
    historyCount: Type.Integer({
      minimum: 0,
      maximum: 24,
      description: 'how many previous passwords (including the current) may not be reused',
    }),
    maxAgeDays: Type.Integer({ minimum: 0, maximum: 3650, description: 'days until a password must be changed; 0 = no expiry' }),
    lockoutThreshold: Type.Integer({ minimum: 3, maximum: 20, description: 'consecutive failures that lock the account' }),
    lockoutMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
    idleTimeoutMinutes: Type.Integer({ minimum: 1, maximum: 480 }),
    sessionLifetimeHours: Type.Integer({ minimum: 1, maximum: 72 }),
    signingGrantsNeedSecondAdmin: Type.Optional(
      Type.Boolean({
        description: 'a role that signs takes effect only once a second administrator approves the grant; unchanged when left out',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SecurityPolicy = Static<typeof SecurityPolicy>;

const POLICY_COLUMNS = `min_length AS "minLength", history_count AS "historyCount", max_age_days AS "maxAgeDays",
  lockout_threshold AS "lockoutThreshold", lockout_minutes AS "lockoutMinutes",
  idle_timeout_minutes AS "idleTimeoutMinutes", session_lifetime_hours AS "sessionLifetimeHours",
  signing_grants_need_second_admin AS "signingGrantsNeedSecondAdmin"`;

/** The tenant's policy; the defaults row is created on first use. */
export async function getSecurityPolicy(tx: Tx): Promise<SecurityPolicy> {
  const { rows } = await tx.query<SecurityPolicy>(sql`SELECT ${raw(POLICY_COLUMNS)} FROM security_policies`);
  if (rows[0]) return rows[0];
  const inserted = await tx.query<SecurityPolicy>(
    sql`INSERT INTO security_policies DEFAULT VALUES ON CONFLICT (tenant_id) DO NOTHING RETURNING ${raw(POLICY_COLUMNS)}`,
  );
  return inserted.rows[0] ?? getSecurityPolicy(tx);
}

/** Changes the tenant's policy; the change is a security event. */
export async function changeSecurityPolicy(tx: Tx, policy: SecurityPolicy): Promise<SecurityPolicy> {
  const before = await getSecurityPolicy(tx);
  const { rows } = await tx.query<SecurityPolicy>(
    sql`UPDATE security_policies SET min_length = ${policy.minLength}, history_count = ${policy.historyCount}, max_age_days = ${policy.maxAgeDays}, lockout_threshold = ${policy.lockoutThreshold},
       lockout_minutes = ${policy.lockoutMinutes}, idle_timeout_minutes = ${policy.idleTimeoutMinutes}, session_lifetime_hours = ${policy.sessionLifetimeHours},
       signing_grants_need_second_admin = coalesce(${policy.signingGrantsNeedSecondAdmin ?? null}, signing_grants_need_second_admin), updated_at = now()
     RETURNING ${raw(POLICY_COLUMNS)}`,
  );
  const after = rows[0] as SecurityPolicy;
  await recordSecurityEvent(tx, {
    kind: 'policy.changed',
    detail: { from: before, to: after },
  });
  return after;
}

export function passwordExpiresAt(changedAt: string, policy: SecurityPolicy): Date | null {
  return policy.maxAgeDays === 0 ? null : new Date(Date.parse(changedAt) + policy.maxAgeDays * 86_400_000);
}

/** The 49,000 passwords people pick most, from a maintained list (zxcvbn-ts), lower-cased. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set((commonDictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** A common password, also with the digits and symbols people hang on its end ("Password123!"). */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const stem = lower.replace(/[^a-z]+$/u, '');
  return COMMON_PASSWORDS.has(lower) || (stem.length >= 4 && COMMON_PASSWORDS.has(stem));
}

/** One character repeated, a short pattern repeated ("abcabcabc"), or a run up or down the keyboard's order ("123456789"). */
export function isTrivialPassword(password: string): boolean {
  const chars = [...password.toLowerCase()];
  if (/^(.{1,4})\1+$/su.test(password.toLowerCase())) return true;
  let up = 0;
  let down = 0;
  for (let i = 1; i < chars.length; i++) {
    const step = (chars[i] as string).codePointAt(0)! - (chars[i - 1] as string).codePointAt(0)!;
    if (step === 1) up++;
    if (step === -1) down++;
  }
  return chars.length > 1 && Math.max(up, down) >= chars.length - 2;
}

/**
 * Refuses a new password that is too short, common, trivial, contains the login or the person's
 * name, or matches the current or one of the last passwords the policy keeps (§11.300(b)).
 * Every objection at once; `pointer` names the field for the UI.
 */
export async function checkNewPassword(
  tx: Tx,
  user: { id: string; login: string; passwordHash: string; fullName?: string | undefined },
  password: string,
  policy: SecurityPolicy,
  pointer = '/body/newPassword',
): Promise<void> {
  const errors: FieldError[] = [];
  const lower = password.toLowerCase();
  if ([...password].length < policy.minLength) {
    errors.push({
      pointer,
      message: `must have at least ${policy.minLength} characters`,
      code: 'error.identity.password.tooShort',
      params: { minLength: policy.minLength },
    });
  }
  const names = (user.fullName ?? '')
    .toLowerCase()
    .split(/\s+/u)
    .filter((n) => [...n].length >= 3);
  if (lower.includes(user.login.toLowerCase()) || names.some((n) => lower.includes(n))) {
    errors.push({ pointer, message: 'must not contain the login or your name', code: 'error.identity.password.personal' });
  }
  if (isCommonPassword(password))
    errors.push({ pointer, message: 'is one of the most common passwords', code: 'error.identity.password.common' });
  else if (isTrivialPassword(password))
    errors.push({ pointer, message: 'is a repeat or a sequence', code: 'error.identity.password.trivial' });
  if (errors.length === 0 && policy.historyCount > 0) {
    // The newest first, ties broken by the time-ordered id: however fast the changes, the last N count.
    const { rows } = await tx.query<{ hash: string }>(
      sql`SELECT hash FROM password_history WHERE user_id = ${user.id} ORDER BY retired_at DESC, id DESC LIMIT ${Math.max(policy.historyCount - 1, 0)}`,
    );
    for (const previous of [user.passwordHash, ...rows.map((r) => r.hash)].filter(Boolean)) {
      if (await verifyPassword(previous, password)) {
        errors.push({
          pointer,
          message: `must differ from the last ${policy.historyCount} passwords`,
          code: 'error.identity.password.reused',
          params: { historyCount: policy.historyCount },
        });
        break;
      }
    }
  }
  if (errors.length) {
    throw new ValidationFailed('the new password does not meet the password policy', errors, {
      code: 'error.identity.passwordPolicy',
      params: { minLength: policy.minLength, historyCount: policy.historyCount },
    });
  }
}

/** A one-time password for a new user or after a reset: at least 16 characters, no look-alikes. */
export function oneTimePassword(policy: Pick<SecurityPolicy, 'minLength'>): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: Math.max(16, policy.minLength) }, () => alphabet[randomInt(alphabet.length)]).join('');
}
