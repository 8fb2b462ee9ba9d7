-- Operation execution on the shop floor. Release now also freezes each operation's process
-- parameters with their limits and its first-article, line-clearance and parallel flags. Each
-- frozen operation runs pending → running ⇄ paused → completed, by an operator at its work center
-- with (optionally) a piece of the work center's equipment; it records good, scrap (with a reason
-- code) and rework quantities, parameter values against the frozen limits, inspection-point,
-- first-article and line-clearance results, and downtime while paused. An out-of-limit value opens
-- an NCR and holds the operation (`held`, `hold_ncr_id`) until that NCR is closed or cancelled:
-- no output lot exists yet to put on hold, so the operation is what is held.
-- Every execution record stores where it came from: `source` (web, api) and `device_id`, which
-- stays null until API tokens are bound to registered devices.

ALTER TABLE work_order_operations
  ADD COLUMN first_article_required  boolean NOT NULL DEFAULT false,
  ADD COLUMN line_clearance_required boolean NOT NULL DEFAULT false,
  ADD COLUMN parallel_with_previous  boolean NOT NULL DEFAULT false,
  ADD COLUMN status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'paused', 'completed')),
  ADD COLUMN operator_id     text,
  ADD COLUMN operator_name   text,
  ADD COLUMN equipment_id    uuid,
  ADD COLUMN started_at      timestamptz,
  ADD COLUMN completed_at    timestamptz,
  ADD COLUMN good_quantity   numeric CHECK (good_quantity >= 0),
  ADD COLUMN scrap_quantity  numeric CHECK (scrap_quantity >= 0),
  ADD COLUMN scrap_reason    text,
  ADD COLUMN rework_quantity numeric CHECK (rework_quantity >= 0),
  ADD COLUMN held            boolean NOT NULL DEFAULT false,
  ADD COLUMN hold_ncr_id     uuid,
  ADD COLUMN version         integer NOT NULL DEFAULT 1,
  ADD CONSTRAINT work_order_operations_completed CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
  ADD CONSTRAINT work_order_operations_scrap_reason CHECK (coalesce(scrap_quantity, 0) = 0 OR scrap_reason IS NOT NULL),
  ADD CONSTRAINT work_order_operations_hold CHECK (NOT held OR hold_ncr_id IS NOT NULL);
GRANT UPDATE ON work_order_operations TO mediforge_app;

-- The routing's parameters at release, as they were.
CREATE TABLE work_order_operation_parameters (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  work_order_id  uuid NOT NULL,
  sequence       integer NOT NULL,
  position       integer NOT NULL CHECK (position > 0),
  name           text NOT NULL,
  unit           text NOT NULL,
  lower_limit    numeric,
  upper_limit    numeric,
  PRIMARY KEY (tenant_id, work_order_id, sequence, position),
  FOREIGN KEY (tenant_id, work_order_id, sequence) REFERENCES work_order_operations (tenant_id, work_order_id, sequence)
);
SELECT mf_tenant_table('work_order_operation_parameters', 'SELECT, INSERT');
SELECT mf_audit_table('work_order_operation_parameters', ARRAY['work_order_id', 'sequence', 'position']);

-- Each step taken on an operation: who, at which equipment, from which source.
CREATE TABLE work_order_operation_steps (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT mf_uuidv7(),
  work_order_id  uuid NOT NULL,
  sequence       integer NOT NULL,
  step           text NOT NULL CHECK (step IN ('start', 'pause', 'resume', 'complete')),
  equipment_id   uuid,
  -- The equipment's calibration due date at the time, as evidence for the device history record.
  calibration_due date,
  actor_id       text,
  actor_name     text,
  source         text NOT NULL CHECK (source IN ('web', 'api', 'system')),
  device_id      uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, work_order_id, sequence) REFERENCES work_order_operations (tenant_id, work_order_id, sequence)
);
CREATE INDEX work_order_operation_steps_op ON work_order_operation_steps (tenant_id, work_order_id, sequence);
SELECT mf_tenant_table('work_order_operation_steps', 'SELECT, INSERT');
SELECT mf_audit_table('work_order_operation_steps');

-- Parameter values as captured (never refused): within the frozen limits or not, and the NCR an
-- out-of-limit value opened.
CREATE TABLE work_order_parameter_values (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT mf_uuidv7(),
  work_order_id  uuid NOT NULL,
  sequence       integer NOT NULL,
  position       integer NOT NULL,
  value          numeric NOT NULL,
  within_limits  boolean NOT NULL,
  ncr_id         uuid,
  actor_id       text,
  actor_name     text,
  source         text NOT NULL CHECK (source IN ('web', 'api', 'system')),
  device_id      uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, work_order_id, sequence, position)
    REFERENCES work_order_operation_parameters (tenant_id, work_order_id, sequence, position),
  CHECK (within_limits OR ncr_id IS NOT NULL)
);
CREATE INDEX work_order_parameter_values_op ON work_order_parameter_values (tenant_id, work_order_id, sequence);
SELECT mf_tenant_table('work_order_parameter_values', 'SELECT, INSERT');
SELECT mf_audit_table('work_order_parameter_values');

-- Results of the operation's inspection points, its first-article inspection and its line clearance.
CREATE TABLE work_order_operation_checks (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT mf_uuidv7(),
  work_order_id  uuid NOT NULL,
  sequence       integer NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('inspection_point', 'first_article', 'line_clearance')),
  -- The inspection point's text for kind inspection_point.
  point          text,
  result         text NOT NULL CHECK (result IN ('pass', 'fail')),
  note           text CHECK (length(note) <= 2000),
  actor_id       text,
  actor_name     text,
  source         text NOT NULL CHECK (source IN ('web', 'api', 'system')),
  device_id      uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, work_order_id, sequence) REFERENCES work_order_operations (tenant_id, work_order_id, sequence),
  CHECK ((kind = 'inspection_point') = (point IS NOT NULL)),
  CHECK (result = 'pass' OR note IS NOT NULL)
);
CREATE INDEX work_order_operation_checks_op ON work_order_operation_checks (tenant_id, work_order_id, sequence);
SELECT mf_tenant_table('work_order_operation_checks', 'SELECT, INSERT');
SELECT mf_audit_table('work_order_operation_checks');

-- Downtime while an operation is paused: from the pause to the resume, with a reason code.
CREATE TABLE work_order_operation_downtime (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT mf_uuidv7(),
  work_order_id  uuid NOT NULL,
  sequence       integer NOT NULL,
  reason         text NOT NULL,
  note           text CHECK (length(note) <= 2000),
  started_at     timestamptz NOT NULL DEFAULT now(),
  ended_at       timestamptz,
  actor_id       text,
  actor_name     text,
  source         text NOT NULL CHECK (source IN ('web', 'api', 'system')),
  device_id      uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, work_order_id, sequence) REFERENCES work_order_operations (tenant_id, work_order_id, sequence),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX work_order_operation_downtime_op ON work_order_operation_downtime (tenant_id, work_order_id, sequence);
SELECT mf_tenant_table('work_order_operation_downtime', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('work_order_operation_downtime');
