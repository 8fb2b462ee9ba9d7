import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../src/modules/identity/totp.js';
import type { Database } from '../src/platform/db/index.js';
import { testApp } from './app.js';
import { onPostgres, type TestTenant, testDatabase, testTenant } from './db.js';
import { createUser, loginAs, TestClock } from './identity.js';

let db: Database;
let app: FastifyInstance;
let t: TestTenant;
const clock = new TestClock();

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  t = await testTenant(db);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe(`signing a controlled document with the real identity checks (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.200a] approves with password and TOTP at the first signing, releases with the password alone; a session alone cannot sign', async () => {
    const engineer = await loginAs(app, await createUser(db, t, { roles: ['Engineer'], fullName: 'Zhou Yan' }), clock);
    const qa = await createUser(db, t, { roles: ['QA Manager'], fullName: 'Li Wei' });
    const manager = await loginAs(app, qa, clock);

    const created = await engineer.request('POST', '/api/v1/documents', { kind: 'sop', title: 'Cleanroom gowning', owner: 'Production' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await engineer.request('POST', `/api/v1/documents/${id}/transitions`, { to: 'in_review' })).statusCode).toBe(200);

    const approve = (body: Record<string, string>) =>
      manager.request('POST', `/api/v1/documents/${id}/transitions`, { to: 'approved', ...body });
    expect((await approve({})).statusCode).toBeGreaterThanOrEqual(400);
    const noCode = await approve({ password: qa.password });
    expect(noCode.json()).toMatchObject({ status: 401, code: 'error.identity.signingNeedsTotp' });
    clock.advance(30_000);
    const code = totpAt(qa.totpSecret as string, clock.now());
    expect((await approve({ password: 'not my password', totpCode: code })).statusCode).toBe(401);
    const approved = await approve({ password: qa.password, totpCode: code });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().signatures).toContainEqual(
      expect.objectContaining({ meaning: 'approved', signer: { id: qa.id, login: qa.login, name: 'Li Wei' }, valid: true }),
    );

    const released = await manager.request('POST', `/api/v1/documents/${id}/transitions`, { to: 'effective', password: qa.password });
    expect(released.statusCode).toBe(200);
    expect(released.json().status).toBe('effective');
  });
});
