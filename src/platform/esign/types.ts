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
