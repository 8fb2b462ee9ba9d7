-- Master data: bills of materials and routings, both owned by an item revision and editable
-- only while that revision is a draft.

CREATE TABLE bom_lines (
  tenant_id            uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                   uuid NOT NULL DEFAULT mf_uuidv7(),
  item_revision_id     uuid NOT NULL,
  line_no              integer NOT NULL CHECK (line_no > 0),
  component_item_id    uuid NOT NULL,
  quantity_per         numeric NOT NULL CHECK (quantity_per > 0),
  unit                 text NOT NULL,
  -- Expected loss as a fraction of the net quantity: gross = net × (1 + scrap_factor).
  scrap_factor         numeric NOT NULL DEFAULT 0 CHECK (scrap_factor >= 0 AND scrap_factor < 1),
  reference_designator text CHECK (length(reference_designator) BETWEEN 1 AND 200),
  effective_from       date,
  effective_to         date,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, item_revision_id, line_no),
  CHECK (effective_to IS NULL OR effective_from IS NULL OR effective_to > effective_from),
  FOREIGN KEY (tenant_id, item_revision_id) REFERENCES item_revisions (tenant_id, id),
  FOREIGN KEY (tenant_id, component_item_id) REFERENCES items (tenant_id, id),
  FOREIGN KEY (tenant_id, unit) REFERENCES units (tenant_id, code)
);
SELECT mf_tenant_table('bom_lines', 'SELECT, INSERT, UPDATE, DELETE');
SELECT mf_audit_table('bom_lines');
CREATE INDEX bom_lines_component ON bom_lines (tenant_id, component_item_id);

CREATE TABLE routing_operations (
  tenant_id                 uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                        uuid NOT NULL DEFAULT mf_uuidv7(),
  item_revision_id          uuid NOT NULL,
  sequence                  integer NOT NULL CHECK (sequence > 0),
  name                      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  work_center_id            uuid NOT NULL,
  setup_minutes             numeric NOT NULL DEFAULT 0 CHECK (setup_minutes >= 0),
  run_minutes_per_unit      numeric NOT NULL DEFAULT 0 CHECK (run_minutes_per_unit >= 0),
  -- Named checks the operator must record at this operation (e.g. 'leak test at 50 kPa').
  inspection_points         text[] NOT NULL DEFAULT '{}',
  -- A controlled document of the documents module, referenced by id across modules.
  work_instruction_document_id uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, item_revision_id, sequence),
  FOREIGN KEY (tenant_id, item_revision_id) REFERENCES item_revisions (tenant_id, id),
  FOREIGN KEY (tenant_id, work_center_id) REFERENCES work_centers (tenant_id, id)
);
SELECT mf_tenant_table('routing_operations', 'SELECT, INSERT, UPDATE, DELETE');
SELECT mf_audit_table('routing_operations');

-- The BOM and routing of a revision past draft are part of the reviewed and signed record.
CREATE FUNCTION mf_revision_content_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rev record;
BEGIN
  FOR rev IN
    SELECT revision, status FROM item_revisions
     WHERE tenant_id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END)
       AND id IN ((CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.item_revision_id END),
                  (CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.item_revision_id END))
  LOOP
    IF rev.status <> 'draft' THEN
      RAISE EXCEPTION 'item revision % is % and read-only; make a new revision', rev.revision, rev.status
        USING ERRCODE = 'P0001';
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER bom_line_frozen BEFORE INSERT OR UPDATE OR DELETE ON bom_lines
  FOR EACH ROW EXECUTE FUNCTION mf_revision_content_frozen();
CREATE TRIGGER routing_operation_frozen BEFORE INSERT OR UPDATE OR DELETE ON routing_operations
  FOR EACH ROW EXECUTE FUNCTION mf_revision_content_frozen();
