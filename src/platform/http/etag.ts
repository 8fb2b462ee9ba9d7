import type { FastifyReply, FastifyRequest } from 'fastify';
import { PreconditionFailed, PreconditionRequired } from '../errors.js';

/**
 * Optimistic concurrency for versioned records (an integer `version` column raised by every
 * update): the ETag is the version, a PATCH/PUT must send it back in If-Match, and the update
 * applies only `WHERE version = ANY(<versions>)`. No lost updates, no locks held across requests.
 */
export const etagOf = (version: number): string => `"v${version}"`;

export function setETag(reply: FastifyReply, version: number): FastifyReply {
  return reply.header('etag', etagOf(version));
}

const TAG = /^"v(\d{1,9})"$/;

/** The versions the caller's If-Match accepts; 428 without one, 412 when none can match. */
export function ifMatchVersions(request: FastifyRequest): number[] {
  if (!request.routeOptions.config.ifMatch) {
    // The OpenAPI document must say so: a route that reads If-Match declares config.ifMatch.
    throw new Error(`${request.routeOptions.method} ${request.routeOptions.url} reads If-Match without declaring config.ifMatch`);
  }
  const header = request.headers['if-match'];
  if (!header || header.trim() === '*') {
    throw new PreconditionRequired('send If-Match with the ETag of the version you are changing, so no update is lost', {
      code: 'error.precondition.required',
    });
  }
  const versions = header
    .split(',')
    .map((t) => TAG.exec(t.trim())?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
  if (versions.length === 0) throw staleRecord();
  return versions;
}

export function staleRecord(what = 'the record'): PreconditionFailed {
  return new PreconditionFailed(`${what} was changed since you read it; reload it and apply your change again`, {
    code: 'error.precondition.stale',
  });
}
