import { sql } from '../../platform/db/index.js';
import { defineSignable } from '../../platform/esign/index.js';
import { defineMachine } from '../../platform/statemachine/index.js';
import { RECALL_EVENTS, RECALL_PERMISSIONS, RECALL_STATUSES, type RecallStatus } from './contract.js';

/**
 * What a signature on a recall covers: the question, its answer as taken (every affected lot with
 * its status and stock, every shipment reached) and the classification. Notices and their
 * acknowledgements are recorded afterwards and do not change what was signed.
 */
export const recallSignable = defineSignable({
  entity: 'recalls',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(sql`SELECT r.number, r.title, r.reason, r.start_kind, r.start,
        r.china_level, r.fda_class, r.health_hazard, r.snapshot_at, r.truncated,
        (SELECT coalesce(json_agg(json_build_object('lot', l.lot_id, 'status', l.status, 'on_hand', l.on_hand::text, 'shipped', l.shipped::text)
                         ORDER BY l.lot_id), '[]') FROM recall_lots l WHERE l.recall_id = r.id) AS lots,
        (SELECT coalesce(json_agg(json_build_object('record', s.sales_record_id, 'customer', s.customer_id, 'quantity', s.quantity::text)
                         ORDER BY s.sales_record_id), '[]') FROM recall_shipments s WHERE s.recall_id = r.id) AS shipments
      FROM recalls r WHERE r.id = ${id}`);
    return rows[0];
  },
  permissionFor(meaning) {
    if (meaning === 'approved') return RECALL_PERMISSIONS.signApproved;
    if (meaning === 'verified') return RECALL_PERMISSIONS.signVerified;
    return undefined;
  },
});

export interface RecallRecord {
  id: string;
  authorId: string;
}

/**
 * draft → initiated (signed `approved`, not by its author: the decision to recall) → closed (signed
 * `verified`, with the effectiveness check as its reason); a draft — a recall simulation that is not
 * pursued — may be cancelled with a reason.
 */
export const recallLifecycle = defineMachine<RecallStatus, RecallRecord>({
  entity: 'recalls',
  states: RECALL_STATUSES,
  transitions: [
    {
      name: 'initiate',
      from: ['draft'],
      to: 'initiated',
      reasonRequired: true,
      signature: { meaning: 'approved', duties: [{ rule: 'notAuthor', persons: (r) => [r.authorId] }] },
      event: RECALL_EVENTS.initiated,
    },
    {
      name: 'close',
      from: ['initiated'],
      to: 'closed',
      reasonRequired: true,
      signature: { meaning: 'verified', duties: [{ rule: 'notAuthor', persons: (r) => [r.authorId] }] },
      event: RECALL_EVENTS.closed,
    },
    { name: 'cancel', from: ['draft'], to: 'cancelled', reasonRequired: true, event: RECALL_EVENTS.cancelled },
  ],
});
