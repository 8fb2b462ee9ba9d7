import { sql } from '../../platform/db/index.js';
import { defineSignable } from '../../platform/esign/index.js';
import { TRAINING_PERMISSIONS } from './contract.js';

/**
 * What a training signature covers: the person, the document version, how and with what result.
 * Read-and-understood is signed `reviewed` by the person; an assessment `verified` by the trainer.
 */
export const trainingRecordSignable = defineSignable({
  entity: 'training_records',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT user_id, user_name, document_id, document_number, revision, method, result, trainer_id, trainer_name, comment
            FROM training_records WHERE id = ${id}`,
    );
    return rows[0];
  },
  permissionFor(meaning) {
    if (meaning === 'reviewed') return TRAINING_PERMISSIONS.signTrained;
    if (meaning === 'verified') return TRAINING_PERMISSIONS.signAssessed;
    return undefined;
  },
});
