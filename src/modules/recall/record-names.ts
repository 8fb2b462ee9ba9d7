import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

export const RECALL_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  recall_id: namesFrom((ids) => sql`SELECT id, number AS code, title AS name FROM recalls WHERE id = ANY(${ids}::uuid[])`),
};
