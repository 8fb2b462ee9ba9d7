-- Inventory: the item index of the balances names the lot too, so a departure finds its balance in
-- one index lookup whichever index the planner takes (bench/RESULTS.md, "Shipment").
--
-- The departure trigger (0042) looks its balance up by tenant, location, item and lot. Its plan is
-- cached as a generic plan, and to the planner the primary key (tenant, location, item, lot) and the
-- item index (tenant, item, location) cost the same for one row; it took the narrower item index and
-- filtered the lot, reading every balance of the item at that location. For serials that is one
-- balance per serial ever stocked there: a shipment of n serials read n × (serials at the location)
-- index entries, 30,000 serials about 25 ms a row, the same for raw SQL into the ledger. With the lot
-- in the item index both candidates are an exact lookup. The lot key never changes, so balance
-- updates stay heap-only (0042); on-hand for an item still reads the index by its leading columns.
DROP INDEX stock_balances_item;
CREATE INDEX stock_balances_item ON stock_balances (tenant_id, item_id, location_id, lot_key);
