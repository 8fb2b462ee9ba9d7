-- Sealed checkpoints of each tenant's audit chain, kept apart from the chain they vouch for. The
-- chain's hashes are plain SHA-256, so whoever can rewrite audit_event could also recompute every
-- hash after an edit; a checkpoint carries an HMAC under the server's key, which the database
-- never holds, and is also written to the server log. A chain re-sealed after tampering no
-- longer matches its checkpoints, and a forged checkpoint fails its HMAC.
CREATE TABLE audit_checkpoints (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  seq        bigint NOT NULL CHECK (seq > 0),
  hash       text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  at         timestamptz NOT NULL DEFAULT now(),
  mac        text NOT NULL CHECK (mac ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (tenant_id, seq)
);
-- Written by the sealer as the schema owner; people read their tenant's checkpoints.
ALTER TABLE audit_checkpoints ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_checkpoints FOR SELECT USING (tenant_id = mf_current_tenant());
GRANT SELECT ON audit_checkpoints TO mediforge_app;

CREATE FUNCTION mf_audit_checkpoint_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit checkpoints are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION mf_audit_checkpoint_append_only();
