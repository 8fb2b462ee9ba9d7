-- Sales: customers' returns (RMA, 退货). A return is authorised against a shipment for the exact
-- lots and serials that left on its lines, received back into quarantine, and every received
-- quantity is dispositioned under a quality signature — restocked, scrapped or taken into a
-- nonconformance — before the return is closed. Stock moves only through inventory's ledger
-- (source kind `customer_return`); the NCR belongs to nonconformance and is referred to by id.

CREATE TABLE customer_returns (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT mf_uuidv7(),
  number          text NOT NULL,
  shipment_id     uuid NOT NULL,
  order_id        uuid NOT NULL,
  customer_id     uuid NOT NULL,
  site_id         uuid NOT NULL,
  -- Why the customer sends the goods back, as the customer said it.
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  status          text NOT NULL DEFAULT 'authorised'
                  CHECK (status IN ('authorised', 'partially_received', 'received', 'dispositioned', 'closed', 'cancelled')),
  cancel_reason   text CHECK (length(cancel_reason) BETWEEN 1 AND 2000),
  version         integer NOT NULL DEFAULT 1,
  created_by_id   text,
  created_by_name text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  closed_at       timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES sales_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id),
  CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL)),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX customer_returns_shipment ON customer_returns (tenant_id, shipment_id);
CREATE INDEX customer_returns_customer ON customer_returns (tenant_id, customer_id, created_at);
CREATE INDEX customer_returns_status ON customer_returns (tenant_id, status);
SELECT mf_tenant_table('customer_returns', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('customer_returns');

-- One lot or serial of one shipment line: what was authorised, what came back (into which
-- quarantine location, received by whom) and how much of it is dispositioned.
CREATE TABLE customer_return_lines (
  tenant_id               uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                      uuid NOT NULL DEFAULT mf_uuidv7(),
  return_id               uuid NOT NULL,
  line_no                 integer NOT NULL CHECK (line_no > 0),
  -- The order line the lot or serial was shipped on (the shipment's sales records name it).
  shipment_line_no        integer NOT NULL CHECK (shipment_line_no > 0),
  item_id                 uuid NOT NULL,
  lot_id                  uuid NOT NULL,
  lot_kind                text NOT NULL CHECK (lot_kind IN ('lot', 'serial')),
  lot_number              text NOT NULL,
  authorised_quantity     numeric NOT NULL CHECK (authorised_quantity > 0),
  received_quantity       numeric NOT NULL DEFAULT 0 CHECK (received_quantity >= 0),
  dispositioned_quantity  numeric NOT NULL DEFAULT 0 CHECK (dispositioned_quantity >= 0),
  quarantine_location_id  uuid,
  -- Everyone who received part of the line: none of them may restock it (separation of duties).
  received_by_ids         text[] NOT NULL DEFAULT '{}',
  received_by             text,
  received_at             timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, return_id, line_no),
  UNIQUE (tenant_id, return_id, shipment_line_no, lot_id),
  FOREIGN KEY (tenant_id, return_id) REFERENCES customer_returns (tenant_id, id),
  -- The last lines of defence; the service refuses each first, with the reason.
  CONSTRAINT customer_return_lines_not_over_received CHECK (received_quantity <= authorised_quantity),
  CONSTRAINT customer_return_lines_not_over_dispositioned CHECK (dispositioned_quantity <= received_quantity),
  CONSTRAINT customer_return_lines_serial_is_one CHECK (lot_kind = 'lot' OR authorised_quantity = 1),
  CHECK ((received_quantity = 0) = (quarantine_location_id IS NULL))
);
CREATE INDEX customer_return_lines_lot ON customer_return_lines (tenant_id, lot_id);
SELECT mf_tenant_table('customer_return_lines', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('customer_return_lines');

-- A lot or serial is never returned beyond what its shipment line shipped, over every return that
-- is not cancelled: a serial comes back once per shipment that took it out (shipped again, it may
-- come back again on the new shipment). Checked once per statement, after the service's own check.
CREATE FUNCTION mf_customer_returns_within_shipped() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT DISTINCT c.shipment_id, n.shipment_line_no, n.lot_id, n.lot_number
      FROM new_lines n JOIN customer_returns c ON c.tenant_id = n.tenant_id AND c.id = n.return_id
  LOOP
    IF (SELECT coalesce(sum(l.authorised_quantity), 0)
          FROM customer_return_lines l JOIN customer_returns c ON c.tenant_id = l.tenant_id AND c.id = l.return_id
         WHERE c.shipment_id = r.shipment_id AND c.status <> 'cancelled'
           AND l.shipment_line_no = r.shipment_line_no AND l.lot_id = r.lot_id)
       > (SELECT coalesce(sum(s.quantity), 0) FROM sales_records s
           WHERE s.shipment_id = r.shipment_id AND s.line_no = r.shipment_line_no AND s.lot_id = r.lot_id)
    THEN
      RAISE EXCEPTION 'lot or serial % is returned beyond what line % of its shipment shipped', r.lot_number, r.shipment_line_no;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER within_shipped AFTER INSERT ON customer_return_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION mf_customer_returns_within_shipped();
CREATE TRIGGER within_shipped_update AFTER UPDATE ON customer_return_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION mf_customer_returns_within_shipped();

-- What quality decided for a received quantity of one line, each signed: restock into a released
-- location (meaning released), scrap, or a nonconformance (meaning approved).
CREATE TABLE customer_return_dispositions (
  tenant_id             uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                    uuid NOT NULL DEFAULT mf_uuidv7(),
  return_id             uuid NOT NULL,
  return_line_id        uuid NOT NULL,
  line_no               integer NOT NULL CHECK (line_no > 0),
  kind                  text NOT NULL CHECK (kind IN ('restock', 'scrap', 'ncr')),
  quantity              numeric NOT NULL CHECK (quantity > 0),
  restock_location_id   uuid,
  justification         text NOT NULL CHECK (length(justification) BETWEEN 1 AND 4000),
  -- The NCR a disposition `ncr` raised (nonconformance's record), with its number as raised.
  nonconformance_id     uuid,
  ncr_number            text,
  decided_by_id         text,
  decided_by            text NOT NULL,
  decided_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, return_id, line_no),
  FOREIGN KEY (tenant_id, return_id) REFERENCES customer_returns (tenant_id, id),
  FOREIGN KEY (tenant_id, return_line_id) REFERENCES customer_return_lines (tenant_id, id),
  CHECK ((kind = 'restock') = (restock_location_id IS NOT NULL)),
  CHECK (kind = 'ncr' OR nonconformance_id IS NULL),
  CHECK ((nonconformance_id IS NULL) = (ncr_number IS NULL))
);
CREATE INDEX customer_return_dispositions_line ON customer_return_dispositions (tenant_id, return_line_id);
CREATE INDEX customer_return_dispositions_ncr ON customer_return_dispositions (tenant_id, nonconformance_id)
  WHERE nonconformance_id IS NOT NULL;
SELECT mf_tenant_table('customer_return_dispositions', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('customer_return_dispositions');
