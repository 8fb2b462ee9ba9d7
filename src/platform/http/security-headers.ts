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

/** Security headers on every response: pages, files, API answers and errors alike. */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  const type = String(reply.getHeader('content-type') ?? '');
  reply.header('content-security-policy', type.startsWith('text/html') ? PAGE_POLICY : DATA_POLICY);
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
