-- Incoming inspection: plans per item, the switching state per item and supplier, inspections
-- of received lots with their sampling plan (ISO 2859-1), and results per characteristic.

CREATE TABLE inspection_plans (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  item_id           uuid NOT NULL,
  aql               text NOT NULL DEFAULT '1.0',
  inspection_level  text NOT NULL DEFAULT 'II' CHECK (inspection_level IN ('S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, item_id)
);
SELECT mf_tenant_table('inspection_plans', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('inspection_plans');

CREATE TABLE inspection_characteristics (
  tenant_id    uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT mf_uuidv7(),
  plan_id      uuid NOT NULL,
  seq          integer NOT NULL CHECK (seq > 0),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind         text NOT NULL CHECK (kind IN ('attribute', 'variable')),
  lower_limit  numeric,
  upper_limit  numeric,
  unit         text,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, plan_id, seq),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES inspection_plans (tenant_id, id),
  CHECK (kind = 'attribute' AND lower_limit IS NULL AND upper_limit IS NULL AND unit IS NULL
      OR kind = 'variable' AND unit IS NOT NULL AND (lower_limit IS NOT NULL OR upper_limit IS NOT NULL)
         AND (lower_limit IS NULL OR upper_limit IS NULL OR lower_limit < upper_limit))
);
SELECT mf_tenant_table('inspection_characteristics', 'SELECT, INSERT, DELETE');
SELECT mf_audit_table('inspection_characteristics');

-- ISO 2859-1 clause 9 switching state per item and supplier (sampling.ts SamplingState).
CREATE TABLE sampling_states (
  tenant_id                  uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  item_id                    uuid NOT NULL,
  supplier_id                uuid NOT NULL,
  severity                   text NOT NULL CHECK (severity IN ('normal', 'tightened', 'reduced', 'discontinued')),
  recent_lots                boolean[] NOT NULL DEFAULT '{}' CHECK (cardinality(recent_lots) <= 5),
  switching_score            integer NOT NULL DEFAULT 0 CHECK (switching_score >= 0),
  not_accepted_on_tightened  integer NOT NULL DEFAULT 0 CHECK (not_accepted_on_tightened >= 0),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, item_id, supplier_id)
);
SELECT mf_tenant_table('sampling_states', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('sampling_states', ARRAY['item_id', 'supplier_id']);

CREATE TABLE inspections (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  number            text NOT NULL,
  lot_id            uuid NOT NULL,
  receipt_id        uuid NOT NULL,
  item_id           uuid NOT NULL,
  supplier_id       uuid NOT NULL,
  plan_id           uuid NOT NULL,
  lot_size          integer NOT NULL CHECK (lot_size > 0),
  aql               text NOT NULL,
  inspection_level  text NOT NULL,
  severity          text NOT NULL CHECK (severity IN ('normal', 'tightened', 'reduced')),
  code_letter       text NOT NULL,
  plan_letter       text NOT NULL,
  sample_size       integer NOT NULL CHECK (sample_size > 0 AND sample_size <= lot_size),
  accept_number     integer NOT NULL CHECK (accept_number >= 0),
  reject_number     integer NOT NULL CHECK (reject_number > accept_number),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
  nonconforming     integer,
  decided_at        timestamptz,
  decided_by        text,
  decision_comment  text CHECK (length(decision_comment) <= 2000),
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  UNIQUE (tenant_id, lot_id),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES inspection_plans (tenant_id, id),
  CHECK ((status = 'open') = (decided_at IS NULL))
);
CREATE INDEX inspections_status ON inspections (tenant_id, status);
SELECT mf_tenant_table('inspections', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('inspections');

CREATE TABLE inspection_results (
  tenant_id          uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  inspection_id      uuid NOT NULL,
  characteristic_id  uuid NOT NULL,
  -- Attribute: units found nonconforming in the sample. Variable: the measured values, and the
  -- count of them outside the limits, computed by the service from the characteristic.
  defectives         integer NOT NULL CHECK (defectives >= 0),
  measurements       numeric[],
  recorded_at        timestamptz NOT NULL DEFAULT now(),
  recorded_by        text NOT NULL,
  PRIMARY KEY (tenant_id, inspection_id, characteristic_id),
  FOREIGN KEY (tenant_id, inspection_id) REFERENCES inspections (tenant_id, id),
  FOREIGN KEY (tenant_id, characteristic_id) REFERENCES inspection_characteristics (tenant_id, id)
);
SELECT mf_tenant_table('inspection_results', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('inspection_results', ARRAY['inspection_id', 'characteristic_id']);
