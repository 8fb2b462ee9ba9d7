import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

const documents = namesFrom((ids) => sql`SELECT id, number AS code, title AS name FROM documents WHERE id = ANY(${ids}::uuid[])`);

export const DOCUMENT_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  document_id: documents,
  evidence_document_id: documents,
  work_instruction_document_id: documents,
};
