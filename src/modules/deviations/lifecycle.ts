import { sql } from '../../platform/db/index.js';
import { defineSignable } from '../../platform/esign/index.js';
import { defineMachine } from '../../platform/statemachine/index.js';
import { DEVIATION_EVENTS, DEVIATION_PERMISSIONS, DEVIATION_STATUSES, type DeviationStatus } from './contract.js';

/** What a signature on a deviation covers: the permission it grants and its bounds, not its use. */
export const deviationSignable = defineSignable({
  entity: 'deviations',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT number, title, reason, description, risk_assessment, item_id, item_revision_id, supplier_id, lots,
                 max_quantity::text AS max_quantity, unit, valid_from::text AS valid_from, valid_until::text AS valid_until
            FROM deviations WHERE id = ${id}`,
    );
    return rows[0];
  },
  permissionFor(meaning) {
    if (meaning === 'approved') return DEVIATION_PERMISSIONS.signApproved;
    if (meaning === 'verified') return DEVIATION_PERMISSIONS.signClosed;
    return undefined;
  },
});

export interface DeviationRecord {
  id: string;
  authorId: string;
}

/** Only an approved deviation permits anything; a draft is being written, the rest are over. */
export const isOpen = (status: DeviationStatus): boolean => status === 'approved';

/**
 * draft → approved (signed `approved`, not by the author) → closed (signed `verified`, with a
 * reason) or expired (past its last valid day, by the expiry job); a draft may be cancelled.
 */
export const deviationLifecycle = defineMachine<DeviationStatus, DeviationRecord>({
  entity: 'deviations',
  states: DEVIATION_STATUSES,
  transitions: [
    {
      name: 'approve',
      from: ['draft'],
      to: 'approved',
      signature: { meaning: 'approved', duties: [{ rule: 'notAuthor', persons: (d) => [d.authorId] }] },
      event: DEVIATION_EVENTS.approved,
    },
    { name: 'cancel', from: ['draft'], to: 'cancelled', reasonRequired: true, event: DEVIATION_EVENTS.cancelled },
    {
      name: 'close',
      from: ['approved'],
      to: 'closed',
      reasonRequired: true,
      signature: { meaning: 'verified' },
      event: DEVIATION_EVENTS.closed,
    },
    { name: 'expire', from: ['approved'], to: 'expired', event: DEVIATION_EVENTS.expired },
  ],
});
