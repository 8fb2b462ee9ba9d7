// Controlled documents: SOPs, work instructions, forms and specifications with revisions,
// review, approval and release by electronic signature (ISO 13485 §4.2.4, Part 11 §11.10(k)).
// Owns the `documents` table; publishes documents.document.* events on each step.
import type { Module } from '../../platform/module.js';
import { DOCUMENT_PERMISSIONS } from './lifecycle.js';
import { DOCUMENT_RECORD_NAMES } from './record-names.js';
import { documentRoutes } from './routes.js';
import { seedDocuments } from './seed.js';

export const documentsModule: Module = {
  name: 'documents',
  recordNames: DOCUMENT_RECORD_NAMES,
  auditedTables: {
    documents: 'documents:read',
  },
  permissions: [
    { name: DOCUMENT_PERMISSIONS.read, description: 'See controlled documents and their signatures' },
    { name: DOCUMENT_PERMISSIONS.write, description: 'Create and edit document drafts, submit them, start revisions' },
    { name: DOCUMENT_PERMISSIONS.signApproved, description: 'Approve (or return) documents with an electronic signature' },
    { name: DOCUMENT_PERMISSIONS.signReleased, description: 'Release approved documents to effective with an electronic signature' },
    {
      name: DOCUMENT_PERMISSIONS.signWithdrawn,
      description: 'Make an effective document obsolete with an electronic signature and a reason',
    },
  ],
  routes: documentRoutes,
  seedDemo: seedDocuments,
};
