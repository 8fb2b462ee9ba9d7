import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { createUser, signingCredentials, TestClock, type TestUser } from '../../../test/identity.js';
import { type StockWorld, stockWorld } from '../../../test/inventory.js';
import type { Database } from '../../platform/db/index.js';
import { INVENTORY_PERMISSIONS as P } from './index.js';

let db: Database;
let w: StockWorld;
let app: FastifyInstance;
const clock = new TestClock();
/** The people who sign (or try to): real users, checked by the identity module. */
let qa: TestUser;
let storekeeper: TestUser;

beforeAll(async () => {
  db = await testDatabase();
  w = await stockWorld(db);
  qa = await createUser(db, w, { roles: ['QA Manager'], fullName: 'Mei Chen' });
  storekeeper = await createUser(db, w, { roles: ['Warehouse'], fullName: 'Tom Berg' });
  const caller = (id: string, name: string, permissions: string[]) => ({
    tenantId: w.tenant.id,
    siteId: w.site.id,
    actor: { kind: 'user' as const, id, name },
    permissions,
  });
  app = await testApp(db, {
    callers: {
      qa: caller(qa.id, qa.fullName, Object.values(P)),
      storekeeper: caller(storekeeper.id, storekeeper.fullName, [P.read, P.move]),
      viewer: caller('u-view', 'Ana Ruiz', [P.read]),
    },
    clock,
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
  app.inject({ method, url: `/api/v1/inventory${url}`, headers: { 'x-test-caller': who, ...headers }, ...(payload ? { payload } : {}) });

describe(`inventory HTTP API (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10f] [P11.50] receives, refuses quarantine stock at the line, releases by signature, then moves and suggests FEFO', async () => {
    const receipt = await call('storekeeper', 'POST', '/receipts', {
      itemId: w.items.tubing,
      locationId: w.locations.quarantine,
      quantity: '120.5',
      supplierLot: 'S-9',
      expiresOn: '2099-01-31',
      reference: { type: 'purchase_order', id: 'PO-2026-00007' },
    });
    expect(receipt.statusCode).toBe(201);
    const lotId = receipt.json().lots[0].id as string;
    const move = { itemId: w.items.tubing, lotId, fromLocationId: w.locations.quarantine, toLocationId: w.locations.line, quantity: '20' };

    const refused = await call('storekeeper', 'POST', '/transfers', move);
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'error.inventory.location.refuses', params: { status: 'quarantine' } });

    const released = await call('qa', 'POST', `/lots/${lotId}/release`, { signature: signingCredentials(qa, clock) });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ status: 'released', onHand: '120.5' });
    expect((await call('storekeeper', 'POST', '/transfers', move)).statusCode).toBe(201);

    const detail = (await call('viewer', 'GET', `/lots/${lotId}`)).json();
    expect(detail.statusChanges.map((c: { toStatus: string }) => c.toStatus)).toEqual(['released']);
    expect(detail.movements.map((m: { movementType: string }) => m.movementType)).toEqual(['receipt', 'transfer']);
    expect(detail.signatures).toHaveLength(1);
    expect(detail.signatures[0]).toMatchObject({ meaning: 'released', valid: true, signer: { name: 'Mei Chen' } });
    expect(detail.signatures[0].manifestation.text).toMatch(/Mei Chen.*Released/);

    const byItem = (await call('viewer', 'GET', `/on-hand?itemId=${w.items.tubing}`)).json();
    expect(byItem.items.map((b: { locationId: string; quantity: string }) => [b.locationId, b.quantity])).toEqual(
      expect.arrayContaining([
        [w.locations.quarantine, '100.5'],
        [w.locations.line, '20'],
      ]),
    );
    const site = (await call('viewer', 'GET', `/on-hand/by-item?siteId=${w.site.id}`)).json();
    expect(site).toEqual({
      items: [
        {
          itemId: w.items.tubing,
          item: expect.objectContaining({ code: 'PVC-TUBE', baseUnit: 'm' }),
          quantity: '120.5',
          available: '120.5',
          quarantine: '0',
          blocked: '0',
        },
      ],
      nextCursor: null,
    });
    const fefo = (await call('viewer', 'GET', `/fefo?itemId=${w.items.tubing}&siteId=${w.site.id}&quantity=150`)).json();
    expect(fefo).toMatchObject({
      shortfall: '29.5',
      lines: [
        { lotId, take: '100.5' },
        { lotId, take: '20' },
      ],
    });
  });

  it('[P11.10d] [P11.10g] refuses callers without the permission, and signing without the signing permission', async () => {
    const body = { itemId: w.items.tubing, locationId: w.locations.quarantine, quantity: '1' };
    expect((await call('viewer', 'POST', '/receipts', body)).statusCode).toBe(403);
    const { lots } = (await call('storekeeper', 'POST', '/receipts', body)).json();
    const release = await call('storekeeper', 'POST', `/lots/${lots[0].id}/release`, { signature: signingCredentials(storekeeper, clock) });
    expect(release.statusCode).toBe(403);
    const wrong = { ...signingCredentials(qa, clock), password: 'wrong' };
    expect((await call('qa', 'POST', `/lots/${lots[0].id}/release`, { signature: wrong })).statusCode).toBe(401);
    expect((await call('viewer', 'GET', `/lots?itemId=${w.items.tubing}&status=quarantine`)).json().items).toHaveLength(1);
  });

  it('moves stock once when a receipt is retried with the same Idempotency-Key', async () => {
    const body = { itemId: w.items.labels, locationId: w.locations.quarantine, quantity: '40' };
    const key = { 'idempotency-key': `receipt-${w.tenant.id}` };
    const first = await call('storekeeper', 'POST', '/receipts', body, key);
    const retry = await call('storekeeper', 'POST', '/receipts', body, key);
    expect([first.statusCode, retry.statusCode]).toEqual([201, 201]);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const held = (await call('viewer', 'GET', `/on-hand?itemId=${w.items.labels}`)).json().items;
    expect(held.map((b: { quantity: string }) => b.quantity)).toEqual(['40']);
  });

  it('refuses malformed input before it reaches the database and changes nothing', async () => {
    const onHandOfLabels = async () => (await call('viewer', 'GET', `/on-hand?itemId=${w.items.labels}`)).json().items;
    const before = await onHandOfLabels();
    for (const payload of [
      { itemId: w.items.labels, locationId: w.locations.quarantine, quantity: '1e3' },
      { itemId: w.items.labels, locationId: w.locations.quarantine, quantity: '5', colour: 'red' },
      { itemId: 'not-a-uuid', locationId: w.locations.quarantine, quantity: '5' },
    ]) {
      const res = await call('storekeeper', 'POST', '/receipts', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('error.validation');
    }
    expect(await onHandOfLabels()).toEqual(before);
    expect((await call('viewer', 'GET', '/on-hand')).statusCode).toBe(400);
  });
});
