import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.js';
import { onPostgres, testDatabase } from '../../test/db.js';
import { type Caller, createRole, createUser, loginAs, TestClock, type TestUser } from '../../test/identity.js';
import { aWorkOrder, type ProductionWorld, productionWorld, stockLot } from '../../test/production.js';
import { totpAt } from '../modules/identity/totp.js';
import { issueMaterial, reportOutput } from '../modules/production/index.js';
import type { LabelJob } from '../modules/traceability/index.js';
import { addDays } from '../platform/dates.js';
import type { Database } from '../platform/db/index.js';
import { sql } from '../platform/db/index.js';
import { withTenant } from '../platform/tenancy/index.js';

const EACH = '09506000134369';
const BOX = '19506000134366';

let db: Database;
let w: ProductionWorld;
let app: FastifyInstance;
const clock = new TestClock();
let operator: Caller;
/** Keeps the item's packaging levels (master data). */
let editor: Caller;
let manager: TestUser;
let qa: Caller;
/** Holds QA's signing permission and prints labels too. */
let both: TestUser;
let bothCaller: Caller;
let order: { id: string; number: string };
let lots: Array<{ id: string; number: string }>;

beforeAll(async () => {
  db = await testDatabase();
  w = await productionWorld(db);
  app = await testApp(db, { sessions: true, clock });
  operator = await loginAs(app, await createUser(db, w, { roles: ['Operator'], fullName: 'Chen Jie' }), clock);
  await createRole(db, w, { name: 'Item editor', grants: ['masterdata:*'] });
  editor = await loginAs(app, await createUser(db, w, { roles: ['Item editor'], fullName: 'Wang Lei' }), clock);
  manager = await createUser(db, w, { roles: ['QA Manager'], fullName: 'Huang Min' });
  qa = await loginAs(app, manager, clock);
  both = await createUser(db, w, { roles: ['QA Manager', 'Operator'], fullName: 'Ma Lin' });
  bothCaller = await loginAs(app, both, clock);
  ({ order, lots } = await withTenant(db, w.ctx, async (tx) => {
    const created = await aWorkOrder(tx, w);
    const tubing = await stockLot(tx, w, w.items.tubing, '20');
    await issueMaterial(tx, w.ctx, created.id, { lotId: tubing.id, quantity: '10' });
    for (let i = 0; i < 3; i++) await reportOutput(tx, w.ctx, created.id, { quantity: '1' });
    const made = (await reportOutput(tx, w.ctx, created.id, { quantity: '1' })).lots;
    expect(new Set(made.map((l) => l.id)).size).toBe(4);
    return { order: created, lots: made.map((l) => ({ id: l.id, number: l.number })) };
  }));
  const levels = await editor.request('GET', `/api/v1/items/${w.device.id}/packaging-levels`);
  const set = await editor.request(
    'PUT',
    `/api/v1/items/${w.device.id}/packaging-levels`,
    { levels: [{ level: 'each', gtin: EACH, quantity: 1, contains: null }] },
    { 'if-match': levels.headers.etag as string },
  );
  expect(set.statusCode).toBe(200);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

async function printFor(by: Caller, lot: { id: string }): Promise<LabelJob> {
  const res = await by.request('POST', '/api/v1/traceability/labels', {
    packagingLevel: 'each',
    template: 'single',
    format: 'pdf',
    copies: 2,
    lotIds: [lot.id],
    workOrderId: order.id,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

/** What the inspector types: the checks, and password plus authenticator code. */
function signing(user: TestUser, body: object = {}) {
  clock.advance(30_000);
  return { printLegible: true, barcodeScans: true, password: user.password, totpCode: totpAt(user.totpSecret!, clock.now()), ...body };
}

const inspect = (by: Caller, user: TestUser, jobId: string, body: object = {}) =>
  by.request('POST', `/api/v1/traceability/labels/${jobId}/inspect`, signing(user, body));

const written = (jobId: string) =>
  withTenant(db, w.ctx, async (tx) => {
    const { rows } = await tx.query<{ inspections: number; signatures: number }>(
      sql`SELECT (SELECT count(*)::int FROM label_inspections WHERE job_id = ${jobId}) AS inspections,
                 (SELECT count(*)::int FROM esignatures WHERE entity = 'label_inspections') AS signatures`,
    );
    return rows[0]!;
  });

describe(`label inspection before use (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[Q.LBL] passes a job whose every label matches its lot and whose scanned label is the job’s, signed as verified; a second inspection is refused (409)', async () => {
    const job = await printFor(operator, lots[0]!);
    expect(job.inspection).toBeNull();
    const res = await inspect(qa, manager, job.id, { scan: job.units[0]!.udi, comment: 'checked against the lot' });
    expect(res.statusCode).toBe(200);
    const inspected: LabelJob = res.json();
    expect(inspected.inspection).toMatchObject({
      result: 'pass',
      printLegible: true,
      barcodeScans: true,
      scanned: job.units[0]!.udi,
      meaning: 'verified',
      inspectedBy: { id: manager.id, name: 'Huang Min', login: manager.login },
      findings: [],
    });

    const again = await inspect(qa, manager, job.id);
    expect(again.json()).toMatchObject({ status: 409, code: 'error.traceability.label.alreadyInspected', params: { number: job.number } });
    expect(await written(job.id)).toMatchObject({ inspections: 1 });
  });

  it('[Q.LBL] refuses the person who printed the job (separation of duties, rule notPrinter) and writes nothing', async () => {
    const job = await printFor(bothCaller, lots[1]!);
    const before = await written(job.id);
    const res = await inspect(bothCaller, both, job.id);
    expect(res.json()).toMatchObject({ status: 409, code: 'error.esign.separationOfDuties', params: { rule: 'notPrinter' } });
    expect(res.json().detail).toContain(`the person who printed label print job ${job.number} cannot inspect the labels`);
    expect(await written(job.id)).toEqual(before);
    expect(before.inspections).toBe(0);
    // An operator holds no signing permission at all.
    expect((await inspect(operator, manager, job.id)).statusCode).toBe(403);
  });

  it('[Q.LBL] fails a job whose lot changed since printing (expiry) or whose level has another GTIN now, naming each field; its labels are then destroyed, none used', async () => {
    const job = await printFor(operator, lots[2]!);
    const printedExpiry = job.units[0]!.expiresOn;
    const corrected = addDays(printedExpiry ?? w.today, 30);
    await withTenant(db, { ...w.ctx, reason: 'expiry corrected after stability data' }, (tx) =>
      tx.query(sql`UPDATE lots SET expires_on = ${corrected} WHERE id = ${lots[2]!.id}`),
    );
    const levels = await editor.request('GET', `/api/v1/items/${w.device.id}/packaging-levels`);
    await editor.request(
      'PUT',
      `/api/v1/items/${w.device.id}/packaging-levels`,
      { levels: [{ level: 'each', gtin: BOX, quantity: 1, contains: null }] },
      { 'if-match': levels.headers.etag as string },
    );
    try {
      const res = await inspect(qa, manager, job.id);
      expect(res.statusCode).toBe(200);
      const fields = res.json().inspection.findings.map((f: { field: string }) => f.field);
      expect(res.json().inspection).toMatchObject({ result: 'fail' });
      expect(res.json().inspection.findings).toEqual(
        expect.arrayContaining([
          { position: 1, field: 'gtin', onLabel: EACH, expected: BOX },
          { position: 1, field: 'expiry', onLabel: printedExpiry, expected: corrected },
        ]),
      );
      expect(fields).toHaveLength(2);
    } finally {
      const now = await editor.request('GET', `/api/v1/items/${w.device.id}/packaging-levels`);
      await editor.request(
        'PUT',
        `/api/v1/items/${w.device.id}/packaging-levels`,
        { levels: [{ level: 'each', gtin: EACH, quantity: 1, contains: null }] },
        { 'if-match': now.headers.etag as string },
      );
    }
    const used = await operator.request('POST', `/api/v1/traceability/labels/${job.id}/reconcile`, {
      used: 1,
      destroyed: 1,
      destroyedReason: 'x',
    });
    expect(used.json()).toMatchObject({ status: 409, code: 'error.traceability.label.inspectionFailed' });
    const destroyed = await operator.request('POST', `/api/v1/traceability/labels/${job.id}/reconcile`, {
      used: 0,
      destroyed: 2,
      destroyedReason: 'failed inspection: reprinted',
    });
    expect(destroyed.json()).toMatchObject({ status: 'reconciled', quantityUsed: 0 });
  });

  it('[Q.LBL] fails a job when the scanned label is not one of it, or the inspector finds the print illegible', async () => {
    const job = await printFor(operator, lots[3]!);
    const other = await printFor(operator, lots[0]!);
    const res = await inspect(qa, manager, job.id, {
      scan: other.units[0]!.humanReadable,
      barcodeScans: true,
      printLegible: false,
      remarks: 'smudged lot',
    });
    expect(res.json().inspection).toMatchObject({
      result: 'fail',
      printLegible: false,
      remarks: 'smudged lot',
      findings: [{ position: null, field: 'scan', onLabel: `${EACH} ${lots[0]!.number}`, expected: null }],
    });
  });

  it('[Q.LBL] refuses an unreadable scan and a failed check without remarks, all at once (422), and writes nothing', async () => {
    const job = await printFor(operator, lots[1]!);
    const res = await inspect(qa, manager, job.id, { scan: '(01)123', printLegible: false });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
    ).toEqual(['/body/remarks', '/body/scan']);
    const bad = await inspect(qa, manager, job.id, { printLegible: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(await written(job.id)).toMatchObject({ inspections: 0 });
  });
});
