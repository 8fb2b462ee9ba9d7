import { Type } from 'typebox';

/**
 * What the signature kernel shows and asks over HTTP, in TypeBox only: module contracts and the
 * web app build on it.
 */

/** The meanings a signature can carry (§11.50(a)(3)); extend here, labels are `esign.meaning.<m>`. */
export const SIGNATURE_MEANINGS = ['authored', 'reviewed', 'approved', 'released', 'verified', 'rejected', 'withdrawn'] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];

/** The fields of the signing dialog, shared by every route that signs (Part 11 §11.200). */
export const SignerPassword = Type.String({ minLength: 1, maxLength: 200 });
export const SignerTotpCode = Type.String({ pattern: '^[0-9]{6}$' });
export const SignatureComment = Type.String({ minLength: 1, maxLength: 2000 });

/** Body of a route whose only input is the signature: password, TOTP where enrolled, comment. */
export const SigningBody = Type.Object(
  { password: SignerPassword, totpCode: Type.Optional(SignerTotpCode), comment: Type.Optional(SignatureComment) },
  { additionalProperties: false },
);

/** How a signature is shown wherever it appears (§11.50): printed name, login, local time, meaning. */
export const ManifestationSchema = Type.Object({
  text: Type.String(),
  code: Type.String(),
  params: Type.Object({ name: Type.String(), login: Type.String(), time: Type.String(), meaning: Type.String() }),
});

/** A signature as records answer it, with its manifestation and whether the record still matches it. */
export const SignatureSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  entity: Type.String(),
  recordId: Type.String(),
  meaning: Type.Enum(SIGNATURE_MEANINGS),
  signer: Type.Object({ id: Type.String(), login: Type.String(), name: Type.String() }),
  signedAt: Type.String({ format: 'date-time' }),
  comment: Type.Union([Type.String(), Type.Null()]),
  contentHash: Type.String(),
  valid: Type.Boolean({ description: 'false when the record changed after signing' }),
  manifestation: ManifestationSchema,
});
