import { withChangeReason } from '../../platform/audit/reason.js';
import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { defineSignable, listSignatures, type ManifestedSignature, sign, withManifestations } from '../../platform/esign/index.js';
import type { SignerVerifier, SigningCredentials } from '../../platform/esign/types.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { getItem, getSupplier } from '../masterdata/index.js';
import { QUALITY_EVENTS, QUALITY_PERMISSIONS, type SamplingDecision, type SWITCHING_SEVERITIES } from './contract.js';
import { resumeAfterCorrectiveAction, type SamplingState, START_OF_INSPECTION, withdrawReduced } from './sampling.js';

/**
 * The ISO 2859-1 switching state per item and supplier (clause 9), and the decisions of the
 * responsible authority it depends on: consent to reduced inspection (9.3.3 c, withdrawn under
 * 9.3.4 c) and resuming a discontinued inspection on tightened (9.4). Owns `sampling_states`
 * and `sampling_decisions`; a decision is an append-only record signed `approved`.
 */

/** The switching state in force, with the authority's consent to reduced inspection. */
export interface SwitchingState extends SamplingState {
  reducedPermitted: boolean;
}

export interface SwitchingRecord extends SwitchingState {
  id: string;
  itemId: string;
  supplierId: string;
  updatedAt: string;
}

/** What a decision's signature covers: the decision as recorded, which never changes. */
export const samplingDecisionSignable = defineSignable({
  entity: 'sampling_decisions',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT item_id AS "itemId", supplier_id AS "supplierId", decision, reason, severity_before AS "severityBefore",
                 severity_after AS "severityAfter" FROM sampling_decisions WHERE id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'approved' ? QUALITY_PERMISSIONS.signApproved : undefined),
});

const STATE_COLUMNS = sql`id, item_id AS "itemId", supplier_id AS "supplierId", severity, recent_lots AS "recentLots",
  switching_score AS "switchingScore", not_accepted_on_tightened AS "notAcceptedOnTightened",
  reduced_permitted AS "reducedPermitted", updated_at AS "updatedAt"`;

/** The state for the next lot, locked for the inspection or decision that will change it. */
export async function samplingState(tx: Tx, itemId: string, supplierId: string): Promise<SwitchingState> {
  const { rows } = await tx.query<SwitchingRecord>(
    sql`SELECT ${STATE_COLUMNS} FROM sampling_states WHERE item_id = ${itemId} AND supplier_id = ${supplierId} FOR UPDATE`,
  );
  return rows[0] ?? { ...START_OF_INSPECTION, reducedPermitted: false };
}

/** Stores the state after a lot's result or a decision. */
export async function saveSamplingState(tx: Tx, itemId: string, supplierId: string, state: SwitchingState): Promise<void> {
  await tx.query(sql`INSERT INTO sampling_states (item_id, supplier_id, severity, recent_lots, switching_score, not_accepted_on_tightened,
      reduced_permitted)
    VALUES (${itemId}, ${supplierId}, ${state.severity},
            ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(state.recentLots)}::jsonb)::boolean),
            ${state.switchingScore}, ${state.notAcceptedOnTightened}, ${state.reducedPermitted})
    ON CONFLICT (tenant_id, item_id, supplier_id) DO UPDATE SET severity = excluded.severity, recent_lots = excluded.recent_lots,
      switching_score = excluded.switching_score, not_accepted_on_tightened = excluded.not_accepted_on_tightened,
      reduced_permitted = excluded.reduced_permitted,
      updated_at = now()`);
}

export async function getSwitchingRecord(tx: Tx, itemId: string, supplierId: string): Promise<SwitchingRecord> {
  const { rows } = await tx.query<SwitchingRecord>(
    sql`SELECT ${STATE_COLUMNS} FROM sampling_states WHERE item_id = ${itemId} AND supplier_id = ${supplierId}`,
  );
  if (!rows[0]) {
    throw new NotFound('no lot of this item from this supplier has been inspected and no decision taken', {
      code: 'error.quality.sampling.notFound',
    });
  }
  return rows[0];
}

export async function listSwitchingRecords(
  tx: Tx,
  filter: { itemId?: string | undefined; supplierId?: string | undefined; severity?: (typeof SWITCHING_SEVERITIES)[number] | undefined },
): Promise<SwitchingRecord[]> {
  const { rows } = await tx.query<SwitchingRecord>(
    sql`SELECT ${STATE_COLUMNS} FROM sampling_states
         WHERE (${filter.itemId ?? null}::uuid IS NULL OR item_id = ${filter.itemId ?? null})
           AND (${filter.supplierId ?? null}::uuid IS NULL OR supplier_id = ${filter.supplierId ?? null})
           AND (${filter.severity ?? null}::text IS NULL OR severity = ${filter.severity ?? null})
         ORDER BY updated_at DESC, id LIMIT 500`,
  );
  return rows;
}

/** Every decision's signature for the item and supplier, oldest first, with its manifestation. */
export async function switchingSignatures(tx: Tx, itemId: string, supplierId: string): Promise<ManifestedSignature[]> {
  const { rows } = await tx.query<{ id: string }>(
    sql`SELECT id FROM sampling_decisions WHERE item_id = ${itemId} AND supplier_id = ${supplierId} ORDER BY decided_at, id`,
  );
  const signatures = [];
  for (const { id } of rows) signatures.push(...(await listSignatures(tx, 'sampling_decisions', id)));
  return withManifestations(tx, signatures);
}

/**
 * A decision of the responsible authority, signed (meaning approved) with the reason the trail
 * keeps: consent to reduced inspection takes effect at the next lot once the switching score
 * reaches 30 (9.3.3); withdrawing it ends an active reduced inspection (9.3.4); resuming after
 * the supplier's corrective action restarts on tightened (9.4).
 */
export async function decideSampling(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  itemId: string,
  supplierId: string,
  input: { decision: SamplingDecision; reason: string; credentials: SigningCredentials },
) {
  await getItem(tx, itemId);
  await getSupplier(tx, supplierId);
  const before = await samplingState(tx, itemId, supplierId);
  const after = decided(before, input.decision);
  const reason = input.reason.trim();
  const id = uuidv7();
  await withChangeReason(tx, `${input.decision}: ${reason}`, async () => {
    await saveSamplingState(tx, itemId, supplierId, after);
    await tx.query(sql`INSERT INTO sampling_decisions (id, item_id, supplier_id, decision, reason, severity_before, severity_after)
      VALUES (${id}, ${itemId}, ${supplierId}, ${input.decision}, ${reason}, ${before.severity}, ${after.severity})`);
  });
  const signature = await sign(tx, ctx, verifier, {
    entity: 'sampling_decisions',
    id,
    meaning: 'approved',
    credentials: input.credentials,
    comment: reason,
  });
  await publish(tx, QUALITY_EVENTS.samplingDecided, {
    aggregateId: `${itemId}/${supplierId}`,
    data: {
      decisionId: id,
      itemId,
      supplierId,
      decision: input.decision,
      from: before.severity,
      to: after.severity,
      reducedPermitted: after.reducedPermitted,
      signatureId: signature.id,
    },
  });
  const [manifested] = await withManifestations(tx, [signature]);
  return { ...(await getSwitchingRecord(tx, itemId, supplierId)), signature: manifested! };
}

function decided(state: SwitchingState, decision: SamplingDecision): SwitchingState {
  switch (decision) {
    case 'permitReduced':
      if (state.reducedPermitted) {
        throw new Conflict('reduced inspection is already permitted for this item from this supplier', {
          code: 'error.sampling.alreadyPermitted',
        });
      }
      if (state.severity === 'discontinued') {
        throw new Conflict('sampling inspection is discontinued: resume it on tightened first', { code: 'error.sampling.discontinued' });
      }
      return { ...state, reducedPermitted: true };
    case 'withdrawReduced':
      if (!state.reducedPermitted) {
        throw new Conflict('reduced inspection is not permitted for this item from this supplier', { code: 'error.sampling.notPermitted' });
      }
      return { ...withdrawReduced(state), reducedPermitted: false };
    case 'resume':
      return { ...resumeAfterCorrectiveAction(state), reducedPermitted: state.reducedPermitted };
  }
}
