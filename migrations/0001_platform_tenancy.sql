-- Platform kernel: the application role, tenant context, UUIDv7, tenants, sites, numbering.

-- The role every request runs under (SET LOCAL ROLE). It is not a superuser and does not own
-- tables, so row-level security applies to it. Roles are cluster-wide: create it once.
DO $$
BEGIN
  CREATE ROLE mediforge_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END $$;

GRANT USAGE ON SCHEMA public TO mediforge_app;

-- Tenant context set by withTenant() with set_config(..., true): empty means "no tenant".
CREATE FUNCTION mf_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE FUNCTION mf_current_site() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.site_id', true), '')::uuid $$;

-- UUIDv7 for rows inserted by raw SQL; the application makes its own in TypeScript.
CREATE FUNCTION mf_uuidv7() RETURNS uuid
  LANGUAGE sql VOLATILE
  AS $$
    SELECT encode(
      set_bit(set_bit(
        overlay(uuid_send(gen_random_uuid())
          PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
          FROM 1 FOR 6),
        52, 1), 53, 1), 'hex')::uuid
  $$;

-- Makes a table tenant-owned: RLS enabled and forced, one policy keyed on the tenant context,
-- and the application role's privileges. Every tenant-owned table calls this once.
CREATE FUNCTION mf_tenant_table(tbl regclass, privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE')
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (tenant_id = mf_current_tenant()) WITH CHECK (tenant_id = mf_current_tenant())',
    tbl);
  EXECUTE format('GRANT %s ON %s TO mediforge_app', privileges, tbl);
END $$;

CREATE TABLE tenants (
  id          uuid PRIMARY KEY DEFAULT mf_uuidv7(),
  code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = mf_current_tenant());
GRANT SELECT ON tenants TO mediforge_app;

CREATE TABLE sites (
  tenant_id   uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT mf_uuidv7(),
  code        text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  time_zone   text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
SELECT mf_tenant_table('sites', 'SELECT, INSERT, UPDATE');

-- Human numbers per tenant, kind and year (WO-2026-00017). The row lock taken by the upsert is
-- held to COMMIT, so concurrent numbering serialises per kind and a rollback leaves no gap.
CREATE TABLE number_sequences (
  tenant_id   uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  kind        text NOT NULL,
  period      integer NOT NULL,
  last_value  bigint NOT NULL CHECK (last_value > 0),
  PRIMARY KEY (tenant_id, kind, period)
);
SELECT mf_tenant_table('number_sequences', 'SELECT, INSERT, UPDATE');
