-- Distribution of controlled documents (ISO 13485 §4.2.4 e: relevant versions available at
-- points of use): the roles and work centers that must have the effective revision. Kept per
-- document (its number), so it carries over from revision to revision.

CREATE TABLE document_distribution (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  number        text NOT NULL CHECK (number ~ '^DOC-[0-9]{4}-[0-9]{5,}$'),
  target_kind   text NOT NULL CHECK (target_kind IN ('role', 'work_center')),
  -- A role's name, or a work center's id.
  target_key    text NOT NULL CHECK (length(target_key) BETWEEN 1 AND 100 AND target_key !~ '[[:cntrl:]]'),
  -- How the target is shown: the role's name, or the work center's code and name.
  target_label  text NOT NULL CHECK (length(target_label) BETWEEN 1 AND 300),
  added_at      timestamptz NOT NULL DEFAULT now(),
  added_by      text NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number, target_kind, target_key)
);
CREATE INDEX document_distribution_target ON document_distribution (tenant_id, target_kind, target_key);

SELECT mf_tenant_table('document_distribution', 'SELECT, INSERT, DELETE');
SELECT mf_audit_table('document_distribution');
