import type { PermissionDef } from '../../platform/module.js';
import { SIGN_RELEASED } from './revisions.js';

export const MASTERDATA = {
  read: 'masterdata:read',
  write: 'masterdata:write',
  signReleased: SIGN_RELEASED,
  /** A quality decision (ISO 13485 7.4.1): named in quality's space so the QA roles' grants cover it. */
  signSupplierApproval: 'quality:sign.supplierApproval',
} as const;

export const MASTERDATA_PERMISSIONS: readonly PermissionDef[] = [
  { name: MASTERDATA.read, description: 'Read master data: items, revisions, BOMs, routings, resources, suppliers, customers, locations' },
  { name: MASTERDATA.write, description: 'Create and change master data; submit, return and withdraw item revisions' },
  { name: MASTERDATA.signReleased, description: 'Release an item revision by electronic signature (meaning "released")' },
  {
    name: MASTERDATA.signSupplierApproval,
    description:
      'Approve, restrict, disqualify or re-approve a supplier for an item on the approved supplier list, by electronic signature with a reason',
  },
];
