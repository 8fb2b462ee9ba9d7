-- Master data: suppliers with the approved supplier list per item, customers with ship-to
-- addresses.

CREATE TABLE suppliers (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  code          text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  contact_name  text CHECK (length(contact_name) <= 200),
  email         text CHECK (length(email) <= 254),
  phone         text CHECK (length(phone) <= 50),
  address_line1 text NOT NULL CHECK (length(address_line1) BETWEEN 1 AND 200),
  address_line2 text CHECK (length(address_line2) <= 200),
  city          text NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
  postal_code   text CHECK (length(postal_code) <= 20),
  region        text CHECK (length(region) <= 100),
  country       text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  active        boolean NOT NULL DEFAULT true,
  version     integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
SELECT mf_tenant_table('suppliers', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('suppliers');

-- Approved supplier list (ISO 13485 7.4.1): one entry per supplier and item.
CREATE TABLE supplier_approvals (
  tenant_id            uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                   uuid NOT NULL DEFAULT mf_uuidv7(),
  supplier_id          uuid NOT NULL,
  item_id              uuid NOT NULL,
  status               text NOT NULL CHECK (status IN ('approved', 'conditional', 'disqualified')),
  evidence             text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 4000),
  evidence_document_id uuid,
  -- Last day the approval is valid; null: until withdrawn.
  expires_on           date,
  version     integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, supplier_id, item_id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES suppliers (tenant_id, id),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id)
);
SELECT mf_tenant_table('supplier_approvals', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('supplier_approvals');
-- Changing a supplier's qualification status needs a reason (Annex 11 §9); the first entry does not.
SELECT mf_audit_require_reason('supplier_approvals', 'true');
CREATE INDEX supplier_approvals_item ON supplier_approvals (tenant_id, item_id);

CREATE TABLE customers (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  code          text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  contact_name  text CHECK (length(contact_name) <= 200),
  email         text CHECK (length(email) <= 254),
  phone         text CHECK (length(phone) <= 50),
  active        boolean NOT NULL DEFAULT true,
  version     integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
SELECT mf_tenant_table('customers', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('customers');

-- Consignee addresses: traceability of implantables needs the consignee's name and address (ISO 7.5.9.2).
CREATE TABLE customer_ship_tos (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  customer_id   uuid NOT NULL,
  code          text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  address_line1 text NOT NULL CHECK (length(address_line1) BETWEEN 1 AND 200),
  address_line2 text CHECK (length(address_line2) <= 200),
  city          text NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
  postal_code   text CHECK (length(postal_code) <= 20),
  region        text CHECK (length(region) <= 100),
  country       text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  active        boolean NOT NULL DEFAULT true,
  version     integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, customer_id, code),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
SELECT mf_tenant_table('customer_ship_tos', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('customer_ship_tos');
