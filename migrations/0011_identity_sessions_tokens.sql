-- Identity: sessions of people and API tokens of machines.
-- Only SHA-256 hashes of session and token secrets are stored.

CREATE TABLE sessions (
  tenant_id          uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                 uuid NOT NULL DEFAULT mf_uuidv7(),
  user_id            uuid NOT NULL,
  token_hash         text NOT NULL UNIQUE,
  csrf_token         text NOT NULL,
  state              text NOT NULL CHECK (state IN ('password_change_required', 'totp_required', 'totp_enrollment_required', 'active')),
  second_factor_at   timestamptz,
  -- Set by the first signing that used every factor (§11.200(a)(1)(i)).
  full_signing_at    timestamptz,
  created_at         timestamptz NOT NULL,
  last_seen_at       timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  revoked_at         timestamptz,
  revoked_reason     text,
  ip                 text,
  user_agent         text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id) WHERE revoked_at IS NULL;
SELECT mf_tenant_table('sessions', 'SELECT, INSERT, UPDATE');

CREATE TABLE api_tokens (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT mf_uuidv7(),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  owner_id       uuid NOT NULL,
  token_hash     text NOT NULL UNIQUE,
  prefix         text NOT NULL,
  scopes         text[] NOT NULL CHECK (cardinality(scopes) > 0),
  site_id        uuid,
  expires_at     timestamptz NOT NULL,
  created_by     uuid NOT NULL,
  created_at     timestamptz NOT NULL,
  last_used_at   timestamptz,
  revoked_at     timestamptz,
  revoked_by     uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)
);
SELECT mf_tenant_table('api_tokens', 'SELECT, INSERT, UPDATE');
