import { definePermissions, type Vocabulary } from '../../platform/contract.js';

/**
 * Identity's contract: session states, role-grant decisions and its permissions. The server and
 * the web app both build on it.
 */

/** The steps of signing in, in the order a session passes them; only `active` reaches normal routes. */
export const SESSION_STATES = ['password_change_required', 'totp_required', 'totp_enrollment_required', 'active'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** A second administrator's decision on a pending grant of a signing role. */
export const GRANT_DECISIONS = ['approved', 'rejected'] as const;
export type GrantDecision = (typeof GRANT_DECISIONS)[number];

/** What kind of machine a registered device is. */
export const DEVICE_KINDS = ['test_station', 'line_controller', 'tablet', 'scanner', 'other'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const IDENTITY_VOCABULARY = { 'devices.kinds': DEVICE_KINDS } as const satisfies Vocabulary;

/**
 * Permission names are `module:action`. An action `read` or ending in `.read`
 * (`quality:ncr.read`) only reads; an action starting with `sign` or a `.sign…` segment signs;
 * the `admin` module administers. Roles grant patterns over the catalog (`*` matches any text).
 */
const permissions = definePermissions({
  /** Implicit for every person: the steps of signing in (any session state). */
  session: { name: 'auth:session', description: 'Complete signing in (password change, second factor); held by every person' },
  /** Implicit for every person with an active session: own sessions and profile. */
  self: { name: 'auth:self', description: 'See and end own sessions, change own profile; held by every person' },
  read: { name: 'identity:read', description: 'See users, roles, permissions, API tokens, security policy and security events' },
  users: { name: 'admin:users', description: 'Create, change and deactivate users, reset passwords, assign roles' },
  tokens: { name: 'admin:tokens', description: "Revoke anyone's API tokens (each person issues their own)" },
  devices: { name: 'admin:devices', description: 'Register and deactivate the devices whose API tokens record execution data' },
  policy: { name: 'admin:policy', description: 'Change the password and session policy' },
});
export const P = permissions.names;
export const IDENTITY_PERMISSIONS = permissions.list;
