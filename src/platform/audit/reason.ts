import { sql, type Tx } from '../db/index.js';
import { BadInput, BadRequest } from '../errors.js';
import { CONTROL_CHARACTER, textProblem } from '../http/text.js';

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
  const problem = textProblem(text, false);
  if (problem) {
    throw new BadInput(
      'X-Change-Reason must be one line of plain text',
      [{ pointer: `/header/${CHANGE_REASON_HEADER}`, message: 'holds a control character or line break', code: problem }],
      { code: CONTROL_CHARACTER },
    );
  }
  return text || undefined;
}

/**
 * Runs fn with `reason` as the audit reason of the changes it makes, then restores the
 * request's own reason: for changes the system makes on the person's behalf (a superseded
 * revision, a state change taken by a workflow step).
 */
export async function withChangeReason<T>(tx: Tx, reason: string, fn: () => Promise<T>): Promise<T> {
  const { rows } = await tx.query<{ previous: string }>(
    sql`SELECT coalesce(current_setting('app.reason', true), '') AS previous, set_config('app.reason', ${reason}, true)`,
  );
  const result = await fn();
  await tx.query(sql`SELECT set_config('app.reason', ${rows[0]?.previous ?? ''}, true)`);
  return result;
}
