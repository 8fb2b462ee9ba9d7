export * from './app.js';
export * from './etag.js';
export * from './idempotency.js';
export * from './problem.js';
