-- Inventory: the ledger's typed source links gain the records of quality and sales — a
-- nonconformance whose disposition scraps stock or returns it to the supplier, a shipment to a
-- customer, and a customer's return received back into quarantine.

ALTER TABLE stock_movements
  DROP CONSTRAINT stock_movements_source_kind,
  ADD CONSTRAINT stock_movements_source_kind CHECK (source_kind IN
    ('purchase_receipt', 'stock_receipt', 'stock_issue', 'transfer', 'stock_adjustment', 'opening_balance',
     'nonconformance', 'shipment', 'customer_return'));
