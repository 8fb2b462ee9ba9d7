-- Inventory: every ledger row links to the record it was written for, typed (kind, id, line),
-- instead of naming it only in free text. A purchase receipt's rows link to the receipt and the
-- order line it received; inventory's own operations (receipts and issues made in inventory,
-- transfers, adjustments, stock taken over at go-live) link to themselves by operation id. A
-- screen labels the record through its module's record names (the receipt's number), so the
-- free-text reference stays only for what a person typed: an outside document's number.
-- Modules that arrive later (work orders, shipments, returns) add their kind to the check below.

ALTER TABLE stock_movements
  ADD COLUMN source_kind text,
  ADD COLUMN source_id uuid,
  ADD COLUMN source_line integer,
  ADD CONSTRAINT stock_movements_source_kind CHECK (source_kind IN
    ('purchase_receipt', 'stock_receipt', 'stock_issue', 'transfer', 'stock_adjustment', 'opening_balance')),
  ADD CONSTRAINT stock_movements_source_pair CHECK ((source_kind IS NULL) = (source_id IS NULL)),
  ADD CONSTRAINT stock_movements_source_line CHECK (source_line IS NULL OR (source_line > 0 AND source_id IS NOT NULL));

-- "Which stock did this receipt (work order, shipment) move?" is an index scan.
CREATE INDEX stock_movements_source ON stock_movements (tenant_id, source_kind, source_id) WHERE source_id IS NOT NULL;

-- The rows written before: links derived from what each row recorded. The ledger is append-only,
-- so its guard is lifted for this one statement's transaction; the audit trigger stays on and
-- records each derived link as a change with the reason below. The owner reads every tenant's
-- rows here: row-level security is not forced for the duration of the migration's transaction.
ALTER TABLE stock_movements NO FORCE ROW LEVEL SECURITY;
ALTER TABLE receipts NO FORCE ROW LEVEL SECURITY;
ALTER TABLE purchase_orders NO FORCE ROW LEVEL SECURITY;
ALTER TABLE purchase_order_lines NO FORCE ROW LEVEL SECURITY;
ALTER TABLE stock_movements DISABLE TRIGGER append_only;
SELECT set_config('app.reason', 'typed source link derived from the recorded reference (migration 0076)', true);

-- A purchase receipt's rows named its order by number and hold the receipt's lot.
UPDATE stock_movements m
   SET source_kind = 'purchase_receipt', source_id = r.id, source_line = l.line_no
  FROM receipts r
  JOIN purchase_orders po ON po.tenant_id = r.tenant_id AND po.id = r.po_id
  JOIN purchase_order_lines l ON l.tenant_id = r.tenant_id AND l.id = r.po_line_id
 WHERE m.movement_type = 'receipt' AND m.reference_type = 'purchase_order'
   AND r.tenant_id = m.tenant_id AND r.lot_id = m.lot_id AND po.number = m.reference_id;

-- Inventory's own operations: the operation its rows share.
UPDATE stock_movements
   SET source_kind = CASE
         WHEN movement_type = 'receipt' AND reference_type = 'takeover' THEN 'opening_balance'
         WHEN movement_type = 'receipt' THEN 'stock_receipt'
         WHEN movement_type IN ('issue', 'shipment') THEN 'stock_issue'
         WHEN movement_type = 'transfer' THEN 'transfer'
         ELSE 'stock_adjustment' END,
       source_id = operation_id
 WHERE source_id IS NULL AND movement_type IN ('receipt', 'issue', 'shipment', 'transfer', 'adjustment');

SELECT set_config('app.reason', '', true);
ALTER TABLE stock_movements ENABLE TRIGGER append_only;
ALTER TABLE stock_movements FORCE ROW LEVEL SECURITY;
ALTER TABLE receipts FORCE ROW LEVEL SECURITY;
ALTER TABLE purchase_orders FORCE ROW LEVEL SECURITY;
ALTER TABLE purchase_order_lines FORCE ROW LEVEL SECURITY;
