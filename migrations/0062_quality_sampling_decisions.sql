-- Switching decisions of the responsible authority (ISO 2859-1 9.3.3 c, 9.3.4 c, 9.4): whether
-- reduced inspection is permitted for an item from a supplier, and resuming a discontinued
-- inspection on tightened. Each decision is an append-only, signed record; the switching state
-- carries what is in force.

ALTER TABLE sampling_states
  ADD COLUMN id uuid NOT NULL DEFAULT mf_uuidv7(),
  ADD COLUMN reduced_permitted boolean NOT NULL DEFAULT false;
ALTER TABLE sampling_states ADD UNIQUE (tenant_id, id);

CREATE TABLE sampling_decisions (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT mf_uuidv7(),
  item_id          uuid NOT NULL,
  supplier_id      uuid NOT NULL,
  decision         text NOT NULL CHECK (decision IN ('permitReduced', 'withdrawReduced', 'resume')),
  reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  severity_before  text NOT NULL,
  severity_after   text NOT NULL,
  decided_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, item_id, supplier_id) REFERENCES sampling_states (tenant_id, item_id, supplier_id)
);
CREATE INDEX sampling_decisions_pair ON sampling_decisions (tenant_id, item_id, supplier_id, decided_at);
SELECT mf_tenant_table('sampling_decisions', 'SELECT, INSERT');
SELECT mf_audit_table('sampling_decisions');
