-- Audit trail: inserts are recorded per statement, from the statement's transition table, in
-- one INSERT … SELECT instead of one trigger call and one single-row insert per new row. A
-- receipt of 10,000 serials writes 20,000 rows; per-row audit calls were most of its cost
-- (bench/RESULTS.md). Updates and deletes keep the row trigger: they need each row's old values
-- and are one row at a time in practice. The events are the same as before: one per new row,
-- in insertion order, with the whole row as new_values.

CREATE FUNCTION mf_audit_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  -- Arguments as for mf_audit_row: the tenant column, then the key columns (joined with ':').
  INSERT INTO audit_event (tenant_id, actor_kind, actor_id, actor_name, action, entity, record_id,
                           old_values, new_values, reason, request_id)
  SELECT (r.j ->> TG_ARGV[0])::uuid,
         coalesce(nullif(current_setting('app.actor_kind', true), ''), 'system'),
         coalesce(nullif(current_setting('app.actor_id', true), ''), session_user),
         coalesce(nullif(current_setting('app.actor_name', true), ''), 'system:' || session_user),
         'insert', TG_TABLE_NAME,
         CASE WHEN TG_NARGS = 2 THEN r.j ->> TG_ARGV[1]
              ELSE (SELECT string_agg(r.j ->> k, ':' ORDER BY o) FROM unnest(TG_ARGV[1:]) WITH ORDINALITY AS a(k, o)) END,
         NULL, r.j,
         nullif(current_setting('app.reason', true), ''),
         nullif(current_setting('app.request_id', true), '')
    FROM (SELECT to_jsonb(mf_row.*) AS j FROM inserted AS mf_row) r;
  RETURN NULL;
END $$;

-- Puts a table under the audit trail (unchanged call: one line per table in its migration).
CREATE OR REPLACE FUNCTION mf_audit_table(tbl regclass, key_columns text[] DEFAULT ARRAY['id'], tenant_column text DEFAULT 'tenant_id')
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  args text := (SELECT string_agg(quote_literal(c), ', ') FROM unnest(tenant_column || key_columns) AS c);
BEGIN
  EXECUTE format('CREATE TRIGGER audit AFTER UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION mf_audit_row(%s)', tbl, args);
  EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS inserted
                  FOR EACH STATEMENT EXECUTE FUNCTION mf_audit_inserted(%s)', tbl, args);
END $$;

-- Tables already audited move to the new pair of triggers with the arguments they had.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT tg.tgrelid::regclass AS tbl,
           array_remove(string_to_array(encode(tg.tgargs, 'escape'), '\000'), '') AS args
      FROM pg_trigger tg
     WHERE tg.tgfoid = 'mf_audit_row'::regproc AND tg.tgname = 'audit'
  LOOP
    EXECUTE format('DROP TRIGGER audit ON %s', t.tbl);
    PERFORM mf_audit_table(t.tbl, t.args[2:], t.args[1]);
  END LOOP;
END $$;
