-- Inventory: the append-only stock ledger and the balances maintained from it.
-- Every quantity that enters, leaves or moves is one row in stock_movements. stock_balances is
-- never written by the application: an AFTER INSERT statement trigger on the ledger applies each
-- statement's movements to it in the same transaction, locking the affected balances first and
-- refusing any that would go negative. `mediforge inventory verify` proves balance = ledger.

CREATE TABLE stock_movements (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  -- The rows one service call wrote together (one receipt of many serials, one transfer).
  operation_id      uuid NOT NULL,
  movement_type     text NOT NULL CHECK (movement_type IN
                    ('receipt', 'transfer', 'issue', 'return', 'production_output', 'scrap', 'adjustment', 'shipment')),
  item_id           uuid NOT NULL,
  lot_id            uuid,
  quantity          numeric NOT NULL CHECK (quantity > 0),
  from_location_id  uuid,
  from_site_id      uuid,
  to_location_id    uuid,
  to_site_id        uuid,
  reference_type    text CHECK (length(reference_type) BETWEEN 1 AND 60),
  reference_id      text CHECK (length(reference_id) BETWEEN 1 AND 200),
  reason            text,
  -- Set by the trigger below from the transaction's context, never by the caller.
  actor_kind        text NOT NULL,
  actor_id          text NOT NULL,
  actor_name        text NOT NULL,
  request_id        text NOT NULL,
  created_at        timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, lot_id) REFERENCES lots (tenant_id, id),
  CHECK (from_location_id IS NOT NULL OR to_location_id IS NOT NULL),
  CHECK (from_location_id IS DISTINCT FROM to_location_id),
  CHECK ((from_location_id IS NULL) = (from_site_id IS NULL)),
  CHECK ((to_location_id IS NULL) = (to_site_id IS NULL)),
  CHECK ((reference_type IS NULL) = (reference_id IS NULL))
);
CREATE INDEX stock_movements_lot ON stock_movements (tenant_id, lot_id, created_at);
CREATE INDEX stock_movements_item ON stock_movements (tenant_id, item_id, created_at);
CREATE INDEX stock_movements_operation ON stock_movements (tenant_id, operation_id);
CREATE INDEX stock_movements_reference ON stock_movements (tenant_id, reference_type, reference_id) WHERE reference_id IS NOT NULL;
SELECT mf_tenant_table('stock_movements', 'SELECT, INSERT');
SELECT mf_audit_table('stock_movements');

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION mf_inventory_append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON stock_movements
  FOR EACH STATEMENT EXECUTE FUNCTION mf_inventory_append_only();

-- Part 11: who and when come from the server, not from the request body.
CREATE FUNCTION mf_inventory_stamp_movement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.actor_kind := coalesce(nullif(current_setting('app.actor_kind', true), ''), 'system');
  NEW.actor_id := coalesce(nullif(current_setting('app.actor_id', true), ''), 'system');
  NEW.actor_name := coalesce(nullif(current_setting('app.actor_name', true), ''), 'system');
  NEW.request_id := coalesce(current_setting('app.request_id', true), '');
  NEW.created_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER stamp BEFORE INSERT ON stock_movements FOR EACH ROW EXECUTE FUNCTION mf_inventory_stamp_movement();

-- On-hand per item, lot (NULL for untracked items) and location. Never negative. Derived: only
-- the trigger below writes it, from ledger rows that already passed their foreign keys, so it
-- carries none of its own (they would double the cost of a large receipt).
CREATE TABLE stock_balances (
  tenant_id    uuid NOT NULL,
  location_id  uuid NOT NULL,
  item_id      uuid NOT NULL,
  lot_id       uuid,
  -- The lot as a key column: untracked stock is the nil uuid, so every key lookup uses the index.
  lot_key      uuid NOT NULL GENERATED ALWAYS AS (coalesce(lot_id, '00000000-0000-0000-0000-000000000000')) STORED,
  site_id      uuid NOT NULL,
  quantity     numeric NOT NULL CONSTRAINT stock_balances_not_negative CHECK (quantity >= 0),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT stock_balances_key PRIMARY KEY (tenant_id, location_id, item_id, lot_key)
);
-- Covering indexes: on-hand for an item or a whole site is an index-only scan.
CREATE INDEX stock_balances_item ON stock_balances (tenant_id, item_id, location_id) INCLUDE (lot_id, quantity);
CREATE INDEX stock_balances_site ON stock_balances (tenant_id, site_id, item_id) INCLUDE (quantity);
CREATE INDEX stock_balances_lot ON stock_balances (tenant_id, lot_id) WHERE lot_id IS NOT NULL;
SELECT mf_tenant_table('stock_balances', 'SELECT');

-- Applies one INSERT statement's movements to the balances. Runs as the owner (the application
-- role may only read balances) but still under row-level security of the current tenant.
CREATE FUNCTION mf_inventory_post_movements() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  nil CONSTANT uuid := '00000000-0000-0000-0000-000000000000';
  short record;
BEGIN
  IF EXISTS (SELECT 1 FROM moved WHERE from_location_id IS NOT NULL) THEN
    -- Lock every existing balance this statement touches, in key order, so concurrent postings
    -- wait for each other and then see each other's committed quantities.
    PERFORM 1
      FROM stock_balances b
      JOIN (SELECT tenant_id, from_location_id AS location_id, item_id, coalesce(lot_id, nil) AS lot_key
              FROM moved WHERE from_location_id IS NOT NULL
            UNION
            SELECT tenant_id, to_location_id, item_id, coalesce(lot_id, nil) FROM moved WHERE to_location_id IS NOT NULL) k
        ON b.tenant_id = k.tenant_id AND b.location_id = k.location_id AND b.item_id = k.item_id AND b.lot_key = k.lot_key
     ORDER BY b.location_id, b.item_id, b.lot_key
       FOR UPDATE OF b;

    SELECT d.item_id, d.lot_id, d.location_id, coalesce(b.quantity, 0) AS available, d.delta AS requested
      INTO short
      FROM (SELECT tenant_id, from_location_id AS location_id, item_id, lot_id, sum(quantity) AS delta
              FROM moved WHERE from_location_id IS NOT NULL
             GROUP BY 1, 2, 3, 4) d
      LEFT JOIN stock_balances b
        ON b.tenant_id = d.tenant_id AND b.location_id = d.location_id AND b.item_id = d.item_id
       AND b.lot_key = coalesce(d.lot_id, nil)
     WHERE coalesce(b.quantity, 0) < d.delta
     LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'insufficient stock' USING ERRCODE = 'MFI01',
        DETAIL = json_build_object('itemId', short.item_id, 'lotId', short.lot_id, 'locationId', short.location_id,
                                   'available', short.available::text, 'requested', short.requested::text)::text;
    END IF;

    -- Keys losing stock exist (checked above) and are updated. (An upsert cannot do this: a
    -- CHECK is tested on the proposed new row before the conflict is found.)
    UPDATE stock_balances b SET quantity = b.quantity + d.delta, updated_at = now()
      FROM (SELECT tenant_id, location_id, item_id, coalesce(lot_id, nil) AS lot_key, sum(q) AS delta
              FROM (SELECT tenant_id, to_location_id AS location_id, item_id, lot_id, quantity AS q
                      FROM moved WHERE to_location_id IS NOT NULL
                    UNION ALL
                    SELECT tenant_id, from_location_id, item_id, lot_id, -quantity
                      FROM moved WHERE from_location_id IS NOT NULL) m
             GROUP BY 1, 2, 3, 4) d
     WHERE d.delta < 0
       AND b.tenant_id = d.tenant_id AND b.location_id = d.location_id AND b.item_id = d.item_id AND b.lot_key = d.lot_key;
  END IF;

  -- Keys gaining stock: inserted, or added to.
  INSERT INTO stock_balances AS b (tenant_id, location_id, item_id, lot_id, site_id, quantity)
  SELECT tenant_id, location_id, item_id, lot_id, site_id, sum(q)
    FROM (SELECT tenant_id, to_location_id AS location_id, item_id, lot_id, to_site_id AS site_id, quantity AS q
            FROM moved WHERE to_location_id IS NOT NULL
          UNION ALL
          SELECT tenant_id, from_location_id, item_id, lot_id, from_site_id, -quantity
            FROM moved WHERE from_location_id IS NOT NULL) m
   GROUP BY tenant_id, location_id, item_id, lot_id, site_id
  HAVING sum(q) > 0
   ORDER BY location_id, item_id, lot_id
  ON CONFLICT ON CONSTRAINT stock_balances_key
  DO UPDATE SET quantity = b.quantity + excluded.quantity, updated_at = now();
  RETURN NULL;
END $$;
CREATE TRIGGER post_to_balances AFTER INSERT ON stock_movements
  REFERENCING NEW TABLE AS moved FOR EACH STATEMENT EXECUTE FUNCTION mf_inventory_post_movements();
