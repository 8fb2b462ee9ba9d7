-- Audit trail (21 CFR Part 11 §11.10(e)): every insert, update and delete of an audited table is
-- appended to audit_event by a row trigger in the same transaction. The trigger only appends: the
-- chain position (seq) and the hashes are assigned later by the sealer (src/platform/audit/seal.ts),
-- so no writer ever waits on a tenant-wide lock.

CREATE EXTENSION IF NOT EXISTS hstore;

CREATE TABLE audit_event (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  -- Insertion order across the installation; orders a record's history before sealing.
  id          bigint GENERATED ALWAYS AS IDENTITY,
  -- The writing transaction: the sealer only seals events of transactions that have finished.
  xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL,
  actor_id    text NOT NULL,
  actor_name  text NOT NULL,
  -- insert | update | delete for rows; a dotted name (login.failed, …) for security events.
  action      text NOT NULL,
  -- The table name, or 'security'.
  entity      text NOT NULL,
  record_id   text,
  -- insert: the new row; delete: the old row; update: only the changed fields, old and new.
  old_values  jsonb,
  new_values  jsonb,
  reason      text,
  request_id  text,
  -- Seal columns, set once by the sealer: position in the tenant's chain and the hash links.
  seq         bigint,
  prev_hash   text,
  hash        text,
  PRIMARY KEY (tenant_id, id),
  CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL))
);
CREATE UNIQUE INDEX audit_event_chain ON audit_event (tenant_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX audit_event_unsealed ON audit_event (tenant_id, id) WHERE seq IS NULL;
CREATE INDEX audit_event_record ON audit_event (tenant_id, entity, record_id, id);

-- The last sealed link of each tenant's chain: cutting events off the end of the chain is
-- detected because the head no longer matches. Written only by the sealer.
CREATE TABLE audit_chain_head (
  tenant_id  uuid PRIMARY KEY REFERENCES tenants (id),
  seq        bigint NOT NULL,
  hash       text NOT NULL,
  sealed_at  timestamptz NOT NULL DEFAULT now()
);

-- The application role reads its own tenant's events and nothing else; it never writes them
-- directly (the SECURITY DEFINER functions below do). RLS is enabled but not forced, so the
-- owner (migrations, sealer, verify) sees every tenant.
ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_event FOR SELECT USING (tenant_id = mf_current_tenant());
GRANT SELECT ON audit_event TO mediforge_app;
ALTER TABLE audit_chain_head ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_chain_head FOR SELECT USING (tenant_id = mf_current_tenant());
GRANT SELECT ON audit_chain_head TO mediforge_app;

-- Append-only, also for the owner: no delete, no truncate, and an update may only seal an
-- unsealed event (set seq, prev_hash, hash) without touching anything else.
CREATE FUNCTION mf_audit_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND hstore(NEW) - ARRAY['seq', 'prev_hash', 'hash'] = hstore(OLD) - ARRAY['seq', 'prev_hash', 'hash'] THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit events are append-only: % refused', lower(TG_OP)
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION mf_audit_append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION mf_audit_append_only();

-- The row trigger. Arguments: the tenant column, then the key columns (composite keys are
-- joined with ':'). Field diffs come from hstore in C; values are kept typed via to_jsonb.
CREATE FUNCTION mf_audit_row() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  row_new jsonb;
  row_old jsonb;
  h_new   hstore;
  changed hstore;
  same    text[];
  keyed   jsonb;
  rec_id  text;
BEGIN
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

  IF TG_NARGS = 2 THEN
    rec_id := keyed ->> TG_ARGV[1];
  ELSE
    SELECT string_agg(keyed ->> k, ':' ORDER BY n) INTO rec_id
      FROM unnest(TG_ARGV[1:]) WITH ORDINALITY AS a(k, n);
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

-- Puts a table under the audit trail: one line per table in its migration,
--   SELECT mf_audit_table('sites');
-- or with a composite key: SELECT mf_audit_table('bom_lines', ARRAY['bom_id', 'line_no']).
CREATE FUNCTION mf_audit_table(tbl regclass, key_columns text[] DEFAULT ARRAY['id'], tenant_column text DEFAULT 'tenant_id')
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format(
    'CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION mf_audit_row(%s)',
    tbl, (SELECT string_agg(quote_literal(c), ', ') FROM unnest(tenant_column || key_columns) AS c));
END $$;

-- Records in a locked state (approved, released, …) change only with a reason (EU GMP Annex 11
-- §9). `locked` is a condition on OLD, e.g. $$OLD.status IN ('approved', 'effective')$$; it is
-- compiled into a trigger function of its own so the check costs no dynamic SQL per row.
CREATE FUNCTION mf_audit_require_reason(tbl regclass, locked text)
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  fn text := format('mf_reason_%s', (SELECT relname FROM pg_class WHERE oid = tbl));
BEGIN
  EXECUTE format($f$
    CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF (%s) AND coalesce(current_setting('app.reason', true), '') = '' THEN
        RAISE EXCEPTION 'a reason is required to change or delete a %s record in this state', TG_TABLE_NAME
          USING ERRCODE = 'MFRSN', HINT = 'send the reason in the X-Change-Reason header';
      END IF;
      RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END $body$
  $f$, fn, locked, '%');
  EXECUTE format('CREATE TRIGGER require_reason BEFORE UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %I()', tbl, fn);
END $$;

-- Security events (login.failed, permission.denied, …) join the same trail with entity
-- 'security', for the tenant and actor of the current context.
CREATE FUNCTION mf_record_security_event(action text, subject_id text, details jsonb)
  RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN
  IF mf_current_tenant() IS NULL THEN
    RAISE EXCEPTION 'a security event needs a tenant context';
  END IF;
  IF action !~ '^[a-z][a-z0-9_]*(\.[a-z][a-zA-Z0-9_]*)+$' THEN
    RAISE EXCEPTION 'security event action "%" is not a dotted name', action USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO audit_event (tenant_id, actor_kind, actor_id, actor_name, action, entity, record_id,
                           new_values, reason, request_id)
  VALUES (mf_current_tenant(),
          coalesce(nullif(current_setting('app.actor_kind', true), ''), 'system'),
          coalesce(nullif(current_setting('app.actor_id', true), ''), session_user),
          coalesce(nullif(current_setting('app.actor_name', true), ''), 'system:' || session_user),
          action, 'security', subject_id, details,
          nullif(current_setting('app.reason', true), ''),
          nullif(current_setting('app.request_id', true), ''));
END $$;
REVOKE ALL ON FUNCTION mf_record_security_event(text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mf_record_security_event(text, text, jsonb) TO mediforge_app;

SELECT mf_audit_table('tenants', ARRAY['id'], 'id');
SELECT mf_audit_table('sites');
