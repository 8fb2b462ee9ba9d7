-- Audit trail: a table may keep a column out of the trail (a sealed secret): its value is never
-- copied, only that it was set or changed ("[not recorded]"). Excluded columns travel as the
-- last trigger arguments, each written "-column", after the tenant and key columns.

CREATE OR REPLACE FUNCTION mf_audit_row() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  row_new  jsonb;
  row_old  jsonb;
  h_new    hstore;
  changed  hstore;
  same     text[];
  keyed    jsonb;
  rec_id   text;
  keys     text[] := TG_ARGV[1:];
  excluded text[];
BEGIN
  IF TG_ARGV[TG_NARGS - 1] LIKE '-%' THEN
    SELECT array_agg(a) FILTER (WHERE a NOT LIKE '-%'), array_agg(substr(a, 2)) FILTER (WHERE a LIKE '-%')
      INTO keys, excluded FROM unnest(TG_ARGV[1:]) AS a;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    h_new := hstore(NEW);
    changed := h_new - hstore(OLD);
    IF changed = ''::hstore THEN
      RETURN NULL;  -- an update that changes nothing is not an event
    END IF;
    -- What is left of NEW after removing the changed pairs are the unchanged fields.
    same := akeys(h_new - changed);
    keyed := to_jsonb(NEW);
    row_old := to_jsonb(OLD) - same;
    row_new := keyed - same;
  ELSIF TG_OP = 'INSERT' THEN
    row_new := to_jsonb(NEW);
    keyed := row_new;
  ELSE
    row_old := to_jsonb(OLD);
    keyed := row_old;
  END IF;
  IF excluded IS NOT NULL THEN
    row_old := mf_audit_redact(row_old, excluded);
    row_new := mf_audit_redact(row_new, excluded);
  END IF;

  IF cardinality(keys) = 1 THEN
    rec_id := keyed ->> keys[1];
  ELSE
    SELECT string_agg(keyed ->> k, ':' ORDER BY n) INTO rec_id FROM unnest(keys) WITH ORDINALITY AS a(k, n);
  END IF;

  INSERT INTO audit_event (tenant_id, actor_kind, actor_id, actor_name, action, entity, record_id,
                           old_values, new_values, reason, request_id)
  VALUES ((keyed ->> TG_ARGV[0])::uuid,
          coalesce(nullif(current_setting('app.actor_kind', true), ''), 'system'),
          coalesce(nullif(current_setting('app.actor_id', true), ''), session_user),
          coalesce(nullif(current_setting('app.actor_name', true), ''), 'system:' || session_user),
          lower(TG_OP), TG_TABLE_NAME, rec_id, row_old, row_new,
          nullif(current_setting('app.reason', true), ''),
          nullif(current_setting('app.request_id', true), ''));
  RETURN NULL;
END $$;

-- The columns' values replaced by a marker: the trail shows that a secret was set or changed, never the secret.
CREATE FUNCTION mf_audit_redact(j jsonb, excluded text[]) RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN j IS NULL THEN NULL ELSE
    j - excluded || coalesce((SELECT jsonb_object_agg(k, CASE WHEN j -> k = 'null'::jsonb THEN 'null'::jsonb ELSE '"[not recorded]"'::jsonb END)
                                FROM unnest(excluded) AS k WHERE j ? k), '{}'::jsonb) END
$$;

CREATE OR REPLACE FUNCTION mf_audit_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  keys     text[] := TG_ARGV[1:];
  excluded text[];
BEGIN
  IF TG_ARGV[TG_NARGS - 1] LIKE '-%' THEN
    SELECT array_agg(a) FILTER (WHERE a NOT LIKE '-%'), array_agg(substr(a, 2)) FILTER (WHERE a LIKE '-%')
      INTO keys, excluded FROM unnest(TG_ARGV[1:]) AS a;
  END IF;
  INSERT INTO audit_event (tenant_id, actor_kind, actor_id, actor_name, action, entity, record_id,
                           old_values, new_values, reason, request_id)
  SELECT (r.j ->> TG_ARGV[0])::uuid,
         coalesce(nullif(current_setting('app.actor_kind', true), ''), 'system'),
         coalesce(nullif(current_setting('app.actor_id', true), ''), session_user),
         coalesce(nullif(current_setting('app.actor_name', true), ''), 'system:' || session_user),
         'insert', TG_TABLE_NAME,
         CASE WHEN cardinality(keys) = 1 THEN r.j ->> keys[1]
              ELSE (SELECT string_agg(r.j ->> k, ':' ORDER BY o) FROM unnest(keys) WITH ORDINALITY AS a(k, o)) END,
         NULL, CASE WHEN excluded IS NULL THEN r.j ELSE mf_audit_redact(r.j, excluded) END,
         nullif(current_setting('app.reason', true), ''),
         nullif(current_setting('app.request_id', true), '')
    FROM (SELECT to_jsonb(mf_row.*) AS j FROM inserted AS mf_row) r;
  RETURN NULL;
END $$;

-- Puts a table under the audit trail; `excluded_columns` stay out of it (their change is noted, not their value).
DROP FUNCTION mf_audit_table(regclass, text[], text);
CREATE FUNCTION mf_audit_table(tbl regclass, key_columns text[] DEFAULT ARRAY['id'], tenant_column text DEFAULT 'tenant_id',
                               excluded_columns text[] DEFAULT ARRAY[]::text[])
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  args text := (SELECT string_agg(quote_literal(c), ', ')
                  FROM unnest(tenant_column || key_columns || (SELECT coalesce(array_agg('-' || e), ARRAY[]::text[]) FROM unnest(excluded_columns) AS e)) AS c);
BEGIN
  EXECUTE format('CREATE TRIGGER audit AFTER UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION mf_audit_row(%s)', tbl, args);
  EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS inserted
                  FOR EACH STATEMENT EXECUTE FUNCTION mf_audit_inserted(%s)', tbl, args);
END $$;

-- Webhook subscriptions under the trail, their signing secrets (current and, while a rotation
-- overlaps, previous) left out. A rotation keeps the previous secret valid for a while.
ALTER TABLE webhook_subscriptions
  ADD COLUMN previous_secret_sealed text,
  ADD COLUMN previous_secret_until timestamptz,
  ADD CONSTRAINT webhook_previous_secret_pair CHECK ((previous_secret_sealed IS NULL) = (previous_secret_until IS NULL));
SELECT mf_audit_table('webhook_subscriptions', excluded_columns => ARRAY['secret_sealed', 'previous_secret_sealed']);
