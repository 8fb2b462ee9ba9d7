/** An electronic signature as the kernel's /signatures endpoint shows it (Part 11 §11.50). */
export interface Signature {
  id: string;
  entity: string;
  recordId: string;
  meaning: string;
  signer: { id: string; login: string; name: string };
  signedAt: string;
  comment: string | null;
  contentHash: string;
  /** False once the record changed after signing: the content hash no longer matches. */
  valid: boolean;
  /** Rendered by the server in the site's time zone; `code` + `params` translate it. */
  manifestation: { text: string; code: string; params: { name: string; login: string; time: string; meaning: string } };
}

/** What the signer enters; the server re-authenticates with it inside the signing request. */
export interface SignatureInput {
  password: string;
  totpCode?: string;
  comment?: string;
}

/** Translation key of a signature meaning, as the server names it in manifestations. */
export const meaningKey = (meaning: string): string => `esign.meaning.${meaning}`;
