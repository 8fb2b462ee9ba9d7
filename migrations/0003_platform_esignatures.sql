-- Electronic signatures (21 CFR Part 11 §11.50, §11.70): signer, printed name, server time,
-- meaning and the SHA-256 of the signed record's canonical content. Signatures are never
-- changed or removed: a record edited after signing shows the signature as no longer valid.

CREATE TABLE esignatures (
  tenant_id     uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT mf_uuidv7(),
  entity        text NOT NULL CHECK (entity ~ '^[a-z][a-z0-9_]{0,62}$'),
  record_id     text NOT NULL CHECK (length(record_id) BETWEEN 1 AND 200),
  content_hash  text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  signer_id     text NOT NULL,
  signer_login  text NOT NULL,
  signer_name   text NOT NULL,
  meaning       text NOT NULL CHECK (meaning ~ '^[a-z][a-z_]{1,39}$'),
  comment       text CHECK (length(comment) <= 2000),
  signed_at     timestamptz NOT NULL DEFAULT now(),
  session_id    text,
  request_id    text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX esignatures_record ON esignatures (tenant_id, entity, record_id, signed_at);
SELECT mf_tenant_table('esignatures', 'SELECT, INSERT');
SELECT mf_audit_table('esignatures');

CREATE FUNCTION mf_esignature_immutable() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'electronic signatures cannot be changed or removed' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER immutable BEFORE UPDATE OR DELETE ON esignatures
  FOR EACH ROW EXECUTE FUNCTION mf_esignature_immutable();
