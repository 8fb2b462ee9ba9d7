/**
 * The one way the web app talks to the API: JSON in and out, the CSRF token on every unsafe
 * request, the chosen site in `x-site-id`, and problem+json turned into an ApiError.
 */
export interface FieldProblem {
  pointer: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  params?: Record<string, string | number>;
  errors?: FieldProblem[];
  requestId?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const BASE = '/api/v1';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

let csrfToken: string | null = null;
let siteId: string | null = localStorage.getItem('mf.site');
const expiredListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function currentSiteId(): string | null {
  return siteId;
}

export function setSiteId(id: string | null): void {
  siteId = id;
  if (id) localStorage.setItem('mf.site', id);
  else localStorage.removeItem('mf.site');
}

/** Called when an authenticated request answers 401: the session ended or expired. */
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** `If-Match` with the record's version (ETag), so an update never overwrites another unseen. */
  version?: number;
  /** `Idempotency-Key`: one per logical action, so a retried create happens once. */
  idempotencyKey?: string;
  /** `X-Change-Reason`: why a record in a locked state changes; the audit trail records it. */
  reason?: string;
}

/** 401s that mean "no session any more"; others (wrong password, wrong code) are answers to show. */
const SESSION_ENDED = new Set(['error.identity.sessionExpired', 'error.identity.unauthenticated', 'error.unauthorized']);

export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  // A FormData body (a file upload) sets its own multipart content type with the boundary.
  const multipart = opts.body instanceof FormData;
  if (opts.body !== undefined && !multipart) headers['content-type'] = 'application/json';
  if (!SAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (siteId) headers['x-site-id'] = siteId;
  if (opts.version !== undefined) headers['if-match'] = `"v${opts.version}"`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  if (opts.reason) headers['x-change-reason'] = encodeURIComponent(opts.reason);
  let res: Response;
  try {
    res = await fetch(BASE + withQuery(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? null : multipart ? (opts.body as FormData) : JSON.stringify(opts.body),
      signal: opts.signal ?? null,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'error.network', detail: 'the server cannot be reached' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const problem: Problem =
      data && typeof data === 'object'
        ? { ...(data as Problem), status: res.status }
        : { status: res.status, detail: text || res.statusText };
    if (res.status === 401 && SESSION_ENDED.has(problem.code ?? '')) for (const l of expiredListeners) l();
    throw new ApiError(problem);
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, { body: body ?? {} });
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, { body });
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, { body });
export const del = <T>(path: string) => api<T>('DELETE', path);

/** Sends one file as multipart/form-data (field `file`), with the same CSRF, site and error handling. */
export function upload<T>(path: string, file: File): Promise<T> {
  const body = new FormData();
  body.append('file', file, file.name);
  return api<T>('POST', path, { body });
}
