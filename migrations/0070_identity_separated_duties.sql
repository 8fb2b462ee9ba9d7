-- Administering people and signing records are separated duties (21 CFR 11.10(g), 11.200(a)(2),
-- 11.300; Annex 11 §12). The services refuse these first, with a reason a person reads; the
-- database refuses them too, so no code path can forget.

-- After an administrator resets a password, the person's signing stays blocked until they have
-- set their own password and confirmed their second factor in a signing: the administrator knew
-- the one-time password, never the person's authenticator.
ALTER TABLE users ADD COLUMN signing_blocked_since timestamptz;

-- Nobody changes their own role assignments (a person acting for themselves is the actor of the
-- transaction; jobs and the operator's CLI act as the system).
CREATE FUNCTION mf_user_roles_not_own() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  subject uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END;
BEGIN
  IF current_setting('app.actor_kind', true) = 'user'
     AND current_setting('app.actor_id', true) = subject::text THEN
    RAISE EXCEPTION 'a person cannot change their own roles' USING ERRCODE = 'MFSOD';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER user_roles_not_own BEFORE INSERT OR DELETE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION mf_user_roles_not_own();

-- A token is minted by its owner only. Tokens issued before this rule keep working until they
-- expire or are revoked (NOT VALID leaves them unchecked).
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_minted_by_owner CHECK (created_by = owner_id) NOT VALID;

-- Whether a grant that adds a signing permission needs a second administrator's approval.
ALTER TABLE security_policies ADD COLUMN signing_grants_need_second_admin boolean NOT NULL DEFAULT false;

-- A signing role requested for a person, waiting for a second administrator (neither the
-- requester nor the person) to approve or reject it.
CREATE TABLE role_grant_requests (
  tenant_id      uuid NOT NULL DEFAULT mf_current_tenant() REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT mf_uuidv7(),
  user_id        uuid NOT NULL,
  role_id        uuid NOT NULL,
  site_id        uuid,
  reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  requested_by   uuid NOT NULL,
  requested_at   timestamptz NOT NULL DEFAULT now(),
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
  decided_by     uuid,
  decided_at     timestamptz,
  decision_note  text CHECK (decision_note IS NULL OR length(decision_note) <= 1000),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id),
  FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id),
  FOREIGN KEY (tenant_id, requested_by) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES users (tenant_id, id),
  CHECK (requested_by <> user_id),
  CHECK (decided_by IS NULL OR (decided_by <> requested_by AND decided_by <> user_id)),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX role_grant_requests_open ON role_grant_requests (tenant_id, user_id, role_id, site_id) NULLS NOT DISTINCT
  WHERE status = 'pending';
SELECT mf_tenant_table('role_grant_requests', 'SELECT, INSERT, UPDATE');
SELECT mf_audit_table('role_grant_requests');
