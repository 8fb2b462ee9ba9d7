import { type Static, Type } from 'typebox';
import { sql, type Tx } from '../../platform/db/index.js';
import { DecimalString } from '../../platform/decimal.js';
import { type FieldError, ValidationFailed } from '../../platform/errors.js';
import { Id } from './common.js';
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
};
export const RoutingOperation = Type.Object({ id: Id, ...OperationFields });
export type RoutingOperation = Static<typeof RoutingOperation>;
export const RoutingOperationInput = Type.Object(
  {
    ...OperationFields,
    setupMinutes: Type.Optional(OperationFields.setupMinutes),
    runMinutesPerUnit: Type.Optional(OperationFields.runMinutesPerUnit),
    inspectionPoints: Type.Optional(OperationFields.inspectionPoints),
    workInstructionDocumentId: Type.Optional(OperationFields.workInstructionDocumentId),
  },
  { additionalProperties: false },
);
export type RoutingOperationInput = Static<typeof RoutingOperationInput>;

const ROUTING_COLUMNS = `SELECT id, sequence, name, work_center_id AS "workCenterId", trim_scale(setup_minutes)::text AS "setupMinutes",
  trim_scale(run_minutes_per_unit)::text AS "runMinutesPerUnit", inspection_points AS "inspectionPoints",
  work_instruction_document_id AS "workInstructionDocumentId" FROM routing_operations`;

export async function getRouting(tx: Tx, itemRevisionId: string): Promise<RoutingOperation[]> {
  await getItemRevision(tx, itemRevisionId);
  return (await tx.query<RoutingOperation>(`${ROUTING_COLUMNS} WHERE item_revision_id = $1 ORDER BY sequence`, [itemRevisionId])).rows;
}

/** Replaces the routing of a draft revision; refused as a whole when any operation is wrong. */
export async function setRouting(tx: Tx, itemRevisionId: string, operations: RoutingOperationInput[]): Promise<RoutingOperation[]> {
  await lockDraftRevision(tx, itemRevisionId);
  await checkOperations(tx, operations);
  await tx.query(sql`DELETE FROM routing_operations WHERE item_revision_id = ${itemRevisionId}`);
  for (const op of operations) {
    await tx.query(sql`INSERT INTO routing_operations (item_revision_id, sequence, name, work_center_id, setup_minutes,
        run_minutes_per_unit, inspection_points, work_instruction_document_id)
      VALUES (${itemRevisionId}, ${op.sequence}, ${op.name}, ${op.workCenterId}, ${op.setupMinutes ?? '0'}, ${op.runMinutesPerUnit ?? '0'},
        ${op.inspectionPoints ?? []}, ${op.workInstructionDocumentId ?? null})`);
  }
  return getRouting(tx, itemRevisionId);
}

async function checkOperations(tx: Tx, operations: RoutingOperationInput[]): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(
    sql`SELECT id FROM work_centers WHERE id = ANY (${[...new Set(operations.map((o) => o.workCenterId))]}::uuid[]) AND active`,
  );
  const workCenters = new Set(rows.map((r) => r.id));
  const errors: FieldError[] = [];
  const seen = new Set<number>();
  operations.forEach((op, i) => {
    const at = (field: string, message: string) => errors.push({ pointer: `/body/operations/${i}/${field}`, message });
    if (seen.has(op.sequence)) at('sequence', `operation ${op.sequence} appears twice`);
    seen.add(op.sequence);
    if (!workCenters.has(op.workCenterId)) at('workCenterId', 'unknown or inactive work center');
    for (const field of ['setupMinutes', 'runMinutesPerUnit'] as const) {
      if (op[field]?.startsWith('-')) at(field, 'must not be negative');
    }
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
