import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

export const PRODUCTION_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  work_order_id: namesFrom((ids) => sql`SELECT id, number AS code, number AS name FROM work_orders WHERE id = ANY(${ids}::uuid[])`),
};
