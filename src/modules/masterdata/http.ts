import type { FastifyReply } from 'fastify';
import { setETag } from '../../platform/http/etag.js';

/** Answers a versioned record with its ETag, so the next change can send it back in If-Match. */
export function tagged<T extends { version: number }>(reply: FastifyReply, record: T): T {
  setETag(reply, record.version);
  return record;
}
