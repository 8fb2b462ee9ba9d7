import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/platform/db/index.js';
import { withTenant } from '../src/platform/tenancy/index.js';
import { permissionCatalog } from '../src/server.js';
import { testApp } from './app.js';
import { type TestTenant, testDatabase, testTenant } from './db.js';

/**
 * Every operation of the OpenAPI document, fed what an attacker or a broken client sends: NUL
 * and other control characters, bidirectional overrides, wrong types, absurd numbers, oversize
 * text and paths. No answer is a 5xx, every refusal is problem+json, and nothing changes.
 */
let db: Database;
let app: FastifyInstance;
let t: TestTenant;

interface Operation {
  method: string;
  path: string;
  params: string[];
  query: Array<{ name: string; type: string | undefined }>;
  body: Record<string, { type?: string }> | undefined;
}

type Schema = { type?: string; properties?: Record<string, { type?: string }>; items?: Schema };
type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string; schema?: { type?: string } }>;
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
};

const nonEmpty = <T extends object>(o: T | undefined): T | undefined => (o && Object.keys(o).length > 0 ? o : undefined);

function operations(): Operation[] {
  const doc = app.swagger() as unknown as OpenApi;
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/v1/') || path === '/api/v1/openapi.json') continue;
    for (const [method, op] of Object.entries(methods)) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, type: p.schema?.type })),
        body: nonEmpty(schema?.properties ?? (schema?.type === 'array' ? schema.items?.properties : undefined)),
      });
    }
  }
  return ops;
}

const SOME_ID = '01900000-0000-7000-8000-000000000001';
const POISON = ['a\u0000b', 'LOT-1\u202E1-TOL', 'x\u0007y', 'line one\nline two'];

async function auditCount(): Promise<number> {
  return withTenant(db, t.ctx, async (tx) => Number((await tx.query<{ n: string }>('SELECT count(*) AS n FROM audit_event')).rows[0]?.n));
}

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  const everything = permissionCatalog().map((p) => p.name);
  app = await testApp(db, {
    callers: {
      all: { tenantId: t.tenant.id, siteId: t.site.id, actor: { kind: 'user', id: SOME_ID, name: 'Prober' }, permissions: everything },
    },
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('bad input on every operation', () => {
  it('[P11.10f] never answers 5xx, always problem+json, and changes nothing', async () => {
    const before = await auditCount();
    const failures: string[] = [];
    let requests = 0;
    const send = async (label: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
      requests++;
      const res = await app.inject({
        method: method as 'GET',
        url,
        payload: payload as object,
        headers: { 'x-test-caller': 'all', ...headers },
      });
      if (res.statusCode >= 500) failures.push(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) {
        failures.push(`${label}: ${res.statusCode} is not problem+json`);
      } else if (res.statusCode < 300 && method !== 'GET') failures.push(`${label}: accepted with ${res.statusCode}`);
      else if (res.statusCode >= 400 && /constraint|_pkey|_fkey|relation "|violates/.test(res.body)) {
        failures.push(`${label}: the database's words reached the caller: ${res.body.slice(0, 200)}`);
      }
      return res;
    };
    // An operation that takes no input (sign out everywhere) has nothing bad to refuse: it is left out.
    const probed = operations().filter((op) => op.body || op.params.length > 0 || op.query.length > 0 || op.method === 'GET');
    for (const op of probed) {
      const url = (param: (name: string) => string) => op.path.replace(/\{([^}]+)\}/g, (_, name: string) => param(name));
      const plain = url(() => SOME_ID);
      const bodyWith = (value: (type: string | undefined) => unknown) =>
        op.body ? Object.fromEntries(Object.entries(op.body).map(([k, s]) => [k, value(s.type)])) : undefined;
      const label = `${op.method} ${op.path}`;
      for (const poison of POISON) {
        if (op.params.length)
          await send(
            `${label} params`,
            op.method,
            url(() => encodeURIComponent(poison)),
            op.method === 'GET' ? undefined : {},
          );
        for (const q of op.query)
          await send(
            `${label} ?${q.name}`,
            op.method,
            `${plain}?${q.name}=${encodeURIComponent(poison)}`,
            op.method === 'GET' ? undefined : {},
          );
        if (op.body)
          await send(
            `${label} body`,
            op.method,
            plain,
            bodyWith((type) => (type === 'string' || type === undefined ? poison : poison)),
          );
        await send(`${label} reason`, op.method, plain, op.method === 'GET' ? undefined : (bodyWith(() => 'ok') ?? {}), {
          'x-change-reason': encodeURIComponent(poison),
        });
      }
      if (op.method !== 'GET') {
        await send(
          `${label} wrong types`,
          op.method,
          plain,
          bodyWith((type) => (type === 'string' ? 12 : type === 'object' ? 'text' : { nested: true })) ?? {},
        );
        await send(
          `${label} huge numbers`,
          op.method,
          plain,
          bodyWith((type) => (type === 'number' || type === 'integer' ? 1e308 : '999999999999999999999999999999.999999999')) ?? {},
        );
        await send(`${label} oversize`, op.method, plain, bodyWith(() => 'x'.repeat(200_000)) ?? {});
      }
      if (op.params.length)
        await send(
          `${label} oversize path`,
          op.method,
          url(() => 'a'.repeat(5000)),
          op.method === 'GET' ? undefined : {},
        );
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(500);
    const added = await withTenant(db, t.ctx, async (tx) =>
      (
        await tx.query<{ what: string }>("SELECT action || ' ' || entity AS what FROM audit_event ORDER BY id OFFSET $1", [before])
      ).rows.map((r) => r.what),
    );
    expect(added).toEqual([]);
  }, 240_000);

  it('[P11.10f] names every field that holds a control character, with the schema errors, in one answer', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: { 'x-test-caller': 'all' },
      payload: { code: 'P\u00009', name: 'Plant \u202Enine', timeZone: 'Nowhere/Else', extra: 1 },
    });
    expect(res.statusCode).toBe(400);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/code', '/body/name']));
    expect(res.json().errors.find((e: { pointer: string }) => e.pointer === '/body/code').code).toBe('error.input.controlCharacter');
  });

  it('declares in the OpenAPI document the refusals of each operation and If-Match where it is required', async () => {
    const doc = app.swagger() as unknown as {
      paths: Record<
        string,
        Record<string, { parameters?: Array<{ in: string; name: string; required?: boolean }>; responses: Record<string, unknown> }>
      >;
    };
    const patchItem = doc.paths['/api/v1/items/{id}']?.patch;
    expect(patchItem?.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'if-match', required: true }));
    expect(Object.keys(patchItem?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '412', '422', '428']),
    );
    const listItems = doc.paths['/api/v1/items']?.get;
    expect(Object.keys(listItems?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect(Object.keys(listItems?.responses ?? {})).not.toContain('428');
    const login = doc.paths['/api/v1/auth/login']?.post;
    expect(Object.keys(login?.responses ?? {})).not.toContain('403');
  });
});
