import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type App, inTenant } from '../http/app.js';
import { manifestedSignatures } from './manifest.js';
import { ESIGN_PERMISSIONS } from './permissions.js';
import { SIGNATURE_MEANINGS } from './types.js';

export const ManifestationSchema = Type.Object({
  text: Type.String(),
  code: Type.String(),
  params: Type.Object({ name: Type.String(), login: Type.String(), time: Type.String(), meaning: Type.String() }),
});

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

export function esignRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/signatures',
    {
      config: { permission: ESIGN_PERMISSIONS.read },
      schema: {
        tags: ['signatures'],
        summary: "A record's electronic signatures with their validity and manifestation",
        querystring: Type.Object(
          { entity: Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }), id: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(SignatureSchema) }) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        return { items: await manifestedSignatures(tx, request.query.entity, request.query.id) };
      }),
  );
}
