-- Training tasks (one per person and document version, opened when the version becomes effective)
-- and training records (read-and-understood signed by the person, or assessed and signed by a trainer).

CREATE TABLE training_tasks (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT mf_uuidv7(),
  user_id          uuid NOT NULL,
  user_name        text NOT NULL,
  document_id      uuid NOT NULL,
  document_number  text NOT NULL,
  revision         integer NOT NULL,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'superseded')),
  due_on           date NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz,
  PRIMARY KEY (tenant_id, id),
  -- One task per person and version: creating it again (a redelivered event) changes nothing.
  UNIQUE (tenant_id, user_id, document_id)
);
CREATE INDEX training_tasks_open ON training_tasks (tenant_id, user_id, status, due_on);
SELECT mf_tenant_table('training_tasks', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('training_tasks');

CREATE TABLE training_records (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT mf_uuidv7(),
  task_id          uuid,
  user_id          uuid NOT NULL,
  user_name        text NOT NULL,
  document_id      uuid NOT NULL,
  document_number  text NOT NULL,
  revision         integer NOT NULL,
  method           text NOT NULL CHECK (method IN ('read_and_understood', 'assessed')),
  result           text NOT NULL CHECK (result IN ('passed', 'failed')),
  trainer_id       uuid,
  trainer_name     text,
  comment          text CHECK (length(comment) <= 2000),
  trained_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, task_id) REFERENCES training_tasks (tenant_id, id),
  CHECK ((method = 'assessed') = (trainer_id IS NOT NULL)),
  CHECK (trainer_id IS NULL OR trainer_id <> user_id),
  CHECK (method = 'assessed' OR result = 'passed')
);
CREATE INDEX training_records_person ON training_records (tenant_id, user_id, document_id);
-- Records are never changed or removed: a new record supersedes an old one.
SELECT mf_tenant_table('training_records', 'SELECT, INSERT');
SELECT mf_audit_table('training_records');
