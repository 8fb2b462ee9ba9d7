import { addDays, daysBetween } from '../../platform/dates.js';
import type { Deadline } from './contract.js';

/**
 * The deadlines a recall's classification sets, counted from the day it was initiated:
 * - China (医疗器械召回管理办法, arts. 16 and 18): notify the distributors and users reached within
 *   1, 3 or 7 days for a level 1, 2 or 3 recall, and report progress to the provincial authority
 *   every 1, 3 or 7 days until it is closed;
 * - FDA (21 CFR 806.10(b)): a class I or II recall is reported within 10 working days of its start;
 *   a class III recall is recorded (806.20), not reported.
 * Working days skip Saturdays and Sundays; public holidays are the quality team's to allow for.
 */

const CHINA_DAYS: Readonly<Record<number, number>> = { 1: 1, 2: 3, 3: 7 };
const FDA_WORKING_DAYS = 10;

export function addWorkingDays(day: string, days: number): string {
  let d = day;
  for (let left = days; left > 0; ) {
    d = addDays(d, 1);
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return d;
}

/** How a deadline stands given when it was met (null: not yet) and today. */
function stateOf(due: string, metOn: string | null, today: string): Deadline['state'] {
  if (metOn) return metOn <= due ? 'met' : 'late';
  return today > due ? 'overdue' : 'open';
}

export interface DeadlineFacts {
  chinaLevel: number | null;
  fdaClass: number | null;
  initiatedOn: string | null;
  closed: boolean;
  reportedOn: string | null;
  /** The first notice's day for each customer reached (null: not notified). */
  firstNoticeByCustomer: ReadonlyArray<string | null>;
  today: string;
}

export function recallDeadlines(f: DeadlineFacts): Deadline[] {
  if (!f.initiatedOn) return [];
  const deadlines: Deadline[] = [];
  if (f.chinaLevel) {
    const days = CHINA_DAYS[f.chinaLevel]!;
    const due = addDays(f.initiatedOn, days);
    const notices = f.firstNoticeByCustomer;
    const allNotified = notices.every((d) => d !== null);
    const lastNotice = allNotified ? (notices as string[]).reduce((a, b) => (a > b ? a : b), f.initiatedOn) : null;
    deadlines.push({ kind: 'cnNotify', due, everyDays: null, state: stateOf(due, lastNotice, f.today) });
    deadlines.push({
      kind: 'cnProgress',
      due: f.closed ? null : nextReportDay(f.initiatedOn, days, f.today),
      everyDays: days,
      state: f.closed ? 'met' : 'open',
    });
  }
  if (f.fdaClass === 1 || f.fdaClass === 2) {
    const due = addWorkingDays(f.initiatedOn, FDA_WORKING_DAYS);
    deadlines.push({ kind: 'fda806', due, everyDays: null, state: stateOf(due, f.reportedOn, f.today) });
  }
  return deadlines;
}

/** The next periodic report day on or after today. */
function nextReportDay(initiatedOn: string, every: number, today: string): string {
  const elapsed = Math.max(0, daysBetween(initiatedOn, today));
  return addDays(initiatedOn, Math.max(every, Math.ceil(elapsed / every) * every));
}
