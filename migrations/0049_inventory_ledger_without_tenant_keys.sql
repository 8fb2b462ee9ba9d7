-- Inventory: no foreign key from the ledger and the lots to tenants (bench/RESULTS.md, "Inventory").
-- Each one locked the tenant's row (FOR KEY SHARE) for every row written, so every posting of a
-- tenant contended on one row and a receipt of 10,000 serials paid 20,000 lookups. The tenant of
-- a row is the request's tenant, which row-level security checks on insert (WITH CHECK), and
-- tenants are never deleted; the lot's own key and the ledger's key to the lot still bind every
-- row to its tenant.
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_tenant_id_fkey;
ALTER TABLE lots DROP CONSTRAINT lots_tenant_id_fkey;
