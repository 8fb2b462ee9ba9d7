import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SignatureSchema } from '../../platform/esign/contract.js';
import { SignatureComment, SignerPassword, SignerTotpCode } from '../../platform/esign/index.js';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { UUID_PATTERN } from '../../platform/ids.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { DOCUMENT_KINDS, DOCUMENT_PERMISSIONS, DOCUMENT_STATUSES } from './contract.js';
import { createDocument, documentDetail, listDocuments, reviseDocument, transitionDocument, updateDocument } from './service.js';

const Status = Type.Enum(DOCUMENT_STATUSES);
const Kind = Type.Enum(DOCUMENT_KINDS);
const Id = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) }, { additionalProperties: false });
const Title = Type.String({ minLength: 1, maxLength: 300 });
const Summary = Type.String({ maxLength: 2000 });
const Body = Type.String({ maxLength: 200_000 });
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
  version: Type.Integer({ description: 'row version; the ETag of the document' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const DetailSchema = Type.Intersect([
  DocumentSchema,
  Type.Object({ signatures: Type.Array(SignatureSchema), allowedTransitions: Type.Array(Status) }),
]);

export function documentRoutes(app: App): void {
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
          { kind: Kind, title: Title, summary: Type.Optional(Summary), body: Type.Optional(Body), owner: Owner },
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
          { title: Type.Optional(Title), summary: Type.Optional(Summary), body: Type.Optional(Body), owner: Type.Optional(Owner) },
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
