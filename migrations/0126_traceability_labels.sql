-- Traceability: UDI labels printed (21 CFR 820.45, ISO 13485 7.5.1: labels printed are part of the
-- device history record and reconciled). A print job records what was printed for which lot or
-- serials, at which packaging level (its GTIN is the UDI-DI), with which template and output, how
-- many labels, by whom and when, and, when printed for a work order, the typed link to it. The
-- units printed keep the UDI as printed (element string and human-readable text), so the record
-- shows what the labels said even after master data changes. Reconciliation closes a job once
-- used + destroyed = printed, the destroyed ones with a reason.

CREATE TABLE label_print_jobs (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  number            text NOT NULL,
  item_id           uuid NOT NULL,
  item_code         text NOT NULL,
  item_name         text NOT NULL,
  packaging_level   text NOT NULL CHECK (packaging_level IN ('unit_of_use', 'each', 'box', 'case')),
  gtin              text NOT NULL CHECK (gtin ~ '^[0-9]{14}$'),
  template          text NOT NULL CHECK (template IN ('single', 'sheet')),
  output_format     text NOT NULL CHECK (output_format IN ('pdf', 'zpl')),
  copies            integer NOT NULL CHECK (copies BETWEEN 1 AND 1000),
  quantity_printed  integer NOT NULL CHECK (quantity_printed BETWEEN 1 AND 100000),
  link_kind         text CHECK (link_kind IN ('work_order')),
  link_id           uuid,
  printed_by_id     text,
  printed_by_name   text NOT NULL,
  printed_at        timestamptz NOT NULL DEFAULT now(),
  status            text NOT NULL DEFAULT 'printed' CHECK (status IN ('printed', 'reconciled')),
  quantity_used     integer CHECK (quantity_used >= 0),
  quantity_destroyed integer CHECK (quantity_destroyed >= 0),
  destroyed_reason  text CHECK (length(destroyed_reason) BETWEEN 1 AND 1000),
  reconciled_by_id  text,
  reconciled_by_name text,
  reconciled_at     timestamptz,
  version           integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  CHECK ((link_kind IS NULL) = (link_id IS NULL)),
  -- Reconciled means every printed label is accounted for.
  CHECK (status <> 'reconciled' OR (reconciled_at IS NOT NULL AND quantity_used + quantity_destroyed = quantity_printed)),
  CHECK (coalesce(quantity_destroyed, 0) = 0 OR destroyed_reason IS NOT NULL)
);
CREATE INDEX label_print_jobs_link ON label_print_jobs (tenant_id, link_kind, link_id, printed_at);
CREATE INDEX label_print_jobs_item ON label_print_jobs (tenant_id, item_id, printed_at);
SELECT mf_tenant_table('label_print_jobs', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('label_print_jobs');

-- The lots or serials a job printed, each with the UDI as printed; append-only.
CREATE TABLE label_print_units (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  job_id           uuid NOT NULL,
  position         integer NOT NULL CHECK (position >= 1),
  lot_id           uuid NOT NULL,
  lot_kind         text NOT NULL CHECK (lot_kind IN ('lot', 'serial')),
  lot_number       text NOT NULL,
  manufactured_on  date,
  expires_on       date,
  udi              text NOT NULL,
  udi_hri          text NOT NULL,
  PRIMARY KEY (tenant_id, job_id, position),
  FOREIGN KEY (tenant_id, job_id) REFERENCES label_print_jobs (tenant_id, id),
  FOREIGN KEY (tenant_id, lot_id) REFERENCES lots (tenant_id, id)
);
CREATE INDEX label_print_units_lot ON label_print_units (tenant_id, lot_id);
SELECT mf_tenant_table('label_print_units', 'SELECT, INSERT');
SELECT mf_audit_table('label_print_units', ARRAY['job_id', 'position']);

-- A reconciled job is closed: a later change needs a reason (Annex 11 §9).
SELECT mf_audit_require_reason('label_print_jobs', $$OLD.status = 'reconciled'$$);
