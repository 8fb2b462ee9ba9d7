/** The audit trail as the kernel's /audit endpoints describe it. */
export interface AuditActor {
  kind: string;
  id: string;
  name: string;
}

export interface AuditEvent {
  id: string;
  seq: number | null;
  at: string;
  actor: AuditActor;
  action: string;
  entity: string;
  recordId: string | null;
  changes: Array<{ field: string; old: unknown; new: unknown }>;
  reason: string | null;
  requestId: string | null;
}

export interface RecordAsOf {
  entity: string;
  id: string;
  asOf: string;
  exists: boolean;
  record: Record<string, unknown> | null;
  lastChange: { at: string; actor: AuditActor; action: string } | null;
}

/** Translation keys of the actions the trail records; others are shown as they are. */
export const ACTION_KEYS: Record<string, string> = {
  insert: 'audit.action.insert',
  update: 'audit.action.update',
  delete: 'audit.action.delete',
};
