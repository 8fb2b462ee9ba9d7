import type { Deadline, Recall, RecallAnswer, RecallNotification, RecallProgress, RecallStatus } from '@server/modules/recall/contract';

export type { Recall };

import type { Signature } from '../../components/signatures';

/** A recall with its answer as taken, notices, progress, deadlines and signatures. */
export interface RecallDetail extends Recall {
  answer: RecallAnswer;
  notifications: RecallNotification[];
  progress: RecallProgress;
  deadlines: Deadline[];
  signatures: Signature[];
  allowedTransitions: RecallStatus[];
}

export const STATUS_COLORS: Record<string, string> = { draft: 'gray', initiated: 'orange', closed: 'green', cancelled: 'gray' };
export const DEADLINE_COLORS: Record<string, string> = { met: 'green', open: 'blue', overdue: 'red', late: 'orange' };
