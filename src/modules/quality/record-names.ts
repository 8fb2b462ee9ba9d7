import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

export const QUALITY_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  inspection_id: namesFrom((ids) => sql`SELECT id, number AS code, number AS name FROM inspections WHERE id = ANY(${ids}::uuid[])`),
};
