-- No foreign key to tenants on the tables written for every event and every retried request
-- (bench/RESULTS.md, "Inventory"). Each such key locked the tenant's row (FOR KEY SHARE) for
-- every row written, so all concurrent writers of a tenant contended on that one row. The
-- tenant of these rows is the writing transaction's tenant, checked by row-level security on
-- insert (WITH CHECK); deliveries and processed marks are bound to their tenant's event by
-- their key to outbox_events; tenants are never deleted.
ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_tenant_id_fkey;
ALTER TABLE event_deliveries DROP CONSTRAINT event_deliveries_tenant_id_fkey;
ALTER TABLE processed_events DROP CONSTRAINT processed_events_tenant_id_fkey;
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_tenant_id_fkey;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_tenant_id_fkey;
