import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

/** People are named by login and printed name wherever a record says who. */
const people = namesFrom((ids) => sql`SELECT id, login AS code, full_name AS name FROM users WHERE id = ANY(${ids}::uuid[])`);

export const IDENTITY_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  user_id: people,
  author_id: people,
  signer_id: people,
  recorded_by_id: people,
  created_by_id: people,
  content_editor_id: people,
  decided_by: people,
  requested_by: people,
  device_id: namesFrom((ids) => sql`SELECT id, code, name FROM devices WHERE id = ANY(${ids}::uuid[])`),
  role_id: namesFrom((ids) => sql`SELECT id, name AS code, name FROM roles WHERE id = ANY(${ids}::uuid[])`),
};
