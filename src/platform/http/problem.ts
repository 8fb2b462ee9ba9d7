import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldError, problemType } from '../errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  code?: string;
  params?: Record<string, string | number>;
  errors?: FieldError[];
  [extension: string]: unknown;
}

type PgProblem = Pick<Problem, 'type' | 'title' | 'status' | 'detail'> & { code: string };

interface PgError {
  code: string;
  detail?: string;
  constraint?: string;
  message: string;
}

const isPgError = (e: unknown): e is PgError =>
  typeof e === 'object' && e !== null && typeof (e as PgError).code === 'string' && /^[0-9A-Z]{5}$/.test((e as PgError).code);

/** SQLSTATE classes a client can act on; anything else is our fault and answers 500. */
function fromPgError(e: PgError): PgProblem | undefined {
  const base = (status: number, slug: string, title: string, detail: string, code: string): PgProblem => ({
    type: problemType(slug),
    title,
    status,
    detail,
    code,
  });
  switch (e.code) {
    // Details are our own words: a database message or constraint name never reaches a person.
    case '23505':
      return base(409, 'conflict', 'Conflict with the current state', 'a record with these values already exists', 'error.duplicate');
    case '23503':
      return base(
        409,
        'conflict',
        'Conflict with the current state',
        'the record refers to a record that does not exist, or is still referred to',
        'error.reference',
      );
    case '23502':
    case '23514':
      return base(422, 'validation', 'The request is not valid', 'a value is missing or breaks a rule of the record', 'error.invalid');
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22001':
    case '22021':
    case '22P05':
    case '2200D':
    case '22023':
      return base(
        400,
        'validation',
        'The request is not valid',
        'a value is out of range, too long or not in the expected form',
        'error.invalid',
      );
    case '42501':
      return base(
        403,
        'forbidden',
        'Not permitted',
        'the record belongs to another tenant or the action is not permitted',
        'error.forbidden',
      );
    case '40001':
    case '40P01':
    case '55P03':
      return base(
        409,
        'concurrent-change',
        'Concurrent change',
        'another change to the same records happened at the same time; try again',
        'error.concurrent',
      );
    case 'MFRSN':
      return base(
        422,
        'reason-required',
        'A reason for the change is required',
        'this record is approved or released: give the reason for the change (X-Change-Reason header)',
        'error.audit.reasonRequired',
      );
    case 'MFSOD':
      return base(
        409,
        'separation-of-duties',
        'Separation of duties',
        'the same person may not do both: another person must',
        'error.separationOfDuties',
      );
    case 'P0001':
      // Our own triggers' rules, written for people (e.g. "a login is never changed").
      return base(409, 'conflict', 'Conflict with the current state', e.message, 'error.rule');
    default:
      return undefined;
  }
}

export function toProblem(err: unknown, request: FastifyRequest): Problem {
  const ctx = { instance: request.url, requestId: String(request.id) };
  if (err instanceof DomainError) {
    const p: Problem = {
      type: problemType(err.slug),
      title: err.title,
      status: err.status,
      detail: err.message,
      ...ctx,
      ...(err.code ? { code: err.code } : {}),
      ...(err.params ? { params: err.params } : {}),
      ...(err.extensions ?? {}),
    };
    if ('errors' in err) p.errors = (err as { errors: FieldError[] }).errors;
    return p;
  }
  const fe = err as FastifyError;
  if (fe?.validation) {
    const where = fe.validationContext ?? 'body';
    // Every objection at once: the schema's, and the text checks made before it ran.
    const found = (request as { textErrors?: FieldError[] | null }).textErrors ?? [];
    const schemaErrors: FieldError[] = fe.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string })?.missingProperty;
      const extra = (v.params as { additionalProperty?: string })?.additionalProperty;
      const path = `${v.instancePath}${missing ? `/${missing}` : ''}${extra ? `/${extra}` : ''}`;
      return { pointer: `/${where}${path}`, message: extra ? 'is not an allowed field' : (v.message ?? 'is invalid') };
    });
    const errors = [...found, ...schemaErrors.filter((e) => !found.some((f) => f.pointer === e.pointer))];
    return {
      type: problemType('validation'),
      title: 'The request is not valid',
      status: 400,
      detail: errors.map((e) => `${e.pointer} ${e.message}`).join('; '),
      code: 'error.validation',
      errors,
      ...ctx,
    };
  }
  if (isPgError(err)) {
    const p = fromPgError(err);
    if (p) return { ...p, ...ctx };
  }
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      type: problemType(fe.statusCode === 404 ? 'not-found' : 'bad-request'),
      title: fe.statusCode === 404 ? 'Not found' : 'Bad request',
      status: fe.statusCode,
      detail: fe.message,
      code: 'error.badRequest',
      ...ctx,
    };
  }
  return {
    type: problemType('internal'),
    title: 'Internal error',
    status: 500,
    detail: `the server could not complete the request; quote reference ${ctx.requestId} to support`,
    code: 'error.internal',
    ...ctx,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json').send(problem);
}
