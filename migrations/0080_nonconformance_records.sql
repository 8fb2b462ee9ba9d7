-- Nonconformance: nonconformance reports (NCRs) with their defect codes, the lots and serials they
-- affect, the material review board's dispositions per quantity and the notifications sent to
-- suppliers. Lots, items, suppliers and receipts belong to other modules and are referred to by id;
-- stock moves only through inventory's ledger (source kind `nonconformance`).

-- The tenant's own list of defect codes (e.g. DIM-01 "Dimension out of tolerance").
CREATE TABLE ncr_defect_codes (
  tenant_id   uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id          uuid NOT NULL DEFAULT mf_uuidv7(),
  code        text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{0,19}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
SELECT mf_tenant_table('ncr_defect_codes', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('ncr_defect_codes');

-- Per tenant: whether a use-as-is disposition also needs an engineering signature (a second person).
CREATE TABLE nonconformance_settings (
  tenant_id                 uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  engineering_for_use_as_is boolean NOT NULL DEFAULT false,
  updated_at                timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
SELECT mf_tenant_table('nonconformance_settings', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('nonconformance_settings');

CREATE TABLE nonconformances (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT mf_uuidv7(),
  number          text NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'cancelled')),
  -- Where it was found: the record it was raised from (an inspection, lot, serial, receipt or supplier).
  source_kind     text NOT NULL
                  CHECK (source_kind IN ('incoming_inspection', 'lot', 'serial', 'purchase_receipt', 'supplier', 'production_operation')),
  source_id       uuid NOT NULL,
  site_id         uuid,
  item_id         uuid,
  supplier_id     uuid,
  -- The supplier caused it: counted in the supplier's PPM.
  supplier_caused boolean NOT NULL DEFAULT false,
  receipt_id      uuid,
  inspection_id   uuid,
  description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  defect_class    text NOT NULL CHECK (defect_class IN ('critical', 'major', 'minor')),
  containment     text CHECK (length(containment) <= 4000),
  cancel_reason   text CHECK (length(cancel_reason) <= 2000),
  created_by_id   uuid,
  created_by_name text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  closed_at       timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
);
-- One NCR per inspection: a redelivered rejection event raises nothing twice.
CREATE UNIQUE INDEX nonconformances_one_per_inspection ON nonconformances (tenant_id, source_kind, source_id)
  WHERE source_kind = 'incoming_inspection';
CREATE INDEX nonconformances_status ON nonconformances (tenant_id, status, created_at);
CREATE INDEX nonconformances_supplier ON nonconformances (tenant_id, supplier_id) WHERE supplier_id IS NOT NULL;
SELECT mf_tenant_table('nonconformances', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('nonconformances');

CREATE TABLE ncr_defects (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  nonconformance_id uuid NOT NULL,
  defect_code_id  uuid NOT NULL,
  PRIMARY KEY (tenant_id, nonconformance_id, defect_code_id),
  FOREIGN KEY (tenant_id, nonconformance_id) REFERENCES nonconformances (tenant_id, id),
  FOREIGN KEY (tenant_id, defect_code_id) REFERENCES ncr_defect_codes (tenant_id, id)
);
SELECT mf_tenant_table('ncr_defects', 'SELECT, INSERT');
SELECT mf_audit_table('ncr_defects');

-- The lots and serials the NCR affects, with the nonconforming quantity of each (base unit).
CREATE TABLE ncr_affected (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  nonconformance_id uuid NOT NULL,
  line_no           integer NOT NULL CHECK (line_no > 0),
  lot_id            uuid NOT NULL,
  item_id           uuid NOT NULL,
  quantity          numeric NOT NULL CHECK (quantity > 0),
  -- Reworked quantity passed its re-inspection and QA released the lot (signed, meaning released).
  reinspected_at    timestamptz,
  reinspected_by    text,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, nonconformance_id, line_no),
  UNIQUE (tenant_id, nonconformance_id, lot_id),
  FOREIGN KEY (tenant_id, nonconformance_id) REFERENCES nonconformances (tenant_id, id)
);
CREATE INDEX ncr_affected_lot ON ncr_affected (tenant_id, lot_id);
SELECT mf_tenant_table('ncr_affected', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('ncr_affected');

-- MRB decisions: a quantity of one affected lot, disposed one way. Use as is waits for the
-- engineering signature where the tenant requires one.
CREATE TABLE ncr_dispositions (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  nonconformance_id uuid NOT NULL,
  affected_id       uuid NOT NULL,
  line_no           integer NOT NULL CHECK (line_no > 0),
  kind              text NOT NULL CHECK (kind IN ('use_as_is', 'rework', 'scrap', 'return_to_supplier')),
  quantity          numeric NOT NULL CHECK (quantity > 0),
  justification     text NOT NULL CHECK (length(justification) BETWEEN 1 AND 4000),
  status            text NOT NULL CHECK (status IN ('awaiting_engineering', 'decided')),
  created_by_id     uuid,
  created_by_name   text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, nonconformance_id, line_no),
  FOREIGN KEY (tenant_id, nonconformance_id) REFERENCES nonconformances (tenant_id, id),
  FOREIGN KEY (tenant_id, affected_id) REFERENCES ncr_affected (tenant_id, id)
);
SELECT mf_tenant_table('ncr_dispositions', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('ncr_dispositions');

-- What was sent to the supplier with a return: supplier, NCR, quantity, lots, text and when.
CREATE TABLE ncr_supplier_notifications (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  nonconformance_id uuid NOT NULL,
  disposition_id    uuid NOT NULL,
  supplier_id       uuid NOT NULL,
  quantity          numeric NOT NULL CHECK (quantity > 0),
  lot_numbers       text[] NOT NULL,
  text              text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  sent_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, nonconformance_id) REFERENCES nonconformances (tenant_id, id),
  FOREIGN KEY (tenant_id, disposition_id) REFERENCES ncr_dispositions (tenant_id, id)
);
SELECT mf_tenant_table('ncr_supplier_notifications', 'SELECT, INSERT');
SELECT mf_audit_table('ncr_supplier_notifications');
