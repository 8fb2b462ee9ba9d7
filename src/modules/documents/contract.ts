import { Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { Id, Nullable } from '../../platform/schema.js';

/**
 * Controlled documents' contract: kinds and statuses, permissions and the events of the life
 * cycle. The server and the web app both build on it.
 */

export const DOCUMENT_STATUSES = ['draft', 'in_review', 'approved', 'effective', 'obsolete'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const DOCUMENT_KINDS = ['sop', 'work_instruction', 'form', 'specification', 'policy'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Files a document may carry: PDF and images are shown in the browser, Office files are downloaded. */
export const DOCUMENT_FILE_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
] as const;
export type DocumentFileType = (typeof DOCUMENT_FILE_TYPES)[number];
export const PREVIEWABLE_FILE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const satisfies readonly DocumentFileType[];

/** Who a document is distributed to: roles (by name) and work centers. */
export const DISTRIBUTION_TARGET_KINDS = ['role', 'work_center'] as const;
export type DistributionTargetKind = (typeof DISTRIBUTION_TARGET_KINDS)[number];

/** The lists whose values the screens name, by their catalog prefix. */
export const DOCUMENTS_VOCABULARY = {
  'documents.statuses': DOCUMENT_STATUSES,
  'documents.kinds': DOCUMENT_KINDS,
  'documents.distributionKinds': DISTRIBUTION_TARGET_KINDS,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'documents:read', description: 'See controlled documents and their signatures' },
  write: { name: 'documents:write', description: 'Create and edit document drafts, submit them, start revisions' },
  signApproved: { name: 'documents:sign.approved', description: 'Approve (or return) documents with an electronic signature' },
  signReleased: { name: 'documents:sign.released', description: 'Release approved documents to effective with an electronic signature' },
  signWithdrawn: {
    name: 'documents:sign.withdrawn',
    description: 'Make an effective document obsolete with an electronic signature and a reason',
  },
  signReviewed: {
    name: 'documents:sign.reviewed',
    description: 'Record the periodic review of an effective document with an electronic signature',
  },
});
export const DOCUMENT_PERMISSIONS = permissions.names;
export const DOCUMENT_PERMISSION_LIST = permissions.list;

const DateOnly = Type.String({ format: 'date' });

const DistributionTarget = Type.Object({
  kind: Type.Enum(DISTRIBUTION_TARGET_KINDS),
  key: Type.String({ description: "the role's name, or the work center's id" }),
  label: Type.String(),
});

const DocumentStep = Type.Object({
  documentId: Id,
  number: Type.String(),
  revision: Type.Integer(),
  from: Type.Enum(DOCUMENT_STATUSES),
  to: Type.Enum(DOCUMENT_STATUSES),
  signatureId: Nullable(Id),
});
const step = (verb: string, when: string) =>
  ({ type: `documents.document.${verb}`, aggregate: 'documents.document', when, data: DocumentStep }) as const;

export const DOCUMENT_EVENTS = defineEvents({
  submitted: step('submitted', 'a document revision is submitted for review'),
  rejected: step('rejected', 'a revision under review or approved is returned to draft (signed)'),
  approved: step('approved', 'a revision is approved (signed, not by its author or last editor)'),
  released: step('released', 'an approved revision becomes effective (signed); the one it supersedes becomes obsolete'),
  obsoleted: step('obsoleted', 'an effective revision is withdrawn (signed, with a reason)'),
  reviewed: {
    type: 'documents.document.reviewed',
    aggregate: 'documents.document',
    when: 'the periodic review of an effective revision is signed (not by its author); the next review date moves on',
    data: Type.Object({
      documentId: Id,
      number: Type.String(),
      revision: Type.Integer(),
      reviewedOn: DateOnly,
      nextReviewOn: DateOnly,
      signatureId: Id,
    }),
  },
  distributionChanged: {
    type: 'documents.distribution.changed',
    aggregate: 'documents.document',
    when: 'the roles or work centers a document is distributed to change (per document, all revisions)',
    data: Type.Object({
      documentId: Id,
      number: Type.String(),
      revision: Type.Integer(),
      added: Type.Array(DistributionTarget),
      removed: Type.Array(DistributionTarget),
    }),
  },
});
