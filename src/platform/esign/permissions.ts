import type { PermissionDef } from '../module.js';

export const ESIGN_PERMISSIONS = { read: 'signatures:read' } as const;

export const ESIGN_PERMISSION_DEFS: readonly PermissionDef[] = [
  { name: ESIGN_PERMISSIONS.read, description: "See a record's electronic signatures and whether they are still valid" },
];
