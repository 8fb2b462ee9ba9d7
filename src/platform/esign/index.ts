export * from './canonical.js';
export * from './contract.js';
export * from './duties.js';
export * from './manifest.js';
export * from './permissions.js';
export * from './signatures.js';
export * from './types.js';
