-- Audit trail: two measured savings (bench/RESULTS.md).

-- 1. The foreign key from audit_event to tenants ran a referential check for every audited
-- row, a large share of the trail's cost on bulk changes. An event's tenant is always the
-- tenant of the audited row, which that row's own key already checks, and tenants are never
-- deleted.
ALTER TABLE audit_event DROP CONSTRAINT audit_event_tenant_id_fkey;

-- 2. Sealing compared whole rows through hstore; comparing the content columns directly is
-- several times cheaper. A column added to audit_event must be added to this list.
CREATE OR REPLACE FUNCTION mf_audit_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (NEW.tenant_id, NEW.id, NEW.xid, NEW.at, NEW.actor_kind, NEW.actor_id, NEW.actor_name, NEW.action,
            NEW.entity, NEW.record_id, NEW.old_values, NEW.new_values, NEW.reason, NEW.request_id)
           IS NOT DISTINCT FROM
           (OLD.tenant_id, OLD.id, OLD.xid, OLD.at, OLD.actor_kind, OLD.actor_id, OLD.actor_name, OLD.action,
            OLD.entity, OLD.record_id, OLD.old_values, OLD.new_values, OLD.reason, OLD.request_id) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit events are append-only: % refused', lower(TG_OP)
    USING ERRCODE = 'insufficient_privilege';
END $$;
