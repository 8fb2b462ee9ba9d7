import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TSchema } from 'typebox';
import { get } from './client';

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: TSchema }> } }>>;
}

const openApiQuery = queryOptions({
  queryKey: ['openapi'],
  queryFn: () => get<OpenApi>('/openapi.json'),
  staleTime: Number.POSITIVE_INFINITY,
  meta: { handlesErrors: true },
});

/**
 * The JSON Schema the server validates a request body with, taken from its OpenAPI document:
 * forms check input with the server's own TypeBox schemas, never a hand-written copy.
 * Undefined until the document has loaded (the server still validates every request).
 */
export function useRequestSchema(method: 'POST' | 'PUT' | 'PATCH', path: string): TSchema | undefined {
  const { data } = useQuery(openApiQuery);
  const key = `/api/v1${path.replace(/:(\w+)/g, '{$1}')}`;
  return data?.paths[key]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
}
