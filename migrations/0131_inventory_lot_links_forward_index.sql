-- Inventory: the forward trace (parent → children) reads each link's child and work order. With
-- the work order in the index as well, every step of the walk is an index-only scan: one index
-- page per lot reached instead of an index page and a table page. The backward trace already
-- walks the primary key, which holds all three.

DROP INDEX lot_links_parent;
CREATE INDEX lot_links_parent ON lot_links (tenant_id, parent_lot_id, child_lot_id) INCLUDE (work_order_id);
