/**
 * The names of the platform's own permissions (sites, audit trail, signatures, events, webhooks),
 * without TypeScript beyond constants: routes declare them, and the web app's screens check them.
 * Their descriptions sit with the routes that declare them.
 */
export const SITE_PERMISSIONS = { read: 'sites:read', manage: 'admin:sites' } as const;
export const AUDIT_PERMISSIONS = { read: 'audit:read', recordRead: 'audit:record.read', verify: 'audit:verify' } as const;
export const ESIGN_PERMISSIONS = {
  read: 'signatures:read',
  readDuties: 'signatures:duties.read',
  setDuties: 'admin:signature-duties',
} as const;
export const EVENTS_PERMISSIONS = { read: 'events:read', manage: 'admin:events' } as const;
export const WEBHOOK_PERMISSIONS = { read: 'webhooks:read', manage: 'admin:webhooks' } as const;
