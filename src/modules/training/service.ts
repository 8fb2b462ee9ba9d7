import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.js';
import { type Signature, sign } from '../../platform/esign/index.js';
import type { SignerVerifier, SigningCredentials } from '../../platform/esign/types.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { siteToday, type TenantContext } from '../../platform/tenancy/index.js';
import { getDocument } from '../documents/index.js';
import { getWorkCenter } from '../masterdata/index.js';
import { TRAINING_EVENTS, type TrainingMethod, type TrainingResult, type TrainingStanding, type TrainingTaskStatus } from './contract.js';
import { activePeople, type Person } from './people.js';

/** Days to train on a newly effective version, unless the tenant set its own. */
export const DEFAULT_DUE_DAYS = 30;

export interface TrainingRequirement {
  id: string;
  documentId: string;
  documentNumber: string;
  roleName: string | null;
  workCenterId: string | null;
  active: boolean;
  createdBy: string;
  createdAt: string;
}

const REQUIREMENT_COLUMNS = sql`id, document_id AS "documentId", document_number AS "documentNumber", role_name AS "roleName",
  work_center_id AS "workCenterId", active, created_by AS "createdBy", created_at AS "createdAt"`;

export async function listRequirements(tx: Tx, f: { documentNumber?: string | undefined } = {}): Promise<TrainingRequirement[]> {
  const { rows } = await tx.query<TrainingRequirement>(
    sql`SELECT ${REQUIREMENT_COLUMNS} FROM training_requirements
         WHERE active AND (${f.documentNumber ?? null}::text IS NULL OR document_number = ${f.documentNumber ?? null})
         ORDER BY document_number, role_name NULLS LAST, created_at`,
  );
  return rows;
}

export interface NewRequirement {
  documentId: string;
  roleName?: string | undefined;
  workCenterId?: string | undefined;
}

/**
 * Requires people of a role and/or a work center to be trained on a document (every version, by
 * its number). When a version is already in force, the people it now concerns get their tasks.
 */
export async function addRequirement(tx: Tx, ctx: TenantContext, input: NewRequirement): Promise<TrainingRequirement> {
  if (!input.roleName && !input.workCenterId) {
    throw new Conflict('a training requirement names a role, a work center or both', { code: 'error.training.requirementTarget' });
  }
  const doc = await getDocument(tx, input.documentId);
  if (input.workCenterId) await getWorkCenter(tx, input.workCenterId);
  const { rows } = await tx.query<TrainingRequirement>(
    sql`INSERT INTO training_requirements (id, document_id, document_number, role_name, work_center_id, created_by)
        VALUES (${uuidv7()}, ${doc.id}, ${doc.number}, ${input.roleName ?? null}, ${input.workCenterId ?? null}, ${ctx.actor.name})
        RETURNING ${REQUIREMENT_COLUMNS}`,
  );
  const effective = await effectiveVersion(tx, doc.number);
  if (effective) await openTasks(tx, ctx, effective);
  else if (doc.status === 'effective')
    await documentBecameEffective(tx, ctx, { documentId: doc.id, number: doc.number, revision: doc.revision });
  return rows[0]!;
}

/** Retires a requirement: no new tasks from it; open tasks stay until trained or superseded. */
export async function retireRequirement(tx: Tx, id: string): Promise<void> {
  const { rowCount } = await tx.query(sql`UPDATE training_requirements SET active = false WHERE id = ${id} AND active`);
  if (!rowCount) throw new NotFound(`training requirement ${id} not found`, { code: 'error.training.requirementNotFound' });
}

const concerns = (reqs: readonly TrainingRequirement[], p: Person) =>
  reqs.some(
    (r) => (r.roleName === null || p.roles.includes(r.roleName)) && (r.workCenterId === null || p.workCenterIds.includes(r.workCenterId)),
  );

interface Version {
  documentId: string;
  number: string;
  revision: number;
}

async function effectiveVersion(tx: Tx, number: string): Promise<Version | undefined> {
  const { rows } = await tx.query<Version>(
    sql`SELECT document_id AS "documentId", document_number AS number, revision FROM training_document_versions
         WHERE document_number = ${number} AND effective`,
  );
  return rows[0];
}

async function dueDays(tx: Tx): Promise<number> {
  const { rows } = await tx.query<{ dueDays: number }>(sql`SELECT due_days AS "dueDays" FROM training_settings`);
  return rows[0]?.dueDays ?? DEFAULT_DUE_DAYS;
}

export async function setDueDays(tx: Tx, days: number): Promise<void> {
  await tx.query(
    sql`INSERT INTO training_settings (due_days) VALUES (${days}) ON CONFLICT (tenant_id) DO UPDATE SET due_days = EXCLUDED.due_days`,
  );
}

/** Opens a task on `version` for every active person a requirement of its document concerns; existing tasks stay as they are. */
async function openTasks(tx: Tx, ctx: TenantContext, version: Version): Promise<number> {
  const reqs = await listRequirements(tx, { documentNumber: version.number });
  if (!reqs.length) return 0;
  const days = await dueDays(tx);
  const today = await siteToday(tx);
  let opened = 0;
  for (const person of (await activePeople(tx)).filter((p) => concerns(reqs, p))) {
    if (await isTrained(tx, ctx, person.id, version.documentId)) continue;
    const id = uuidv7();
    const { rows } = await tx.query<{ dueOn: string }>(
      sql`INSERT INTO training_tasks (id, user_id, user_name, document_id, document_number, revision, due_on)
          VALUES (${id}, ${person.id}, ${person.name}, ${version.documentId}, ${version.number}, ${version.revision}, ${today}::date + ${days}::int)
          ON CONFLICT (tenant_id, user_id, document_id) DO NOTHING RETURNING due_on::text AS "dueOn"`,
    );
    if (!rows[0]) continue;
    opened++;
    await publish(tx, TRAINING_EVENTS.taskOpened, {
      aggregateId: id,
      data: {
        taskId: id,
        userId: person.id,
        documentId: version.documentId,
        documentNumber: version.number,
        revision: version.revision,
        dueOn: rows[0].dueOn,
      },
    });
  }
  return opened;
}

/**
 * A document version became effective (documents.document.released): it is now the version in
 * force, open tasks on the versions it supersedes close as superseded, and everyone concerned
 * gets a task on it. Delivered again, it changes nothing.
 */
export async function documentBecameEffective(tx: Tx, ctx: TenantContext, version: Version): Promise<void> {
  await withdrawVersions(tx, version.number, version.documentId);
  await tx.query(
    sql`INSERT INTO training_document_versions (document_id, document_number, revision, effective)
        VALUES (${version.documentId}, ${version.number}, ${version.revision}, true)
        ON CONFLICT (tenant_id, document_id) DO UPDATE SET effective = true`,
  );
  await openTasks(tx, ctx, version);
}

/** A version was withdrawn (made obsolete): its open tasks close as superseded. */
export async function documentWithdrawn(tx: Tx, version: Version): Promise<void> {
  await withdrawVersions(tx, version.number, null);
}

async function withdrawVersions(tx: Tx, number: string, exceptId: string | null): Promise<void> {
  await tx.query(
    sql`UPDATE training_document_versions SET effective = false
         WHERE document_number = ${number} AND effective AND document_id IS DISTINCT FROM ${exceptId}::uuid`,
  );
  await tx.query(
    sql`UPDATE training_tasks SET status = 'superseded', closed_at = now()
         WHERE document_number = ${number} AND status = 'open' AND document_id IS DISTINCT FROM ${exceptId}::uuid`,
  );
}

export interface TrainingTask {
  id: string;
  userId: string;
  userName: string;
  documentId: string;
  documentNumber: string;
  revision: number;
  status: TrainingTaskStatus;
  dueOn: string;
  overdue: boolean;
  createdAt: string;
  closedAt: string | null;
}

const TASK_COLUMNS = sql`t.id, t.user_id AS "userId", t.user_name AS "userName", t.document_id AS "documentId",
  t.document_number AS "documentNumber", t.revision, t.status, t.due_on::text AS "dueOn", t.created_at AS "createdAt", t.closed_at AS "closedAt"`;

export async function listTasks(
  tx: Tx,
  f: { userId?: string | undefined; status?: TrainingTaskStatus | undefined; documentNumber?: string | undefined },
): Promise<TrainingTask[]> {
  const today = await siteToday(tx);
  const { rows } = await tx.query<Omit<TrainingTask, 'overdue'>>(
    sql`SELECT ${TASK_COLUMNS} FROM training_tasks t
         WHERE (${f.userId ?? null}::uuid IS NULL OR t.user_id = ${f.userId ?? null})
           AND (${f.status ?? null}::text IS NULL OR t.status = ${f.status ?? null})
           AND (${f.documentNumber ?? null}::text IS NULL OR t.document_number = ${f.documentNumber ?? null})
         ORDER BY t.due_on, t.document_number, t.user_name LIMIT 1000`,
  );
  return rows.map((t) => ({ ...t, overdue: t.status === 'open' && t.dueOn < today }));
}

async function lockTask(tx: Tx, id: string): Promise<Omit<TrainingTask, 'overdue'>> {
  const { rows } = await tx.query<Omit<TrainingTask, 'overdue'>>(
    sql`SELECT ${TASK_COLUMNS} FROM training_tasks t WHERE t.id = ${id} FOR UPDATE`,
  );
  if (!rows[0]) throw new NotFound(`training task ${id} not found`, { code: 'error.training.taskNotFound', params: { id } });
  return rows[0];
}

export interface TrainingRecord {
  id: string;
  taskId: string | null;
  userId: string;
  userName: string;
  documentId: string;
  documentNumber: string;
  revision: number;
  method: TrainingMethod;
  result: TrainingResult;
  trainer: { id: string; name: string } | null;
  comment: string | null;
  trainedAt: string;
}

export interface SignTrainingInput {
  credentials: SigningCredentials;
  comment?: string | undefined;
}

/**
 * Records training on a task's document version and signs it, in one transaction. Refused (409,
 * nothing written) when the task is closed or its version is no longer the one in force.
 */
async function recordTraining(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  taskId: string,
  how: { method: TrainingMethod; result: TrainingResult; trainer: { id: string; name: string } | null },
  input: SignTrainingInput,
): Promise<{ record: TrainingRecord; signature: Signature }> {
  const task = await lockTask(tx, taskId);
  const label = `${task.documentNumber} rev ${task.revision}`;
  const doc = await getDocument(tx, task.documentId);
  if (task.status === 'superseded' || doc.status !== 'effective') {
    throw new Conflict(`${label} is no longer in force: training on it cannot be signed`, {
      code: 'error.training.superseded',
      params: { document: label },
    });
  }
  if (task.status !== 'open') {
    throw new Conflict(`training of ${task.userName} on ${label} is already recorded`, {
      code: 'error.training.alreadyTrained',
      params: { document: label, person: task.userName },
    });
  }
  const id = uuidv7();
  await tx.query(
    sql`INSERT INTO training_records (id, task_id, user_id, user_name, document_id, document_number, revision, method, result, trainer_id, trainer_name, comment)
        VALUES (${id}, ${task.id}, ${task.userId}, ${task.userName}, ${task.documentId}, ${task.documentNumber}, ${task.revision}, ${how.method},
          ${how.result}, ${how.trainer?.id ?? null}, ${how.trainer?.name ?? null}, ${input.comment ?? null})`,
  );
  const signature = await sign(tx, ctx, verifier, {
    entity: 'training_records',
    id,
    meaning: how.method === 'assessed' ? 'verified' : 'reviewed',
    credentials: input.credentials,
    comment: input.comment,
    subject: { label: `training of ${task.userName} on ${label}`, reference: label, step: how.method === 'assessed' ? 'assess' : 'sign' },
  });
  // A failed assessment keeps the task open: the person trains again.
  if (how.result === 'passed') {
    await tx.query(sql`UPDATE training_tasks SET status = 'completed', closed_at = now() WHERE id = ${task.id}`);
  }
  await publish(tx, TRAINING_EVENTS.recorded, {
    aggregateId: id,
    data: {
      recordId: id,
      taskId: task.id,
      userId: task.userId,
      documentId: task.documentId,
      documentNumber: task.documentNumber,
      revision: task.revision,
      method: how.method,
      result: how.result,
      signatureId: signature.id,
    },
  });
  return { record: await getRecord(tx, id), signature };
}

/** The person signs their own task as read and understood (meaning reviewed). Nobody signs it for another. */
export async function signReadAndUnderstood(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  taskId: string,
  input: SignTrainingInput,
): Promise<{ record: TrainingRecord; signature: Signature }> {
  const task = await lockTask(tx, taskId);
  if (task.userId !== ctx.actor.id) {
    throw new Forbidden(`only ${task.userName} signs their own training as read and understood`, {
      code: 'error.training.notOwnTask',
      params: { person: task.userName },
    });
  }
  return recordTraining(tx, ctx, verifier, taskId, { method: 'read_and_understood', result: 'passed', trainer: null }, input);
}

/** A trainer, who is not the trainee (separation of duties), signs an assessment with its result (meaning verified). */
export async function signAssessment(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  taskId: string,
  input: SignTrainingInput & { result: TrainingResult },
): Promise<{ record: TrainingRecord; signature: Signature }> {
  const task = await lockTask(tx, taskId);
  if (task.userId === ctx.actor.id) {
    throw new Conflict(`separation of duties: ${task.userName} cannot assess their own training`, {
      code: 'error.training.selfAssessment',
      params: { person: task.userName },
    });
  }
  return recordTraining(
    tx,
    ctx,
    verifier,
    taskId,
    { method: 'assessed', result: input.result, trainer: { id: ctx.actor.id, name: ctx.actor.name } },
    input,
  );
}

const RECORD_COLUMNS = sql`id, task_id AS "taskId", user_id AS "userId", user_name AS "userName", document_id AS "documentId",
  document_number AS "documentNumber", revision, method, result, trainer_id AS "trainerId", trainer_name AS "trainerName", comment, trained_at AS "trainedAt"`;

type RecordRow = Omit<TrainingRecord, 'trainer'> & { trainerId: string | null; trainerName: string | null };
const toRecord = ({ trainerId, trainerName, ...r }: RecordRow): TrainingRecord => ({
  ...r,
  trainer: trainerId ? { id: trainerId, name: trainerName ?? '' } : null,
});

export async function getRecord(tx: Tx, id: string): Promise<TrainingRecord> {
  const { rows } = await tx.query<RecordRow>(sql`SELECT ${RECORD_COLUMNS} FROM training_records WHERE id = ${id}`);
  if (!rows[0]) throw new NotFound(`training record ${id} not found`, { code: 'error.training.recordNotFound' });
  return toRecord(rows[0]);
}

export async function listRecords(
  tx: Tx,
  f: { userId?: string | undefined; documentNumber?: string | undefined },
): Promise<TrainingRecord[]> {
  const { rows } = await tx.query<RecordRow>(
    sql`SELECT ${RECORD_COLUMNS} FROM training_records
         WHERE (${f.userId ?? null}::uuid IS NULL OR user_id = ${f.userId ?? null})
           AND (${f.documentNumber ?? null}::text IS NULL OR document_number = ${f.documentNumber ?? null})
         ORDER BY trained_at DESC, id LIMIT 1000`,
  );
  return rows.map(toRecord);
}

/**
 * Whether the person holds a passed, signed training record on this document version (Part 11
 * §11.10(i)): the production gate asks this before an operator executes an operation.
 */
export async function isTrained(tx: Tx, _ctx: TenantContext, userId: string, documentVersionId: string): Promise<boolean> {
  // A record is written only together with its signature (one transaction), so a record is a signed record.
  const { rows } = await tx.query(
    sql`SELECT 1 FROM training_records WHERE user_id = ${userId} AND document_id = ${documentVersionId} AND result = 'passed' LIMIT 1`,
  );
  return rows.length > 0;
}

/** Whether the person is trained on the version of this document (any of its versions' ids) in force today. */
export async function isTrainedOnDocument(tx: Tx, ctx: TenantContext, userId: string, documentId: string): Promise<boolean> {
  const doc = await getDocument(tx, documentId);
  const effective = doc.status === 'effective' ? doc.id : (await effectiveVersion(tx, doc.number))?.documentId;
  return effective ? isTrained(tx, ctx, userId, effective) : false;
}

export interface MatrixCell {
  documentNumber: string;
  standing: TrainingStanding;
  dueOn: string | null;
}

export interface TrainingMatrix {
  documents: Array<{ documentId: string; documentNumber: string; revision: number }>;
  people: Array<{ userId: string; name: string; cells: MatrixCell[] }>;
}

/**
 * People × documents in force that have requirements: trained on the version in force, due (an
 * open task not yet late), overdue (late), or not required of that person.
 */
export async function trainingMatrix(tx: Tx): Promise<TrainingMatrix> {
  const reqs = await listRequirements(tx);
  const numbers = [...new Set(reqs.map((r) => r.documentNumber))];
  const { rows: versions } = await tx.query<{ documentId: string; documentNumber: string; revision: number }>(
    sql`SELECT document_id AS "documentId", document_number AS "documentNumber", revision FROM training_document_versions
         WHERE effective AND document_number = ANY(${numbers}::text[]) ORDER BY document_number`,
  );
  const { rows: trained } = await tx.query<{ userId: string; documentId: string }>(
    sql`SELECT DISTINCT user_id AS "userId", document_id AS "documentId" FROM training_records WHERE result = 'passed'`,
  );
  const done = new Set(trained.map((t) => `${t.userId}/${t.documentId}`));
  const open = await listTasks(tx, { status: 'open' });
  const people = (await activePeople(tx)).filter((p) => reqs.some((r) => concerns([r], p)));
  return {
    documents: versions,
    people: people.map((p) => ({
      userId: p.id,
      name: p.name,
      cells: versions.map((v) => {
        const task = open.find((t) => t.userId === p.id && t.documentId === v.documentId);
        const required = concerns(
          reqs.filter((r) => r.documentNumber === v.documentNumber),
          p,
        );
        const standing: TrainingStanding = done.has(`${p.id}/${v.documentId}`)
          ? 'trained'
          : !required
            ? 'not_required'
            : task?.overdue
              ? 'overdue'
              : 'due';
        return { documentNumber: v.documentNumber, standing, dueOn: task?.dueOn ?? null };
      }),
    })),
  };
}
