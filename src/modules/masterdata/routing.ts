import { type Static, Type } from 'typebox';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { DecimalString, dec } from '../../platform/decimal.js';
import { type FieldError, NotFound, ValidationFailed } from '../../platform/errors.js';
import { type ControlledDocument, getDocument } from '../documents/index.js';
import { Id } from './common.js';
import { isPlausibleMeasurement, measurementBounds } from './measurement.js';
import { getItemRevision, lockDraftRevision } from './revisions.js';

/** Routings: the ordered operations that make one item revision, with standard times and checks. */

const OperationFields = {
  sequence: Type.Integer({ minimum: 1, maximum: 9999, description: 'operation number, e.g. 10, 20, 30' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  workCenterId: Id,
  setupMinutes: DecimalString({ description: 'setup time per batch, minutes' }),
  runMinutesPerUnit: DecimalString({ description: 'run time per unit of the item, minutes' }),
  inspectionPoints: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
    maxItems: 50,
    uniqueItems: true,
    description: 'checks the operator must record at this operation',
  }),
  workInstructionDocumentId: Type.Union([Id, Type.Null()], { description: 'controlled work instruction (documents module)' }),
  firstArticleRequired: Type.Boolean({ description: 'a first-article inspection must pass before the operation completes' }),
  lineClearanceRequired: Type.Boolean({ description: 'a line clearance must be recorded before the operation starts' }),
  parallelWithPrevious: Type.Boolean({ description: 'may run while the previous operation is not yet completed' }),
  parameters: Type.Array(
    Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        unit: Type.String({ minLength: 1, maxLength: 40 }),
        lowerLimit: Type.Union([DecimalString(), Type.Null()]),
        upperLimit: Type.Union([DecimalString(), Type.Null()]),
      },
      { additionalProperties: false },
    ),
    { maxItems: 50, description: 'process parameters recorded at the operation, each a decimal in its unit with at least one limit' },
  ),
};
const WorkInstructionRef = Type.Object({
  number: Type.String(),
  revision: Type.Integer(),
  title: Type.String(),
  status: Type.String({ description: 'the document status, e.g. effective' }),
});
/** An operation as read back: with its work center's code and name and the work instruction it names. */
export const RoutingOperation = Type.Object({
  id: Id,
  ...OperationFields,
  workCenterCode: Type.String(),
  workCenterName: Type.String(),
  workInstruction: Type.Union([WorkInstructionRef, Type.Null()]),
});
export type RoutingOperation = Static<typeof RoutingOperation>;
export const RoutingOperationInput = Type.Object(
  {
    ...OperationFields,
    setupMinutes: Type.Optional(OperationFields.setupMinutes),
    runMinutesPerUnit: Type.Optional(OperationFields.runMinutesPerUnit),
    inspectionPoints: Type.Optional(OperationFields.inspectionPoints),
    workInstructionDocumentId: Type.Optional(OperationFields.workInstructionDocumentId),
    firstArticleRequired: Type.Optional(OperationFields.firstArticleRequired),
    lineClearanceRequired: Type.Optional(OperationFields.lineClearanceRequired),
    parallelWithPrevious: Type.Optional(OperationFields.parallelWithPrevious),
    parameters: Type.Optional(OperationFields.parameters),
  },
  { additionalProperties: false },
);
export type RoutingOperationInput = Static<typeof RoutingOperationInput>;

const ROUTING_COLUMNS = `SELECT o.id, o.sequence, o.name, o.work_center_id AS "workCenterId",
  trim_scale(o.setup_minutes)::text AS "setupMinutes", trim_scale(o.run_minutes_per_unit)::text AS "runMinutesPerUnit",
  o.inspection_points AS "inspectionPoints", o.work_instruction_document_id AS "workInstructionDocumentId",
  o.first_article_required AS "firstArticleRequired", o.line_clearance_required AS "lineClearanceRequired",
  o.parallel_with_previous AS "parallelWithPrevious",
  (SELECT coalesce(json_agg(json_build_object('name', p.name, 'unit', p.unit, 'lowerLimit', trim_scale(p.lower_limit)::text,
     'upperLimit', trim_scale(p.upper_limit)::text) ORDER BY p.position), '[]')
     FROM routing_operation_parameters p WHERE p.item_revision_id = o.item_revision_id AND p.sequence = o.sequence) AS parameters,
  w.code AS "workCenterCode", w.name AS "workCenterName"
  FROM routing_operations o JOIN work_centers w ON w.id = o.work_center_id`;

export async function getRouting(tx: Tx, itemRevisionId: string): Promise<RoutingOperation[]> {
  await getItemRevision(tx, itemRevisionId);
  const { rows } = await tx.query<Omit<RoutingOperation, 'workInstruction'>>(
    sql`${raw(ROUTING_COLUMNS)} WHERE o.item_revision_id = ${itemRevisionId} ORDER BY o.sequence`,
  );
  const documents = await documentsById(
    tx,
    rows.map((op) => op.workInstructionDocumentId),
  );
  return rows.map((op) => {
    const doc = op.workInstructionDocumentId ? documents.get(op.workInstructionDocumentId) : undefined;
    return { ...op, workInstruction: doc ? { number: doc.number, revision: doc.revision, title: doc.title, status: doc.status } : null };
  });
}

/** Replaces the routing of a draft revision; refused as a whole when any operation is wrong. */
export async function setRouting(
  tx: Tx,
  itemRevisionId: string,
  operations: RoutingOperationInput[],
  versions?: readonly number[],
): Promise<RoutingOperation[]> {
  await lockDraftRevision(tx, itemRevisionId, versions);
  await checkOperations(tx, operations);
  await tx.query(sql`DELETE FROM routing_operation_parameters WHERE item_revision_id = ${itemRevisionId}`);
  await tx.query(sql`DELETE FROM routing_operations WHERE item_revision_id = ${itemRevisionId}`);
  for (const op of operations) {
    await tx.query(sql`INSERT INTO routing_operations (item_revision_id, sequence, name, work_center_id, setup_minutes,
        run_minutes_per_unit, inspection_points, work_instruction_document_id, first_article_required, line_clearance_required,
        parallel_with_previous)
      VALUES (${itemRevisionId}, ${op.sequence}, ${op.name}, ${op.workCenterId}, ${op.setupMinutes ?? '0'}, ${op.runMinutesPerUnit ?? '0'},
        ${op.inspectionPoints ?? []}, ${op.workInstructionDocumentId ?? null}, ${op.firstArticleRequired ?? false},
        ${op.lineClearanceRequired ?? false}, ${op.parallelWithPrevious ?? false})`);
    for (const [i, p] of (op.parameters ?? []).entries()) {
      await tx.query(sql`INSERT INTO routing_operation_parameters (item_revision_id, sequence, position, name, unit, lower_limit, upper_limit)
        VALUES (${itemRevisionId}, ${op.sequence}, ${i + 1}, ${p.name.trim()}, ${p.unit.trim()}, ${p.lowerLimit}, ${p.upperLimit})`);
    }
  }
  return getRouting(tx, itemRevisionId);
}

async function checkOperations(tx: Tx, operations: RoutingOperationInput[]): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(
    sql`SELECT id FROM work_centers WHERE id = ANY (${[...new Set(operations.map((o) => o.workCenterId))]}::uuid[]) AND active`,
  );
  const workCenters = new Set(rows.map((r) => r.id));
  const instructions = await workInstructionKinds(tx, operations);
  const errors: FieldError[] = [];
  const seen = new Set<number>();
  const first = Math.min(...operations.map((o) => o.sequence));
  operations.forEach((op, i) => {
    const at = (field: string, message: string) => errors.push({ pointer: `/body/operations/${i}/${field}`, message });
    if (seen.has(op.sequence)) at('sequence', `operation ${op.sequence} appears twice`);
    seen.add(op.sequence);
    if (!workCenters.has(op.workCenterId)) at('workCenterId', 'unknown or inactive work center');
    const instruction = op.workInstructionDocumentId;
    if (instruction && instructions.get(instruction) !== 'work_instruction') {
      at('workInstructionDocumentId', instructions.has(instruction) ? 'is not a work instruction' : 'unknown document');
    }
    for (const field of ['setupMinutes', 'runMinutesPerUnit'] as const) {
      if (op[field]?.startsWith('-')) at(field, 'must not be negative');
    }
    if (op.sequence === first && op.parallelWithPrevious) at('parallelWithPrevious', 'the first operation has no previous operation');
    const names = new Set<string>();
    (op.parameters ?? []).forEach((p, j) => {
      const name = p.name.trim().toLowerCase();
      if (names.has(name)) at(`parameters/${j}/name`, `parameter ${p.name} appears twice`);
      names.add(name);
      if (p.lowerLimit === null && p.upperLimit === null) at(`parameters/${j}`, 'a parameter needs a lower or an upper limit');
      if (p.lowerLimit !== null && p.upperLimit !== null && dec(p.lowerLimit).gt(p.upperLimit)) {
        at(`parameters/${j}/upperLimit`, 'must not be below the lower limit');
      }
      for (const limit of ['lowerLimit', 'upperLimit'] as const) {
        const value = p[limit];
        if (value !== null && !isPlausibleMeasurement(value, p.unit)) {
          const { lower, upper } = measurementBounds(p.unit);
          at(`parameters/${j}/${limit}`, `cannot be a measurement in ${p.unit} (between ${lower} and ${upper})`);
        }
      }
    });
  });
  if (errors.length) {
    throw new ValidationFailed(
      `the routing has ${errors.length} error(s): ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`,
      errors,
      {
        code: 'error.masterdata.routing.invalid',
      },
    );
  }
}

/** The kind of each referenced document, read through the documents module (no cross-module key). */
async function workInstructionKinds(tx: Tx, operations: RoutingOperationInput[]): Promise<Map<string, string>> {
  const documents = await documentsById(
    tx,
    operations.map((o) => o.workInstructionDocumentId),
  );
  return new Map([...documents].map(([id, doc]) => [id, doc.kind]));
}

/** The referenced documents that exist, through the documents module's service. */
async function documentsById(tx: Tx, ids: ReadonlyArray<string | null | undefined>): Promise<Map<string, ControlledDocument>> {
  const documents = new Map<string, ControlledDocument>();
  for (const id of new Set(ids.filter((d): d is string => Boolean(d)))) {
    const doc = await getDocument(tx, id).catch((err: unknown) => {
      if (err instanceof NotFound) return undefined;
      throw err;
    });
    if (doc) documents.set(id, doc);
  }
  return documents;
}
