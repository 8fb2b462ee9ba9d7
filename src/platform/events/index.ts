export * from './cloudevents.js';
export { DEFAULT_RETRY, Dispatcher, type DispatcherOptions, type Pump } from './dispatcher.js';
export { NATS_STREAM, natsBridge, natsSubject } from './nats.js';
export { emit, type NewEvent } from './outbox.js';
export { isEventPattern, matchesType } from './patterns.js';
export { startEvents } from './runtime.js';
export type * from './types.js';
export { WEBHOOK_PERMISSION, webhookPermissions, webhookRoutes } from './webhooks/routes.js';
export { signatureHeaders, verifyWebhookSignature } from './webhooks/signature.js';
