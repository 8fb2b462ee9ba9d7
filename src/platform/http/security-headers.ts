import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web app loads only its own scripts; Mantine and the API browser style elements inline, and
 * images may be data: URLs (QR codes, icons). No page of ours may be framed (clickjacking of a
 * signing dialog), and nothing else is loaded from anywhere.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
/** An API answer is data, never a document to render. */
const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * A printable record (application/pdf) opens in the browser's own PDF viewer, which draws the
 * document in a page it makes itself: that page needs its inline styles and the plugin to load
 * the document from here. Nothing else is allowed, and it may still not be framed. Only for the
 * records the server prints itself, answered inline.
 */
const PDF_POLICY = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** Answers that are data (the API, health, metrics); everything else may be a page or what a page loads. */
const DATA_PATHS = /^\/(api\/v1|health|metrics)(\/|\?|$)/;

/**
 * Security headers on every response: pages, files, API answers and errors alike. The policy
 * follows the path, not the content type: a 304 revalidating the web app has no content type,
 * and the browser takes the 304's policy for the page it keeps.
 */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  // Only our own records shown inline; an uploaded file (a certificate) is an attachment and keeps the data policy.
  const ownPdf =
    String(reply.getHeader('content-type') ?? '').startsWith('application/pdf') &&
    String(reply.getHeader('content-disposition') ?? '').startsWith('inline');
  reply.header('content-security-policy', ownPdf ? PDF_POLICY : DATA_PATHS.test(request.url) ? DATA_POLICY : PAGE_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  // The camera stays available to the app itself: tablets scan labels with it.
  reply.header('permissions-policy', 'camera=(self), microphone=(), geolocation=(), payment=()');
  // Only over https (directly, or behind a trusted proxy that says so): HSTS on plain http would lock a LAN install out.
  if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}
