import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { createUser, signingCredentials, TestClock, type TestUser } from '../../../test/identity.js';
import { type StockWorld, stockWorld } from '../../../test/inventory.js';
import type { Database } from '../../platform/db/index.js';
import { createSupplier } from '../masterdata/partners.js';
import { INVENTORY_PERMISSIONS as P } from './index.js';

let db: Database;
let w: StockWorld;
let app: FastifyInstance;
let supplierId: string;
const clock = new TestClock();
/** Releases lots. */
let qa: TestUser;
/** Moves stock and books adjustments. */
let clerk: TestUser;

beforeAll(async () => {
  db = await testDatabase();
  w = await stockWorld(db);
  supplierId = await w.tx(
    async (tx) =>
      (await createSupplier(tx, { code: 'SUP-POLY', name: 'Suzhou Polymers', addressLine1: '1 Road', city: 'Suzhou', country: 'CN' })).id,
  );
  qa = await createUser(db, w, { roles: ['QA Manager'], fullName: 'Mei Chen' });
  clerk = await createUser(db, w, { roles: ['Warehouse'], fullName: 'Tom Berg' });
  const caller = (id: string, name: string, permissions: string[]) => ({
    tenantId: w.tenant.id,
    siteId: w.site.id,
    actor: { kind: 'user' as const, id, name },
    permissions,
  });
  app = await testApp(db, {
    callers: {
      qa: caller(qa.id, qa.fullName, Object.values(P)),
      clerk: caller(clerk.id, clerk.fullName, [P.read, P.move, P.adjust]),
    },
    clock,
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const call = async (who: string, method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await app.inject({
    method,
    url: `/api/v1/inventory${url}`,
    headers: { 'x-test-caller': who },
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() };
};

/** Receives into quarantine and answers the (first) lot's id. */
const receive = async (body: object): Promise<string> => {
  const res = await call('clerk', 'POST', '/receipts', { locationId: w.locations.quarantine, ...body });
  expect(res.status).toBe(201);
  return res.body.lots[0]?.id;
};

const lots: Record<string, string> = {};

describe(`what the inventory screens read (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('lists lots with their item, supplier and stock per location, found by lot number, supplier lot or item code', async () => {
    lots.alpha = await receive({
      itemId: w.items.tubing,
      quantity: '10',
      supplierId,
      supplierLot: 'S-ALPHA-7',
      expiresOn: '2099-03-01',
    });
    lots.beta = await receive({ itemId: w.items.tubing, quantity: '5', supplierLot: 'S-BETA-2', expiresOn: '2098-01-01' });
    // One receipt each, so the two serials' ids (and the order between them) follow the receipts.
    await receive({ itemId: w.items.thermometer, serials: ['TH-0001'] });
    await receive({ itemId: w.items.thermometer, serials: ['TH-0002'] });
    await receive({ itemId: w.items.labels, quantity: '40' });
    expect((await call('qa', 'POST', `/lots/${lots.alpha}/release`, { signature: signingCredentials(qa, clock) })).status).toBe(200);
    const move = { itemId: w.items.tubing, lotId: lots.alpha, fromLocationId: w.locations.quarantine, toLocationId: w.locations.store };
    expect((await call('clerk', 'POST', '/transfers', { ...move, quantity: '4' })).status).toBe(201);

    const bySupplierLot = await call('clerk', 'GET', '/lots?q=alpha');
    expect(bySupplierLot.body.items).toHaveLength(1);
    expect(bySupplierLot.body.items[0]).toMatchObject({
      id: lots.alpha,
      status: 'released',
      onHand: '10',
      item: { id: w.items.tubing, code: 'PVC-TUBE', baseUnit: 'm', tracking: 'lot' },
      revision: null,
      supplier: { id: supplierId, code: 'SUP-POLY', name: 'Suzhou Polymers' },
      stock: [
        { location: { id: w.locations.quarantine, code: 'QA', kind: 'quarantine' }, quantity: '6' },
        { location: { id: w.locations.store, code: 'RM', kind: 'released' }, quantity: '4' },
      ],
    });
    const byItemCode = await call('clerk', 'GET', '/lots?q=pvc-tube');
    expect(
      byItemCode.body.items.map((l: { id: string }) => l.id),
      'newest first',
    ).toEqual([lots.beta, lots.alpha]);
    const bySerial = await call('clerk', 'GET', '/lots?q=TH-0002');
    expect(bySerial.body.items).toMatchObject([{ kind: 'serial', number: 'TH-0002', item: { code: 'THERMO-1' } }]);
    expect((await call('clerk', 'GET', '/lots?q=100%25')).body.items).toEqual([]);
  });

  it('pages lots in the order asked for, the last lot of a page being the cursor of the next', async () => {
    const pages = async (query: string) => {
      const numbers: string[] = [];
      let after: string | null = null;
      do {
        const page = await call('clerk', 'GET', `/lots?${query}&limit=2${after ? `&cursor=${after}` : ''}`);
        expect(page.status).toBe(200);
        numbers.push(...page.body.items.map((l: { supplierLot: string | null; number: string }) => l.supplierLot ?? l.number));
        after = page.body.nextCursor;
      } while (after);
      return numbers;
    };
    // Undated lots come after every dated one, ascending; first when descending.
    expect(await pages('sort=expiresOn')).toEqual(['S-BETA-2', 'S-ALPHA-7', 'TH-0001', 'TH-0002']);
    expect(await pages('sort=-expiresOn')).toEqual(['TH-0002', 'TH-0001', 'S-ALPHA-7', 'S-BETA-2']);
    expect(await pages(`sort=-number&itemId=${w.items.thermometer}`)).toEqual(['TH-0002', 'TH-0001']);
    expect(await pages('sort=-createdAt&status=quarantine')).toEqual(['TH-0002', 'TH-0001', 'S-BETA-2']);
    expect((await call('clerk', 'GET', '/lots?sort=colour')).status).toBe(400);
  });

  it('[P11.50] books a signed adjustment and shows its manifestation, the stock, the ledger rows and the next steps on the lot page', async () => {
    const booked = await call('clerk', 'POST', '/adjustments', {
      itemId: w.items.tubing,
      lotId: lots.beta,
      locationId: w.locations.quarantine,
      quantity: '-5',
      reason: 'cycle count: carton crushed, 5 m unusable',
      signature: signingCredentials(clerk, clock),
    });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      movementId: expect.any(String),
      signature: { entity: 'stock_movements', meaning: 'verified', valid: true, comment: 'cycle count: carton crushed, 5 m unusable' },
    });
    expect(booked.body.signature.manifestation.text).toMatch(/Tom Berg.*Verified/);

    const page = await call('clerk', 'GET', `/lots/${lots.beta}`);
    expect(page.status).toBe(200);
    expect(page.body.lot).toMatchObject({ onHand: '0', stock: [], item: { code: 'PVC-TUBE' } });
    expect(page.body.steps).toEqual(['hold', 'release', 'reject']);
    expect(page.body.movements.map((m: { movementType: string }) => m.movementType)).toEqual(['receipt', 'adjustment']);
    expect(page.body.movements[1]).toMatchObject({
      quantity: '5',
      fromLocation: { code: 'QA' },
      toLocation: null,
      lotNumber: expect.stringMatching(/^LOT-/),
      signature: { id: booked.body.signature.id, meaning: 'verified' },
    });
    expect(page.body.movements[0].signature).toBeNull();
    expect(page.body.signatures).toMatchObject([{ id: booked.body.signature.id, recordId: booked.body.movementId }]);

    expect((await call('qa', 'POST', `/lots/${lots.beta}/hold`, { reason: 'supplier notice SCN-4' })).status).toBe(200);
    expect((await call('clerk', 'GET', `/lots/${lots.beta}`)).body.steps).toEqual(['unhold', 'reject']);
    const released = (await call('clerk', 'GET', `/lots/${lots.alpha}`)).body;
    expect(released.steps).toEqual(['hold']);
    expect(released.signatures).toMatchObject([{ entity: 'lots', meaning: 'released' }]);
    expect(released.lot.stock.map((s: { location: { code: string } }) => s.location.code)).toEqual(['QA', 'RM']);

    const inStock = await call('clerk', 'GET', `/lots?inStock=true&itemId=${w.items.tubing}`);
    expect(inStock.body.items.map((l: { id: string }) => l.id)).toEqual([lots.alpha]);
  });

  it('lists the stock ledger newest first, by lot, item or location, with the names of what it moved', async () => {
    const atStore = await call('clerk', 'GET', `/movements?locationId=${w.locations.store}`);
    expect(atStore.body).toMatchObject({
      items: [
        {
          movementType: 'transfer',
          quantity: '4',
          item: { code: 'PVC-TUBE' },
          fromLocation: { code: 'QA', name: 'QA quarantine' },
          toLocation: { code: 'RM', kind: 'released' },
          actor: { name: 'Tom Berg' },
          signature: null,
        },
      ],
      nextCursor: null,
    });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = await call('clerk', 'GET', `/movements?itemId=${w.items.tubing}&limit=1${after ? `&cursor=${after}` : ''}`);
      seen.push(...page.body.items.map((m: { movementType: string }) => m.movementType));
      after = page.body.nextCursor;
    } while (after);
    expect(seen).toEqual(['adjustment', 'transfer', 'receipt', 'receipt']);
    const oldestFirst = await call('clerk', 'GET', `/movements?lotId=${lots.beta}&sort=createdAt`);
    expect(oldestFirst.body.items.map((m: { movementType: string }) => m.movementType)).toEqual(['receipt', 'adjustment']);
    const adjustments = await call('clerk', 'GET', '/movements?type=adjustment');
    expect(adjustments.body.items).toHaveLength(1);
    expect(adjustments.body.items[0].signature.manifestation.text).toContain('Tom Berg');
  });

  it('totals stock per item as available, in quarantine and blocked, pages it, and names the locations FEFO picks from', async () => {
    const heldLot = await receive({ itemId: w.items.tubing, quantity: '3', expiresOn: '2097-06-30' });
    expect((await call('qa', 'POST', `/lots/${heldLot}/hold`, { reason: 'damaged pallet' })).status).toBe(200);

    const site = await call('clerk', 'GET', `/on-hand/by-item?siteId=${w.site.id}`);
    const totals = Object.fromEntries(
      site.body.items.map((t: { item: { code: string }; quantity: string; available: string; quarantine: string; blocked: string }) => [
        t.item.code,
        [t.quantity, t.available, t.quarantine, t.blocked],
      ]),
    );
    expect(totals).toEqual({ 'PVC-TUBE': ['13', '10', '0', '3'], 'THERMO-1': ['2', '0', '2', '0'], 'LABEL-ROLL': ['40', '40', '0', '0'] });

    const first = await call('clerk', 'GET', `/on-hand/by-item?siteId=${w.site.id}&limit=2`);
    const second = await call('clerk', 'GET', `/on-hand/by-item?siteId=${w.site.id}&limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items].map((t: { itemId: string }) => t.itemId)).toEqual(
      site.body.items.map((t: { itemId: string }) => t.itemId),
    );
    expect(second.body.nextCursor).toBeNull();
    const store = await call('clerk', 'GET', `/on-hand/by-item?locationId=${w.locations.store}&itemId=${w.items.tubing}`);
    expect(store.body.items).toMatchObject([{ quantity: '4', available: '4' }]);

    const balances = await call('clerk', 'GET', `/on-hand?itemId=${w.items.tubing}&siteId=${w.site.id}`);
    expect(balances.body.items).toContainEqual(
      expect.objectContaining({
        lotId: heldLot,
        lotKind: 'lot',
        lotStatus: 'on_hold',
        location: expect.objectContaining({ code: 'QA' }),
        item: expect.objectContaining({ code: 'PVC-TUBE' }),
      }),
    );

    const fefo = await call('clerk', 'GET', `/fefo?itemId=${w.items.tubing}&siteId=${w.site.id}&quantity=7`);
    expect(fefo.body.shortfall).toBe('0');
    expect(
      fefo.body.lines.map((l: { supplierLot: string; location: { code: string }; take: string }) => [l.supplierLot, l.location.code]),
    ).toEqual(expect.arrayContaining([['S-ALPHA-7', 'QA']]));
    expect(fefo.body.lines.reduce((sum: number, l: { take: string }) => sum + Number(l.take), 0)).toBe(7);
  });
});
