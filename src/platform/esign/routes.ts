import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type App, inTenant, tenantOf } from '../http/app.js';
import { SIGNATURE_MEANINGS, SignatureSchema } from './contract.js';
import { DUTY_ENFORCEMENTS, DUTY_RULES, listDutySettings, setDutyEnforcement } from './duties.js';
import { manifestedSignatures } from './manifest.js';
import { ESIGN_PERMISSIONS } from './permissions.js';

const DutySettingSchema = Type.Object({
  entity: Type.String(),
  meaning: Type.Enum(SIGNATURE_MEANINGS),
  rule: Type.Enum(DUTY_RULES),
  step: Type.String({ description: 'the signed step, e.g. approve' }),
  enforcement: Type.Enum(DUTY_ENFORCEMENTS),
  reason: Type.Union([Type.String(), Type.Null()]),
  changedBy: Type.Union([Type.String(), Type.Null()]),
  changedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
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

  api.get(
    '/signature-duties',
    {
      config: { permission: ESIGN_PERMISSIONS.readDuties },
      schema: {
        tags: ['signatures'],
        summary: 'The separation-of-duties rules of every signed step, each enforced (default) or relaxed for this tenant',
        response: { 200: Type.Object({ items: Type.Array(DutySettingSchema) }) },
      },
    },
    async (request) => inTenant(request, async (tx) => ({ items: await listDutySettings(tx) })),
  );

  api.put(
    '/signature-duties',
    {
      config: { permission: ESIGN_PERMISSIONS.setDuties },
      schema: {
        tags: ['signatures'],
        summary: 'Enforce or relax one separation-of-duties rule of a signed step, with a reason (audited)',
        description:
          'Relaxing lets the person the rule names sign anyway (e.g. a company of two); every such signature is recorded in the ' +
          'audit trail as the security event signature.duty_relaxed.',
        body: Type.Object(
          {
            entity: Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }),
            meaning: Type.Enum(SIGNATURE_MEANINGS),
            rule: Type.Enum(DUTY_RULES),
            enforcement: Type.Enum(DUTY_ENFORCEMENTS),
            reason: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: DutySettingSchema },
      },
    },
    async (request) => inTenant(request, (tx) => setDutyEnforcement(tx, tenantOf(request), request.body)),
  );
}
