import type { DeviceKind } from '@server/modules/identity/contract';

/** Identity records as the /users, /roles, /api-tokens and /devices endpoints return them. */
export interface RoleAssignment {
  roleId: string;
  siteId: string | null;
}

export interface User {
  id: string;
  login: string;
  fullName: string;
  email: string | null;
  language: string | null;
  active: boolean;
  deactivatedAt: string | null;
  lockedUntil: string | null;
  failedAttempts: number;
  mustChangePassword: boolean;
  passwordChangedAt: string;
  totpEnrolled: boolean;
  createdAt: string;
  roles: Array<RoleAssignment & { roleName: string }>;
  /** Roles that sign, asked for this person and waiting for a second administrator. */
  pendingRoles: Array<
    RoleAssignment & {
      requestId: string;
      roleName: string;
      reason: string;
      requestedBy: string;
      requestedById: string;
      requestedAt: string;
    }
  >;
  /** After an administrator's password reset, until the person has taken over again. */
  signingBlocked: boolean;
}

export interface Role {
  id: string;
  name: string;
  description: string;
  grants: string[];
  permissions: string[];
  requiresTotp: boolean;
}

export interface Permission {
  name: string;
  description: string;
}

export interface ApiToken {
  id: string;
  name: string;
  /** The first characters of the token, to recognise it. */
  prefix: string;
  ownerLogin: string;
  scopes: string[];
  siteId: string | null;
  /** The registered device the token speaks for; only such a token records execution data. */
  deviceId: string | null;
  deviceCode: string | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A registered device, as /devices returns it. */
export interface Device {
  id: string;
  code: string;
  name: string;
  kind: DeviceKind;
  workCenter: { id: string; code: string; name: string };
  active: boolean;
  deactivatedReason: string | null;
  deactivatedAt: string | null;
  createdAt: string;
  version: number;
}
