-- Master data: work centers with a weekly calendar, equipment with calibration due dates, and
-- storage locations per site.

CREATE TABLE work_centers (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT mf_uuidv7(),
  code             text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  site_id          uuid NOT NULL,
  capacity_hours_per_day numeric NOT NULL CHECK (capacity_hours_per_day >= 0),
  -- ISO weekdays (1 = Monday … 7 = Sunday) the work center works.
  working_days     smallint[] NOT NULL DEFAULT '{1,2,3,4,5}'
                   CHECK (working_days <@ '{1,2,3,4,5,6,7}'::smallint[] AND cardinality(working_days) BETWEEN 1 AND 7),
  subcontracted    boolean NOT NULL DEFAULT false,
  active           boolean NOT NULL DEFAULT true,
  version     integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)
);
SELECT mf_tenant_table('work_centers', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('work_centers');

CREATE TABLE equipment (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT mf_uuidv7(),
  code             text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  work_center_id   uuid NOT NULL,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'out_of_service')),
  -- Null: the equipment needs no calibration (e.g. a bench).
  calibration_due  date,
  version     integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  FOREIGN KEY (tenant_id, work_center_id) REFERENCES work_centers (tenant_id, id)
);
SELECT mf_tenant_table('equipment', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('equipment');

CREATE TABLE storage_locations (
  tenant_id   uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT mf_uuidv7(),
  site_id     uuid NOT NULL,
  warehouse   text NOT NULL CHECK (warehouse ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
  zone        text CHECK (zone ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
  bin         text CHECK (bin ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind        text NOT NULL CHECK (kind IN ('quarantine', 'released', 'rejected', 'production', 'shipping')),
  active      boolean NOT NULL DEFAULT true,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE NULLS NOT DISTINCT (tenant_id, site_id, warehouse, zone, bin),
  CHECK (bin IS NULL OR zone IS NOT NULL),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)
);
SELECT mf_tenant_table('storage_locations', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('storage_locations');
