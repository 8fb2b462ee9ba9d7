-- Master data: units of measure, items, per-item unit conversions and controlled item revisions.

-- The units a tenant uses. Global units (kg, g, m, mm, L, mL, ea …) convert by the rules of
-- units.ts and are registered on first use; any other code is a packaging unit (box, carton),
-- counted in whole units, whose size only an item conversion gives.
CREATE TABLE units (
  tenant_id   uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  code        text NOT NULL CHECK (code ~ '^[A-Za-z][A-Za-z0-9_-]{0,15}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  dimension   text NOT NULL CHECK (dimension IN ('mass', 'volume', 'length', 'count')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, code)
);
SELECT mf_tenant_table('units', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('units', ARRAY['code']);

CREATE TABLE items (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT mf_uuidv7(),
  code            text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type            text NOT NULL CHECK (type IN ('raw', 'component', 'sub_assembly', 'finished_device', 'packaging', 'label')),
  base_unit       text NOT NULL,
  tracking        text NOT NULL CHECK (tracking IN ('lot', 'serial', 'none')),
  shelf_life_days integer CHECK (shelf_life_days > 0),
  -- Stored as GTIN-14 (normalised, check digit verified by the service).
  gtin            text CHECK (gtin ~ '^[0-9]{14}$'),
  active          boolean NOT NULL DEFAULT true,
  version     integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, gtin),
  FOREIGN KEY (tenant_id, base_unit) REFERENCES units (tenant_id, code)
);
SELECT mf_tenant_table('items', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('items');

-- Item-specific conversions: one `unit` of this item is `factor` of its base unit (a carton = 50 each,
-- a litre of a gel = 1.03 kg).
CREATE TABLE item_unit_conversions (
  tenant_id  uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  item_id    uuid NOT NULL,
  unit       text NOT NULL,
  factor     numeric NOT NULL CHECK (factor > 0),
  PRIMARY KEY (tenant_id, item_id, unit),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  FOREIGN KEY (tenant_id, unit) REFERENCES units (tenant_id, code)
);
SELECT mf_tenant_table('item_unit_conversions', 'SELECT, INSERT, UPDATE, DELETE');
SELECT mf_audit_table('item_unit_conversions', ARRAY['item_id', 'unit']);

CREATE TABLE item_revisions (
  tenant_id    uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT mf_uuidv7(),
  item_id      uuid NOT NULL,
  revision     text NOT NULL CHECK (revision ~ '^[A-Z]{1,3}$'),
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'released', 'obsolete')),
  description  text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  released_at  timestamptz,
  obsoleted_at timestamptz,
  version     integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, item_id, revision),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  CHECK (status <> 'released' OR released_at IS NOT NULL),
  CHECK ((status = 'obsolete') = (obsoleted_at IS NOT NULL))
);
SELECT mf_tenant_table('item_revisions', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('item_revisions');
-- Superseding a released revision is a change to a signed record: it needs a reason (Annex 11 §9).
SELECT mf_audit_require_reason('item_revisions', $$OLD.status = 'released'$$);
-- At most one released revision and one revision in work (draft or in review) per item.
CREATE UNIQUE INDEX item_revisions_one_released ON item_revisions (tenant_id, item_id) WHERE status = 'released';
CREATE UNIQUE INDEX item_revisions_one_in_work ON item_revisions (tenant_id, item_id) WHERE status IN ('draft', 'in_review');

-- A released or obsolete revision is a signed record: only the step released → obsolete may
-- touch it. Enforced here so that no code path, raw SQL included, can edit it.
CREATE FUNCTION mf_item_revision_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'obsolete'
     OR (OLD.status = 'released' AND NOT (NEW.status = 'obsolete'
         AND (NEW.item_id, NEW.revision, NEW.description, NEW.released_at)
             IS NOT DISTINCT FROM (OLD.item_id, OLD.revision, OLD.description, OLD.released_at))) THEN
    RAISE EXCEPTION 'item revision % is % and read-only; make a new revision', OLD.revision, OLD.status
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER item_revision_frozen BEFORE UPDATE ON item_revisions
  FOR EACH ROW EXECUTE FUNCTION mf_item_revision_frozen();
