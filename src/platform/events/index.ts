export * from './cloudevents.js';
export { DEFAULT_RETRY, Dispatcher, type DispatcherOptions, type Pump } from './dispatcher.js';
export { emit, type NewEvent } from './outbox.js';
export { isEventPattern, matchesType } from './patterns.js';
export type * from './types.js';
