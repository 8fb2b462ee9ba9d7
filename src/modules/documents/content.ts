import sanitizeHtml from 'sanitize-html';
import { raw, sql, type Tx } from '../../platform/db/index.js';
import { Conflict, NotFound, ValidationFailed } from '../../platform/errors.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import type { DocumentStatus } from './contract.js';

/** Largest rich-text content accepted, before and after sanitising (characters of HTML). */
export const MAX_CONTENT_HTML = 200_000;

/**
 * What a document's content may contain: the structure a procedure needs (headings, paragraphs,
 * lists, tables, emphasis, code, links) and nothing that runs. Every other tag is dropped with
 * its markup (its text stays), every attribute not listed here is dropped, and links may only
 * go to http(s) or mailto addresses.
 */
const POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'ul',
    'ol',
    'li',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'sub',
    'sup',
    'mark',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Script and style elements go with their text: it is code, not content.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
};

/** The content as it may be stored and shown: the allow-list applied. */
export const sanitizeContent = (html: string): string => sanitizeHtml(html, POLICY).trim();

const BLOCK = /<\/(h[1-4]|p|blockquote|pre|li|tr|table|ul|ol)>|<br\s*\/?>|<hr\s*\/?>/gi;

/**
 * The plain-text rendering of sanitised content: one line per block, list items marked, cells
 * separated by a bar. The signature covers it and the diff between revisions compares it.
 */
export function contentText(html: string): string {
  const marked = html
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<\/t[hd]>/gi, ' | ')
    .replace(BLOCK, '\n');
  const text = sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {} });
  return decodeEntities(text)
    .split('\n')
    .map((line) =>
      line
        .replace(/[ \t\u00a0]+/g, ' ')
        .replace(/ \| $/, '')
        .trim(),
    )
    .filter((line) => line !== '')
    .join('\n')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };
const decodeEntities = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

export const notDraft = (what: string, doc: { number: string; revision: number; status: DocumentStatus }): Conflict =>
  new Conflict(`document ${doc.number} rev ${doc.revision} is ${doc.status}; ${what} only while it is a draft`, {
    code: 'error.documents.notDraft',
    params: { number: doc.number, revision: doc.revision, status: doc.status },
  });

/** The revision, locked, if it is a draft; a 409 otherwise. */
export async function lockDraft(
  tx: Tx,
  id: string,
  what: string,
): Promise<{ id: string; number: string; revision: number; status: DocumentStatus }> {
  const { rows } = await tx.query<{ id: string; number: string; revision: number; status: DocumentStatus }>(
    sql`SELECT id, number, revision, status FROM documents WHERE id = ${id} FOR UPDATE`,
  );
  const doc = rows[0];
  if (!doc) throw new NotFound(`document ${id} not found`, { code: 'error.documents.notFound', params: { id } });
  if (doc.status !== 'draft') throw notDraft(what, doc);
  return doc;
}

export interface DocumentContent {
  html: string;
  text: string;
}

/**
 * Replaces a draft revision's rich-text content with its sanitised form and the plain-text
 * rendering of it. The editor becomes the revision's last content editor (who may not approve it).
 */
export async function setContent(tx: Tx, ctx: TenantContext, id: string, html: string): Promise<DocumentContent> {
  await lockDraft(tx, id, 'its content can be edited');
  const clean = sanitizeContent(html);
  if (clean.length > MAX_CONTENT_HTML) {
    throw new ValidationFailed(
      `the content is longer than ${MAX_CONTENT_HTML} characters`,
      [{ pointer: '/body/html', message: `must be at most ${MAX_CONTENT_HTML} characters` }],
      { code: 'error.documents.contentTooLong', params: { max: MAX_CONTENT_HTML } },
    );
  }
  const text = contentText(clean);
  await tx.query(
    sql`UPDATE documents SET content_html = ${clean}, body = ${text}, content_editor_id = ${ctx.actor.id}, content_editor_name = ${ctx.actor.name},
          version = version + 1, updated_at = now() WHERE id = ${id}`,
  );
  return { html: clean, text };
}

export async function getContent(tx: Tx, id: string): Promise<DocumentContent> {
  const { rows } = await tx.query<{ html: string; text: string }>(
    sql`SELECT ${raw('content_html AS html, body AS text')} FROM documents WHERE id = ${id}`,
  );
  return rows[0] ?? { html: '', text: '' };
}
