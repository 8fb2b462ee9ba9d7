import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/db.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { buildApp } from './app.js';
import { serveWebApp } from './web.js';

describe('serving the web app', () => {
  let db: Database;
  let dist: string;
  beforeAll(async () => {
    db = await testDatabase();
    dist = mkdtempSync(join(tmpdir(), 'mf-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'main-3f9a.js'), 'console.log(1)');
  });
  afterAll(async () => {
    await db.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const app = async (dir: string, env: Record<string, string> = {}) => {
    const a = await buildApp({ config: loadConfig({ NODE_ENV: 'test', ...env }), db, modules: [] });
    await serveWebApp(a, dir);
    return a;
  };

  it('answers client routes with index.html, uncached, and caches hashed assets for a year', async () => {
    const a = await app(dist);
    const deep = await a.inject({ method: 'GET', url: '/admin/users?q=ann' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toMatch(/text\/html/);
    expect(deep.headers['cache-control']).toBe('no-cache');
    expect(deep.body).toContain('id="root"');
    const root = await a.inject({ method: 'GET', url: '/' });
    expect(root.body).toContain('id="root"');
    const asset = await a.inject({ method: 'GET', url: '/assets/main-3f9a.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await a.close();
  });

  it('keeps problem+json 404 for unknown API paths', async () => {
    const a = await app(dist);
    const res = await a.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().code).toBe('error.route');
    const post = await a.inject({ method: 'POST', url: '/admin/users' });
    expect(post.statusCode).toBe(404);
    await a.close();
  });

  it('still runs without a built web app and says how to build it', async () => {
    const a = await app(join(dist, 'missing'));
    const res = await a.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run build');
    expect((await a.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await a.close();
  });

  it('sends security headers on pages, files, API answers and errors; HSTS only over https from a trusted proxy', async () => {
    const a = await app(dist);
    for (const url of ['/', '/assets/main-3f9a.js', '/api/v1/openapi.json', '/api/v1/no-such-route']) {
      const res = await a.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
    expect((await a.inject({ method: 'GET', url: '/' })).headers['content-security-policy']).toContain("script-src 'self'");
    // A revalidated page (304, no content type) keeps the page's policy.
    const first = await a.inject({ method: 'GET', url: '/' });
    const revalidated = await a.inject({ method: 'GET', url: '/', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await a.inject({ method: 'GET', url: '/api/v1/openapi.json' })).headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    // Without TRUST_PROXY a client cannot claim https for itself.
    const spoofed = await a.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();

    const proxied = await app(dist, { TRUST_PROXY: '127.0.0.1' });
    const viaTls = await proxied.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(viaTls.headers['strict-transport-security']).toContain('max-age=');
  });

  it('refuses a TRUST_PROXY that is neither a switch, a hop count nor addresses', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'proxy.example.com' })).toThrow(/TRUST_PROXY/);
  });
});
