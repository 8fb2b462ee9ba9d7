import { namesFrom, type RecordNames } from '../../platform/module.js';

/** People are named by login and printed name wherever a record says who. */
const people = namesFrom('SELECT id, login AS code, full_name AS name FROM users WHERE id = ANY($1::uuid[])');

export const IDENTITY_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  user_id: people,
  author_id: people,
  signer_id: people,
  recorded_by_id: people,
  created_by_id: people,
  content_editor_id: people,
  decided_by: people,
  requested_by: people,
  role_id: namesFrom('SELECT id, name AS code, name FROM roles WHERE id = ANY($1::uuid[])'),
};
