import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { type Caller, createUser, loginAs, TestClock } from '../../../test/identity.js';
import { anItem, firstRevisionId, release } from '../../../test/masterdata.js';
import { type ProductionWorld, productionWorld } from '../../../test/production.js';
import { addDays } from '../../platform/dates.js';
import type { Database } from '../../platform/db/index.js';
import { withTenant } from '../../platform/tenancy/index.js';
import { createWorkCenter } from '../masterdata/resources.js';
import { setRouting } from '../masterdata/routing.js';
import { createWorkOrder, transitionWorkOrder } from './index.js';

/**
 * Execution data from machines (21 CFR 11.10(h)), over HTTP with real sessions and API tokens: a
 * service user mints tokens bound to registered devices, and the device checks decide what each
 * token may record.
 */

let db: Database;
let app: FastifyInstance;
let w: ProductionWorld;
let elsewhere: TestTenant;
let admin: Caller;
let machine: Caller;
let outsiderAdmin: Caller;
let tester: { id: string; revision: string };
let press: string;
const clock = new TestClock();

const SCOPES = ['production:read', 'production:operation.execute', 'production:output.report'];

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  w = await productionWorld(db);
  elsewhere = await testTenant(db, 'Elsewhere Devices');
  const built = await w.tx(async (tx) => {
    const pressCenter = await createWorkCenter(tx, { code: 'PRESS', name: 'Press', siteId: w.site.id, capacityHoursPerDay: '8' });
    const item = await anItem(tx, { type: 'finished_device', tracking: 'lot' });
    const revision = await firstRevisionId(tx, item.id);
    await setRouting(tx, revision, [
      {
        sequence: 10,
        name: 'Leak test',
        workCenterId: w.workCenter,
        inspectionPoints: ['Visual'],
        parameters: [{ name: 'Leak rate', unit: 'mbar', lowerLimit: '0', upperLimit: '5' }],
      },
      { sequence: 20, name: 'Press', workCenterId: pressCenter.id },
    ]);
    return { press: pressCenter.id, tester: { id: item.id, revision } };
  });
  press = built.press;
  tester = built.tester;
  await withTenant(db, w.qa.ctx, (tx) => release(tx, w.qa, tester.revision));
  admin = await loginAs(app, await createUser(db, w, { roles: ['Administrator'] }), clock);
  clock.advance(31_000);
  machine = await loginAs(app, await createUser(db, w, { fullName: 'Leak tester service', roles: ['Operator'] }), clock);
  clock.advance(31_000);
  outsiderAdmin = await loginAs(app, await createUser(db, elsewhere, { roles: ['Administrator'] }), clock);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const api = (caller: Caller, method: 'GET' | 'POST', url: string, payload?: object) => caller.request(method, `/api/v1${url}`, payload);
const withToken = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload }),
  });

let seq = 0;
async function registerDevice(workCenterId: string, kind = 'test_station'): Promise<{ id: string; code: string }> {
  const res = await api(admin, 'POST', '/devices', { code: `LT-${++seq}`, name: `Leak tester ${seq}`, kind, workCenterId });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function mint(deviceId: string | null): Promise<string> {
  const res = await api(machine, 'POST', '/api-tokens', { name: `station ${++seq}`, scopes: SCOPES, deviceId, expiresInDays: 30 });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().token;
}

async function aTesterOrder(): Promise<string> {
  return w.tx(async (tx) => {
    const order = await createWorkOrder(tx, {
      itemRevisionId: tester.revision,
      quantity: '5',
      siteId: w.site.id,
      dueDate: addDays(w.today, 7),
    });
    return (await transitionWorkOrder(tx, w.ctx, order.id, { to: 'released' })).id;
  });
}

const operation = (order: string, sequence = 10) => `/production/work-orders/${order}/operations/${sequence}`;

describe('registered devices', () => {
  it('[P11.10h] stores source api and the device with every execution record a bound token makes, named in the operation view', async () => {
    const device = await registerDevice(w.workCenter);
    const token = await mint(device.id);
    const order = await aTesterOrder();
    const at = operation(order);
    expect((await withToken(token, 'POST', `${at}/start`, {})).statusCode).toBe(200);
    expect((await withToken(token, 'POST', `${at}/parameters`, { values: [{ position: 1, value: '2.5' }] })).statusCode).toBe(200);
    expect((await withToken(token, 'POST', `${at}/checks`, { kind: 'inspection_point', point: 'Visual', result: 'pass' })).statusCode).toBe(
      200,
    );
    expect((await withToken(token, 'POST', `${at}/pause`, { reason: 'material_shortage' })).statusCode).toBe(200);
    expect((await withToken(token, 'POST', `${at}/resume`, {})).statusCode).toBe(200);
    const out = await withToken(token, 'POST', `/production/work-orders/${order}/output`, { quantity: '5' });
    expect(out.statusCode, out.body).toBe(201);
    const done = await withToken(token, 'POST', `${at}/complete`, { goodQuantity: '5' });
    expect(done.statusCode, done.body).toBe(200);

    const view = (await api(admin, 'GET', at)).json();
    const fromDevice = { source: 'api', deviceId: device.id, device: { id: device.id, code: device.code, name: expect.any(String) } };
    expect(view.steps).toHaveLength(4);
    for (const record of [...view.steps, ...view.values, ...view.checks, ...view.downtime]) expect(record).toMatchObject(fromDevice);
    const output = (await api(admin, 'GET', `/production/work-orders/${order}/output`)).json();
    expect(output.reports).toMatchObject([fromDevice]);
  });

  it('[P11.10h] refuses execution by a token not bound to a device, and changes nothing', async () => {
    const token = await mint(null);
    const order = await aTesterOrder();
    const refused = await withToken(token, 'POST', `${operation(order)}/start`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('error.production.device.required');
    const output = await withToken(token, 'POST', `/production/work-orders/${order}/output`, { quantity: '1' });
    expect(output.json().code).toBe('error.production.device.required');
    expect((await api(admin, 'GET', operation(order))).json()).toMatchObject({ status: 'pending', steps: [] });
    // Reading is not recording: the same token still reads.
    expect((await withToken(token, 'GET', operation(order))).statusCode).toBe(200);
  });

  it('[P11.10h] refuses a device bound to another work center, for steps, values and output alike', async () => {
    const device = await registerDevice(press, 'line_controller');
    const token = await mint(device.id);
    const order = await aTesterOrder();
    const at = operation(order);
    const start = await withToken(token, 'POST', `${at}/start`, {});
    expect(start.statusCode).toBe(403);
    expect(start.json()).toMatchObject({
      code: 'error.production.device.wrongWorkCenter',
      params: { device: device.code, bound: 'PRESS' },
    });
    expect(
      (await withToken(token, 'POST', `${at}/checks`, { kind: 'inspection_point', point: 'Visual', result: 'pass' })).json().code,
    ).toBe('error.production.device.wrongWorkCenter');
    expect((await api(admin, 'GET', at)).json()).toMatchObject({ status: 'pending', steps: [], checks: [] });
    // The same device records at its own work center's operation of the order.
    const own = await withToken(token, 'POST', `${operation(order, 20)}/start`, {});
    expect(own.json().code).toBe('error.production.operation.previousNotCompleted');
  });

  it('[P11.10h] refuses every request of a deactivated device, and keeps it deactivated', async () => {
    const device = await registerDevice(w.workCenter, 'tablet');
    const token = await mint(device.id);
    const order = await aTesterOrder();
    const off = await api(admin, 'POST', `/devices/${device.id}/deactivate`, { reason: 'Sensor drift found at calibration' });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ active: false, deactivatedReason: 'Sensor drift found at calibration' });
    const refused = await withToken(token, 'POST', `${operation(order)}/start`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('error.identity.device.deactivated');
    expect((await withToken(token, 'GET', operation(order))).json().code).toBe('error.identity.device.deactivated');
    expect((await api(admin, 'GET', operation(order))).json()).toMatchObject({ status: 'pending', steps: [] });
    const again = await api(admin, 'POST', `/devices/${device.id}/deactivate`, { reason: 'twice' });
    expect(again.json().code).toBe('error.identity.device.alreadyDeactivated');
    const bind = await api(machine, 'POST', '/api-tokens', { name: 'late', scopes: SCOPES, deviceId: device.id, expiresInDays: 1 });
    expect(bind.statusCode).toBe(422);
    expect(bind.json().code).toBe('error.identity.device.deactivated');
  });

  it('keeps web sessions as they were: source web, no device', async () => {
    const order = await aTesterOrder();
    const res = await api(machine, 'POST', `${operation(order)}/start`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().steps).toMatchObject([{ source: 'web', deviceId: null, device: null }]);
  });

  it('[P11.10d] lets only administrators of devices register and deactivate them; every person sees them', async () => {
    const device = await registerDevice(w.workCenter);
    const register = await api(machine, 'POST', '/devices', {
      code: 'NOPE-1',
      name: 'Not mine',
      kind: 'tablet',
      workCenterId: w.workCenter,
    });
    expect(register.statusCode).toBe(403);
    expect((await api(machine, 'POST', `/devices/${device.id}/deactivate`, { reason: 'mine now' })).statusCode).toBe(403);
    const listed = (await api(machine, 'GET', '/devices?active=true')).json();
    expect(listed.items.map((d: { code: string }) => d.code)).toContain(device.code);
    // A token never administers devices, whatever its owner may do.
    const token = await mint(device.id);
    expect((await withToken(token, 'GET', '/devices')).statusCode).toBe(403);
  });

  it('keeps devices apart by tenant: another tenant neither sees, deactivates nor binds them', async () => {
    const device = await registerDevice(w.workCenter);
    expect((await api(outsiderAdmin, 'GET', '/devices')).json().items).toEqual([]);
    expect((await api(outsiderAdmin, 'GET', `/devices/${device.id}`)).statusCode).toBe(404);
    expect((await api(outsiderAdmin, 'POST', `/devices/${device.id}/deactivate`, { reason: 'not ours' })).statusCode).toBe(404);
    const wc = await api(outsiderAdmin, 'POST', '/devices', { code: 'X-1', name: 'Foreign', kind: 'tablet', workCenterId: w.workCenter });
    expect(wc.statusCode).toBe(422);
    expect(wc.json().errors).toMatchObject([{ pointer: '/body/workCenterId' }]);
    const bind = await api(outsiderAdmin, 'POST', '/api-tokens', {
      name: 'foreign',
      scopes: ['identity:read'],
      deviceId: device.id,
      expiresInDays: 1,
    });
    expect(bind.json().code).toBe('error.identity.device.notFound');
  });

  it('refuses bad input with every field error at once and registers nothing', async () => {
    const bad = await api(admin, 'POST', '/devices', { code: 'lower case', name: '', kind: 'toaster', workCenterId: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
    ).toEqual(['/body/code', '/body/kind', '/body/name', '/body/workCenterId'].sort());
    const control = await api(admin, 'POST', '/devices', {
      code: 'CTRL-1',
      name: 'Bad\u0000name',
      kind: 'tablet',
      workCenterId: w.workCenter,
    });
    expect(control.statusCode).toBe(400);
    const device = await registerDevice(w.workCenter);
    const twice = await api(admin, 'POST', '/devices', { code: device.code, name: 'Again', kind: 'tablet', workCenterId: w.workCenter });
    expect(twice.statusCode).toBe(422);
    expect(twice.json().code).toBe('error.identity.device.codeTaken');
    const noReason = await api(admin, 'POST', `/devices/${device.id}/deactivate`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const codes = (await api(admin, 'GET', '/devices')).json().items.map((d: { code: string }) => d.code);
    expect(codes).not.toContain('CTRL-1');
    expect((await api(admin, 'GET', `/devices/${device.id}`)).json().active).toBe(true);
  });
});
