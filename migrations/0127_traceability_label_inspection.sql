-- Traceability: a print job's labels inspected before they are used (21 CFR 820.45(a): labels are
-- examined for accuracy before release, the examination documented with who, when and the
-- result). One inspection per job, signed (meaning verified) by someone other than the printer.
-- The system checks every unit's UDI as printed against what the lot or serial says now (GTIN of
-- the level, lot or serial number, expiry, production date); the inspector states whether the
-- print is legible and the barcode scans, and may scan one label so its data is compared with the
-- job. Each discrepancy is kept as a finding. A failed job's labels are destroyed, not used.

CREATE TABLE label_inspections (
  tenant_id          uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                 uuid NOT NULL DEFAULT mf_uuidv7(),
  job_id             uuid NOT NULL,
  result             text NOT NULL CHECK (result IN ('pass', 'fail')),
  print_legible      boolean NOT NULL,
  barcode_scans      boolean NOT NULL,
  scanned            text CHECK (length(scanned) BETWEEN 1 AND 500),
  remarks            text CHECK (length(remarks) BETWEEN 1 AND 2000),
  inspected_by_id    text,
  inspected_by_name  text NOT NULL,
  inspected_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, job_id),
  FOREIGN KEY (tenant_id, job_id) REFERENCES label_print_jobs (tenant_id, id),
  -- A pass needs both of the inspector's checks.
  CHECK (result = 'fail' OR (print_legible AND barcode_scans))
);
SELECT mf_tenant_table('label_inspections', 'SELECT, INSERT');
SELECT mf_audit_table('label_inspections');

-- What did not match: per unit (position) or for the scanned label (no position), the field, what
-- the label carries and what it should carry.
CREATE TABLE label_inspection_findings (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  inspection_id  uuid NOT NULL,
  seq            integer NOT NULL CHECK (seq >= 1),
  position       integer CHECK (position >= 1),
  field          text NOT NULL CHECK (field IN ('gtin', 'lot', 'serial', 'expiry', 'production', 'scan')),
  on_label       text CHECK (length(on_label) <= 500),
  expected       text CHECK (length(expected) <= 500),
  PRIMARY KEY (tenant_id, inspection_id, seq),
  FOREIGN KEY (tenant_id, inspection_id) REFERENCES label_inspections (tenant_id, id)
);
SELECT mf_tenant_table('label_inspection_findings', 'SELECT, INSERT');
SELECT mf_audit_table('label_inspection_findings', ARRAY['inspection_id', 'seq']);
