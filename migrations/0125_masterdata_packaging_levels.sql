-- Master data: the packaging levels of a trade item (GS1 packaging hierarchy, UDI-DI per level).
-- Each level has its own GTIN-14 (check digit verified by the service), contains a whole number of
-- the level below it, and is unique per tenant among every level and every item's own GTIN (the
-- service checks both; this index the levels among themselves).

CREATE TABLE item_packaging_levels (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  item_id         uuid NOT NULL,
  level           text NOT NULL CHECK (level IN ('unit_of_use', 'each', 'box', 'case')),
  gtin            text NOT NULL CHECK (gtin ~ '^[0-9]{14}$'),
  quantity        integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
  contains_level  text CHECK (contains_level IN ('unit_of_use', 'each', 'box', 'case')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, item_id, level),
  UNIQUE (tenant_id, gtin),
  FOREIGN KEY (tenant_id, item_id) REFERENCES items (tenant_id, id),
  CHECK (contains_level IS DISTINCT FROM level),
  -- The lowest level stands alone and counts one.
  CHECK (contains_level IS NOT NULL OR quantity = 1)
);
SELECT mf_tenant_table('item_packaging_levels', 'SELECT, INSERT, UPDATE, DELETE');
SELECT mf_audit_table('item_packaging_levels', ARRAY['item_id', 'level']);
