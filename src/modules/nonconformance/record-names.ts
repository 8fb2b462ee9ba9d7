import { sql } from '../../platform/db/index.js';
import { namesFrom, type RecordNames } from '../../platform/module.js';

/** An NCR is named by its number: inventory's movement views label `nonconformance` ledger rows by it. */
export const NONCONFORMANCE_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  nonconformance_id: namesFrom((ids) => sql`SELECT id, number AS code, number AS name FROM nonconformances WHERE id = ANY(${ids}::uuid[])`),
  defect_code_id: namesFrom((ids) => sql`SELECT id, code, name FROM ncr_defect_codes WHERE id = ANY(${ids}::uuid[])`),
};
