-- Goods receipts against purchase order lines, their certificates of analysis, and the
-- delivery performance each receipt records for the supplier.

CREATE TABLE receipts (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  number            text NOT NULL,
  po_id             uuid NOT NULL,
  po_line_id        uuid NOT NULL,
  supplier_id       uuid NOT NULL,
  item_id           uuid NOT NULL,
  site_id           uuid NOT NULL,
  lot_id            uuid NOT NULL,
  quantity          numeric NOT NULL CHECK (quantity > 0),
  unit              text NOT NULL,
  supplier_lot      text NOT NULL CHECK (length(supplier_lot) BETWEEN 1 AND 100),
  manufactured_on   date,
  expires_on        date CHECK (expires_on IS NULL OR manufactured_on IS NULL OR expires_on > manufactured_on),
  temperature       numeric,
  temperature_unit  text CHECK (temperature_unit IN ('C', 'F')),
  humidity          numeric CHECK (humidity BETWEEN 0 AND 100),
  humidity_unit     text CHECK (humidity_unit = '%RH'),
  deviation_id      uuid,
  -- Delivery performance: the site-local receipt date against the line's due date.
  received_on       date NOT NULL,
  due_date          date NOT NULL,
  on_time           boolean NOT NULL GENERATED ALWAYS AS (received_on <= due_date) STORED,
  received_at       timestamptz NOT NULL DEFAULT now(),
  received_by       text NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  UNIQUE (tenant_id, lot_id),
  FOREIGN KEY (tenant_id, po_id) REFERENCES purchase_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, po_line_id) REFERENCES purchase_order_lines (tenant_id, id),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id),
  CHECK ((temperature IS NULL) = (temperature_unit IS NULL)),
  CHECK ((humidity IS NULL) = (humidity_unit IS NULL))
);
CREATE INDEX receipts_supplier ON receipts (tenant_id, supplier_id, received_on);
CREATE INDEX receipts_po ON receipts (tenant_id, po_id);
SELECT mf_tenant_table('receipts', 'SELECT, INSERT');
SELECT mf_audit_table('receipts');

-- Certificates of analysis. The metadata row (with the SHA-256 of the content) is audited; the
-- bytes live beside it, unaudited (the trail keeps the hash, not megabytes), and are checked
-- against the hash on every download. Kept in the database so they are isolated, backed up and
-- restored with the tenant's other records.
CREATE TABLE receipt_certificates (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  receipt_id    uuid NOT NULL,
  file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  uploaded_by   text NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, receipt_id) REFERENCES receipts (tenant_id, id)
);
CREATE INDEX receipt_certificates_receipt ON receipt_certificates (tenant_id, receipt_id);
SELECT mf_tenant_table('receipt_certificates', 'SELECT, INSERT');
SELECT mf_audit_table('receipt_certificates');

CREATE TABLE receipt_certificate_contents (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  certificate_id  uuid NOT NULL,
  content         bytea NOT NULL,
  PRIMARY KEY (tenant_id, certificate_id),
  FOREIGN KEY (tenant_id, certificate_id) REFERENCES receipt_certificates (tenant_id, id)
);
SELECT mf_tenant_table('receipt_certificate_contents', 'SELECT, INSERT');
