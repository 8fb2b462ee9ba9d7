import type { FastifySchema, RouteOptions } from 'fastify';
import { Type } from 'typebox';

/** RFC 9457 problem details as every refusal answers them. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'stable problem type URN, e.g. urn:mediforge:problem:validation' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'what went wrong, for a person; never database text' }),
    instance: Type.String(),
    requestId: Type.String(),
    code: Type.Optional(Type.String({ description: 'translation code, e.g. error.quantity.wholeNumber' })),
    params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          pointer: Type.String({ description: 'JSON pointer into the request, e.g. /body/lines/0/quantity' }),
          message: Type.String(),
          code: Type.Optional(Type.String()),
        }),
        { description: 'every field error at once' },
      ),
    ),
  },
  { description: 'application/problem+json (RFC 9457)' },
);

const problem = (description: string) => ({ ...ProblemSchema, description });

/**
 * The OpenAPI document says what each operation can refuse, from what the route declares: bad
 * input (400, 422), no caller or no permission (401, 403), a record by id (404), a state or a
 * concurrent change (409), and If-Match where the route demands it (428 without, 412 stale).
 * Only the document changes; validation and answers stay as the route defines them.
 */
export function documentRefusals({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): {
  schema: FastifySchema;
  url: string;
} {
  if (!url.startsWith('/api/v1') || !schema || (schema as { hide?: boolean }).hide) return { schema, url };
  const config = (route.config ?? {}) as { public?: boolean; ifMatch?: boolean };
  const reading = route.method === 'GET' || (Array.isArray(route.method) && route.method.includes('GET'));
  const refusals: Record<string, unknown> = { 400: problem('bad input: a field of the wrong form, a control character, an unknown field') };
  if (!config.public) {
    refusals[401] = problem('not signed in, or the session or token ended');
    refusals[403] = problem('signed in, without the permission this operation needs');
  }
  if (url.includes(':') || url.includes('{')) refusals[404] = problem('no such record in this tenant');
  if (!reading) {
    refusals[409] = problem('the record is in a state that does not allow this, or a rule (separation of duties, stock) refuses it');
    refusals[422] = problem('a business rule refuses a value: every field error at once');
  }
  let headers = schema.headers as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  if (config.ifMatch) {
    refusals[412] = problem('the record changed since the ETag sent in If-Match');
    refusals[428] = problem('If-Match is required: send the ETag of the version you change');
    headers = {
      ...(headers ?? { type: 'object' }),
      properties: {
        ...(headers?.properties ?? {}),
        'if-match': Type.String({ description: 'the ETag of the version you change, e.g. "v3"' }),
      },
      required: [...new Set([...(headers?.required ?? []), 'if-match'])],
    };
  }
  const response = { ...refusals, ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
  return { schema: { ...schema, ...(headers ? { headers } : {}), response }, url };
}
