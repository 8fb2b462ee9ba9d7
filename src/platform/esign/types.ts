import type { Tx } from '../db/index.js';
import type { TenantContext } from '../tenancy/index.js';

/** What the signer types into the signing dialog (Part 11 §11.200: two distinct components). */
export interface SigningCredentials {
  password: string;
  /** Required when the signer has TOTP enrolled and this is the session's first signing. */
  totpCode?: string | undefined;
}

export interface VerifiedSigner {
  userId: string;
  login: string;
  /** Printed name, as manifested on the signature. */
  printedName: string;
  permissions: readonly string[];
}

/**
 * Re-authenticates the person behind ctx inside the signing request. Implemented by the identity
 * module (which owns users, sessions and lockout); the signature kernel only calls it. Throws
 * Unauthorized on bad credentials (counted toward lockout), Forbidden for machines (API tokens).
 */
export type SignerVerifier = (tx: Tx, ctx: TenantContext, creds: SigningCredentials) => Promise<VerifiedSigner>;

import { SIGNATURE_MEANINGS, type SignatureMeaning } from './contract.js';

export const isSignatureMeaning = (m: string): m is SignatureMeaning => (SIGNATURE_MEANINGS as readonly string[]).includes(m);

/**
 * A record type that can be signed. Each declares which of its fields a signature covers: a
 * change to any of them afterwards makes the signature show as invalid.
 */
export interface Signable {
  /** The record type, named as its table (e.g. `documents`). */
  entity: string;
  /** The signed fields of the record, or undefined when there is no such record. */
  content(tx: Tx, id: string): Promise<Record<string, unknown> | undefined>;
  /** The permission a signer needs for a meaning, e.g. `documents:sign.approved`; undefined: not signable so. */
  permissionFor(meaning: SignatureMeaning): string | undefined;
}

export interface Signature {
  id: string;
  entity: string;
  recordId: string;
  meaning: SignatureMeaning;
  signer: { id: string; login: string; name: string };
  signedAt: string;
  comment: string | null;
  contentHash: string;
  /** False when the record changed after signing (hash mismatch) or no longer exists. */
  valid: boolean;
}
