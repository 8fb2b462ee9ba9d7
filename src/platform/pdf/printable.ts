import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql, type Tx } from '../db/index.js';
import type { Signature } from '../esign/types.js';
import { type App, inTenant, tenantOf } from '../http/app.js';
import { LANGUAGES, pickLanguage, translator } from '../i18n.js';
import { Id } from '../schema.js';
import { getSite, type TenantContext } from '../tenancy/index.js';
import type { RecordDocument, SignatureEntry, Text } from './model.js';
import { renderRecord } from './render.js';

/** What a module's loader answers: the record document without the organisation, which the platform adds from `siteId`. */
export type PrintableRecord = Omit<RecordDocument, 'tenant' | 'site' | 'timeZone'> & {
  /** The record's site: its name heads the page and its time zone shows every instant. */
  siteId: string;
};

export interface PrintableOptions {
  /** Under /api/v1, with `:id`, e.g. `/purchasing/orders/:id/pdf`. */
  path: string;
  /**
   * The permission that reads the record (a `…read` permission): printing is reading. A record
   * assembled from several modules' records lists each one's read permission; the caller needs all.
   */
  permission: string | readonly [string, ...string[]];
  summary: string;
  tags: string[];
  /** Reads the record in the caller's tenant transaction; throws NotFound when there is none. */
  load: (tx: Tx, ctx: TenantContext, id: string) => Promise<PrintableRecord>;
}

/** A record's signatures as the document prints them (the kernel's `listSignatures`/`manifestedSignatures`), oldest first. */
export function signatureEntries(signatures: readonly Signature[], on?: Text): SignatureEntry[] {
  return signatures.map((s) => ({
    id: s.id,
    ...(on === undefined ? {} : { on }),
    name: s.signer.name,
    login: s.signer.login,
    meaning: s.meaning,
    signedAt: s.signedAt,
    comment: s.comment,
    valid: s.valid,
  }));
}

/** The document with the organisation filled in: tenant and site names, the site's time zone. */
export async function completeDocument(tx: Tx, record: PrintableRecord): Promise<RecordDocument> {
  const { siteId, ...rest } = record;
  const site = await getSite(tx, siteId);
  const { rows } = await tx.query<{ name: string }>(sql`SELECT name FROM tenants WHERE id = mf_current_tenant()`);
  return { ...rest, tenant: rows[0]?.name ?? '', site: `${site.code} ${site.name}`, timeZone: site.timeZone };
}

/**
 * A printable record (Part 11 §11.10(b)): `GET <path>` answers the record as a PDF in the
 * caller's language (`?lang=`, else Accept-Language, else English), inline, named by its number.
 * Reading it needs the record's read permission; another tenant's id is 404 like any record.
 */
export function printable(app: App, options: PrintableOptions): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const [permission, ...alsoNeeded] = typeof options.permission === 'string' ? [options.permission] : options.permission;
  api.get(
    options.path,
    {
      config: { permission },
      schema: {
        tags: options.tags,
        summary: options.summary,
        description:
          'application/pdf, inline. The footer of each page shows page X of Y, the record id, who printed it and when, and the SHA-256 content hash of the record document (docs/DEVELOPING.md, Printable records).',
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        querystring: Type.Object(
          { lang: Type.Optional(Type.Enum(LANGUAGES, { description: "the reader's language; default from Accept-Language" })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const ctx = tenantOf(request);
      for (const needed of alsoNeeded) await request.server.guard?.(request, needed);
      const language = pickLanguage(request.query.lang, request.headers['accept-language']);
      const { doc, printedAt } = await inTenant(request, async (tx) => {
        const doc = await completeDocument(tx, await options.load(tx, ctx, request.params.id));
        const { rows } = await tx.query<{ at: string }>(sql`SELECT now() AS at`);
        return { doc, printedAt: rows[0]!.at };
      });
      const { pdf, hash } = await renderRecord(doc, { printedAt, printedBy: ctx.actor.name, translator: translator(language) });
      const filename = doc.number.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${filename}.pdf"`)
        .header('content-language', language)
        .header('x-content-sha256', hash)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
}
