/** Webhook subscriptions and their deliveries as the /webhooks endpoints return them. */
export interface Webhook {
  id: string;
  url: string;
  description: string;
  /** Event type patterns, e.g. `documents.document.*`. */
  events: string[];
  active: boolean;
  version: number;
  /** After a rotation: until when deliveries are also signed with the previous secret. */
  previousSecretValidUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}
