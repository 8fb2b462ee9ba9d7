-- Nonconformance: an NCR may be raised from a customer's return, when quality takes returned
-- goods into a nonconformance instead of restocking or scrapping them (source: the return).

ALTER TABLE nonconformances
  DROP CONSTRAINT nonconformances_source_kind_check,
  ADD CONSTRAINT nonconformances_source_kind_check CHECK (source_kind IN
    ('incoming_inspection', 'lot', 'serial', 'purchase_receipt', 'supplier', 'production_operation', 'customer_return'));
