-- Routings gain what execution on the shop floor checks: per operation, whether a first-article
-- inspection and a line clearance are required, whether it may run in parallel with the previous
-- operation, and its process parameters with limits (decimal, in a named unit). Like the rest of a
-- routing, they are part of the revision's content and can be changed only while it is a draft.

ALTER TABLE routing_operations
  ADD COLUMN first_article_required  boolean NOT NULL DEFAULT false,
  ADD COLUMN line_clearance_required boolean NOT NULL DEFAULT false,
  ADD COLUMN parallel_with_previous  boolean NOT NULL DEFAULT false;

CREATE TABLE routing_operation_parameters (
  tenant_id         uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  item_revision_id  uuid NOT NULL,
  sequence          integer NOT NULL,
  position          integer NOT NULL CHECK (position > 0),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  unit              text NOT NULL CHECK (length(unit) BETWEEN 1 AND 40),
  lower_limit       numeric,
  upper_limit       numeric,
  PRIMARY KEY (tenant_id, item_revision_id, sequence, position),
  UNIQUE (tenant_id, item_revision_id, sequence, name),
  FOREIGN KEY (tenant_id, item_revision_id, sequence) REFERENCES routing_operations (tenant_id, item_revision_id, sequence)
    ON DELETE CASCADE,
  CHECK (lower_limit IS NOT NULL OR upper_limit IS NOT NULL),
  CHECK (lower_limit IS NULL OR upper_limit IS NULL OR lower_limit <= upper_limit)
);
SELECT mf_tenant_table('routing_operation_parameters', 'SELECT, INSERT, UPDATE, DELETE');
SELECT mf_audit_table('routing_operation_parameters', ARRAY['item_revision_id', 'sequence', 'position']);
CREATE TRIGGER routing_operation_parameter_frozen BEFORE INSERT OR UPDATE OR DELETE ON routing_operation_parameters
  FOR EACH ROW EXECUTE FUNCTION mf_revision_content_frozen();
