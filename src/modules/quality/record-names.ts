import type { RecordNames } from '../../platform/module.js';

export const QUALITY_RECORD_NAMES: Readonly<Record<string, RecordNames>> = {
  inspection_id: async (tx, ids) =>
    (
      await tx.query<{ id: string; code: string; name: string }>(
        'SELECT id, number AS code, number AS name FROM inspections WHERE id = ANY($1::uuid[])',
        [ids],
      )
    ).rows,
};
