import type { RecordNames } from '../../platform/module.js';

const documents: RecordNames = async (tx, ids) =>
  (
    await tx.query<{ id: string; code: string; name: string }>(
      'SELECT id, number AS code, title AS name FROM documents WHERE id = ANY($1::uuid[])',
      [ids],
    )
  ).rows;

export const DOCUMENT_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  document_id: documents,
  evidence_document_id: documents,
  work_instruction_document_id: documents,
};
