export * from './permissions.js';
export * from './reason.js';
export * from './seal.js';
export * from './trail.js';
export * from './watch.js';
