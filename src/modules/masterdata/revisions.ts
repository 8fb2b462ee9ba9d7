import { type Static, Type } from 'typebox';
import { withChangeReason } from '../../platform/audit/index.js';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Conflict } from '../../platform/errors.js';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { defineSignable, manifestedSignatures } from '../../platform/esign/index.js';
import type { SignerVerifier, SigningCredentials } from '../../platform/esign/types.js';
import { publish } from '../../platform/events/index.js';
import { staleRecord } from '../../platform/http/etag.js';
import { uuidv7 } from '../../platform/ids.js';
import { defineMachine, takeTransition } from '../../platform/statemachine/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { found, Id } from './common.js';
import { MASTERDATA, MASTERDATA_EVENTS, REVISION_STATUSES, type RevisionStatus } from './contract.js';

/**
 * Controlled item revisions: draft → in_review → released → obsolete. The BOM and routing belong
 * to a revision and freeze with it; a released revision changes only through a new revision.
 */

/** The permission a signer must hold to release a revision (signature meaning `released`). */

/**
 * What the `released` signature covers: the revision's identity, description, BOM and routing.
 * The trigger in 0032 keeps them from changing after release, so the signature stays valid.
 */
export const itemRevisionSignable = defineSignable({
  entity: 'item_revisions',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT r.item_id, r.revision, r.description,
         (SELECT coalesce(json_agg(json_build_object('line', b.line_no, 'component', b.component_item_id,
            'quantity', trim_scale(b.quantity_per)::text, 'unit', b.unit, 'scrap', trim_scale(b.scrap_factor)::text,
            'designator', b.reference_designator, 'from', b.effective_from, 'to', b.effective_to) ORDER BY b.line_no), '[]')
            FROM bom_lines b WHERE b.item_revision_id = r.id) AS bom,
         (SELECT coalesce(json_agg(json_build_object('sequence', o.sequence, 'name', o.name, 'workCenter', o.work_center_id,
            'setup', trim_scale(o.setup_minutes)::text, 'run', trim_scale(o.run_minutes_per_unit)::text,
            'inspections', o.inspection_points, 'instruction', o.work_instruction_document_id)::jsonb
            -- added with process parameters: present only when set, so earlier signed content hashes as it did
            || jsonb_strip_nulls(jsonb_build_object('firstArticle', nullif(o.first_article_required, false),
                 'lineClearance', nullif(o.line_clearance_required, false), 'parallel', nullif(o.parallel_with_previous, false),
                 'parameters', (SELECT json_agg(json_build_object('name', p.name, 'unit', p.unit,
                    'lower', trim_scale(p.lower_limit)::text, 'upper', trim_scale(p.upper_limit)::text) ORDER BY p.position)
                    FROM routing_operation_parameters p WHERE p.item_revision_id = o.item_revision_id AND p.sequence = o.sequence)))
            ORDER BY o.sequence), '[]')
            FROM routing_operations o WHERE o.item_revision_id = r.id) AS routing
       FROM item_revisions r WHERE r.id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'released' ? MASTERDATA.signReleased : undefined),
});

/**
 * draft → in_review → released, back to draft from review, a draft withdrawn (obsolete, with a
 * reason). A released revision becomes obsolete only when the next one is released.
 */
export const revisionLifecycle = defineMachine<RevisionStatus, { id: string }>({
  entity: 'item_revisions',
  states: REVISION_STATUSES,
  transitions: [
    { name: 'submit for review', from: ['draft'], to: 'in_review', event: MASTERDATA_EVENTS.revisionSubmitted },
    { name: 'return to draft', from: ['in_review'], to: 'draft', event: MASTERDATA_EVENTS.revisionReturned },
    { name: 'release', from: ['in_review'], to: 'released', signature: { meaning: 'released' }, event: MASTERDATA_EVENTS.revisionReleased },
    { name: 'withdraw', from: ['draft'], to: 'obsolete', reasonRequired: true, event: MASTERDATA_EVENTS.revisionWithdrawn },
  ],
});

export const ItemRevision = Type.Object({
  id: Id,
  itemId: Id,
  revision: Type.String({ description: 'A, B, C … (ASME Y14.35 letters)' }),
  status: Type.Enum(REVISION_STATUSES),
  description: Type.String({ maxLength: 2000 }),
  releasedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  releasedBy: Type.Union([Type.String(), Type.Null()], { description: 'printed name of the signer who released it' }),
  obsoletedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  version: Type.Integer({ description: 'sent as the ETag; changes with the description, BOM or routing' }),
});
export type ItemRevision = Static<typeof ItemRevision>;
export const ItemRevisionDetail = Type.Object({
  ...ItemRevision.properties,
  signatures: Type.Array(SignatureSchema),
  allowedTransitions: Type.Array(Type.Enum(REVISION_STATUSES)),
});
export type ItemRevisionDetail = Static<typeof ItemRevisionDetail>;

const REVISION_COLUMNS = `SELECT id, item_id AS "itemId", revision, status, description, released_at AS "releasedAt",
  (SELECT s.signer_name FROM esignatures s WHERE s.entity = 'item_revisions' AND s.record_id = item_revisions.id::text
     AND s.meaning = 'released' ORDER BY s.signed_at DESC LIMIT 1) AS "releasedBy",
  obsoleted_at AS "obsoletedAt", version FROM item_revisions`;

/** Revision letters per ASME Y14.35: I, O, Q, S, X and Z are skipped; after Y comes AA. */
const LETTERS = 'ABCDEFGHJKLMNPRTUVWY';

export function nextRevisionLetter(previous: string | undefined): string {
  if (!previous) return 'A';
  const digits = [...previous].map((c) => LETTERS.indexOf(c));
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < LETTERS.length - 1) {
      digits[i]!++;
      return digits.map((d) => LETTERS[d]).join('');
    }
    digits[i] = 0;
  }
  return LETTERS[0] + digits.map((d) => LETTERS[d]).join('');
}

export async function getItemRevision(tx: Tx, id: string): Promise<ItemRevision> {
  const { rows } = await tx.query<ItemRevision>(sql`${raw(REVISION_COLUMNS)} WHERE id = ${id}`);
  return found(rows[0], 'item revision', id, 'error.masterdata.revision.notFound');
}

/** A revision as shown: its signatures with validity and manifestation (Part 11 §11.50), and the next steps. */
export async function itemRevisionDetail(tx: Tx, id: string): Promise<ItemRevisionDetail> {
  const revision = await getItemRevision(tx, id);
  const signatures = await manifestedSignatures(tx, itemRevisionSignable.entity, id);
  return { ...revision, signatures, allowedTransitions: revisionLifecycle.allowedFrom(revision.status) };
}

export async function listItemRevisions(tx: Tx, itemId: string): Promise<ItemRevision[]> {
  return (await tx.query<ItemRevision>(sql`${raw(REVISION_COLUMNS)} WHERE item_id = ${itemId} ORDER BY created_at, id`)).rows;
}

/** The revision in force for new work: the released one, if any. */
export async function getReleasedRevision(tx: Tx, itemId: string): Promise<ItemRevision | undefined> {
  const { rows } = await tx.query<ItemRevision>(sql`${raw(REVISION_COLUMNS)} WHERE item_id = ${itemId} AND status = 'released'`);
  return rows[0];
}

/** Revision A of a new item, as an empty draft. */
export async function createFirstRevision(tx: Tx, itemId: string): Promise<ItemRevision> {
  const id = uuidv7();
  await tx.query(sql`INSERT INTO item_revisions (id, item_id, revision) VALUES (${id}, ${itemId}, 'A')`);
  return getItemRevision(tx, id);
}

/**
 * Starts the next revision as a draft holding a copy of the current BOM and routing (of the
 * released revision, else of the latest one), so a change is made by editing the copy.
 */
export async function createNextRevision(tx: Tx, itemId: string, description: string): Promise<ItemRevision> {
  const revisions = await listItemRevisions(tx, itemId);
  if (revisions.length === 0) found(undefined, 'item', itemId, 'error.masterdata.item.notFound');
  const inWork = revisions.find((r) => r.status === 'draft' || r.status === 'in_review');
  if (inWork) {
    throw new Conflict(`revision ${inWork.revision} is still ${inWork.status}; finish or withdraw it first`, {
      code: 'error.masterdata.revision.inWork',
      params: { revision: inWork.revision, status: inWork.status },
    });
  }
  const source = revisions.find((r) => r.status === 'released') ?? revisions.at(-1)!;
  const latest = revisions
    .map((r) => r.revision)
    .sort((a, b) => a.length - b.length || a.localeCompare(b))
    .at(-1);
  const id = uuidv7();
  await tx.query(sql`INSERT INTO item_revisions (id, item_id, revision, description)
    VALUES (${id}, ${itemId}, ${nextRevisionLetter(latest)}, ${description})`);
  await tx.query(sql`INSERT INTO bom_lines (item_revision_id, line_no, component_item_id, quantity_per, unit, scrap_factor,
      reference_designator, effective_from, effective_to)
    SELECT ${id}, line_no, component_item_id, quantity_per, unit, scrap_factor, reference_designator, effective_from, effective_to
      FROM bom_lines WHERE item_revision_id = ${source.id}`);
  await tx.query(sql`INSERT INTO routing_operations (item_revision_id, sequence, name, work_center_id, setup_minutes,
      run_minutes_per_unit, inspection_points, work_instruction_document_id, first_article_required, line_clearance_required,
      parallel_with_previous)
    SELECT ${id}, sequence, name, work_center_id, setup_minutes, run_minutes_per_unit, inspection_points, work_instruction_document_id,
      first_article_required, line_clearance_required, parallel_with_previous
      FROM routing_operations WHERE item_revision_id = ${source.id}`);
  await tx.query(sql`INSERT INTO routing_operation_parameters (item_revision_id, sequence, position, name, unit, lower_limit, upper_limit)
    SELECT ${id}, sequence, position, name, unit, lower_limit, upper_limit
      FROM routing_operation_parameters WHERE item_revision_id = ${source.id}`);
  return getItemRevision(tx, id);
}

/** A revision, locked for the change the caller is about to make. */
async function lockRevision(tx: Tx, id: string): Promise<ItemRevision> {
  const { rows } = await tx.query<ItemRevision>(sql`${raw(REVISION_COLUMNS)} WHERE id = ${id} FOR UPDATE`);
  return found(rows[0], 'item revision', id, 'error.masterdata.revision.notFound');
}

/**
 * Locks a draft revision for a change of its content (description, BOM, routing) and counts the
 * change in its version; with `versions` (from If-Match) only if nobody changed it meanwhile.
 */
export async function lockDraftRevision(tx: Tx, id: string, versions?: readonly number[]): Promise<ItemRevision> {
  const revision = await lockRevision(tx, id);
  if (versions && !versions.includes(revision.version)) throw staleRecord(`revision ${revision.revision}`);
  if (revision.status !== 'draft') {
    throw new Conflict(`revision ${revision.revision} is ${revision.status} and read-only; make a new revision to change it`, {
      code: 'error.masterdata.revision.readOnly',
      params: { revision: revision.revision, status: revision.status },
    });
  }
  await tx.query(sql`UPDATE item_revisions SET version = version + 1, updated_at = now() WHERE id = ${id}`);
  return revision;
}

export async function updateRevisionDescription(
  tx: Tx,
  id: string,
  description: string,
  versions?: readonly number[],
): Promise<ItemRevision> {
  await lockDraftRevision(tx, id, versions);
  await tx.query(sql`UPDATE item_revisions SET description = ${description} WHERE id = ${id}`);
  return getItemRevision(tx, id);
}

export interface RevisionTransition {
  to: RevisionStatus;
  /** The signer's credentials, for the step that needs a signature (release). */
  credentials?: SigningCredentials | undefined;
  comment?: string | undefined;
}

/**
 * Moves a revision one step along its lifecycle [P11.10f]. Releasing takes the `released`
 * e-signature and makes the previously released revision obsolete in the same transaction;
 * each step publishes its event through the outbox.
 */
export async function transitionRevision(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: RevisionTransition,
): Promise<ItemRevision> {
  const revision = await lockRevision(tx, id);
  const result = await takeTransition(tx, ctx, verifier, revisionLifecycle, {
    id,
    record: { id },
    from: revision.status,
    to: input.to,
    label: `item revision ${revision.revision}`,
    credentials: input.credentials,
    comment: input.comment,
    apply: async (tx, to) => {
      if (to === 'released') await supersedeReleased(tx, revision);
      await tx.query(sql`UPDATE item_revisions SET status = ${to}, version = version + 1, updated_at = now(),
          released_at = CASE WHEN ${to} = 'released' THEN now() ELSE released_at END,
          obsoleted_at = CASE WHEN ${to} = 'obsolete' THEN now() END
        WHERE id = ${id}`);
    },
  });
  await publish(tx, result.event.def, {
    aggregateId: revision.itemId,
    data: { itemRevisionId: id, revision: revision.revision, ...result.event.data },
  });
  return getItemRevision(tx, id);
}

/** The released revision this one replaces becomes obsolete, with the reason recorded in the audit trail. */
async function supersedeReleased(tx: Tx, next: ItemRevision): Promise<void> {
  const previous = await getReleasedRevision(tx, next.itemId);
  if (!previous) return;
  await withChangeReason(tx, `superseded by revision ${next.revision}`, () =>
    tx.query(sql`UPDATE item_revisions SET status = 'obsolete', obsoleted_at = now(), version = version + 1, updated_at = now()
      WHERE id = ${previous.id}`),
  );
  await publish(tx, MASTERDATA_EVENTS.revisionObsoleted, {
    aggregateId: next.itemId,
    data: { itemRevisionId: previous.id, revision: previous.revision, supersededBy: next.id },
  });
}
