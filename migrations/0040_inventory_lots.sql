-- Inventory: lots and serials, and the history of their status.
-- A serial is a lot of quantity one whose number is the serial number; both live in `lots` so
-- the ledger, balances, holds and releases treat them alike.

CREATE TABLE lots (
  tenant_id          uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                 uuid NOT NULL DEFAULT mf_uuidv7(),
  item_id            uuid NOT NULL,
  item_revision_id   uuid,
  kind               text NOT NULL CHECK (kind IN ('lot', 'serial')),
  -- LOT-2026-00042 for lots, the serial number for serials.
  number             text NOT NULL CHECK (length(number) BETWEEN 1 AND 80),
  status             text NOT NULL DEFAULT 'quarantine'
                     CHECK (status IN ('quarantine', 'released', 'on_hold', 'rejected', 'consumed', 'shipped', 'expired')),
  -- The status a hold interrupted, restored when the hold is lifted.
  held_from          text CHECK (held_from IN ('quarantine', 'released')),
  hold_reason        text,
  supplier_id        uuid,
  supplier_lot       text CHECK (length(supplier_lot) BETWEEN 1 AND 80),
  manufactured_on    date,
  expires_on         date,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, item_id, kind, number),
  CHECK (expires_on IS NULL OR manufactured_on IS NULL OR expires_on >= manufactured_on),
  CHECK ((status = 'on_hold') = (held_from IS NOT NULL AND hold_reason IS NOT NULL))
);
CREATE INDEX lots_item ON lots (tenant_id, item_id, status, expires_on);
CREATE INDEX lots_expiry ON lots (tenant_id, expires_on) WHERE status IN ('quarantine', 'released', 'on_hold');
SELECT mf_tenant_table('lots', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('lots');

-- Rows the application may add but never change: the ledger and the status history.
CREATE FUNCTION mf_inventory_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, lower(TG_OP) USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE lot_status_changes (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  lot_id        uuid NOT NULL,
  from_status   text NOT NULL,
  to_status     text NOT NULL,
  reason        text,
  signature_id  uuid,
  actor_kind    text NOT NULL DEFAULT coalesce(nullif(current_setting('app.actor_kind', true), ''), 'system'),
  actor_id      text NOT NULL DEFAULT coalesce(nullif(current_setting('app.actor_id', true), ''), 'system'),
  actor_name    text NOT NULL DEFAULT coalesce(nullif(current_setting('app.actor_name', true), ''), 'system'),
  changed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, lot_id) REFERENCES lots (tenant_id, id)
);
CREATE INDEX lot_status_changes_lot ON lot_status_changes (tenant_id, lot_id, changed_at);
SELECT mf_tenant_table('lot_status_changes', 'SELECT, INSERT');
SELECT mf_audit_table('lot_status_changes');
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON lot_status_changes
  FOR EACH ROW EXECUTE FUNCTION mf_inventory_append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON lot_status_changes
  FOR EACH STATEMENT EXECUTE FUNCTION mf_inventory_append_only();
