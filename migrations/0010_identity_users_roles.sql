-- Identity: people, their passwords and second factor, roles and role assignments, the tenant's
-- security policy. Users are deactivated, never deleted: the application role has no DELETE.

CREATE TABLE security_policies (
  tenant_id                uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  min_length               integer NOT NULL DEFAULT 12 CHECK (min_length BETWEEN 8 AND 128),
  history_count            integer NOT NULL DEFAULT 5 CHECK (history_count BETWEEN 0 AND 24),
  max_age_days             integer NOT NULL DEFAULT 90 CHECK (max_age_days BETWEEN 0 AND 3650),
  lockout_threshold        integer NOT NULL DEFAULT 5 CHECK (lockout_threshold BETWEEN 3 AND 20),
  lockout_minutes          integer NOT NULL DEFAULT 30 CHECK (lockout_minutes BETWEEN 1 AND 1440),
  idle_timeout_minutes     integer NOT NULL DEFAULT 15 CHECK (idle_timeout_minutes BETWEEN 1 AND 480),
  session_lifetime_hours   integer NOT NULL DEFAULT 12 CHECK (session_lifetime_hours BETWEEN 1 AND 72),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
SELECT mf_tenant_table('security_policies', 'SELECT, INSERT, UPDATE');

CREATE TABLE users (
  tenant_id             uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                    uuid NOT NULL DEFAULT mf_uuidv7(),
  -- §11.100(a)/§11.300(a): a login identifies one person forever, so it is unique per tenant,
  -- never changed and never freed (deactivated rows keep it).
  login                 text NOT NULL CHECK (login ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  full_name             text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  email                 text CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$'),
  language              text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'zh-CN')),
  active                boolean NOT NULL DEFAULT true,
  deactivated_at        timestamptz,
  password_changed_at   timestamptz NOT NULL,
  must_change_password  boolean NOT NULL DEFAULT true,
  failed_attempts       integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until          timestamptz,
  totp_enrolled_at      timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT users_login_unique UNIQUE (tenant_id, login),
  CHECK (active OR deactivated_at IS NOT NULL)
);
SELECT mf_tenant_table('users', 'SELECT, INSERT, UPDATE');

-- The secrets of a user, apart from the audited users table so that no password hash or TOTP
-- seed is ever copied into the audit trail. Seeds are sealed (AES-256-GCM) by the application.
CREATE TABLE user_credentials (
  tenant_id            uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  user_id              uuid NOT NULL,
  password_hash        text NOT NULL,
  totp_secret          text,
  totp_pending_secret  text,
  -- The last TOTP time step accepted: a code of this or an earlier step is a replay.
  totp_last_step       bigint,
  PRIMARY KEY (tenant_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
SELECT mf_tenant_table('user_credentials', 'SELECT, INSERT, UPDATE');

CREATE FUNCTION mf_users_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.login IS DISTINCT FROM OLD.login THEN
    RAISE EXCEPTION 'a login is never changed or reassigned (21 CFR 11.300(a))';
  END IF;
  IF OLD.deactivated_at IS NOT NULL AND NEW.active THEN
    RAISE EXCEPTION 'a deactivated user is not reactivated; create a new user';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER users_guard BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION mf_users_guard();

CREATE TABLE password_history (
  tenant_id    uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT mf_uuidv7(),
  user_id      uuid NOT NULL,
  hash         text NOT NULL,
  retired_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX password_history_user ON password_history (tenant_id, user_id, retired_at DESC);
SELECT mf_tenant_table('password_history', 'SELECT, INSERT');

CREATE TABLE recovery_codes (
  tenant_id    uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT mf_uuidv7(),
  user_id      uuid NOT NULL,
  code_hash    text NOT NULL,
  used_at      timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX recovery_codes_user ON recovery_codes (tenant_id, user_id);
-- Replaced codes are marked used rather than deleted.
SELECT mf_tenant_table('recovery_codes', 'SELECT, INSERT, UPDATE');

-- A role grants permission patterns resolved against the live catalog ('*:read', 'quality:*'),
-- so roles stay right when later modules add permissions.
CREATE TABLE roles (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT mf_uuidv7(),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description    text NOT NULL DEFAULT '',
  grants         text[] NOT NULL,
  requires_totp  boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name)
);
SELECT mf_tenant_table('roles', 'SELECT, INSERT, UPDATE');

-- An assignment with a site grants the role's permissions only on requests for that site.
CREATE TABLE user_roles (
  tenant_id    uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  user_id      uuid NOT NULL,
  role_id      uuid NOT NULL,
  site_id      uuid,
  granted_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id),
  UNIQUE NULLS NOT DISTINCT (tenant_id, user_id, role_id, site_id)
);
-- Assignments are replaced as a set; every change is a security event (Annex 11 §12.3).
SELECT mf_tenant_table('user_roles', 'SELECT, INSERT, DELETE');
