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
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentDetail extends ControlledDocument {
  signatures: Signature[];
  /** Statuses the document may move to next. */
  allowedTransitions: string[];
}

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
