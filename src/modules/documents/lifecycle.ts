import { sql } from '../../platform/db/index.js';
import { defineSignable, listSignatures } from '../../platform/esign/index.js';
import { defineMachine } from '../../platform/statemachine/index.js';
import { DOCUMENT_EVENTS, DOCUMENT_PERMISSIONS, DOCUMENT_STATUSES, type DocumentStatus } from './contract.js';

/** A revision in force or withdrawn is read-only: it changes only through a new revision. */
export const isReadOnly = (status: DocumentStatus): boolean => status === 'effective' || status === 'obsolete';

/** What a signature on a document covers: its identity and content, not its workflow state. */
export const documentSignable = defineSignable({
  entity: 'documents',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT number, revision, kind, title, summary, body, owner, content_html FROM documents WHERE id = ${id}`,
    );
    if (!rows[0]) return undefined;
    // The rich text and the files (by name and SHA-256) are covered once there are any; a revision
    // without either hashes as it always did, so signatures given before they existed stay valid.
    const { content_html: contentHtml, ...fields } = rows[0];
    const files = await tx.query<{ fileName: string; sha256: string }>(
      sql`SELECT file_name AS "fileName", sha256 FROM document_files WHERE document_id = ${id} ORDER BY file_name, sha256`,
    );
    return { ...fields, ...(contentHtml ? { contentHtml } : {}), ...(files.rows.length ? { files: files.rows } : {}) };
  },
  permissionFor(meaning) {
    if (meaning === 'approved' || meaning === 'rejected') return DOCUMENT_PERMISSIONS.signApproved;
    if (meaning === 'released') return DOCUMENT_PERMISSIONS.signReleased;
    if (meaning === 'withdrawn') return DOCUMENT_PERMISSIONS.signWithdrawn;
    if (meaning === 'reviewed') return DOCUMENT_PERMISSIONS.signReviewed;
    return undefined;
  },
});

export interface LifecycleRecord {
  id: string;
  authorId: string;
  /** Who last changed the revision's content (title, summary, body, owner). */
  contentEditorId: string | null;
}

/**
 * draft → in_review → approved → effective → obsolete. Approval needs an `approved` signature
 * by someone other than the author and the last editor of the content; release needs a
 * `released` signature and an approval that is still valid (the content has not changed since
 * it was approved); withdrawal (obsolete) is a QA decision signed `withdrawn` with a reason.
 */
export const documentLifecycle = defineMachine<DocumentStatus, LifecycleRecord>({
  entity: 'documents',
  states: DOCUMENT_STATUSES,
  transitions: [
    { name: 'submit for review', from: ['draft'], to: 'in_review', event: DOCUMENT_EVENTS.submitted },
    {
      name: 'return to draft',
      from: ['in_review', 'approved'],
      to: 'draft',
      signature: { meaning: 'rejected' },
      event: DOCUMENT_EVENTS.rejected,
    },
    {
      name: 'approve',
      from: ['in_review'],
      to: 'approved',
      signature: {
        meaning: 'approved',
        duties: [
          { rule: 'notAuthor', persons: (doc) => [doc.authorId] },
          { rule: 'notLastContentEditor', persons: (doc) => [doc.contentEditorId] },
        ],
        distinct: true,
      },
      event: DOCUMENT_EVENTS.approved,
    },
    {
      name: 'release',
      from: ['approved'],
      to: 'effective',
      guards: [
        async (tx, doc) => {
          const signatures = await listSignatures(tx, 'documents', doc.id);
          return signatures.some((s) => s.meaning === 'approved' && s.valid)
            ? undefined
            : 'its approval is no longer valid because the content changed after approval; approve it again';
        },
      ],
      signature: { meaning: 'released' },
      event: DOCUMENT_EVENTS.released,
    },
    {
      name: 'make obsolete',
      from: ['effective'],
      to: 'obsolete',
      reasonRequired: true,
      signature: { meaning: 'withdrawn' },
      event: DOCUMENT_EVENTS.obsoleted,
    },
  ],
});
