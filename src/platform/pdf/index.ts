export * from './model.js';
export * from './printable.js';
export { fontFiles, type PrintFacts, renderRecord } from './render.js';
