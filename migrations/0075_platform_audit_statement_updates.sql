-- Audit trail: updates and deletes are recorded per statement too, from the statement's transition
-- tables, in one INSERT … SELECT instead of one trigger call and one single-row insert per row
-- (bench/RESULTS.md). The events are the same as the row trigger wrote them: one per changed or
-- deleted row; an update records only the changed fields, old and new, and an update that changes
-- nothing is not an event; excluded columns show "[not recorded]"; tenant, actor, reason and
-- request id from the statement's context.
--
-- An update's old and new rows are paired on the tenant column and the key columns, the record's
-- name in the trail. A statement that changes a key is refused (SQLSTATE MFKEY): a record keeps its
-- name, or its history would be split between two names. No code changes an audited key.

CREATE FUNCTION mf_audit_key_changed(tbl name, keys text[]) RETURNS uuid
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the key (%) of a % record names it in the audit trail and cannot change', array_to_string(keys, ', '), tbl
    USING ERRCODE = 'MFKEY', HINT = 'create a new record instead';
END $$;

-- Each trigger statement is planned once per session and table (plan_cache_mode): with custom
-- plans, a session that had written one large statement kept planning every later one-row
-- statement anew, as the large one made the average plan look expensive (measured: 140 µs instead
-- of 50 µs per one-row update). A plan made for one row suits many (a scan of the transition table,
-- or a hash or merge join) and the other way round.

-- The record's name in the trail: its key columns' values joined with ':', nulls left out, as the
-- row trigger named it. One expression, inlined into the statements below (a sub-select or a
-- function call per row would cost more than the rest): at most four key columns. Stable, as
-- concat_ws is: a function declared immutable around it would not be inlined.
CREATE FUNCTION mf_audit_record_id(j jsonb, keys text[]) RETURNS text
  LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN num_nonnulls(j ->> keys[1], j ->> keys[2], j ->> keys[3], j ->> keys[4]) > 0
              THEN concat_ws(':', j ->> keys[1], j ->> keys[2], j ->> keys[3], j ->> keys[4]) END
$$;

CREATE OR REPLACE FUNCTION mf_audit_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  keys     text[] := TG_ARGV[1:];  -- TG_ARGV counts from 0: the tenant column, then the key columns
  excluded text[];
  actor_k  text := coalesce(nullif(current_setting('app.actor_kind', true), ''), 'system');
  actor_i  text := coalesce(nullif(current_setting('app.actor_id', true), ''), session_user);
  actor_n  text := coalesce(nullif(current_setting('app.actor_name', true), ''), 'system:' || session_user);
  why      text := nullif(current_setting('app.reason', true), '');
  request  text := nullif(current_setting('app.request_id', true), '');
BEGIN
  IF TG_ARGV[TG_NARGS - 1] LIKE '-%' THEN  -- excluded columns come last, written "-column"
    SELECT array_agg(a) FILTER (WHERE a NOT LIKE '-%'), array_agg(substr(a, 2)) FILTER (WHERE a LIKE '-%')
      INTO keys, excluded FROM unnest(TG_ARGV[1:]) AS a;
  END IF;
  INSERT INTO audit_event (tenant_id, actor_kind, actor_id, actor_name, action, entity, record_id,
                           old_values, new_values, reason, request_id)
  SELECT (r.j ->> TG_ARGV[0])::uuid, actor_k, actor_i, actor_n, 'insert', TG_TABLE_NAME,
         mf_audit_record_id(r.j, keys),
         NULL, CASE WHEN excluded IS NULL THEN r.j ELSE mf_audit_redact(r.j, excluded) END, why, request
    FROM (SELECT to_jsonb(mf_row.*) AS j FROM inserted AS mf_row OFFSET 0) r;  -- OFFSET 0: one to_jsonb per row, not one per use
  RETURN NULL;
END $$;

-- Old and new rows are paired on the tenant and key columns; only pairs that differ become events,
-- each with the changed fields only. A row without a partner means its key changed: refused. A full
-- join can only be a hash or merge join, so the plan cached for a one-row update never becomes a
-- nested loop over a 100,000-row one.
CREATE FUNCTION mf_audit_updated() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog SET plan_cache_mode = force_generic_plan
  -- The planner cannot estimate the pairing and expects millions of rows: compiling the statement
  -- would cost more than running it.
  SET jit = off AS $$
DECLARE
  keys     text[] := TG_ARGV[1:];  -- TG_ARGV counts from 0: the tenant column, then the key columns
  excluded text[];
  paired   text[];
  actor_k  text := coalesce(nullif(current_setting('app.actor_kind', true), ''), 'system');
  actor_i  text := coalesce(nullif(current_setting('app.actor_id', true), ''), session_user);
  actor_n  text := coalesce(nullif(current_setting('app.actor_name', true), ''), 'system:' || session_user);
  why      text := nullif(current_setting('app.reason', true), '');
  request  text := nullif(current_setting('app.request_id', true), '');
BEGIN
  IF TG_ARGV[TG_NARGS - 1] LIKE '-%' THEN  -- excluded columns come last, written "-column"
    SELECT array_agg(a) FILTER (WHERE a NOT LIKE '-%'), array_agg(substr(a, 2)) FILTER (WHERE a LIKE '-%')
      INTO keys, excluded FROM unnest(TG_ARGV[1:]) AS a;
  END IF;
  paired := TG_ARGV[0] || keys;
  INSERT INTO audit_event (tenant_id, actor_kind, actor_id, actor_name, action, entity, record_id,
                           old_values, new_values, reason, request_id)
  SELECT CASE WHEN c.unpaired THEN mf_audit_key_changed(TG_TABLE_NAME, keys) ELSE (c.nj ->> TG_ARGV[0])::uuid END,
         actor_k, actor_i, actor_n, 'update', TG_TABLE_NAME,
         mf_audit_record_id(c.nj, keys),
         CASE WHEN excluded IS NULL THEN c.oj - c.same ELSE mf_audit_redact(c.oj - c.same, excluded) END,
         CASE WHEN excluded IS NULL THEN c.nj - c.same ELSE mf_audit_redact(c.nj - c.same, excluded) END,
         why, request
    FROM (SELECT o.h IS NULL OR n.h IS NULL AS unpaired, to_jsonb(o.r) AS oj, to_jsonb(n.r) AS nj,
                 -- What is left of the new row after removing the changed pairs are the unchanged fields.
                 akeys(n.h - (n.h - o.h)) AS same
            FROM (SELECT mf_old AS r, hstore(mf_old) AS h FROM old_rows AS mf_old OFFSET 0) o
            FULL JOIN (SELECT mf_new AS r, hstore(mf_new) AS h FROM new_rows AS mf_new OFFSET 0) n
              ON o.h -> paired = n.h -> paired
           WHERE o.h IS NULL OR n.h IS NULL OR o.h <> n.h  -- an update that changes nothing is not an event
          OFFSET 0) c;  -- OFFSET 0 here and above: each row's hstore and to_jsonb made once
  RETURN NULL;
END $$;

CREATE FUNCTION mf_audit_deleted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  keys     text[] := TG_ARGV[1:];  -- TG_ARGV counts from 0: the tenant column, then the key columns
  excluded text[];
  actor_k  text := coalesce(nullif(current_setting('app.actor_kind', true), ''), 'system');
  actor_i  text := coalesce(nullif(current_setting('app.actor_id', true), ''), session_user);
  actor_n  text := coalesce(nullif(current_setting('app.actor_name', true), ''), 'system:' || session_user);
  why      text := nullif(current_setting('app.reason', true), '');
  request  text := nullif(current_setting('app.request_id', true), '');
BEGIN
  IF TG_ARGV[TG_NARGS - 1] LIKE '-%' THEN  -- excluded columns come last, written "-column"
    SELECT array_agg(a) FILTER (WHERE a NOT LIKE '-%'), array_agg(substr(a, 2)) FILTER (WHERE a LIKE '-%')
      INTO keys, excluded FROM unnest(TG_ARGV[1:]) AS a;
  END IF;
  INSERT INTO audit_event (tenant_id, actor_kind, actor_id, actor_name, action, entity, record_id,
                           old_values, new_values, reason, request_id)
  SELECT (r.j ->> TG_ARGV[0])::uuid, actor_k, actor_i, actor_n, 'delete', TG_TABLE_NAME,
         mf_audit_record_id(r.j, keys),
         CASE WHEN excluded IS NULL THEN r.j ELSE mf_audit_redact(r.j, excluded) END, NULL, why, request
    FROM (SELECT to_jsonb(mf_row.*) AS j FROM old_rows AS mf_row OFFSET 0) r;  -- OFFSET 0: one to_jsonb per row
  RETURN NULL;
END $$;

-- Puts a table under the audit trail (unchanged call: one line per table in its migration): three
-- statement triggers, one per kind of change, each with its transition table.
CREATE OR REPLACE FUNCTION mf_audit_table(tbl regclass, key_columns text[] DEFAULT ARRAY['id'], tenant_column text DEFAULT 'tenant_id',
                                          excluded_columns text[] DEFAULT ARRAY[]::text[])
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  args text := (SELECT string_agg(quote_literal(c), ', ')
                  FROM unnest(tenant_column || key_columns || (SELECT coalesce(array_agg('-' || e), ARRAY[]::text[]) FROM unnest(excluded_columns) AS e)) AS c);
BEGIN
  IF coalesce(cardinality(key_columns), 0) NOT BETWEEN 1 AND 4 THEN
    RAISE EXCEPTION 'an audited table names its records by one to four key columns, not %', coalesce(cardinality(key_columns), 0);
  END IF;
  EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS inserted
                  FOR EACH STATEMENT EXECUTE FUNCTION mf_audit_inserted(%s)', tbl, args);
  EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION mf_audit_updated(%s)', tbl, args);
  EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION mf_audit_deleted(%s)', tbl, args);
END $$;

-- Tables already audited move to the new triggers with the arguments they had.
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
    EXECUTE format('DROP TRIGGER audit_insert ON %s', t.tbl);
    PERFORM mf_audit_table(t.tbl, array_agg(a) FILTER (WHERE a NOT LIKE '-%'), t.args[1],
                           coalesce(array_agg(substr(a, 2)) FILTER (WHERE a LIKE '-%'), ARRAY[]::text[]))
       FROM unnest(t.args[2:]) AS a;
  END LOOP;
END $$;

DROP FUNCTION mf_audit_row();

-- A record's history is read through audit_event_record for sealed events and through
-- audit_event_unsealed for the few the sealer has not reached yet (it runs every half second).
-- Sealing writes a new version of every event, and with it a new entry in each index whose
-- condition it meets; an entry made when the event was written served only until then. Indexing
-- sealed events only, an event costs two index entries when it is written (key, unsealed) instead
-- of three, and the record index holds one entry per event instead of a live one and a dead one.
DROP INDEX audit_event_record;
CREATE INDEX audit_event_record ON audit_event (tenant_id, entity, record_id, id) WHERE seq IS NOT NULL;
