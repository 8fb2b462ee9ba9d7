-- Outbound webhooks: per-tenant subscriptions (secret sealed with the server key) and the
-- delivery log, one row per (subscription, event), retried with backoff, dead-lettered.

CREATE TABLE webhook_subscriptions (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id             uuid NOT NULL,
  url            text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  description    text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  event_types    text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 50),
  secret_sealed  text NOT NULL,
  active         boolean NOT NULL DEFAULT true,
  version        integer NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT mf_tenant_table('webhook_subscriptions');

CREATE TABLE webhook_deliveries (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL,
  subscription_id   uuid NOT NULL,
  event_id          uuid NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  last_attempt_at   timestamptz,
  last_status_code  integer,
  last_error        text,
  delivered_at      timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, subscription_id, event_id),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES webhook_subscriptions (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, event_id) REFERENCES outbox_events (tenant_id, id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (tenant_id, event_id);
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (tenant_id, subscription_id, created_at DESC);
SELECT mf_tenant_table('webhook_deliveries', 'SELECT, INSERT, UPDATE');
