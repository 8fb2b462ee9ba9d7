import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/app.js';
import { onPostgres, testDatabase } from '../../../test/db.js';
import { type Caller, createUser, loginAs, signingCredentials, TestClock, type TestUser } from '../../../test/identity.js';
import { type PurchasingWorld, purchasingWorld } from '../../../test/purchasing.js';
import { recordHistory } from '../../platform/audit/index.js';
import type { Database } from '../../platform/db/index.js';

let db: Database;
let app: FastifyInstance;
let w: PurchasingWorld;
const clock = new TestClock();
const people: Record<'qa' | 'engineer' | 'buyer', { user: TestUser; caller: Caller }> = {} as never;

beforeAll(async () => {
  db = await testDatabase();
  app = await testApp(db, { sessions: true, clock });
  w = await purchasingWorld(db);
  for (const [who, role] of [
    ['qa', 'QA Manager'],
    ['engineer', 'Engineer'],
    ['buyer', 'Buyer'],
  ] as const) {
    const user = await createUser(db, w, { roles: [role] });
    people[who] = { user, caller: await loginAs(app, user, clock) };
  }
});
afterAll(async () => {
  await app.close();
  await db.close();
});

/** The signing fields: the password, and a fresh authenticator code where the person has one. */
function signingAs(who: keyof typeof people, extra: Record<string, unknown> = {}) {
  return { ...signingCredentials(people[who].user, clock), ...extra };
}

const entryUrl = () => `/api/v1/suppliers/${w.suppliers.approved}/approvals/${w.items.luer}`;
const entryOf = async () =>
  (await people.qa.caller.request('GET', `/api/v1/supplier-approvals?supplierId=${w.suppliers.approved}&itemId=${w.items.luer}`)).json()
    .items[0];

describe(`approved supplier list decisions (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.10g] changes an entry only by a QA signature with a reason, and only on evidence that exists', async () => {
    const { qa, engineer, buyer } = people;
    const restrict = { status: 'conditional', evidence: 'audit 2026-11: two minor findings open', expiresOn: null };
    for (const who of [engineer, buyer]) {
      const res = await who.caller.request('PUT', entryUrl(), { ...restrict, password: who.user.password, comment: 'findings' });
      expect(res.statusCode).toBe(403);
    }
    expect((await qa.caller.request('PUT', entryUrl(), { ...restrict, comment: 'findings' })).statusCode).toBe(400);
    const noReason = await qa.caller.request('PUT', entryUrl(), { ...restrict, ...signingAs('qa') });
    expect(noReason.json()).toMatchObject({ status: 422, code: 'error.audit.reasonRequired' });
    const noSuchDocument = await qa.caller.request('PUT', entryUrl(), {
      ...restrict,
      evidenceDocumentId: '01900000-0000-7000-8000-000000000000',
      ...signingAs('qa', { comment: 'findings' }),
    });
    expect(noSuchDocument.json()).toMatchObject({ status: 422, code: 'error.masterdata.approval.evidenceNotFound' });
    expect(await entryOf()).toMatchObject({ status: 'approved', evidenceDocumentId: null });

    const report = await qa.caller.request('POST', '/api/v1/documents', {
      kind: 'form',
      title: 'Supplier audit report SUP-OK 2026-11',
      owner: 'Quality Assurance',
    });
    expect(report.statusCode).toBe(201);
    const restricted = await qa.caller.request('PUT', entryUrl(), {
      ...restrict,
      evidenceDocumentId: report.json().id,
      ...signingAs('qa', { comment: 'two minor findings until CAPA closes' }),
    });
    expect(restricted.statusCode).toBe(200);
    expect(restricted.json()).toMatchObject({ status: 'conditional', evidenceDocumentId: report.json().id, approvedToday: true });

    const disqualified = await qa.caller.request('PUT', entryUrl(), {
      status: 'disqualified',
      evidence: 'NCR-2026-00031: wrong resin in three lots',
      evidenceDocumentId: report.json().id,
      ...signingAs('qa', { comment: 'wrong resin delivered' }),
    });
    expect(disqualified.statusCode).toBe(200);

    const entry = await entryOf();
    const signatures = (await qa.caller.request('GET', `/api/v1/signatures?entity=supplier_approvals&id=${entry.id}`)).json().items;
    expect(signatures.map((s: { meaning: string; valid: boolean; comment: string }) => [s.meaning, s.valid, s.comment])).toEqual([
      ['approved', false, 'two minor findings until CAPA closes'],
      ['rejected', true, 'wrong resin delivered'],
    ]);
    expect(signatures[1].signer).toMatchObject({ id: qa.user.id, name: qa.user.fullName });
    await w.tx(async (tx) => {
      const history = await recordHistory(tx, 'supplier_approvals', entry.id);
      expect(history.slice(-2).map((e) => [e.actor.name, e.reason])).toEqual([
        [qa.user.fullName, 'two minor findings until CAPA closes'],
        [qa.user.fullName, 'wrong resin delivered'],
      ]);
      const { rows } = await tx.query<{ data: { to: string; signatureId: string } }>(
        `SELECT data FROM outbox_events WHERE type = 'masterdata.supplierApproval.changed' AND data->>'signatureId' IS NOT NULL ORDER BY position`,
      );
      expect(rows.map((r) => r.data.to)).toEqual(['conditional', 'disqualified']);
      expect(rows[1]!.data.signatureId).toBe(signatures[1].id);
    });
  });
});
