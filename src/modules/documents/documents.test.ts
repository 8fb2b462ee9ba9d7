import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeaderCaller, testApp } from '../../../test/app.js';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { createRole, createUser, type NewTestUser, signingCredentials, TestClock, type TestUser } from '../../../test/identity.js';
import { recordHistory } from '../../platform/audit/index.js';
import type { Database } from '../../platform/db/index.js';
import { sign } from '../../platform/esign/index.js';
import { type TenantContext, withTenant } from '../../platform/tenancy/index.js';

/**
 * The people of this test file. They sign as themselves: identity checks their password and
 * authenticator code and what their roles let them sign. The author may approve documents but
 * not withdraw them; the operator signs nothing.
 */
const PEOPLE = {
  author: { login: 'liwei', fullName: 'Li Wei', roles: ['Document Approver'] },
  approver: { login: 'wangfang', fullName: 'Wang Fang', roles: ['QA Manager'] },
  reviewer: { login: 'zhaolei', fullName: 'Zhao Lei', roles: ['QA Manager'] },
  releaser: { login: 'zhangmin', fullName: 'Zhang Min', roles: ['QA Manager'] },
  qa: { login: 'sunli', fullName: 'Sun Li', roles: ['QA Manager'] },
  operator: { login: 'chenjie', fullName: 'Chen Jie', roles: ['Operator'], totp: true },
} satisfies Record<string, NewTestUser>;
type Who = keyof typeof PEOPLE;

let db: Database;
let t: TestTenant;
let app: FastifyInstance;
const clock = new TestClock();
const people = {} as Record<Who, TestUser>;

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  await withTenant(db, t.ctx, (tx) => tx.query("UPDATE sites SET time_zone = 'Asia/Shanghai'"));
  await createRole(db, t, { name: 'Document Approver', grants: ['documents:sign.approved'] });
  const callers: Record<string, HeaderCaller> = {};
  for (const [who, spec] of Object.entries(PEOPLE) as Array<[Who, NewTestUser]>) {
    const person = await createUser(db, t, spec);
    people[who] = person;
    callers[who] = {
      tenantId: t.tenant.id,
      siteId: t.site.id,
      actor: { kind: 'user', id: person.id, name: person.fullName },
      permissions: ['documents:read', 'documents:write', 'signatures:read', 'audit:read'],
    };
  }
  app = await testApp(db, { callers, clock });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface Doc {
  id: string;
  number: string;
  revision: number;
  status: string;
  title: string;
  allowedTransitions: string[];
  signatures: Array<{ meaning: string; valid: boolean; signer: { name: string }; manifestation: { text: string } }>;
}

const call = async (who: Who, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
  app.inject({ method, url: `/api/v1${url}`, headers: { 'x-test-caller': who, ...headers }, ...(payload ? { payload } : {}) });

const getDoc = async (id: string) => (await call('author', 'GET', `/documents/${id}`)).json() as Doc;

async function draft(title = 'Balloon leak test at 2 bar'): Promise<Doc> {
  const res = await call('author', 'POST', '/documents', {
    kind: 'work_instruction',
    title,
    owner: 'Manufacturing Engineering',
    body: 'Hold 30 s.',
  });
  expect(res.statusCode).toBe(201);
  return res.json() as Doc;
}

const move = (who: Who, id: string, to: string, extra: object = {}) => call(who, 'POST', `/documents/${id}/transitions`, { to, ...extra });
const signed = (who: Who, extra: object = {}) => ({ ...signingCredentials(people[who], clock), ...extra });

async function approved(): Promise<Doc> {
  const doc = await draft();
  expect((await move('author', doc.id, 'in_review')).statusCode).toBe(200);
  expect((await move('approver', doc.id, 'approved', signed('approver'))).statusCode).toBe(200);
  return getDoc(doc.id);
}

describe(`controlled documents (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[P11.50] takes a document from draft to effective with signatures that manifest name, time and meaning', async () => {
    const doc = await approved();
    expect(doc.number).toMatch(/^DOC-\d{4}-\d{5}$/);
    const released = await move('releaser', doc.id, 'effective', signed('releaser', { comment: 'training completed' }));
    expect(released.statusCode).toBe(200);
    const shown = await getDoc(doc.id);
    expect(shown).toMatchObject({ status: 'effective', allowedTransitions: ['obsolete'] });
    expect(shown.signatures.map((s) => [s.meaning, s.signer.name, s.valid])).toEqual([
      ['approved', 'Wang Fang', true],
      ['released', 'Zhang Min', true],
    ]);
    expect(shown.signatures[0]?.manifestation.text).toMatch(
      /^Signed by Wang Fang \(wangfang\), \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00, Meaning: Approved$/,
    );
    const history = await withTenant(db, t.ctx, (tx) => recordHistory(tx, 'documents', doc.id));
    expect(history.at(-1)).toMatchObject({
      actor: { name: 'Zhang Min' },
      changes: expect.arrayContaining([{ field: 'status', old: 'approved', new: 'effective' }]),
      reason: 'training completed',
    });
  });

  it('[P11.10f] refuses an out-of-order step with 409 naming the current state and the allowed steps', async () => {
    const doc = await draft();
    const res = await move('releaser', doc.id, 'effective', signed('releaser'));
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'error.state.illegalTransition', currentState: 'draft', allowedTransitions: ['in_review'] });
    expect((await getDoc(doc.id)).status).toBe('draft');
  });

  it('[P11.10g] lets only permitted people sign with a meaning, never the author approving their own work', async () => {
    const doc = await draft();
    await move('author', doc.id, 'in_review');
    const byOperator = await move('operator', doc.id, 'approved', signed('operator'));
    expect(byOperator.statusCode).toBe(403);
    expect(byOperator.json()).toMatchObject({ code: 'error.esign.notPermitted' });
    const byAuthor = await move('author', doc.id, 'approved', signed('author'));
    expect(byAuthor.statusCode).toBe(409);
    expect(byAuthor.json()).toMatchObject({
      code: 'error.esign.separationOfDuties',
      params: { rule: 'notAuthor', meaning: 'approved', record: `${doc.number} rev 1` },
    });
    const wrongPassword = await move('approver', doc.id, 'approved', signed('approver', { password: 'guess' }));
    expect(wrongPassword.statusCode).toBe(401);
    const unsigned = await move('approver', doc.id, 'approved');
    expect(unsigned.json()).toMatchObject({ status: 422, code: 'error.esign.credentialsRequired' });
    const shown = await getDoc(doc.id);
    expect(shown).toMatchObject({ status: 'in_review', signatures: [] });
  });

  it('[P11.10g-sod] refuses approval by whoever last edited the content in review, naming the rule', async () => {
    const doc = await draft();
    await move('author', doc.id, 'in_review');
    expect((await call('approver', 'PATCH', `/documents/${doc.id}`, { body: 'Hold 40 s.' })).statusCode).toBe(200);
    expect(await getDoc(doc.id)).toMatchObject({ contentEditor: { id: people.approver.id, name: 'Wang Fang' } });
    const byEditor = await move('approver', doc.id, 'approved', signed('approver'));
    expect(byEditor.statusCode).toBe(409);
    expect(byEditor.json()).toMatchObject({
      code: 'error.esign.separationOfDuties',
      params: { rule: 'notLastContentEditor', meaning: 'approved', record: `${doc.number} rev 1` },
      detail: `separation of duties (notLastContentEditor): the last editor of the content of document ${doc.number} rev 1 cannot approve it`,
    });
    expect((await getDoc(doc.id)).signatures).toEqual([]);
    const byReviewer = await move('reviewer', doc.id, 'approved', signed('reviewer'));
    expect(byReviewer.statusCode).toBe(200);
    expect((await getDoc(doc.id)).signatures).toMatchObject([{ meaning: 'approved', signer: { name: 'Zhao Lei' }, valid: true }]);
  });

  it('[P11.10g] makes a document obsolete only by a QA signature meaning withdrawn, with a reason', async () => {
    const doc = await approved();
    await move('releaser', doc.id, 'effective', signed('releaser'));
    const unsigned = await move('qa', doc.id, 'obsolete', { comment: 'process retired' });
    expect(unsigned.json()).toMatchObject({ status: 422, code: 'error.esign.credentialsRequired', params: { meaning: 'withdrawn' } });
    const byAuthor = await move('author', doc.id, 'obsolete', signed('author', { comment: 'process retired' }));
    expect(byAuthor.statusCode).toBe(403);
    expect(byAuthor.json()).toMatchObject({ code: 'error.esign.notPermitted', params: { permission: 'documents:sign.withdrawn' } });
    expect((await getDoc(doc.id)).status).toBe('effective');

    const withdrawn = await move('qa', doc.id, 'obsolete', signed('qa', { comment: 'process retired with line 2' }));
    expect(withdrawn.statusCode).toBe(200);
    const shown = await getDoc(doc.id);
    expect(shown.status).toBe('obsolete');
    expect(shown.signatures.at(-1)).toMatchObject({ meaning: 'withdrawn', signer: { name: 'Sun Li' }, valid: true });
    expect(shown.signatures.at(-1)?.manifestation.text).toMatch(/Meaning: Withdrawn$/);
    const history = await withTenant(db, t.ctx, (tx) => recordHistory(tx, 'documents', doc.id));
    expect(history.at(-1)).toMatchObject({ actor: { name: 'Sun Li' }, reason: 'process retired with line 2' });
  });

  it('[P11.10g] refuses the same person signing twice with one meaning where two people must sign', async () => {
    const doc = await draft();
    const p = people.approver;
    const ctx: TenantContext = { ...t.ctx, actor: { kind: 'user', id: p.id, name: p.fullName } };
    const approve = () =>
      withTenant(db, ctx, (tx) =>
        sign(tx, ctx, app.signerVerifier, {
          entity: 'documents',
          id: doc.id,
          meaning: 'approved',
          credentials: signingCredentials(p, clock),
          distinct: true,
        }),
      );
    expect(await approve()).toMatchObject({ meaning: 'approved', signer: { login: 'wangfang' }, valid: true });
    await expect(approve()).rejects.toMatchObject({ code: 'error.esign.alreadySigned' });
  });

  it('[A11.9] refuses to change an approved document without a reason, and records the reason given', async () => {
    const doc = await approved();
    const silent = await call('author', 'PATCH', `/documents/${doc.id}`, { body: 'Hold 45 s.' });
    expect(silent.statusCode).toBe(422);
    expect(silent.json()).toMatchObject({ code: 'error.audit.reasonRequired' });
    expect(((await call('author', 'GET', `/documents/${doc.id}`)).json() as { body: string }).body).toBe('Hold 30 s.');

    const explained = await call(
      'author',
      'PATCH',
      `/documents/${doc.id}`,
      { body: 'Hold 45 s.' },
      { 'x-change-reason': 'CAPA-0012: hold time too short' },
    );
    expect(explained.statusCode).toBe(200);
    const history = await withTenant(db, t.ctx, (tx) => recordHistory(tx, 'documents', doc.id));
    expect(history.at(-1)).toMatchObject({
      actor: { id: people.author.id, name: 'Li Wei' },
      changes: expect.arrayContaining([{ field: 'body', old: 'Hold 30 s.', new: 'Hold 45 s.' }]),
      reason: 'CAPA-0012: hold time too short',
    });
  });

  it('[P11.70] shows a signature as invalid once the signed content changes, and refuses release on it', async () => {
    const doc = await approved();
    await call('author', 'PATCH', `/documents/${doc.id}`, { title: 'Balloon leak test at 3 bar' }, { 'x-change-reason': 'new spec' });
    const list = await call('author', 'GET', `/signatures?entity=documents&id=${doc.id}`);
    expect(list.json().items).toMatchObject([{ meaning: 'approved', valid: false }]);
    const release = await move('releaser', doc.id, 'effective', signed('releaser'));
    expect(release.statusCode).toBe(409);
    expect(release.json()).toMatchObject({ code: 'error.state.guardFailed' });
    // Returned to draft and approved again, the new approval is valid and release goes through.
    expect((await move('approver', doc.id, 'draft', signed('approver', { comment: 'spec changed' }))).statusCode).toBe(200);
    await move('author', doc.id, 'in_review');
    await move('approver', doc.id, 'approved', signed('approver'));
    expect((await move('releaser', doc.id, 'effective', signed('releaser'))).statusCode).toBe(200);
  });

  it('keeps an effective revision read-only; a new revision supersedes it on release', async () => {
    const doc = await approved();
    await move('releaser', doc.id, 'effective', signed('releaser'));
    const edit = await call('author', 'PATCH', `/documents/${doc.id}`, { title: 'x' }, { 'x-change-reason': 'typo' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json()).toMatchObject({ code: 'error.documents.readOnly' });

    const rev2 = (await call('author', 'POST', `/documents/${doc.id}/revisions`)).json() as Doc;
    expect(rev2).toMatchObject({ number: doc.number, revision: 2, status: 'draft' });
    expect((await call('author', 'POST', `/documents/${doc.id}/revisions`)).json()).toMatchObject({
      code: 'error.documents.revisionInWork',
    });
    await call('author', 'PATCH', `/documents/${rev2.id}`, { body: 'Hold 60 s.' });
    await move('author', rev2.id, 'in_review');
    await move('approver', rev2.id, 'approved', signed('approver'));
    expect((await move('releaser', rev2.id, 'effective', signed('releaser'))).statusCode).toBe(200);
    expect((await getDoc(doc.id)).status).toBe('obsolete');
    const history = await withTenant(db, t.ctx, (tx) => recordHistory(tx, 'documents', doc.id));
    expect(history.at(-1)).toMatchObject({ reason: 'superseded by revision 2' });

    const list = (await call('author', 'GET', `/documents?q=${doc.number}`)).json() as { items: Doc[] };
    expect(list.items.map((d) => [d.revision, d.status])).toEqual([
      [2, 'effective'],
      [1, 'obsolete'],
    ]);
    const obsolete = await move('author', rev2.id, 'obsolete');
    expect(obsolete.json()).toMatchObject({ status: 422, code: 'error.audit.reasonRequired' });
  });

  it('never lets the application change or remove a signature', async () => {
    const doc = await approved();
    for (const statement of ["UPDATE esignatures SET meaning = 'released'", 'DELETE FROM esignatures']) {
      await expect(withTenant(db, t.ctx, (tx) => tx.query(`${statement} WHERE record_id = $1`, [doc.id]))).rejects.toThrow(
        /cannot be changed|permission denied/,
      );
    }
    expect((await getDoc(doc.id)).signatures).toHaveLength(1);
  });
});
