import type { PermissionDef } from '../../platform/module.js';
import { SIGN_RELEASED } from './revisions.js';

export const MASTERDATA = { read: 'masterdata:read', write: 'masterdata:write', signReleased: SIGN_RELEASED } as const;

export const MASTERDATA_PERMISSIONS: readonly PermissionDef[] = [
  { name: MASTERDATA.read, description: 'Read master data: items, revisions, BOMs, routings, resources, suppliers, customers, locations' },
  { name: MASTERDATA.write, description: 'Create and change master data; submit, return and withdraw item revisions' },
  { name: MASTERDATA.signReleased, description: 'Release an item revision by electronic signature (meaning "released")' },
];
