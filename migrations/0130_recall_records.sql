-- Recall (召回; 21 CFR 806, 医疗器械召回管理办法): a recall record keeps the question asked (where
-- the suspect material started: a supplier lot, a component lot, a serial range, an equipment or an
-- operator over dates), the answer as it was when taken (every affected lot and serial with its
-- status and stock, every shipment that reached a customer), the classification (China's three
-- levels, FDA classes I–III) from which the deadlines follow, the customers notified and their
-- acknowledgements, and the effectiveness check at closing.

CREATE TABLE recalls (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT mf_uuidv7(),
  number           text NOT NULL,
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- The site it was raised at: its name heads the printed record and its time zone shows every instant.
  site_id          uuid,
  reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 4000),
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'initiated', 'closed', 'cancelled')),
  start_kind       text NOT NULL CHECK (start_kind IN ('supplier_lot', 'component_lot', 'serial_range', 'equipment', 'operator')),
  -- The query as entered (ids, numbers, dates), so it can be read and run again.
  start            jsonb NOT NULL,
  china_level      smallint CHECK (china_level BETWEEN 1 AND 3),
  fda_class        smallint CHECK (fda_class BETWEEN 1 AND 3),
  health_hazard    text CHECK (length(health_hazard) <= 4000),
  snapshot_at      timestamptz NOT NULL,
  truncated        boolean NOT NULL DEFAULT false,
  initiated_on     date,
  initiated_at     timestamptz,
  held_lot_count   integer CHECK (held_lot_count >= 0),
  -- The report to the authority (NMPA's recall event report, FDA's 21 CFR 806 report): when, and its reference.
  reported_on      date,
  report_reference text CHECK (length(report_reference) BETWEEN 1 AND 200),
  closed_at        timestamptz,
  -- Share of affected units accounted for at closing (held in stock + reported by customers), in percent.
  effectiveness    numeric(5, 2) CHECK (effectiveness BETWEEN 0 AND 100),
  author_id        text NOT NULL,
  author_name      text NOT NULL,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  -- A recall decided is classified in at least one scheme and dated.
  CHECK (status IN ('draft', 'cancelled') OR (initiated_on IS NOT NULL AND (china_level IS NOT NULL OR fda_class IS NOT NULL))),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX recalls_status ON recalls (tenant_id, status, number);
SELECT mf_tenant_table('recalls', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('recalls');

-- The lots and serials the query reached when it was taken: the start lots (depth 0) and every lot
-- made from them, with status and stock at that moment. Replaced while the recall is a draft.
CREATE TABLE recall_lots (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  recall_id        uuid NOT NULL,
  lot_id           uuid NOT NULL,
  item_id          uuid NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('lot', 'serial')),
  number           text NOT NULL,
  depth            integer NOT NULL CHECK (depth >= 0),
  -- A lot nothing was made from: the finished device or the end of its line.
  finished         boolean NOT NULL,
  status           text NOT NULL,
  on_hand          numeric NOT NULL CHECK (on_hand >= 0),
  locations        text[] NOT NULL DEFAULT '{}',
  shipped          numeric NOT NULL DEFAULT 0 CHECK (shipped >= 0),
  PRIMARY KEY (tenant_id, recall_id, lot_id),
  FOREIGN KEY (tenant_id, recall_id) REFERENCES recalls (tenant_id, id)
);
SELECT mf_tenant_table('recall_lots', 'SELECT, INSERT, DELETE');
SELECT mf_audit_table('recall_lots', ARRAY['recall_id', 'lot_id']);

-- The shipments that took affected lots or serials to customers: one row per sales record, with the
-- consignee as shipped and the contact as it was when the answer was taken.
CREATE TABLE recall_shipments (
  tenant_id        uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  recall_id        uuid NOT NULL,
  sales_record_id  uuid NOT NULL,
  shipment_id      uuid NOT NULL,
  shipment_number  text NOT NULL,
  shipped_on       date NOT NULL,
  customer_id      uuid NOT NULL,
  customer_code    text NOT NULL,
  customer_name    text NOT NULL,
  contact          text NOT NULL DEFAULT '',
  ship_to_text     text NOT NULL,
  lot_id           uuid NOT NULL,
  lot_number       text NOT NULL,
  item_id          uuid NOT NULL,
  quantity         numeric NOT NULL CHECK (quantity > 0),
  returned         numeric NOT NULL DEFAULT 0 CHECK (returned >= 0),
  PRIMARY KEY (tenant_id, recall_id, sales_record_id),
  FOREIGN KEY (tenant_id, recall_id) REFERENCES recalls (tenant_id, id)
);
CREATE INDEX recall_shipments_customer ON recall_shipments (tenant_id, recall_id, customer_id);
SELECT mf_tenant_table('recall_shipments', 'SELECT, INSERT, DELETE');
SELECT mf_audit_table('recall_shipments', ARRAY['recall_id', 'sales_record_id']);

-- Notices sent to customers reached, and their acknowledgement: when, by whom, and how many units
-- the customer reports accounted for (returned, destroyed, corrected or not found in use).
CREATE TABLE recall_notifications (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT mf_uuidv7(),
  recall_id         uuid NOT NULL,
  customer_id       uuid NOT NULL,
  method            text NOT NULL CHECK (method IN ('letter', 'email', 'phone', 'visit', 'fax')),
  sent_on           date NOT NULL,
  sent_to           text NOT NULL CHECK (length(sent_to) BETWEEN 1 AND 300),
  note              text CHECK (length(note) <= 2000),
  sent_by_id        text NOT NULL,
  sent_by_name      text NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  acknowledged_on   date,
  acknowledged_by   text CHECK (length(acknowledged_by) BETWEEN 1 AND 200),
  units_accounted   numeric CHECK (units_accounted >= 0),
  acknowledgement_note text CHECK (length(acknowledgement_note) <= 2000),
  version           integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, recall_id) REFERENCES recalls (tenant_id, id),
  CHECK ((acknowledged_on IS NULL) = (acknowledged_by IS NULL) AND (acknowledged_on IS NULL) = (units_accounted IS NULL)),
  CHECK (acknowledged_on IS NULL OR acknowledged_on >= sent_on)
);
CREATE INDEX recall_notifications_recall ON recall_notifications (tenant_id, recall_id, customer_id, sent_on);
SELECT mf_tenant_table('recall_notifications', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('recall_notifications');
