-- Identity under the audit trail (Annex 11 §12.3: creation, change and removal of access rights
-- are recorded). Credentials, sessions and API tokens are left out on purpose: their secrets
-- must never reach the trail, and sign-in, token use, issue and revocation are recorded as
-- security events instead of one audit row per request.
SELECT mf_audit_table('users');
SELECT mf_audit_table('roles');
SELECT mf_audit_table('user_roles', ARRAY['user_id', 'role_id', 'site_id']);
SELECT mf_audit_table('security_policies', ARRAY['tenant_id']);
