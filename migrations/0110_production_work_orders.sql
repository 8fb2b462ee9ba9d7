-- Production: work orders for an item revision, with the BOM and routing in effect FROZEN into
-- the order at release (material requirements and operations are copies, so a later change of
-- master data never alters an order already released), and the material issued to and returned
-- from each requirement, lot by lot. Items, revisions, work centers and lots belong to other
-- modules and are referred to by id.

CREATE TABLE work_orders (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  number            text NOT NULL,
  item_id           uuid NOT NULL,
  item_revision_id  uuid NOT NULL,
  quantity          numeric NOT NULL CHECK (quantity > 0),
  unit              text NOT NULL,
  site_id           uuid NOT NULL,
  due_date          date NOT NULL,
  status            text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'released', 'in_progress', 'completed', 'closed', 'cancelled')),
  notes             text CHECK (length(notes) <= 2000),
  -- The day whose BOM lines were in effect when the order was released (its frozen structure).
  frozen_on         date,
  released_at       timestamptz,
  released_by_id    text,
  released_by_name  text,
  cancel_reason     text CHECK (length(cancel_reason) <= 1000),
  version           integer NOT NULL DEFAULT 1,
  created_by_id     text,
  created_by_name   text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id),
  CHECK ((status IN ('draft', 'cancelled')) OR frozen_on IS NOT NULL),
  CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
);
CREATE INDEX work_orders_status ON work_orders (tenant_id, status);
CREATE INDEX work_orders_item ON work_orders (tenant_id, item_id);
SELECT mf_tenant_table('work_orders', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('work_orders');

-- One row per BOM line at release: the line as it was, the gross requirement in the component's
-- base unit (order quantity × quantity per × (1 + scrap), converted), and what has been issued net
-- of returns.
CREATE TABLE work_order_materials (
  tenant_id              uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  work_order_id          uuid NOT NULL,
  line_no                integer NOT NULL CHECK (line_no > 0),
  component_item_id      uuid NOT NULL,
  -- The component's revision in force on the frozen day; null for a component without one.
  component_revision_id  uuid,
  quantity_per           numeric NOT NULL CHECK (quantity_per > 0),
  unit                   text NOT NULL,
  scrap_factor           numeric NOT NULL CHECK (scrap_factor >= 0 AND scrap_factor < 1),
  required_quantity      numeric NOT NULL CHECK (required_quantity > 0),
  base_unit              text NOT NULL,
  issued_quantity        numeric NOT NULL DEFAULT 0 CHECK (issued_quantity >= 0),
  PRIMARY KEY (tenant_id, work_order_id, line_no),
  FOREIGN KEY (tenant_id, work_order_id) REFERENCES work_orders (tenant_id, id)
);
SELECT mf_tenant_table('work_order_materials', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('work_order_materials', ARRAY['work_order_id', 'line_no']);

-- The routing's operations at release, as they were.
CREATE TABLE work_order_operations (
  tenant_id                     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  work_order_id                 uuid NOT NULL,
  sequence                      integer NOT NULL CHECK (sequence > 0),
  name                          text NOT NULL,
  work_center_id                uuid NOT NULL,
  setup_minutes                 numeric NOT NULL CHECK (setup_minutes >= 0),
  run_minutes_per_unit          numeric NOT NULL CHECK (run_minutes_per_unit >= 0),
  inspection_points             text[] NOT NULL DEFAULT '{}',
  work_instruction_document_id  uuid,
  PRIMARY KEY (tenant_id, work_order_id, sequence),
  FOREIGN KEY (tenant_id, work_order_id) REFERENCES work_orders (tenant_id, id)
);
SELECT mf_tenant_table('work_order_operations', 'SELECT, INSERT');
SELECT mf_audit_table('work_order_operations', ARRAY['work_order_id', 'sequence']);

-- Every issue of a lot to a requirement and every return of unused material from it; the stock
-- ledger's rows for it name the work order (source kind work_order, line = the requirement).
CREATE TABLE work_order_material_movements (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  work_order_id     uuid NOT NULL,
  line_no           integer NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('issue', 'return')),
  lot_id            uuid,
  quantity          numeric NOT NULL CHECK (quantity > 0),
  -- Why more than the requirement was issued, or why material came back.
  reason            text CHECK (length(reason) <= 1000),
  operation_id      uuid NOT NULL,
  created_by_id     text,
  created_by_name   text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, work_order_id, line_no) REFERENCES work_order_materials (tenant_id, work_order_id, line_no)
);
CREATE INDEX work_order_material_movements_order ON work_order_material_movements (tenant_id, work_order_id);
SELECT mf_tenant_table('work_order_material_movements', 'SELECT, INSERT');
SELECT mf_audit_table('work_order_material_movements');
