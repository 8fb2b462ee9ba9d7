import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

export const DEVIATION_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  deviation_id: namesFrom((ids) => sql`SELECT id, number AS code, title AS name FROM deviations WHERE id = ANY(${ids}::uuid[])`),
};
