export * from './context.js';
export * from './service.js';
