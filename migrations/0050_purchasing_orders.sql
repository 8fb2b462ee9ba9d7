-- Purchasing: purchase orders and their lines. Items, suppliers and units belong to master data
-- and are referred to by id/code only; the service checks them through master data's functions.

CREATE TABLE purchase_orders (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  number        text NOT NULL,
  supplier_id   uuid NOT NULL,
  site_id       uuid NOT NULL,
  currency      text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status        text NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled')),
  notes         text CHECK (length(notes) <= 2000),
  -- Row version, raised by every change to the order or its lines: the ETag of the order.
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)
);
CREATE INDEX purchase_orders_supplier ON purchase_orders (tenant_id, supplier_id);
SELECT mf_tenant_table('purchase_orders', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('purchase_orders');

CREATE TABLE purchase_order_lines (
  tenant_id          uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                 uuid NOT NULL DEFAULT mf_uuidv7(),
  po_id              uuid NOT NULL,
  line_no            integer NOT NULL CHECK (line_no > 0),
  item_id            uuid NOT NULL,
  quantity           numeric NOT NULL CHECK (quantity > 0),
  unit               text NOT NULL,
  unit_price         numeric NOT NULL CHECK (unit_price >= 0),
  due_date           date NOT NULL,
  -- Receipts above the ordered quantity are refused beyond this share (0 = none at all).
  over_receipt_tolerance_pct numeric NOT NULL DEFAULT 0 CHECK (over_receipt_tolerance_pct BETWEEN 0 AND 100),
  received_quantity  numeric NOT NULL DEFAULT 0 CHECK (received_quantity >= 0),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, po_id, line_no),
  FOREIGN KEY (tenant_id, po_id) REFERENCES purchase_orders (tenant_id, id) ON DELETE CASCADE,
  CHECK (received_quantity <= quantity * (1 + over_receipt_tolerance_pct / 100))
);
SELECT mf_tenant_table('purchase_order_lines');
SELECT mf_audit_table('purchase_order_lines');
