-- Production: output reported for a work order. Each report names the inventory operation that
-- took the produced lot or serials into quarantine (ledger movement production_output, source
-- work_order), how much, and the reason when it brought the order beyond its quantity plus the
-- tolerance. Append-only: a wrong report is corrected by inventory's own movements, never erased.

CREATE TABLE work_order_outputs (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT mf_uuidv7(),
  work_order_id    uuid NOT NULL,
  quantity         numeric NOT NULL CHECK (quantity > 0),
  lot_count        integer NOT NULL CHECK (lot_count > 0),
  operation_id     uuid NOT NULL,
  reason           text CHECK (length(reason) <= 1000),
  created_by_id    text,
  created_by_name  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, work_order_id) REFERENCES work_orders (tenant_id, id)
);
CREATE INDEX work_order_outputs_order ON work_order_outputs (tenant_id, work_order_id, created_at);
SELECT mf_tenant_table('work_order_outputs', 'SELECT, INSERT');
SELECT mf_audit_table('work_order_outputs');

CREATE FUNCTION mf_production_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, lower(TG_OP) USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON work_order_outputs
  FOR EACH ROW EXECUTE FUNCTION mf_production_append_only();
