import { BadRequest } from '../errors.js';

/** The request header that carries the reason for a change (EU GMP Annex 11 §9). */
export const CHANGE_REASON_HEADER = 'x-change-reason';
const MAX_REASON = 1000;

/**
 * Reads the change reason from the header value. Headers are Latin-1, so the client
 * percent-encodes the UTF-8 text (encodeURIComponent); plain ASCII passes unchanged.
 */
export function parseChangeReason(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(', ') : header;
  let text: string;
  try {
    text = decodeURIComponent(value).trim();
  } catch {
    throw new BadRequest('X-Change-Reason must be percent-encoded UTF-8 text', { code: 'error.audit.reasonEncoding' });
  }
  if (text.length > MAX_REASON) {
    throw new BadRequest(`X-Change-Reason is longer than ${MAX_REASON} characters`, {
      code: 'error.audit.reasonTooLong',
      params: { max: MAX_REASON },
    });
  }
  return text || undefined;
}
