-- Competence and training (ISO 13485 §6.2, Part 11 §11.10(i)): which documents people of a role
-- or a work center must be trained on, the training tasks a newly effective document version
-- opens for them, and the signed training records per person and document version.

-- Per tenant: how many days people have to train on a newly effective version.
CREATE TABLE training_settings (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  due_days      integer NOT NULL DEFAULT 30 CHECK (due_days BETWEEN 1 AND 365),
  PRIMARY KEY (tenant_id)
);
SELECT mf_tenant_table('training_settings', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('training_settings');

-- Who works at which work center (work centers are master data resources).
CREATE TABLE training_work_center_members (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  user_id         uuid NOT NULL,
  work_center_id  uuid NOT NULL,
  assigned_at     timestamptz NOT NULL DEFAULT now(),
  assigned_by     text NOT NULL,
  PRIMARY KEY (tenant_id, user_id, work_center_id)
);
CREATE INDEX training_work_center_members_wc ON training_work_center_members (tenant_id, work_center_id);
SELECT mf_tenant_table('training_work_center_members', 'SELECT, INSERT, DELETE');
SELECT mf_audit_table('training_work_center_members');

-- A document (all its versions, by number) that people of a role and/or a work center must be trained on.
CREATE TABLE training_requirements (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT mf_uuidv7(),
  -- The document version the requirement was set up on; the requirement follows its number.
  document_id      uuid NOT NULL,
  document_number  text NOT NULL,
  role_name        text CHECK (length(role_name) BETWEEN 1 AND 100),
  work_center_id   uuid,
  active           boolean NOT NULL DEFAULT true,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (role_name IS NOT NULL OR work_center_id IS NOT NULL)
);
CREATE INDEX training_requirements_document ON training_requirements (tenant_id, document_number) WHERE active;
SELECT mf_tenant_table('training_requirements', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('training_requirements');

-- The document versions training knows of, from the documents' events: which one is in force.
CREATE TABLE training_document_versions (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  document_id      uuid NOT NULL,
  document_number  text NOT NULL,
  revision         integer NOT NULL,
  effective        boolean NOT NULL,
  PRIMARY KEY (tenant_id, document_id)
);
CREATE UNIQUE INDEX training_document_versions_effective ON training_document_versions (tenant_id, document_number) WHERE effective;
SELECT mf_tenant_table('training_document_versions', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('training_document_versions');
