-- Sales: shipments, their cartons (SSCC) and the sales records (distribution records, 销售记录):
-- one append-only row per lot or serial shipped, naming the customer, the address it went to, the
-- item, the lot or serial, the quantity, the date and the UDI. A shipment's lines are its sales
-- records, so what the packing list shows and what a forward trace finds are the same rows.

CREATE FUNCTION mf_sales_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, lower(TG_OP) USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE shipments (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  number        text NOT NULL,
  order_id      uuid NOT NULL,
  customer_id   uuid NOT NULL,
  ship_to_id    uuid NOT NULL,
  -- The address as it was when the goods left (master data may change later).
  ship_to       jsonb NOT NULL,
  site_id       uuid NOT NULL,
  shipped_on    date NOT NULL,
  carrier       text CHECK (length(carrier) <= 100),
  tracking_number text CHECK (length(tracking_number) <= 100),
  lot_count     integer NOT NULL CHECK (lot_count > 0),
  shipped_at    timestamptz NOT NULL DEFAULT now(),
  shipped_by    text NOT NULL DEFAULT coalesce(nullif(current_setting('app.actor_name', true), ''), 'system'),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, order_id) REFERENCES sales_orders (tenant_id, id)
);
CREATE INDEX shipments_order ON shipments (tenant_id, order_id);
SELECT mf_tenant_table('shipments', 'SELECT, INSERT');
SELECT mf_audit_table('shipments');
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON shipments FOR EACH ROW EXECUTE FUNCTION mf_sales_append_only();

CREATE TABLE shipment_cartons (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  shipment_id   uuid NOT NULL,
  carton_no     integer NOT NULL CHECK (carton_no > 0),
  sscc          text NOT NULL CHECK (sscc ~ '^[0-9]{18}$'),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, sscc),
  UNIQUE (tenant_id, shipment_id, carton_no),
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id)
);
SELECT mf_tenant_table('shipment_cartons', 'SELECT, INSERT');
SELECT mf_audit_table('shipment_cartons');
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON shipment_cartons FOR EACH ROW EXECUTE FUNCTION mf_sales_append_only();

CREATE TABLE sales_records (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT mf_uuidv7(),
  shipment_id     uuid NOT NULL,
  order_id        uuid NOT NULL,
  line_no         integer NOT NULL CHECK (line_no > 0),
  carton_no       integer NOT NULL CHECK (carton_no > 0),
  customer_id     uuid NOT NULL,
  ship_to_id      uuid NOT NULL,
  ship_to_text    text NOT NULL,
  item_id         uuid NOT NULL,
  lot_id          uuid NOT NULL,
  lot_kind        text NOT NULL CHECK (lot_kind IN ('lot', 'serial')),
  lot_number      text NOT NULL,
  expires_on      date,
  quantity        numeric NOT NULL CHECK (quantity > 0),
  shipped_on      date NOT NULL,
  -- GS1 element string (GTIN, expiry, lot or serial) and its human-readable form; null without a GTIN.
  udi             text,
  udi_hri         text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id),
  FOREIGN KEY (tenant_id, shipment_id, carton_no) REFERENCES shipment_cartons (tenant_id, shipment_id, carton_no)
);
CREATE INDEX sales_records_shipment ON sales_records (tenant_id, shipment_id, line_no);
CREATE INDEX sales_records_lot_number ON sales_records (tenant_id, lot_number);
CREATE INDEX sales_records_lot ON sales_records (tenant_id, lot_id);
CREATE INDEX sales_records_customer ON sales_records (tenant_id, customer_id, shipped_on);
SELECT mf_tenant_table('sales_records', 'SELECT, INSERT');
SELECT mf_audit_table('sales_records');
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON sales_records FOR EACH ROW EXECUTE FUNCTION mf_sales_append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON sales_records FOR EACH STATEMENT EXECUTE FUNCTION mf_sales_append_only();
