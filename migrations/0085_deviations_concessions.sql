-- Deviations / concessions (ISO 13485 §8.3, 21 CFR 820 nonconforming product): a planned,
-- approved permission to depart from a specification, bounded by item (and revision), supplier,
-- lot numbers, a maximum quantity and a validity period. Approved and closed by e-signature.

CREATE TABLE deviations (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT mf_uuidv7(),
  number           text NOT NULL CHECK (number ~ '^DEV-[0-9]{4}-[0-9]{5,}$'),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  description      text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
  risk_assessment  text NOT NULL CHECK (length(risk_assessment) BETWEEN 1 AND 10000),
  item_id          uuid NOT NULL,
  -- The item revision the deviation is limited to; null: any revision.
  item_revision_id uuid,
  -- The supplier whose goods it covers; null: not a purchasing deviation (production use).
  supplier_id      uuid,
  -- Lot numbers (the supplier's or ours) it is limited to; empty: any lot.
  lots             text[] NOT NULL DEFAULT '{}' CHECK (cardinality(lots) <= 100),
  max_quantity     numeric NOT NULL CHECK (max_quantity > 0),
  -- The item's base unit: receipts and issues count in it.
  unit             text NOT NULL,
  used_quantity    numeric NOT NULL DEFAULT 0 CHECK (used_quantity >= 0),
  valid_from       date NOT NULL,
  valid_until      date NOT NULL,
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'closed', 'expired', 'cancelled')),
  author_id        text NOT NULL,
  author_name      text NOT NULL,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  CHECK (valid_until >= valid_from),
  -- The database, not only the service, refuses use beyond the approved quantity.
  CHECK (used_quantity <= max_quantity)
);
CREATE INDEX deviations_item ON deviations (tenant_id, item_id, status);
CREATE INDEX deviations_status ON deviations (tenant_id, status, valid_until);
-- No DELETE: a deviation is cancelled, closed or expires; it is never removed.
SELECT mf_tenant_table('deviations', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('deviations');

-- What used a deviation, how much and when: a receipt, later a work order.
CREATE TABLE deviation_uses (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT mf_uuidv7(),
  deviation_id   uuid NOT NULL,
  used_by_kind   text NOT NULL CHECK (used_by_kind IN ('purchase_receipt', 'work_order')),
  used_by_id     uuid NOT NULL,
  quantity       numeric NOT NULL CHECK (quantity > 0),
  lot            text,
  used_on        date NOT NULL,
  used_at        timestamptz NOT NULL DEFAULT now(),
  recorded_by    text NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, deviation_id) REFERENCES deviations (tenant_id, id)
);
CREATE INDEX deviation_uses_deviation ON deviation_uses (tenant_id, deviation_id, used_at);
SELECT mf_tenant_table('deviation_uses', 'SELECT, INSERT');
SELECT mf_audit_table('deviation_uses');
