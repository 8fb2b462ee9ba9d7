-- Inventory: the ledger's typed source links gain production's work orders — material issued to
-- a work order and unused material returned from it (the line is the order's requirement).

ALTER TABLE stock_movements
  DROP CONSTRAINT stock_movements_source_kind,
  ADD CONSTRAINT stock_movements_source_kind CHECK (source_kind IN
    ('purchase_receipt', 'stock_receipt', 'stock_issue', 'transfer', 'stock_adjustment', 'opening_balance',
     'nonconformance', 'shipment', 'customer_return', 'work_order'));
