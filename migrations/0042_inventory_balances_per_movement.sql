-- Inventory: balances applied per movement for stock that leaves a location, per statement for
-- stock that only arrives (bench/RESULTS.md, "Inventory").
--
-- A transfer, issue or scrap is one ledger row; the statement trigger spent about a millisecond
-- on five set queries over its one-row transition table. A row trigger does the same work in
-- two or three key lookups: it locks the balances the movement touches in key order (so two
-- opposite transfers cannot deadlock), takes the quantity from the source only if it is there
-- (a concurrent posting waits on the row lock, then sees the committed quantity) and adds it to
-- the destination. Receipts and production output only add stock, often thousands of serials in
-- one statement: they keep the set-based statement trigger. Refusals are unchanged: SQLSTATE
-- MFI01 with the same detail, and the CHECK on the balance as the last line of defence.

CREATE FUNCTION mf_inventory_post_departure() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  lot uuid := coalesce(NEW.lot_id, '00000000-0000-0000-0000-000000000000');
  available numeric;
BEGIN
  IF NEW.to_location_id IS NOT NULL THEN
    PERFORM 1 FROM stock_balances
      WHERE tenant_id = NEW.tenant_id AND item_id = NEW.item_id AND lot_key = lot
        AND location_id IN (NEW.from_location_id, NEW.to_location_id)
      ORDER BY location_id FOR UPDATE;
  END IF;
  UPDATE stock_balances SET quantity = quantity - NEW.quantity, updated_at = now()
   WHERE tenant_id = NEW.tenant_id AND location_id = NEW.from_location_id AND item_id = NEW.item_id AND lot_key = lot
     AND quantity >= NEW.quantity;
  IF NOT FOUND THEN
    SELECT quantity INTO available FROM stock_balances
     WHERE tenant_id = NEW.tenant_id AND location_id = NEW.from_location_id AND item_id = NEW.item_id AND lot_key = lot;
    RAISE EXCEPTION 'insufficient stock' USING ERRCODE = 'MFI01',
      DETAIL = json_build_object('itemId', NEW.item_id, 'lotId', NEW.lot_id, 'locationId', NEW.from_location_id,
                                 'available', coalesce(available, 0)::text, 'requested', NEW.quantity::text)::text;
  END IF;
  IF NEW.to_location_id IS NOT NULL THEN
    INSERT INTO stock_balances AS b (tenant_id, location_id, item_id, lot_id, site_id, quantity)
    VALUES (NEW.tenant_id, NEW.to_location_id, NEW.item_id, NEW.lot_id, NEW.to_site_id, NEW.quantity)
    ON CONFLICT ON CONSTRAINT stock_balances_key
    DO UPDATE SET quantity = b.quantity + excluded.quantity, updated_at = now();
  END IF;
  RETURN NULL;
END $$;

-- Arrivals only (no source location): added in one statement, keys in order.
CREATE OR REPLACE FUNCTION mf_inventory_post_movements() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO stock_balances AS b (tenant_id, location_id, item_id, lot_id, site_id, quantity)
  SELECT tenant_id, to_location_id, item_id, lot_id, to_site_id, sum(quantity)
    FROM moved WHERE from_location_id IS NULL
   GROUP BY tenant_id, to_location_id, item_id, lot_id, to_site_id
   ORDER BY to_location_id, item_id, lot_id
  ON CONFLICT ON CONSTRAINT stock_balances_key
  DO UPDATE SET quantity = b.quantity + excluded.quantity, updated_at = now();
  RETURN NULL;
END $$;

DROP TRIGGER post_to_balances ON stock_movements;
CREATE TRIGGER post_arrivals AFTER INSERT ON stock_movements
  REFERENCING NEW TABLE AS moved FOR EACH STATEMENT EXECUTE FUNCTION mf_inventory_post_movements();
CREATE TRIGGER post_departures AFTER INSERT ON stock_movements
  FOR EACH ROW WHEN (NEW.from_location_id IS NOT NULL) EXECUTE FUNCTION mf_inventory_post_departure();

-- Balance updates stay heap-only (HOT): no index carries the quantity, and pages keep room for
-- the next version of their rows. With the quantity in the covering indexes every movement
-- wrote a new entry into each of the four indexes of its balances and left the old ones dead;
-- on-hand for an item reads its few balances through the index either way, and a whole site
-- is a scan of the balances.
DROP INDEX stock_balances_item;
CREATE INDEX stock_balances_item ON stock_balances (tenant_id, item_id, location_id);
DROP INDEX stock_balances_site;
CREATE INDEX stock_balances_site ON stock_balances (tenant_id, site_id, item_id);
ALTER TABLE stock_balances SET (fillfactor = 70);
