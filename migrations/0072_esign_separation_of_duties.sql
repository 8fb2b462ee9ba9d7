-- Separation of duties in signed steps (21 CFR Part 11 §11.10(g)): each signature meaning of a
-- record type declares rules naming who may not sign (the creator of a purchase order, the
-- person who recorded an inspection's results, the last editor of a document's content). A
-- tenant may relax a rule for one meaning of one record type, with a reason; the setting is
-- audited and every signature a relaxed rule lets through is a security event in the trail.

CREATE TABLE esign_duty_settings (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  entity           text NOT NULL CHECK (entity ~ '^[a-z][a-z0-9_]{0,62}$'),
  meaning          text NOT NULL CHECK (meaning ~ '^[a-z][a-z_]{1,39}$'),
  rule             text NOT NULL CHECK (rule ~ '^[a-z][A-Za-z]{1,59}$'),
  enforcement      text NOT NULL CHECK (enforcement IN ('enforce', 'relax')),
  reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  changed_by       text NOT NULL,
  changed_by_name  text NOT NULL,
  changed_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, entity, meaning, rule)
);
SELECT mf_tenant_table('esign_duty_settings', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('esign_duty_settings', ARRAY['entity', 'meaning', 'rule']);
SELECT mf_audit_require_reason('esign_duty_settings', 'true');

-- Who the rules name. Records made before this migration name no one (no exclusion).
ALTER TABLE purchase_orders
  ADD COLUMN created_by_id text,
  ADD COLUMN created_by_name text;
ALTER TABLE inspection_results ADD COLUMN recorded_by_id text;
ALTER TABLE documents
  ADD COLUMN content_editor_id text,
  ADD COLUMN content_editor_name text;
