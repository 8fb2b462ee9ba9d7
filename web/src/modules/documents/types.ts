import type { Signature } from '../../components/signatures';

/** Controlled documents as the /documents endpoints return them. */
export interface ControlledDocument {
  id: string;
  number: string;
  revision: number;
  kind: string;
  title: string;
  summary: string;
  body: string;
  owner: string;
  author: { id: string; name: string };
  /** Who last changed the content; separation of duties keeps them (and the author) from approving it. */
  contentEditor: { id: string; name: string } | null;
  status: string;
  effectiveAt: string | null;
  reviewIntervalMonths: number;
  nextReviewOn: string | null;
  lastReviewedOn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentDetail extends ControlledDocument {
  signatures: Signature[];
  /** Statuses the document may move to next. */
  allowedTransitions: string[];
  /** The rich-text content, sanitised by the server. */
  contentHtml: string;
  files: DocumentFile[];
  /** All revisions of the document, newest first. */
  revisions: Array<{ id: string; revision: number; status: string }>;
  /** The roles and work centers that must have the effective revision. */
  distribution: Array<{ kind: 'role' | 'work_center'; key: string; label: string }>;
}

export interface DocumentFile {
  id: string;
  documentId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  previewable: boolean;
  uploadedAt: string;
  uploadedBy: { id: string; name: string };
}

export interface TextChange {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface DocumentDiff {
  from: { id: string; revision: number; status: string };
  to: { id: string; revision: number; status: string };
  title: TextChange[] | null;
  content: TextChange[];
  files: Array<{
    fileName: string;
    change: 'added' | 'removed' | 'changed' | 'unchanged';
    fromSha256: string | null;
    toSha256: string | null;
  }>;
  summary: { insertedWords: number; deletedWords: number; filesAdded: number; filesRemoved: number; filesChanged: number };
}

/** Where a file of a revision is served (verified against its SHA-256 by the server). */
export const fileUrl = (f: Pick<DocumentFile, 'documentId' | 'id'>, download = false): string =>
  `/api/v1/documents/${f.documentId}/files/${f.id}${download ? '?download=true' : ''}`;

/** Translation keys for the server's status and kind values (checked against the server's lists). */
export const statusKey = (status: string): string => `documents.statuses.${status}`;
export const kindKey = (kind: string): string => `documents.kinds.${kind}`;

/** What moving to a status means to a person, and what the step asks for (the server's lifecycle decides). */
export const STEPS: Record<string, { labelKey: string; meaning?: string; reasonRequired?: boolean; color?: string }> = {
  in_review: { labelKey: 'documents.step.submit' },
  approved: { labelKey: 'documents.step.approve', meaning: 'approved' },
  effective: { labelKey: 'documents.step.release', meaning: 'released' },
  draft: { labelKey: 'documents.step.returnToDraft', meaning: 'rejected', color: 'orange' },
  obsolete: { labelKey: 'documents.step.makeObsolete', meaning: 'withdrawn', reasonRequired: true, color: 'red' },
};

export const STATUS_COLOR: Record<string, string> = {
  draft: 'gray',
  in_review: 'yellow',
  approved: 'blue',
  effective: 'green',
  obsolete: 'dark',
};
