import { describe, expect, it } from 'vitest';
import { addDays, dayIn, daysBetween } from './dates.js';

describe('calendar days', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-12-04', 0)).toBe('2026-12-04');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(daysBetween('2027-01-02', '2026-12-30')).toBe(-3);
  });

  it('names the day of a time zone, which need not be the UTC day', () => {
    const lateEvening = new Date('2026-12-04T23:30:00Z');
    expect(dayIn('UTC', lateEvening)).toBe('2026-12-04');
    expect(dayIn('Europe/Berlin', lateEvening)).toBe('2026-12-05');
    expect(dayIn('Asia/Shanghai', lateEvening)).toBe('2026-12-05');
    expect(dayIn('America/Los_Angeles', new Date('2026-12-05T03:00:00Z'))).toBe('2026-12-04');
  });
});
