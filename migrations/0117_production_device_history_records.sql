-- Production: the electronic device history record (eDHR) of a work order is assembled from what
-- was recorded on it; what the order itself keeps is where its review stands: open → reviewed
-- (signature "reviewed") → released (signature "released", the finished lots released in the same
-- transaction). The signatures themselves live in the signature kernel and cover the assembled
-- record's content, so a record that changes after review shows its review as no longer valid.
-- An order may also name the deviation it is made under (a deviations record, referred to by id).

ALTER TABLE work_orders
  ADD COLUMN dhr_status   text NOT NULL DEFAULT 'open' CHECK (dhr_status IN ('open', 'reviewed', 'released')),
  ADD COLUMN reviewed_at  timestamptz,
  ADD COLUMN released_output_at timestamptz,
  ADD COLUMN deviation_id uuid,
  ADD CONSTRAINT work_orders_dhr_reviewed CHECK ((dhr_status = 'open') = (reviewed_at IS NULL)),
  ADD CONSTRAINT work_orders_dhr_released CHECK ((dhr_status = 'released') = (released_output_at IS NOT NULL));
CREATE INDEX work_orders_dhr_status ON work_orders (tenant_id, dhr_status) WHERE status IN ('completed', 'closed');
