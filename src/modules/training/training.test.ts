import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres, type TestTenant, testDatabase, testTenant } from '../../../test/db.js';
import { createRole, createSigner, type Signer, TestClock } from '../../../test/identity.js';
import type { Database, Tx } from '../../platform/db/index.js';
import { listSignatures } from '../../platform/esign/index.js';
import { Dispatcher } from '../../platform/events/index.js';
import { type TenantContext, withTenant } from '../../platform/tenancy/index.js';
import { createDocument, reviseDocument, transitionDocument } from '../documents/service.js';
import { createWorkCenter } from '../masterdata/resources.js';
import { trainingModule } from './index.js';
import { assignToWorkCenter } from './people.js';
import {
  addRequirement,
  documentBecameEffective,
  isTrained,
  isTrainedOnDocument,
  listRecords,
  listTasks,
  setDueDays,
  signAssessment,
  signReadAndUnderstood,
  trainingMatrix,
} from './service.js';

let db: Database;
let t: TestTenant;
const clock = new TestClock();
/** Author and releaser of documents (QA), the trainer (QA), two operators and an engineer. */
const people = {} as Record<'author' | 'qa' | 'operator' | 'welder' | 'engineer', Signer>;
let dispatcher: Dispatcher;

beforeAll(async () => {
  db = await testDatabase();
  t = await testTenant(db);
  people.author = await createSigner(db, t, { fullName: 'Li Wei', roles: ['QA Manager'] }, clock);
  people.qa = await createSigner(db, t, { fullName: 'Wang Fang', roles: ['QA Manager'] }, clock);
  // Operators sign their own read-and-understood: a tenant role beside the standard Operator role.
  await createRole(db, t, { name: 'Trainee', grants: ['training:read', 'training:sign.trained'] });
  people.operator = await createSigner(db, t, { fullName: 'Chen Jie', roles: ['Operator', 'Trainee'] }, clock);
  people.welder = await createSigner(db, t, { fullName: 'Zhao Min', roles: ['Operator', 'Trainee'] }, clock);
  people.engineer = await createSigner(db, t, { fullName: 'Sun Li', roles: ['Engineer'] }, clock);
  dispatcher = new Dispatcher(db, { subscriptions: trainingModule.subscriptions ?? [], tenants: [t.tenant.id] });
});
afterAll(() => db.close());

const inTx = <T>(fn: (tx: Tx) => Promise<T>, ctx: TenantContext = people.author.ctx) => withTenant(db, ctx, fn);
const credentials = (who: Signer) => who.credentials();

/** A work instruction written by the author, approved and released (signed) by QA: revision 1 in force. */
async function anEffectiveInstruction(title: string) {
  const doc = await inTx((tx) =>
    createDocument(tx, people.author.ctx, { kind: 'work_instruction', title, owner: 'Manufacturing Engineering' }),
  );
  await release(doc.id);
  return doc;
}

async function release(id: string) {
  await inTx(async (tx) => {
    await transitionDocument(tx, people.author.ctx, null, id, { to: 'in_review' });
    await transitionDocument(tx, people.qa.ctx, people.qa.verifier, id, { to: 'approved', credentials: credentials(people.qa) });
    await transitionDocument(tx, people.qa.ctx, people.qa.verifier, id, { to: 'effective', credentials: credentials(people.qa) });
  }, people.qa.ctx);
}

/** A new revision of an effective document, written by the author and released by QA. */
async function nextRevision(id: string) {
  const rev = await inTx((tx) => reviseDocument(tx, people.author.ctx, id));
  await release(rev.id);
  return rev;
}

const tasksOf = (who: Signer, number: string) => inTx((tx) => listTasks(tx, { userId: who.user.id, documentNumber: number }));

describe(`training (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('[Q.TRN] opens a task, due after the tenant’s period, for every person a requirement concerns when a version becomes effective — once', async () => {
    await inTx((tx) => setDueDays(tx, 14));
    const doc = await inTx((tx) => createDocument(tx, people.author.ctx, { kind: 'sop', title: 'Cleanroom gowning', owner: 'Production' }));
    await inTx((tx) => addRequirement(tx, people.author.ctx, { documentId: doc.id, roleName: 'Operator' }));
    expect(await tasksOf(people.operator, doc.number)).toEqual([]);
    await release(doc.id);
    await dispatcher.drain();
    await dispatcher.drain();
    const [task] = await tasksOf(people.operator, doc.number);
    expect(task).toMatchObject({ documentId: doc.id, revision: 1, status: 'open', overdue: false });
    const created = Date.parse(`${task!.createdAt}`);
    expect(Date.parse(`${task!.dueOn}T12:00:00Z`) - created).toBeGreaterThan(12 * 86_400_000);
    expect(await tasksOf(people.welder, doc.number)).toHaveLength(1);
    expect(await tasksOf(people.engineer, doc.number)).toEqual([]);
    // Redelivery changes nothing.
    await inTx((tx) => documentBecameEffective(tx, people.author.ctx, { documentId: doc.id, number: doc.number, revision: 1 }));
    expect(await tasksOf(people.operator, doc.number)).toHaveLength(1);
  });

  it('[P11.10i] records read-and-understood by the person’s own signature; isTrained answers for that version only', async () => {
    const doc = await anEffectiveInstruction('Balloon folding on station 2');
    await inTx((tx) => addRequirement(tx, people.author.ctx, { documentId: doc.id, roleName: 'Operator' }));
    const [task] = await tasksOf(people.operator, doc.number);
    expect(await inTx((tx) => isTrained(tx, people.operator.ctx, people.operator.user.id, doc.id))).toBe(false);

    // Nobody signs another person's read-and-understood.
    await expect(
      inTx((tx) => signReadAndUnderstood(tx, people.qa.ctx, people.qa.verifier, task!.id, { credentials: credentials(people.qa) })),
    ).rejects.toMatchObject({ status: 403, code: 'error.training.notOwnTask' });

    const { record, signature } = await inTx(
      (tx) =>
        signReadAndUnderstood(tx, people.operator.ctx, people.operator.verifier, task!.id, {
          credentials: credentials(people.operator),
          comment: 'Read and understood',
        }),
      people.operator.ctx,
    );
    expect(record).toMatchObject({ method: 'read_and_understood', result: 'passed', trainer: null, revision: 1 });
    expect(signature).toMatchObject({ meaning: 'reviewed', signer: { name: 'Chen Jie' } });
    expect(await inTx((tx) => listSignatures(tx, 'training_records', record.id))).toMatchObject([{ valid: true }]);
    expect((await tasksOf(people.operator, doc.number))[0]).toMatchObject({ status: 'completed' });
    expect(await inTx((tx) => isTrained(tx, people.operator.ctx, people.operator.user.id, doc.id))).toBe(true);
    expect(await inTx((tx) => isTrained(tx, people.operator.ctx, people.welder.user.id, doc.id))).toBe(false);
    // Signing again is refused.
    await expect(
      inTx(
        (tx) =>
          signReadAndUnderstood(tx, people.operator.ctx, people.operator.verifier, task!.id, { credentials: credentials(people.operator) }),
        people.operator.ctx,
      ),
    ).rejects.toMatchObject({ status: 409, code: 'error.training.alreadyTrained' });
  });

  it('[P11.10g-sod] lets a trainer assess and sign another person’s training, never their own; a failed assessment keeps the task open', async () => {
    const doc = await anEffectiveInstruction('Tip forming die change');
    await inTx((tx) => addRequirement(tx, people.author.ctx, { documentId: doc.id, roleName: 'QA Manager' }));
    await inTx((tx) => addRequirement(tx, people.author.ctx, { documentId: doc.id, roleName: 'Operator' }));
    const [own] = await tasksOf(people.qa, doc.number);
    await expect(
      inTx((tx) =>
        signAssessment(tx, people.qa.ctx, people.qa.verifier, own!.id, { result: 'passed', credentials: credentials(people.qa) }),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'error.training.selfAssessment' });
    expect(await inTx((tx) => listRecords(tx, { userId: people.qa.user.id, documentNumber: doc.number }))).toEqual([]);

    // An operator may not sign assessments at all.
    const [welderTask] = await tasksOf(people.welder, doc.number);
    await expect(
      inTx(
        (tx) =>
          signAssessment(tx, people.operator.ctx, people.operator.verifier, welderTask!.id, {
            result: 'passed',
            credentials: credentials(people.operator),
          }),
        people.operator.ctx,
      ),
    ).rejects.toMatchObject({ status: 403, code: 'error.esign.notPermitted' });

    const failed = await inTx((tx) =>
      signAssessment(tx, people.qa.ctx, people.qa.verifier, welderTask!.id, {
        result: 'failed',
        credentials: credentials(people.qa),
        comment: 'Die alignment not checked',
      }),
    );
    expect(failed.record).toMatchObject({ method: 'assessed', result: 'failed', trainer: { name: 'Wang Fang' } });
    expect((await tasksOf(people.welder, doc.number))[0]).toMatchObject({ status: 'open' });
    expect(await inTx((tx) => isTrained(tx, people.qa.ctx, people.welder.user.id, doc.id))).toBe(false);
    const passed = await inTx((tx) =>
      signAssessment(tx, people.qa.ctx, people.qa.verifier, welderTask!.id, { result: 'passed', credentials: credentials(people.qa) }),
    );
    expect(passed.signature).toMatchObject({ meaning: 'verified' });
    expect(await inTx((tx) => isTrained(tx, people.qa.ctx, people.welder.user.id, doc.id))).toBe(true);
  });

  it('[Q.TRN] closes tasks of a superseded version, refuses signing for it with nothing changed, and opens tasks on the new version', async () => {
    const rev1 = await anEffectiveInstruction('Leak test on LT-02');
    await inTx((tx) => addRequirement(tx, people.author.ctx, { documentId: rev1.id, roleName: 'Operator' }));
    const [done] = await tasksOf(people.operator, rev1.number);
    await inTx(
      (tx) =>
        signReadAndUnderstood(tx, people.operator.ctx, people.operator.verifier, done!.id, { credentials: credentials(people.operator) }),
      people.operator.ctx,
    );
    const [stale] = await tasksOf(people.welder, rev1.number);

    const rev2 = await nextRevision(rev1.id);
    await dispatcher.drain();
    const welderTasks = await tasksOf(people.welder, rev1.number);
    expect(welderTasks.map((x) => [x.revision, x.status])).toEqual(
      expect.arrayContaining([
        [1, 'superseded'],
        [2, 'open'],
      ]),
    );
    const records = () => inTx((tx) => listRecords(tx, { documentNumber: rev1.number }));
    const before = await records();
    await expect(
      inTx(
        (tx) =>
          signReadAndUnderstood(tx, people.welder.ctx, people.welder.verifier, stale!.id, { credentials: credentials(people.welder) }),
        people.welder.ctx,
      ),
    ).rejects.toMatchObject({ status: 409, code: 'error.training.superseded' });
    expect(await records()).toEqual(before);

    // Trained on revision 1 is not trained on the document in force.
    const operator = people.operator;
    expect(await inTx((tx) => isTrained(tx, operator.ctx, operator.user.id, rev1.id))).toBe(true);
    expect(await inTx((tx) => isTrainedOnDocument(tx, operator.ctx, operator.user.id, rev1.id))).toBe(false);
    const [task2] = (await tasksOf(operator, rev1.number)).filter((x) => x.revision === 2);
    await inTx(
      (tx) => signReadAndUnderstood(tx, operator.ctx, operator.verifier, task2!.id, { credentials: credentials(operator) }),
      operator.ctx,
    );
    expect(await inTx((tx) => isTrainedOnDocument(tx, operator.ctx, operator.user.id, rev1.id))).toBe(true);
    expect(await inTx((tx) => isTrained(tx, operator.ctx, operator.user.id, rev2.id))).toBe(true);
  });

  it('[Q.TRN] requires training by work center and shows the matrix: trained, due, not required', async () => {
    const wc = await inTx((tx) =>
      createWorkCenter(tx, { code: 'RF-WELD', name: 'RF welding', siteId: t.site.id, capacityHoursPerDay: '16' }),
    );
    await inTx((tx) => assignToWorkCenter(tx, people.author.ctx, people.welder.user.id, wc.id));
    const doc = await anEffectiveInstruction('RF welder daily check');
    await inTx((tx) => addRequirement(tx, people.author.ctx, { documentId: doc.id, workCenterId: wc.id }));
    expect(await tasksOf(people.welder, doc.number)).toHaveLength(1);
    expect(await tasksOf(people.operator, doc.number)).toEqual([]);
    const matrix = await inTx((tx) => trainingMatrix(tx));
    const column = matrix.documents.findIndex((d) => d.documentNumber === doc.number);
    const standing = (who: Signer) => matrix.people.find((p) => p.userId === who.user.id)?.cells[column]?.standing;
    expect(standing(people.welder)).toBe('due');
    expect(standing(people.operator)).toBe('not_required');
    expect(standing(people.engineer)).toBeUndefined();
  });
});
