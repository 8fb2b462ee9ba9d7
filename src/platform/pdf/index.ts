export * from './model.js';
export * from './printable.js';
export { type PrintFacts, renderRecord } from './render.js';
