import { type Static, Type } from 'typebox';
import { sql, type Tx } from '../../platform/db/index.js';
import { Conflict, Forbidden } from '../../platform/errors.js';
import type { SignerVerifier, SigningCredentials } from '../../platform/esign/types.js';
import { uuidv7 } from '../../platform/ids.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { found, Id, ts } from './common.js';

/**
 * Controlled item revisions: draft → in_review → released → obsolete. The BOM and routing belong
 * to a revision and freeze with it; a released revision changes only through a new revision.
 */

export const REVISION_STATUSES = ['draft', 'in_review', 'released', 'obsolete'] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];

export const REVISION_ACTIONS = ['submit', 'return', 'release', 'withdraw'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** The permission a signer must hold to release a revision (signature meaning `released`). */
export const SIGN_RELEASED = 'masterdata:sign.released';

const TRANSITIONS: Record<RevisionAction, { from: readonly RevisionStatus[]; to: RevisionStatus }> = {
  submit: { from: ['draft'], to: 'in_review' },
  return: { from: ['in_review'], to: 'draft' },
  release: { from: ['in_review'], to: 'released' },
  withdraw: { from: ['draft'], to: 'obsolete' },
};

export const ItemRevision = Type.Object({
  id: Id,
  itemId: Id,
  revision: Type.String({ description: 'A, B, C … (ASME Y14.35 letters)' }),
  status: Type.Enum(REVISION_STATUSES),
  description: Type.String({ maxLength: 2000 }),
  releasedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  releasedBy: Type.Union([Type.String(), Type.Null()], { description: 'printed name of the signer who released it' }),
  obsoletedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ItemRevision = Static<typeof ItemRevision>;

const REVISION_COLUMNS = `SELECT id, item_id AS "itemId", revision, status, description, ${ts('released_at')} AS "releasedAt",
  released_by AS "releasedBy", ${ts('obsoleted_at')} AS "obsoletedAt" FROM item_revisions`;

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
  const { rows } = await tx.query<ItemRevision>(`${REVISION_COLUMNS} WHERE id = $1`, [id]);
  return found(rows[0], 'item revision', id, 'error.masterdata.revision.notFound');
}

export async function listItemRevisions(tx: Tx, itemId: string): Promise<ItemRevision[]> {
  return (await tx.query<ItemRevision>(`${REVISION_COLUMNS} WHERE item_id = $1 ORDER BY created_at, id`, [itemId])).rows;
}

/** The revision in force for new work: the released one, if any. */
export async function getReleasedRevision(tx: Tx, itemId: string): Promise<ItemRevision | undefined> {
  const { rows } = await tx.query<ItemRevision>(`${REVISION_COLUMNS} WHERE item_id = $1 AND status = 'released'`, [itemId]);
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
      run_minutes_per_unit, inspection_points, work_instruction_document_id)
    SELECT ${id}, sequence, name, work_center_id, setup_minutes, run_minutes_per_unit, inspection_points, work_instruction_document_id
      FROM routing_operations WHERE item_revision_id = ${source.id}`);
  return getItemRevision(tx, id);
}

/** Locks a draft revision for a change of its content (description, BOM, routing). */
export async function lockDraftRevision(tx: Tx, id: string): Promise<ItemRevision> {
  const { rows } = await tx.query<ItemRevision>(`${REVISION_COLUMNS} WHERE id = $1 FOR UPDATE`, [id]);
  const revision = found(rows[0], 'item revision', id, 'error.masterdata.revision.notFound');
  if (revision.status !== 'draft') {
    throw new Conflict(`revision ${revision.revision} is ${revision.status} and read-only; make a new revision to change it`, {
      code: 'error.masterdata.revision.readOnly',
      params: { revision: revision.revision, status: revision.status },
    });
  }
  return revision;
}

export async function updateRevisionDescription(tx: Tx, id: string, description: string): Promise<ItemRevision> {
  await lockDraftRevision(tx, id);
  await tx.query(sql`UPDATE item_revisions SET description = ${description}, updated_at = now() WHERE id = ${id}`);
  return getItemRevision(tx, id);
}

export interface RevisionSigning {
  verifier: SignerVerifier | null;
  credentials: SigningCredentials | undefined;
}

/**
 * Moves a revision along its lifecycle [P11.10f]. Releasing needs the `released` e-signature and
 * makes the previously released revision obsolete in the same transaction.
 */
export async function transitionRevision(
  tx: Tx,
  ctx: TenantContext,
  id: string,
  action: RevisionAction,
  signing?: RevisionSigning,
): Promise<ItemRevision> {
  const { rows } = await tx.query<ItemRevision>(`${REVISION_COLUMNS} WHERE id = $1 FOR UPDATE`, [id]);
  const revision = found(rows[0], 'item revision', id, 'error.masterdata.revision.notFound');
  const to = allowedTarget(revision, action);
  if (to === 'released') {
    const signer = await signRelease(tx, ctx, signing);
    await tx.query(sql`UPDATE item_revisions SET status = 'obsolete', obsoleted_at = now(), updated_at = now()
      WHERE item_id = ${revision.itemId} AND status = 'released'`);
    await tx.query(sql`UPDATE item_revisions SET status = 'released', released_at = now(), released_by = ${signer}, updated_at = now()
      WHERE id = ${id}`);
  } else {
    await tx.query(sql`UPDATE item_revisions SET status = ${to}, updated_at = now(),
      obsoleted_at = CASE WHEN ${to} = 'obsolete' THEN now() END WHERE id = ${id}`);
  }
  return getItemRevision(tx, id);
}

function allowedTarget(revision: ItemRevision, action: RevisionAction): RevisionStatus {
  const t = TRANSITIONS[action];
  if (t.from.includes(revision.status)) return t.to;
  const allowed = REVISION_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(revision.status));
  throw new Conflict(
    `revision ${revision.revision} is ${revision.status}: cannot ${action}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
    {
      code: 'error.state.illegalTransition',
      params: { state: revision.status, action, allowed: allowed.join(', ') },
    },
  );
}

/** Re-authenticates the signer and checks the `released` authority [P11.10g]; returns the printed name. */
async function signRelease(tx: Tx, ctx: TenantContext, signing: RevisionSigning | undefined): Promise<string> {
  if (!signing?.verifier || !signing.credentials) {
    throw new Forbidden('releasing a revision needs an electronic signature', { code: 'error.esign.required' });
  }
  const signer = await signing.verifier(tx, ctx, signing.credentials);
  if (!signer.permissions.includes(SIGN_RELEASED)) {
    throw new Forbidden(`${signer.printedName} may not sign with the meaning "released"`, {
      code: 'error.esign.notPermitted',
      params: { meaning: 'released' },
    });
  }
  return signer.printedName;
}
