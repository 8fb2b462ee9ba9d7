/**
 * Domain errors are values with a stable type and a human detail, mapped once to RFC 9457
 * problem+json at the HTTP edge. `code` is the translation key the UI shows; `params` fill it.
 */
export interface FieldError {
  /** JSON pointer into the request, e.g. `/body/lines/0/quantity`. */
  pointer: string;
  message: string;
  /** Translation code of the message, so the person reads it in their language. */
  code?: string;
  params?: Record<string, string | number>;
}

export interface ProblemOptions {
  code?: string;
  params?: Record<string, string | number>;
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly slug: string;
  abstract readonly title: string;
  readonly code: string | undefined;
  readonly params: Record<string, string | number> | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(detail: string, opts: ProblemOptions = {}) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.params = opts.params;
    this.extensions = opts.extensions;
  }
}

export class BadRequest extends DomainError {
  readonly status = 400;
  readonly slug = 'bad-request';
  readonly title = 'Bad request';
}

export class ValidationFailed extends DomainError {
  readonly status: number = 422;
  readonly slug = 'validation';
  readonly title = 'The request is not valid';
  constructor(
    detail: string,
    readonly errors: FieldError[],
    opts: ProblemOptions = {},
  ) {
    super(detail, opts);
  }
}

/**
 * Every objection to a request in one problem: a single one lends it its own code and params (the
 * person reads that sentence), several the general `code` with each field's own.
 */
export function invalidFields(detail: string, errors: FieldError[], code: string): ValidationFailed {
  const only = errors.length === 1 ? errors[0] : undefined;
  return new ValidationFailed(detail, errors, { code: only?.code ?? code, ...(only?.params ? { params: only.params } : {}) });
}

/** Input the schema cannot express (control characters, say): 400 with every field error at once. */
export class BadInput extends ValidationFailed {
  override readonly status = 400;
}

export class Unauthorized extends DomainError {
  readonly status = 401;
  readonly slug = 'unauthorized';
  readonly title = 'Authentication required';
}

export class Forbidden extends DomainError {
  readonly status = 403;
  readonly slug = 'forbidden';
  readonly title = 'Not permitted';
}

export class NotFound extends DomainError {
  readonly status = 404;
  readonly slug = 'not-found';
  readonly title = 'Not found';
}

export class Conflict extends DomainError {
  readonly status = 409;
  readonly slug = 'conflict';
  readonly title = 'Conflict with the current state';
}

export class PreconditionFailed extends DomainError {
  readonly status = 412;
  readonly slug = 'precondition-failed';
  readonly title = 'The record has changed';
}

export class PreconditionRequired extends DomainError {
  readonly status = 428;
  readonly slug = 'precondition-required';
  readonly title = 'If-Match required';
}

export class TooManyRequests extends DomainError {
  readonly status = 429;
  readonly slug = 'too-many-requests';
  readonly title = 'Too many requests';
}

export class ServiceUnavailable extends DomainError {
  readonly status = 503;
  readonly slug = 'unavailable';
  readonly title = 'Service unavailable';
}

export const problemType = (slug: string): string => `urn:mediforge:problem:${slug}`;
