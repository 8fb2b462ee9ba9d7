-- Idempotency-Key: the stored response of a POST, written in the same transaction as its
-- effect, replayed for the same caller, key and request for 24 hours.

CREATE TABLE idempotency_keys (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  caller           text NOT NULL,
  key              text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash     text NOT NULL,
  response_status  integer NOT NULL,
  -- Sealed with the server key like other secrets: a response may carry one shown only once.
  response_sealed  text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL DEFAULT now() + interval '24 hours',
  PRIMARY KEY (tenant_id, caller, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
SELECT mf_tenant_table('idempotency_keys', 'SELECT, INSERT, DELETE');
