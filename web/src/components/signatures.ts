/** An electronic signature as the kernel's /signatures endpoint shows it (Part 11 §11.50). */
export interface Signature {
  id: string;
  printedName: string;
  signedAt: string;
  meaning: string;
  reason: string | null;
  /** False once the record changed after signing: the content hash no longer matches. */
  valid: boolean;
  /** "Name — meaning — time" exactly as the server renders it for display and print. */
  manifestation: string;
}

/** What the signer enters; the server re-authenticates with it inside the signing request. */
export interface SignatureInput {
  meaning: string;
  password: string;
  totpCode?: string;
  comment?: string;
}

/** Translation keys of the signature meanings; an unknown meaning is shown as the server names it. */
export const MEANING_KEYS: Record<string, string> = {
  authored: 'signature.meaning.authored',
  reviewed: 'signature.meaning.reviewed',
  approved: 'signature.meaning.approved',
  released: 'signature.meaning.released',
  verified: 'signature.meaning.verified',
  rejected: 'signature.meaning.rejected',
  obsoleted: 'signature.meaning.obsoleted',
};
