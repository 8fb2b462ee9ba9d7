import type { PermissionDef } from '../module.js';

import { ESIGN_PERMISSIONS } from '../permissions.js';

export { ESIGN_PERMISSIONS };

export const ESIGN_PERMISSION_DEFS: readonly PermissionDef[] = [
  { name: ESIGN_PERMISSIONS.read, description: "See a record's electronic signatures and whether they are still valid" },
  { name: ESIGN_PERMISSIONS.readDuties, description: 'See the separation-of-duties rules of signed steps and whether each is enforced' },
  {
    name: ESIGN_PERMISSIONS.setDuties,
    description: 'Enforce or relax a separation-of-duties rule of a signed step for the tenant, with a reason (audited)',
  },
];
