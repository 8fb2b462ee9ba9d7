import type { PermissionDef } from '../module.js';

export const AUDIT_PERMISSIONS = { read: 'audit:read', verify: 'audit:verify' } as const;

export const AUDIT_PERMISSION_DEFS: readonly PermissionDef[] = [
  { name: AUDIT_PERMISSIONS.read, description: 'Read the audit trail: record histories, as-of views, security events' },
  { name: AUDIT_PERMISSIONS.verify, description: "Verify the tamper evidence of the tenant's audit trail" },
];
