-- Identity: registered devices (test stations, line controllers, tablets) that send execution
-- data to the MES through API tokens bound to them (21 CFR 11.10(h)). A device is bound to one
-- work center and records only there; a deactivated device is refused. Devices are never deleted:
-- the records they sent keep naming them.

CREATE TABLE devices (
  tenant_id          uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id                 uuid NOT NULL DEFAULT mf_uuidv7(),
  code               text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9._/-]{0,39}$'),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind               text NOT NULL CHECK (kind IN ('test_station', 'line_controller', 'tablet', 'scanner', 'other')),
  work_center_id     uuid NOT NULL,
  active             boolean NOT NULL DEFAULT true,
  deactivated_reason text CHECK (length(deactivated_reason) BETWEEN 1 AND 1000),
  deactivated_at     timestamptz,
  deactivated_by     uuid,
  created_by         uuid NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  version            integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  FOREIGN KEY (tenant_id, work_center_id) REFERENCES work_centers (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, deactivated_by) REFERENCES users (tenant_id, id),
  CHECK (active = (deactivated_at IS NULL)),
  CHECK (active = (deactivated_reason IS NULL))
);
SELECT mf_tenant_table('devices', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('devices');

-- A deactivated device stays deactivated: a replacement is registered under a new code.
CREATE FUNCTION mf_devices_stay_deactivated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT OLD.active AND NEW.active THEN
    RAISE EXCEPTION 'device % is deactivated for good', OLD.code USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER devices_stay_deactivated BEFORE UPDATE ON devices
  FOR EACH ROW EXECUTE FUNCTION mf_devices_stay_deactivated();

-- The device a machine's token speaks for, chosen when the token is minted.
ALTER TABLE api_tokens ADD COLUMN device_id uuid;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_device FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id);
