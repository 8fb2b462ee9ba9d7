-- Inventory: a shipment's departures are posted per statement, like arrivals (bench/RESULTS.md,
-- "Shipment").
--
-- A shipment takes thousands of serials out of stock in one ledger statement. The row trigger of
-- 0042 spent about 25 µs a row on them (a function call and a key lookup each), three quarters of
-- a second for 30,000 serials; one set-based pass does the same in a few joins. Other departures
-- (transfers, issues, scrap: one row or a few) keep the row trigger, which is cheaper for one row.
-- The rules are the same either way: the balances are locked in key order, a key short of the
-- quantity refuses the whole statement with SQLSTATE MFI01 and the same detail, and the CHECK on
-- the balance stays the last line of defence.

CREATE OR REPLACE FUNCTION mf_inventory_post_movements() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  nil CONSTANT uuid := '00000000-0000-0000-0000-000000000000';
  short record;
BEGIN
  -- Shipments: stock leaving without a destination, many keys at once.
  IF EXISTS (SELECT 1 FROM moved WHERE movement_type = 'shipment' AND from_location_id IS NOT NULL AND to_location_id IS NULL) THEN
    -- Locked in key order, so concurrent postings wait for each other and then see each other's
    -- committed quantities.
    PERFORM 1 FROM stock_balances b
      JOIN (SELECT DISTINCT tenant_id, from_location_id AS location_id, item_id, coalesce(lot_id, nil) AS lot_key
              FROM moved WHERE movement_type = 'shipment' AND from_location_id IS NOT NULL AND to_location_id IS NULL) k
        ON b.tenant_id = k.tenant_id AND b.location_id = k.location_id AND b.item_id = k.item_id AND b.lot_key = k.lot_key
     ORDER BY b.location_id, b.item_id, b.lot_key
       FOR UPDATE OF b;

    SELECT k.item_id, k.lot_id, k.location_id, coalesce(b.quantity, 0) AS available, k.delta AS requested
      INTO short
      FROM (SELECT tenant_id, from_location_id AS location_id, item_id, lot_id, sum(quantity) AS delta
              FROM moved WHERE movement_type = 'shipment' AND from_location_id IS NOT NULL AND to_location_id IS NULL
             GROUP BY 1, 2, 3, 4) k
      LEFT JOIN stock_balances b
        ON b.tenant_id = k.tenant_id AND b.location_id = k.location_id AND b.item_id = k.item_id
       AND b.lot_key = coalesce(k.lot_id, nil)
     WHERE coalesce(b.quantity, 0) < k.delta
     LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'insufficient stock' USING ERRCODE = 'MFI01',
        DETAIL = json_build_object('itemId', short.item_id, 'lotId', short.lot_id, 'locationId', short.location_id,
                                   'available', short.available::text, 'requested', short.requested::text)::text;
    END IF;

    UPDATE stock_balances b SET quantity = b.quantity - k.delta, updated_at = now()
      FROM (SELECT tenant_id, from_location_id AS location_id, item_id, coalesce(lot_id, nil) AS lot_key, sum(quantity) AS delta
              FROM moved WHERE movement_type = 'shipment' AND from_location_id IS NOT NULL AND to_location_id IS NULL
             GROUP BY 1, 2, 3, 4) k
     WHERE b.tenant_id = k.tenant_id AND b.location_id = k.location_id AND b.item_id = k.item_id AND b.lot_key = k.lot_key;
  END IF;

  -- Arrivals only (no source location): added in one statement, keys in order.
  INSERT INTO stock_balances AS b (tenant_id, location_id, item_id, lot_id, site_id, quantity)
  SELECT tenant_id, to_location_id, item_id, lot_id, to_site_id, sum(quantity)
    FROM moved WHERE from_location_id IS NULL
   GROUP BY tenant_id, to_location_id, item_id, lot_id, to_site_id
   ORDER BY to_location_id, item_id, lot_id
  ON CONFLICT ON CONSTRAINT stock_balances_key
  DO UPDATE SET quantity = b.quantity + excluded.quantity, updated_at = now();
  RETURN NULL;
END $$;

DROP TRIGGER post_departures ON stock_movements;
CREATE TRIGGER post_departures AFTER INSERT ON stock_movements
  FOR EACH ROW WHEN (NEW.from_location_id IS NOT NULL
                     AND NOT (NEW.movement_type = 'shipment' AND NEW.to_location_id IS NULL))
  EXECUTE FUNCTION mf_inventory_post_departure();
