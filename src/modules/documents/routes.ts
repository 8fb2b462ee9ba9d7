import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ValidationFailed } from '../../platform/errors.js';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { SignatureComment, SignerPassword, SignerTotpCode } from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { UUID_PATTERN } from '../../platform/ids.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { MAX_CONTENT_HTML, setContent } from './content.js';
import { DISTRIBUTION_TARGET_KINDS, DOCUMENT_FILE_TYPES, DOCUMENT_KINDS, DOCUMENT_PERMISSIONS, DOCUMENT_STATUSES } from './contract.js';
import { diffRevisions } from './diff.js';
import { distributedTo, setDistribution } from './distribution.js';
import { attachFile, MAX_FILE_BYTES, readFile, removeFile } from './files.js';
import {
  createDocument,
  documentDetail,
  listDocuments,
  reviewDocument,
  reviewsDue,
  reviseDocument,
  transitionDocument,
  updateDocument,
} from './service.js';

const Status = Type.Enum(DOCUMENT_STATUSES);
const Kind = Type.Enum(DOCUMENT_KINDS);
const Id = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) }, { additionalProperties: false });
const Title = Type.String({ minLength: 1, maxLength: 300 });
const Summary = Type.String({ maxLength: 2000 });
const Body = Type.String({ maxLength: 200_000 });
const ReviewInterval = Type.Integer({ minimum: 1, maximum: 120, description: 'months between periodic reviews' });
const Owner = Type.String({ minLength: 1, maxLength: 200, description: 'owning function, e.g. Quality Assurance' });

const DocumentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String({ examples: ['DOC-2026-00001'] }),
  revision: Type.Integer(),
  kind: Kind,
  title: Type.String(),
  summary: Type.String(),
  body: Type.String(),
  owner: Type.String(),
  author: Type.Object({ id: Type.String(), name: Type.String() }),
  contentEditor: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], {
    description: 'who last changed the content; separation of duties keeps them from approving it',
  }),
  status: Status,
  effectiveAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reviewIntervalMonths: Type.Integer({ description: 'months between periodic reviews' }),
  nextReviewOn: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: 'set when a revision becomes effective and by each review',
  }),
  lastReviewedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  version: Type.Integer({ description: 'row version; the ETag of the document' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const DistributionTargetSchema = Type.Object({
  kind: Type.Enum(DISTRIBUTION_TARGET_KINDS),
  key: Type.String({ description: "the role's name, or the work center's id" }),
  label: Type.String(),
});

const FileSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  documentId: Type.String({ format: 'uuid' }),
  fileName: Type.String(),
  mediaType: Type.Enum(DOCUMENT_FILE_TYPES, { description: 'sniffed from the content at upload, not taken from the client' }),
  sizeBytes: Type.Integer(),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  previewable: Type.Boolean({ description: 'PDF and images are shown in the browser; other files are downloaded' }),
  uploadedAt: Type.String({ format: 'date-time' }),
  uploadedBy: Type.Object({ id: Type.String(), name: Type.String() }),
});

const DetailSchema = Type.Intersect([
  DocumentSchema,
  Type.Object({
    signatures: Type.Array(SignatureSchema),
    allowedTransitions: Type.Array(Status),
    contentHtml: Type.String({ description: 'the rich-text content, sanitised (an allow-list of tags and attributes)' }),
    files: Type.Array(FileSchema),
    revisions: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), revision: Type.Integer(), status: Status })),
    distribution: Type.Array(DistributionTargetSchema, { description: 'roles and work centers that must have the effective revision' }),
  }),
]);

const TextChangeSchema = Type.Object({
  op: Type.Union([Type.Literal('equal'), Type.Literal('insert'), Type.Literal('delete')]),
  text: Type.String(),
});
const RevisionRef = Type.Object({ id: Type.String({ format: 'uuid' }), revision: Type.Integer(), status: Status });
const DiffSchema = Type.Object({
  from: RevisionRef,
  to: RevisionRef,
  title: Type.Union([Type.Array(TextChangeSchema), Type.Null()]),
  content: Type.Array(TextChangeSchema),
  files: Type.Array(
    Type.Object({
      fileName: Type.String(),
      change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed'), Type.Literal('unchanged')]),
      fromSha256: Type.Union([Type.String(), Type.Null()]),
      toSha256: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  summary: Type.Object({
    insertedWords: Type.Integer(),
    deletedWords: Type.Integer(),
    filesAdded: Type.Integer(),
    filesRemoved: Type.Integer(),
    filesChanged: Type.Integer(),
  }),
});

export function documentRoutes(app: App): void {
  // Its own scope: the multipart parser and its limits apply to these routes only.
  app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 0 } });
    revisionRoutes(scope);
    contentRoutes(scope);
  });
}

function revisionRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['documents'];

  api.get(
    '/documents',
    {
      config: { permission: DOCUMENT_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'Controlled documents, by number and revision',
        querystring: PageQuery([], {
          status: Type.Optional(Status),
          kind: Type.Optional(Kind),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        }),
        response: { 200: Page(DocumentSchema) },
      },
    },
    async (request) => inTenant(request, (tx) => listDocuments(tx, request.query)),
  );

  api.get(
    '/documents/:id',
    {
      config: { permission: DOCUMENT_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'A document revision with its signatures (validity and manifestation) and allowed next steps',
        params: Id,
        response: { 200: DetailSchema },
      },
    },
    async (request) => inTenant(request, (tx) => documentDetail(tx, request.params.id)),
  );

  api.post(
    '/documents',
    {
      config: { permission: DOCUMENT_PERMISSIONS.write },
      schema: {
        tags,
        summary: 'Create a document (revision 1, draft)',
        body: Type.Object(
          {
            kind: Kind,
            title: Title,
            summary: Type.Optional(Summary),
            body: Type.Optional(Body),
            owner: Owner,
            reviewIntervalMonths: Type.Optional(ReviewInterval),
          },
          { additionalProperties: false },
        ),
        response: { 201: DocumentSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await inTenant(request, (tx) => createDocument(tx, tenantOf(request), request.body))),
  );

  api.patch(
    '/documents/:id',
    {
      config: { permission: DOCUMENT_PERMISSIONS.write },
      schema: {
        tags,
        summary: 'Edit a revision in work; an approved one needs X-Change-Reason, an effective one is read-only',
        params: Id,
        body: Type.Object(
          {
            title: Type.Optional(Title),
            summary: Type.Optional(Summary),
            body: Type.Optional(Body),
            owner: Type.Optional(Owner),
            reviewIntervalMonths: Type.Optional(ReviewInterval),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: DocumentSchema },
      },
    },
    // If-Match (ETag = version) is passed as updateDocument's expectedVersion once conditional requests land.
    async (request) => inTenant(request, (tx) => updateDocument(tx, tenantOf(request), request.params.id, request.body)),
  );

  api.post(
    '/documents/:id/transitions',
    {
      config: { permission: DOCUMENT_PERMISSIONS.write },
      schema: {
        tags,
        summary: 'Move a document one step (submit, approve, release, return to draft, make obsolete); returns it as shown',
        description: 'Signed steps re-authenticate: password, plus the TOTP code when the signer has one.',
        params: Id,
        body: Type.Object(
          {
            to: Status,
            password: Type.Optional(SignerPassword),
            totpCode: Type.Optional(SignerTotpCode),
            comment: Type.Optional(SignatureComment),
          },
          { additionalProperties: false },
        ),
        response: { 200: DetailSchema },
      },
    },
    async (request) => {
      const { to, password, totpCode, comment } = request.body;
      const credentials = password === undefined ? undefined : { password, totpCode };
      return inTenant(request, async (tx) => {
        await transitionDocument(tx, tenantOf(request), request.server.signerVerifier, request.params.id, { to, credentials, comment });
        return documentDetail(tx, request.params.id);
      });
    },
  );

  api.post(
    '/documents/:id/revisions',
    {
      config: { permission: DOCUMENT_PERMISSIONS.write },
      schema: {
        tags,
        summary: 'Start the next revision of an effective document, as a draft',
        params: Id,
        response: { 201: DocumentSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await inTenant(request, (tx) => reviseDocument(tx, tenantOf(request), request.params.id))),
  );
}

/**
 * How a file is served. PDF and images are shown inline, framed only by our own pages, under a
 * policy that runs nothing (images are also sandboxed; a sandbox would stop the browser's PDF
 * viewer); anything else is an attachment. The platform sets nosniff on every answer.
 */
function fileHeaders(mediaType: string, fileName: string, forceDownload: boolean): Record<string, string> {
  const inline = !forceDownload && (mediaType === 'application/pdf' || mediaType.startsWith('image/'));
  const ascii = fileName.replace(/[^\w.\- ]/g, '_');
  const disposition = `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
  const policy =
    mediaType === 'application/pdf'
      ? "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
      : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox";
  return {
    'content-type': mediaType,
    'content-disposition': disposition,
    ...(inline ? { 'content-security-policy': policy, 'x-frame-options': 'SAMEORIGIN' } : {}),
  };
}

function contentRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['documents'];
  const FileParams = Type.Object(
    { id: Type.String({ pattern: UUID_PATTERN }), fileId: Type.String({ pattern: UUID_PATTERN }) },
    { additionalProperties: false },
  );

  api.put(
    '/documents/:id/content',
    {
      config: { permission: DOCUMENT_PERMISSIONS.write },
      schema: {
        tags,
        summary: 'Replace the rich-text content of a draft revision (HTML, sanitised to an allow-list; 409 unless draft)',
        params: Id,
        body: Type.Object({ html: Type.String({ maxLength: MAX_CONTENT_HTML }) }, { additionalProperties: false }),
        response: { 200: DetailSchema },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        await setContent(tx, tenantOf(request), request.params.id, request.body.html);
        return documentDetail(tx, request.params.id);
      }),
  );

  api.post(
    '/documents/:id/files',
    {
      config: { permission: DOCUMENT_PERMISSIONS.write },
      schema: {
        tags,
        summary: `Attach a file to a draft revision (multipart/form-data, one file, at most ${MAX_FILE_BYTES} bytes; PDF, PNG, JPEG or Office)`,
        consumes: ['multipart/form-data'],
        params: Id,
        response: { 201: FileSchema },
      },
    },
    async (request, reply) => {
      const file = request.isMultipart() ? await request.file() : undefined;
      if (!file) {
        throw new ValidationFailed('send the file as multipart/form-data', [{ pointer: '/body/file', message: 'is required' }], {
          code: 'error.documents.file.missing',
        });
      }
      const content = await file.toBuffer().catch((err: { code?: string }) => {
        if (err.code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
        throw new ValidationFailed(
          `the file is larger than ${MAX_FILE_BYTES} bytes`,
          [{ pointer: '/body/file', message: `is larger than ${MAX_FILE_BYTES} bytes` }],
          { code: 'error.documents.file.tooLarge', params: { max: MAX_FILE_BYTES } },
        );
      });
      const attached = await inTenant(request, (tx) =>
        attachFile(tx, tenantOf(request), request.params.id, { fileName: file.filename, claimedType: file.mimetype, content }),
      );
      return reply.status(201).send(attached);
    },
  );

  api.get(
    '/documents/:id/files/:fileId',
    {
      config: { permission: DOCUMENT_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'A file, verified against the SHA-256 recorded at upload (header x-content-sha256); 409 if it was altered',
        description: 'PDF and images are served inline (for the preview) unless download=true; other files as attachments.',
        params: FileParams,
        querystring: Type.Object({ download: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      },
      // After the platform's security headers: an inline preview may be framed by our own pages.
      onSend: async (request, reply, payload) => {
        const override = (request as { documentFileHeaders?: Record<string, string> }).documentFileHeaders;
        if (override && reply.statusCode === 200) reply.headers(override);
        return payload;
      },
    },
    async (request, reply) => {
      const { file, content } = await inTenant(request, (tx) => readFile(tx, request.params.id, request.params.fileId));
      const headers = fileHeaders(file.mediaType, file.fileName, request.query.download === true);
      (request as { documentFileHeaders?: Record<string, string> }).documentFileHeaders = headers;
      return reply.headers(headers).header('x-content-sha256', file.sha256).header('cache-control', 'private, no-store').send(content);
    },
  );

  api.delete(
    '/documents/:id/files/:fileId',
    {
      config: { permission: DOCUMENT_PERMISSIONS.write },
      schema: { tags, summary: 'Remove a file from a draft revision', params: FileParams, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      await inTenant(request, (tx) => removeFile(tx, tenantOf(request), request.params.id, request.params.fileId));
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/documents/:id/diff',
    {
      config: { permission: DOCUMENT_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'What changed between two revisions of a document: title and content word by word, files by SHA-256',
        params: Id,
        querystring: Type.Object({ against: Type.String({ pattern: UUID_PATTERN }) }, { additionalProperties: false }),
        response: { 200: DiffSchema },
      },
    },
    async (request) => inTenant(request, (tx) => diffRevisions(tx, request.params.id, request.query.against)),
  );

  api.post(
    '/documents/:id/reviews',
    {
      config: { permission: DOCUMENT_PERMISSIONS.signReviewed },
      schema: {
        tags,
        summary: 'Sign the periodic review of an effective document (meaning reviewed; not by its author)',
        params: Id,
        body: Type.Object(
          { password: SignerPassword, totpCode: Type.Optional(SignerTotpCode), comment: Type.Optional(SignatureComment) },
          { additionalProperties: false },
        ),
        response: { 200: DetailSchema },
      },
    },
    async (request) => {
      const { password, totpCode, comment } = request.body;
      return inTenant(request, async (tx) => {
        await reviewDocument(tx, tenantOf(request), request.server.signerVerifier, request.params.id, {
          credentials: { password, totpCode },
          comment,
        });
        return documentDetail(tx, request.params.id);
      });
    },
  );

  api.get(
    '/documents/reviews-due',
    {
      config: { permission: DOCUMENT_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'Effective documents due for periodic review within the given days, overdue ones first',
        querystring: Type.Object(
          {
            withinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 366, description: 'due within this many days (default 30)' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Type.Intersect([DocumentSchema, Type.Object({ overdue: Type.Boolean() })])) }) },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => ({ items: await reviewsDue(tx, request.query.withinDays ?? 30, request.query.limit ?? 500) })),
  );

  api.put(
    '/documents/:id/distribution',
    {
      config: { permission: DOCUMENT_PERMISSIONS.write },
      schema: {
        tags,
        summary: 'Set the roles and work centers the document is distributed to (the document, every revision)',
        params: Id,
        body: Type.Object(
          {
            roles: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50, description: 'role names' }),
            workCenterIds: Type.Array(Type.String({ pattern: UUID_PATTERN }), { maxItems: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: DetailSchema },
      },
    },
    async (request) =>
      inTenant(request, async (tx) => {
        await setDistribution(tx, tenantOf(request), request.params.id, request.body);
        return documentDetail(tx, request.params.id);
      }),
  );

  api.get(
    '/documents/distributed',
    {
      config: { permission: DOCUMENT_PERMISSIONS.read },
      schema: {
        tags,
        summary: 'Effective documents distributed to any of the given roles or work centers',
        querystring: Type.Object(
          {
            roles: Type.Optional(Type.String({ maxLength: 2000, description: 'role names, comma-separated' })),
            workCenterIds: Type.Optional(Type.String({ maxLength: 2000, description: 'work center ids, comma-separated' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String({ format: 'uuid' }),
                number: Type.String(),
                revision: Type.Integer(),
                title: Type.String(),
                via: Type.Array(DistributionTargetSchema),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const list = (s: string | undefined) =>
        (s ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
      const workCenterIds = list(request.query.workCenterIds).filter((x) => new RegExp(UUID_PATTERN).test(x));
      return inTenant(request, async (tx) => ({ items: await distributedTo(tx, { roles: list(request.query.roles), workCenterIds }) }));
    },
  );
}
