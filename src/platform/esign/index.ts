export * from './canonical.js';
export * from './duties.js';
export * from './manifest.js';
export * from './permissions.js';
export * from './schema.js';
export * from './signatures.js';
export * from './types.js';
