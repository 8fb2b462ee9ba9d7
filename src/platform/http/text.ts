import type { FastifyRequest } from 'fastify';
import type { FieldError } from '../errors.js';

/**
 * Characters no field of a record takes: NUL and the other C0/C1 controls, DEL, byte-order
 * marks, bidirectional overrides and isolates (they make "ABC-123" display as something else on
 * a label or in an audit trail), and lone UTF-16 surrogates, which are not text at all.
 */
const NEVER = new RegExp(
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]' +
    '|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
);
/** Line breaks and tabs: fine in free text, never in a name, code, number, reason or identifier. */
const LINE_BREAK = /[\t\n\r]/;
/** Fields of free, multi-line text by their name; every other string is a single line. */
const MULTILINE = /(description|comment|comments|note|notes|text|content|remarks|justification|address|instructions|conditions)$/i;
/**
 * Fields holding what a barcode scanner sent: GS1 element strings separate variable-length data
 * with the group separator (GS, U+001D), which is content there and nowhere else.
 */
const SCANNED = /^(scan|gs1)$/i;
const GROUP_SEPARATOR = '\u001D';
const MAX_DEPTH = 32;

export const CONTROL_CHARACTER = 'error.input.controlCharacter';
export const LINE_BREAK_CODE = 'error.input.lineBreak';

/** Why a string is refused, or undefined when it is plain text. */
export function textProblem(value: string, multiline: boolean): string | undefined {
  if (NEVER.test(value)) return CONTROL_CHARACTER;
  if (!multiline && LINE_BREAK.test(value)) return LINE_BREAK_CODE;
  return undefined;
}

const escapePointer = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

function scan(value: unknown, pointer: string, multiline: boolean, out: FieldError[], depth: number): void {
  if (typeof value === 'string') {
    const code = textProblem(value, multiline);
    if (code)
      out.push({ pointer, message: code === CONTROL_CHARACTER ? 'holds a control or invisible character' : 'must be one line', code });
    return;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  for (const [key, child] of Object.entries(value)) {
    const at = `${pointer}/${escapePointer(key)}`;
    if (textProblem(key, false)) out.push({ pointer: at, message: 'the field name holds a control character', code: CONTROL_CHARACTER });
    else if (SCANNED.test(key) && typeof child === 'string') scan(child.replaceAll(GROUP_SEPARATOR, ''), at, false, out, depth + 1);
    else scan(child, at, Array.isArray(value) ? multiline : MULTILINE.test(key), out, depth + 1);
  }
}

/** Headers the application reads as text; each must be plain text too. */
const TEXT_HEADERS = ['idempotency-key', 'x-site-id', 'x-request-id', 'if-match'];

/**
 * Every string of a request that would reach the database or the audit trail: path parameters,
 * query, body and the text headers. All findings at once, each naming its field.
 */
export function requestTextErrors(request: FastifyRequest): FieldError[] {
  const out: FieldError[] = [];
  scan(request.params, '/params', false, out, 0);
  scan(request.query, '/query', false, out, 0);
  scan(request.body, '/body', false, out, 0);
  for (const name of TEXT_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string' && textProblem(value, false)) {
      out.push({ pointer: `/header/${name}`, message: 'holds a control character', code: CONTROL_CHARACTER });
    }
  }
  return out;
}
