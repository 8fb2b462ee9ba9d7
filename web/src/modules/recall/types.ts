import type { Deadline, RecallAnswer, RecallNotification, RecallStart, RecallStatus } from '@server/modules/recall/contract';
import type { Signature } from '../../components/signatures';

/** A recall as the /recalls endpoints return it. */
export interface Recall {
  id: string;
  number: string;
  title: string;
  reason: string;
  siteId: string | null;
  status: RecallStatus;
  start: RecallStart;
  chinaLevel: number | null;
  fdaClass: number | null;
  healthHazard: string | null;
  snapshotAt: string;
  truncated: boolean;
  initiatedOn: string | null;
  initiatedAt: string | null;
  heldLotCount: number | null;
  reportedOn: string | null;
  reportReference: string | null;
  closedAt: string | null;
  effectiveness: string | null;
  author: { id: string; name: string };
  version: number;
}

/** A recall with its answer as taken, notices, progress, deadlines and signatures. */
export interface RecallDetail extends Recall {
  answer: RecallAnswer;
  notifications: RecallNotification[];
  progress: {
    customersReached: number;
    customersNotNotified: number;
    customersAcknowledged: number;
    units: string;
    accounted: string;
    effectiveness: string;
  };
  deadlines: Deadline[];
  signatures: Signature[];
  allowedTransitions: RecallStatus[];
}

export const STATUS_COLORS: Record<string, string> = { draft: 'gray', initiated: 'orange', closed: 'green', cancelled: 'gray' };
export const DEADLINE_COLORS: Record<string, string> = { met: 'green', open: 'blue', overdue: 'red', late: 'orange' };
