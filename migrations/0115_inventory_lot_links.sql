-- Inventory: genealogy links between lots. When a work order reports output, every lot or serial
-- issued to it (net of returns) is linked to every lot or serial it produced: parent = consumed,
-- child = produced, with the work order that did it and the parent's net quantity issued to that
-- order. Links are facts of production: append-only, audited, and indexed both ways so that
-- forward (parent → children) and backward (child → parents) recursive traces walk an index.

CREATE TABLE lot_links (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  child_lot_id   uuid NOT NULL,
  parent_lot_id  uuid NOT NULL,
  -- The work order whose output made the child (a typed link to production's record).
  work_order_id  uuid NOT NULL,
  kind           text NOT NULL DEFAULT 'consumed_into' CHECK (kind IN ('consumed_into')),
  quantity       numeric NOT NULL CHECK (quantity > 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, child_lot_id, parent_lot_id, work_order_id),
  FOREIGN KEY (tenant_id, child_lot_id) REFERENCES lots (tenant_id, id),
  FOREIGN KEY (tenant_id, parent_lot_id) REFERENCES lots (tenant_id, id),
  CHECK (child_lot_id <> parent_lot_id)
);
-- Backward trace walks the primary key (child → parents); forward trace walks this one.
CREATE INDEX lot_links_parent ON lot_links (tenant_id, parent_lot_id, child_lot_id);
CREATE INDEX lot_links_work_order ON lot_links (tenant_id, work_order_id);
SELECT mf_tenant_table('lot_links', 'SELECT, INSERT');
SELECT mf_audit_table('lot_links', ARRAY['child_lot_id', 'parent_lot_id', 'work_order_id']);
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON lot_links
  FOR EACH ROW EXECUTE FUNCTION mf_inventory_append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON lot_links
  FOR EACH STATEMENT EXECUTE FUNCTION mf_inventory_append_only();
