import type { PermissionDef } from '../module.js';

import { AUDIT_PERMISSIONS } from '../permissions.js';

export { AUDIT_PERMISSIONS };

export const AUDIT_PERMISSION_DEFS: readonly PermissionDef[] = [
  { name: AUDIT_PERMISSIONS.read, description: 'Search the whole audit trail of the tenant, security events included' },
  {
    name: AUDIT_PERMISSIONS.recordRead,
    description: 'Read the history of one record and the record as it was at an instant (not security events)',
  },
  { name: AUDIT_PERMISSIONS.verify, description: "Verify the tamper evidence of the tenant's audit trail" },
];
