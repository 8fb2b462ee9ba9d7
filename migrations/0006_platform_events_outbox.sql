-- Transactional outbox: domain events written in the business transaction, fanned out by the
-- dispatcher into one delivery per subscriber, each retried on its own and dead-lettered.

CREATE TABLE outbox_events (
  tenant_id       uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id              uuid NOT NULL,
  -- Commit-independent global order of insertion; order per aggregate is aggregate_seq.
  position        bigint GENERATED ALWAYS AS IDENTITY,
  type            text NOT NULL CHECK (type ~ '^[a-z][a-z0-9]*(\.[a-z][a-zA-Z0-9]*){2,}$'),
  aggregate_type  text NOT NULL CHECK (aggregate_type ~ '^[a-z][a-z0-9]*(\.[a-z][a-zA-Z0-9]*)*$'),
  aggregate_id    text NOT NULL CHECK (length(aggregate_id) BETWEEN 1 AND 200),
  aggregate_seq   integer NOT NULL CHECK (aggregate_seq > 0),
  site_id         uuid,
  data            jsonb NOT NULL,
  request_id      text NOT NULL DEFAULT coalesce(current_setting('app.request_id', true), ''),
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  -- Set when the dispatcher has created this event's deliveries.
  fanned_out_at   timestamptz,
  PRIMARY KEY (tenant_id, id),
  -- Two transactions emitting for one aggregate cannot both take the same place in its order.
  UNIQUE (tenant_id, aggregate_type, aggregate_id, aggregate_seq)
);
CREATE INDEX outbox_events_pending ON outbox_events (position) WHERE fanned_out_at IS NULL;
-- "Does an earlier event of this aggregate still await fan-out?" stays cheap however long its history.
CREATE INDEX outbox_events_pending_by_aggregate ON outbox_events (tenant_id, aggregate_type, aggregate_id, aggregate_seq)
  WHERE fanned_out_at IS NULL;
SELECT mf_tenant_table('outbox_events', 'SELECT, INSERT');

-- One row per (subscriber, event): the dispatcher's work queue and dead-letter list.
CREATE TABLE event_deliveries (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  subscriber       text NOT NULL,
  event_id         uuid NOT NULL,
  position         bigint NOT NULL,
  aggregate_type   text NOT NULL,
  aggregate_id     text NOT NULL,
  aggregate_seq    integer NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, subscriber, event_id),
  FOREIGN KEY (tenant_id, event_id) REFERENCES outbox_events (tenant_id, id)
);
-- The dispatcher walks pending deliveries in event order and stops at its batch size.
CREATE INDEX event_deliveries_due ON event_deliveries (position) WHERE status = 'pending';
CREATE INDEX event_deliveries_retry ON event_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX event_deliveries_event ON event_deliveries (tenant_id, event_id);
-- Queue tables change fast: keep their statistics fresh, or a burst of events leaves the planner
-- believing the queue is empty and it scans the whole backlog instead of walking it in order.
ALTER TABLE event_deliveries SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE outbox_events SET (autovacuum_analyze_scale_factor = 0.01);
CREATE INDEX event_deliveries_aggregate ON event_deliveries (tenant_id, subscriber, aggregate_type, aggregate_id, aggregate_seq)
  WHERE status = 'pending';
-- Tenants read their deliveries and may send a dead-lettered one round again; the dispatcher does the rest.
SELECT mf_tenant_table('event_deliveries', 'SELECT, UPDATE');

-- What each in-process subscriber has applied, written in the same transaction as its effect:
-- a second delivery of the same event finds the row and does nothing.
CREATE TABLE processed_events (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  subscriber    text NOT NULL,
  event_id      uuid NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, subscriber, event_id),
  FOREIGN KEY (tenant_id, event_id) REFERENCES outbox_events (tenant_id, id)
);
CREATE INDEX processed_events_event ON processed_events (tenant_id, event_id);
SELECT mf_tenant_table('processed_events', 'SELECT, INSERT');
