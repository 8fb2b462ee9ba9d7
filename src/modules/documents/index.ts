// Controlled documents: SOPs, work instructions, forms and specifications with revisions,
// review, approval and release by electronic signature (ISO 13485 §4.2.4, Part 11 §11.10(k)).
// Owns the `documents`, `document_files` and `document_distribution` tables; publishes documents.document.* events on each
// step and on each periodic review. Content (sanitised rich text) and files are edited in draft.
import type { Module } from '../../platform/module.js';
import { DOCUMENT_EVENTS, DOCUMENT_PERMISSION_LIST, DOCUMENTS_VOCABULARY } from './contract.js';
import { documentSignable } from './lifecycle.js';
import { DOCUMENT_RECORD_NAMES } from './record-names.js';
import { documentRoutes } from './routes.js';
import { seedDocuments } from './seed.js';

export * from './contract.js';
export { type ControlledDocument, getDocument, listDocuments } from './service.js';

export const documentsModule: Module = {
  name: 'documents',
  events: DOCUMENT_EVENTS,
  vocabulary: DOCUMENTS_VOCABULARY,
  signables: [documentSignable],
  recordNames: DOCUMENT_RECORD_NAMES,
  auditedTables: {
    documents: 'documents:read',
    document_files: 'documents:read',
    document_distribution: 'documents:read',
  },
  permissions: DOCUMENT_PERMISSION_LIST,
  routes: documentRoutes,
  seedDemo: seedDocuments,
};
