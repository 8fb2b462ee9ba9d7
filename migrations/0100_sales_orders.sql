-- Sales: customers' licences to buy medical devices, whether a customer needs one, the tenant's
-- GS1 settings for shipping labels (SSCC), and sales orders with their lines. Customers and their
-- ship-to addresses belong to master data and are referred to by id; items likewise.

-- Whether a customer must hold a valid licence covering what it buys (a distributor or hospital in
-- China: 医疗器械经营许可证 or 备案). A customer without a row here needs none.
CREATE TABLE sales_customer_terms (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  customer_id       uuid NOT NULL,
  licence_required  boolean NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id)
);
SELECT mf_tenant_table('sales_customer_terms', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('sales_customer_terms');

CREATE TABLE sales_customer_licences (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  customer_id   uuid NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('distribution_licence', 'distribution_filing', 'hospital_licence', 'other')),
  number        text NOT NULL CHECK (length(number) BETWEEN 1 AND 80),
  issued_by     text CHECK (length(issued_by) <= 200),
  -- The item types the licence covers (master data's item types).
  scope         text[] NOT NULL CHECK (cardinality(scope) BETWEEN 1 AND 10),
  valid_from    date NOT NULL,
  valid_to      date,
  revoked_at    timestamptz,
  revoked_reason text CHECK (length(revoked_reason) <= 500),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, customer_id, kind, number),
  CHECK (valid_to IS NULL OR valid_to >= valid_from),
  CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX sales_customer_licences_customer ON sales_customer_licences (tenant_id, customer_id);
SELECT mf_tenant_table('sales_customer_licences', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('sales_customer_licences');

-- The tenant's GS1 company prefix and SSCC extension digit; the last serial reference used.
CREATE TABLE sales_settings (
  tenant_id           uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  gs1_company_prefix  text NOT NULL CHECK (gs1_company_prefix ~ '^[0-9]{6,12}$'),
  sscc_extension      integer NOT NULL DEFAULT 0 CHECK (sscc_extension BETWEEN 0 AND 9),
  last_sscc_serial    bigint NOT NULL DEFAULT 0 CHECK (last_sscc_serial >= 0),
  PRIMARY KEY (tenant_id)
);
SELECT mf_tenant_table('sales_settings', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('sales_settings');

CREATE TABLE sales_orders (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT mf_uuidv7(),
  number          text NOT NULL,
  customer_id     uuid NOT NULL,
  ship_to_id      uuid NOT NULL,
  site_id         uuid NOT NULL,
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  customer_reference text CHECK (length(customer_reference) <= 80),
  status          text NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'confirmed', 'partially_shipped', 'shipped', 'closed', 'cancelled')),
  notes           text CHECK (length(notes) <= 2000),
  version         integer NOT NULL DEFAULT 1,
  created_by_id   text,
  created_by_name text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)
);
CREATE INDEX sales_orders_customer ON sales_orders (tenant_id, customer_id);
CREATE INDEX sales_orders_status ON sales_orders (tenant_id, status);
SELECT mf_tenant_table('sales_orders', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('sales_orders');

CREATE TABLE sales_order_lines (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  order_id          uuid NOT NULL,
  line_no           integer NOT NULL CHECK (line_no > 0),
  item_id           uuid NOT NULL,
  quantity          numeric NOT NULL CHECK (quantity > 0),
  unit_price        numeric NOT NULL CHECK (unit_price >= 0),
  requested_date    date NOT NULL,
  shipped_quantity  numeric NOT NULL DEFAULT 0 CHECK (shipped_quantity >= 0),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, order_id, line_no),
  FOREIGN KEY (tenant_id, order_id) REFERENCES sales_orders (tenant_id, id) ON DELETE CASCADE,
  -- The last line of defence against over-shipment; the service refuses it first, with the reason.
  CONSTRAINT sales_order_lines_not_over_shipped CHECK (shipped_quantity <= quantity)
);
SELECT mf_tenant_table('sales_order_lines');
SELECT mf_audit_table('sales_order_lines');
