import { withChangeReason } from '../../platform/audit/index.js';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Conflict, NotFound, PreconditionFailed } from '../../platform/errors.js';
import { declareDuty, type Manifestation, manifestedSignatures, type Signature, sign } from '../../platform/esign/index.js';
import type { SignerVerifier, SigningCredentials } from '../../platform/esign/types.js';
import { publish } from '../../platform/events/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { nextNumber } from '../../platform/numbering.js';
import { keyset, type Listing, type Page, toPage } from '../../platform/paging.js';
import { type StepEvent, takeTransition } from '../../platform/statemachine/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { siteToday } from '../../platform/tenancy/index.js';
import { DOCUMENT_EVENTS, type DocumentKind, type DocumentStatus } from './contract.js';
import { type DistributionTarget, listDistribution } from './distribution.js';
import { copyFiles, type DocumentFile, listFiles } from './files.js';
import { documentLifecycle, isReadOnly } from './lifecycle.js';

export interface ControlledDocument {
  id: string;
  number: string;
  revision: number;
  kind: DocumentKind;
  title: string;
  summary: string;
  body: string;
  owner: string;
  author: { id: string; name: string };
  /** Who last changed the content; they may not approve it (null: not changed since it was created). */
  contentEditor: { id: string; name: string } | null;
  status: DocumentStatus;
  effectiveAt: string | null;
  /** Months between periodic reviews. */
  reviewIntervalMonths: number;
  /** When the effective revision is next due for its periodic review. */
  nextReviewOn: string | null;
  lastReviewedOn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface DocumentRow {
  id: string;
  number: string;
  revision: number;
  kind: DocumentKind;
  title: string;
  summary: string;
  body: string;
  owner: string;
  author_id: string;
  author_name: string;
  content_editor_id: string | null;
  content_editor_name: string | null;
  status: DocumentStatus;
  effective_at: string | null;
  review_interval_months: number;
  next_review_on: string | null;
  last_reviewed_on: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS =
  'id, number, revision, kind, title, summary, body, owner, author_id, author_name, content_editor_id, content_editor_name, status, effective_at, version, created_at, updated_at, ' +
  "review_interval_months, to_char(next_review_on, 'YYYY-MM-DD') AS next_review_on, to_char(last_reviewed_on, 'YYYY-MM-DD') AS last_reviewed_on";

const toDocument = (r: DocumentRow): ControlledDocument => ({
  id: r.id,
  number: r.number,
  revision: r.revision,
  kind: r.kind,
  title: r.title,
  summary: r.summary,
  body: r.body,
  owner: r.owner,
  author: { id: r.author_id, name: r.author_name },
  contentEditor: r.content_editor_id ? { id: r.content_editor_id, name: r.content_editor_name ?? '' } : null,
  status: r.status,
  effectiveAt: r.effective_at,
  reviewIntervalMonths: r.review_interval_months,
  nextReviewOn: r.next_review_on,
  lastReviewedOn: r.last_reviewed_on,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const label = (d: Pick<ControlledDocument, 'number' | 'revision'>) => `document ${d.number} rev ${d.revision}`;

function loadForUpdate(tx: Tx, id: string): Promise<ControlledDocument> {
  return loadDocument(tx, id, true);
}

export function getDocument(tx: Tx, id: string): Promise<ControlledDocument> {
  return loadDocument(tx, id, false);
}

async function loadDocument(tx: Tx, id: string, lock: boolean): Promise<ControlledDocument> {
  const { rows } = await tx.query<DocumentRow>(
    sql`SELECT ${raw(COLUMNS)} FROM documents WHERE id = ${id}${raw(lock ? ' FOR UPDATE' : '')}`,
  );
  if (!rows[0]) throw new NotFound(`document ${id} not found`, { code: 'error.documents.notFound', params: { id } });
  return toDocument(rows[0]);
}

export interface DocumentFilter {
  status?: DocumentStatus | undefined;
  kind?: DocumentKind | undefined;
  /** Words in the number or title. */
  q?: string | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** Documents by number and revision, newest revision first within a number. */
const DOCUMENTS: Listing<DocumentRow> = {
  name: 'documents',
  sorts: {
    number: [
      { sql: 'number', type: 'text', of: 'number' },
      { sql: '-revision', type: 'integer', of: (d) => -d.revision },
    ],
  },
  defaultSort: 'number',
};

export async function listDocuments(tx: Tx, f: DocumentFilter): Promise<Page<ControlledDocument>> {
  const k = keyset(DOCUMENTS, { cursor: f.cursor, limit: f.limit });
  const q = f.q ?? null;
  const { rows } = await tx.query<DocumentRow>(
    sql`SELECT ${raw(COLUMNS)} FROM documents
      WHERE (${f.status ?? null}::text IS NULL OR status = ${f.status ?? null}) AND (${f.kind ?? null}::text IS NULL OR kind = ${f.kind ?? null})
        AND (${q}::text IS NULL OR number ILIKE '%' || ${q} || '%' OR title ILIKE '%' || ${q} || '%')
        AND ${k.where}
      ${k.orderBy} ${k.limit}`,
  );
  const page = toPage(k, rows);
  return { items: page.items.map(toDocument), nextCursor: page.nextCursor };
}

export interface ShownSignature extends Signature {
  manifestation: Manifestation;
}

export interface DocumentDetail extends ControlledDocument {
  signatures: ShownSignature[];
  allowedTransitions: DocumentStatus[];
  /** The rich-text content, sanitised. */
  contentHtml: string;
  files: DocumentFile[];
  /** All revisions of the document, newest first. */
  revisions: Array<{ id: string; revision: number; status: DocumentStatus }>;
  /** The roles and work centers that must have the effective revision. */
  distribution: DistributionTarget[];
}

/** A document as shown: with each signature's validity and manifestation, and the next steps. */
export async function documentDetail(tx: Tx, id: string): Promise<DocumentDetail> {
  const doc = await getDocument(tx, id);
  const signatures = await manifestedSignatures(tx, 'documents', id);
  const { rows } = await tx.query<{ content_html: string }>(sql`SELECT content_html FROM documents WHERE id = ${id}`);
  return {
    ...doc,
    signatures,
    allowedTransitions: documentLifecycle.allowedFrom(doc.status),
    contentHtml: rows[0]?.content_html ?? '',
    files: await listFiles(tx, id),
    revisions: await listRevisions(tx, doc.number),
    distribution: await listDistribution(tx, doc.number),
  };
}

export interface NewDocument {
  kind: DocumentKind;
  title: string;
  summary?: string | undefined;
  body?: string | undefined;
  owner: string;
  reviewIntervalMonths?: number | undefined;
}

/** A new document: next number, revision 1, in draft, authored by the person creating it. */
export async function createDocument(tx: Tx, ctx: TenantContext, input: NewDocument): Promise<ControlledDocument> {
  const number = await nextNumber(tx, 'DOC');
  const { rows } = await tx.query<DocumentRow>(
    sql`INSERT INTO documents (id, number, revision, kind, title, summary, body, owner, author_id, author_name, review_interval_months)
     VALUES (${uuidv7()}, ${number}, 1, ${input.kind}, ${input.title}, ${input.summary ?? ''}, ${input.body ?? ''}, ${input.owner}, ${ctx.actor.id}, ${ctx.actor.name}, ${input.reviewIntervalMonths ?? 24}) RETURNING ${raw(COLUMNS)}`,
  );
  return toDocument(rows[0] as DocumentRow);
}

export type DocumentChanges = Partial<Pick<ControlledDocument, 'title' | 'summary' | 'body' | 'owner' | 'reviewIntervalMonths'>>;

/**
 * Edits a revision in work. An effective or obsolete revision is read-only; an approved one
 * changes only with a reason (the database refuses it otherwise) and loses its approval.
 * `expectedVersion` is the version the editor saw (If-Match): a stale one is refused.
 */
export async function updateDocument(
  tx: Tx,
  ctx: TenantContext,
  id: string,
  changes: DocumentChanges,
  expectedVersion?: number,
): Promise<ControlledDocument> {
  const doc = await loadForUpdate(tx, id);
  if (expectedVersion !== undefined && expectedVersion !== doc.version) {
    throw new PreconditionFailed(`${label(doc)} was changed by someone else (version ${doc.version}); reload it`, {
      code: 'error.documents.stale',
      params: { version: doc.version },
    });
  }
  if (isReadOnly(doc.status)) {
    throw new Conflict(`${label(doc)} is ${doc.status} and read-only; create a new revision to change it`, {
      code: 'error.documents.readOnly',
      params: { number: doc.number, revision: doc.revision, status: doc.status },
    });
  }
  if (changes.body !== undefined) {
    const rich = await tx.query(sql`SELECT 1 FROM documents WHERE id = ${id} AND content_html <> ''`);
    if (rich.rows[0]) {
      throw new Conflict(`${label(doc)} has rich-text content; its text follows the content, edit the content instead`, {
        code: 'error.documents.bodyFromContent',
        params: { number: doc.number, revision: doc.revision },
      });
    }
  }
  const { rows } = await tx.query<DocumentRow>(
    sql`UPDATE documents SET title = coalesce(${changes.title ?? null}, title), summary = coalesce(${changes.summary ?? null}, summary), body = coalesce(${changes.body ?? null}, body),
            owner = coalesce(${changes.owner ?? null}, owner), review_interval_months = coalesce(${changes.reviewIntervalMonths ?? null}::integer, review_interval_months),
            content_editor_id = ${ctx.actor.id}, content_editor_name = ${ctx.actor.name}, version = version + 1, updated_at = now()
      WHERE id = ${id} RETURNING ${raw(COLUMNS)}`,
  );
  return toDocument(rows[0] as DocumentRow);
}

export interface TransitionInput {
  to: string;
  credentials?: SigningCredentials | undefined;
  comment?: string | undefined;
}

export interface DocumentTransition {
  document: ControlledDocument;
  signature: Signature | null;
  event: StepEvent;
}

/**
 * Moves a document one step through its life cycle. Releasing a revision makes the revision
 * it supersedes obsolete in the same transaction.
 */
export async function transitionDocument(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: TransitionInput,
): Promise<DocumentTransition> {
  const doc = await loadForUpdate(tx, id);
  const result = await takeTransition(tx, ctx, verifier, documentLifecycle, {
    id,
    record: { id, authorId: doc.author.id, contentEditorId: doc.contentEditor?.id ?? null },
    from: doc.status,
    to: input.to,
    label: label(doc),
    reference: `${doc.number} rev ${doc.revision}`,
    credentials: input.credentials,
    comment: input.comment,
    apply: async (tx, to) => {
      if (to === 'effective') {
        await withChangeReason(tx, `superseded by revision ${doc.revision}`, () =>
          tx.query(
            sql`UPDATE documents SET status = 'obsolete', version = version + 1, updated_at = now()
              WHERE number = ${doc.number} AND status = 'effective'`,
          ),
        );
      }
      const today = to === 'effective' ? await siteToday(tx) : null;
      await tx.query(
        sql`UPDATE documents SET status = ${to}, version = version + 1, updated_at = now(),
                effective_at = CASE WHEN ${to} = 'effective' THEN now() ELSE effective_at END,
                next_review_on = CASE WHEN ${to} = 'effective' THEN (${today}::date + make_interval(months => review_interval_months))::date ELSE next_review_on END
          WHERE id = ${id}`,
      );
    },
  });
  await publish(tx, result.event.def, {
    aggregateId: id,
    data: { documentId: id, number: doc.number, revision: doc.revision, ...result.event.data },
  });
  return { document: await getDocument(tx, id), signature: result.signature, event: result.event };
}

/** Starts the next revision of an effective document as a draft with the same content. */
export async function reviseDocument(tx: Tx, ctx: TenantContext, id: string): Promise<ControlledDocument> {
  const doc = await loadForUpdate(tx, id);
  if (doc.status !== 'effective') {
    throw new Conflict(`${label(doc)} is ${doc.status}; only the effective revision can be revised`, {
      code: 'error.documents.notEffective',
      params: { status: doc.status },
    });
  }
  const open = await tx.query<{ revision: number }>(
    sql`SELECT revision FROM documents WHERE number = ${doc.number} AND status IN ('draft', 'in_review', 'approved')`,
  );
  if (open.rows[0]) {
    throw new Conflict(`${doc.number} already has revision ${open.rows[0].revision} in work`, {
      code: 'error.documents.revisionInWork',
      params: { number: doc.number, revision: open.rows[0].revision },
    });
  }
  const { rows } = await tx.query<DocumentRow>(
    sql`INSERT INTO documents (id, number, revision, kind, title, summary, body, content_html, owner, author_id, author_name, review_interval_months)
     SELECT ${uuidv7()}, number, (SELECT max(revision) + 1 FROM documents WHERE number = ${doc.number}), kind, title, summary, body, content_html, owner, ${ctx.actor.id}, ${ctx.actor.name}, review_interval_months
       FROM documents WHERE id = ${id}
     RETURNING ${raw(COLUMNS)}`,
  );
  const revision = toDocument(rows[0] as DocumentRow);
  await copyFiles(tx, id, revision.id);
  return revision;
}

/** The revisions of a document, newest first, for choosing what to compare. */
export async function listRevisions(tx: Tx, number: string): Promise<Array<{ id: string; revision: number; status: DocumentStatus }>> {
  const { rows } = await tx.query<{ id: string; revision: number; status: DocumentStatus }>(
    sql`SELECT id, revision, status FROM documents WHERE number = ${number} ORDER BY revision DESC`,
  );
  return rows;
}

declareDuty({ entity: 'documents', meaning: 'reviewed', rule: 'notAuthor', step: 'periodic review' });

export interface ReviewInput {
  credentials: SigningCredentials;
  comment?: string | undefined;
}

/**
 * Records the periodic review of the effective revision: a `reviewed` signature by someone other
 * than its author; the next review is due one interval after today (the site's date).
 */
export async function reviewDocument(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  id: string,
  input: ReviewInput,
): Promise<{ document: ControlledDocument; signature: Signature }> {
  const doc = await loadForUpdate(tx, id);
  if (doc.status !== 'effective') {
    throw new Conflict(`${label(doc)} is ${doc.status}; only the effective revision is reviewed periodically`, {
      code: 'error.documents.notEffective',
      params: { status: doc.status },
    });
  }
  const signature = await sign(tx, ctx, verifier, {
    entity: 'documents',
    id,
    meaning: 'reviewed',
    credentials: input.credentials,
    comment: input.comment,
    duties: [{ rule: 'notAuthor', userIds: [doc.author.id] }],
    subject: { label: label(doc), reference: `${doc.number} rev ${doc.revision}`, step: 'periodic review' },
  });
  const today = await siteToday(tx);
  const { rows } = await withChangeReason(tx, `periodic review signed by ${signature.signer.name}`, () =>
    tx.query<{ next_review_on: string }>(
      sql`UPDATE documents SET last_reviewed_on = ${today}::date,
              next_review_on = (${today}::date + make_interval(months => review_interval_months))::date, version = version + 1, updated_at = now()
        WHERE id = ${id} RETURNING to_char(next_review_on, 'YYYY-MM-DD') AS next_review_on`,
    ),
  );
  await publish(tx, DOCUMENT_EVENTS.reviewed, {
    aggregateId: id,
    data: {
      documentId: id,
      number: doc.number,
      revision: doc.revision,
      reviewedOn: today,
      nextReviewOn: (rows[0] as { next_review_on: string }).next_review_on,
      signatureId: signature.id,
    },
  });
  return { document: await getDocument(tx, id), signature };
}

export interface DueReview extends ControlledDocument {
  overdue: boolean;
}

/** Effective documents whose periodic review is due within `withinDays` (or overdue), the most urgent first. */
export async function reviewsDue(tx: Tx, withinDays: number, limit = 500): Promise<DueReview[]> {
  const today = await siteToday(tx);
  const { rows } = await tx.query<DocumentRow & { overdue: boolean }>(
    sql`SELECT ${raw(COLUMNS)}, next_review_on < ${today}::date AS overdue FROM documents
      WHERE status = 'effective' AND next_review_on <= ${today}::date + ${withinDays}::integer
      ORDER BY next_review_on, number LIMIT ${limit}`,
  );
  return rows.map((r) => ({ ...toDocument(r), overdue: r.overdue }));
}
