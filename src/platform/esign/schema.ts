import { Type } from 'typebox';

/** The fields of the signing dialog, shared by every route that signs (Part 11 §11.200). */
export const SignerPassword = Type.String({ minLength: 1, maxLength: 200 });
export const SignerTotpCode = Type.String({ pattern: '^[0-9]{6}$' });
export const SignatureComment = Type.String({ minLength: 1, maxLength: 2000 });

/** Body of a route whose only input is the signature: password, TOTP where enrolled, comment. */
export const SigningBody = Type.Object(
  { password: SignerPassword, totpCode: Type.Optional(SignerTotpCode), comment: Type.Optional(SignatureComment) },
  { additionalProperties: false },
);
