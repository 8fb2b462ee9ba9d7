import { describe, expect, it } from 'vitest';
import { numberRanges } from './print.js';

describe('lot and serial numbers in the recall report', () => {
  it('writes runs of consecutive serials as ranges, in the order people read them', () => {
    const serials = Array.from({ length: 100 }, (_, i) => `SN${String(i + 1).padStart(8, '0')}`);
    expect(numberRanges([...serials].reverse())).toBe('SN00000001 – SN00000100');
    expect(numberRanges(['SN-101', 'SN-98', 'SN-100', 'SN-99'])).toBe('SN-98 – SN-101');
    expect(numberRanges(['SN-1', 'SN-2', 'SN-4', 'SN-7', 'SN-8', 'SN-9'])).toBe('SN-1, SN-2, SN-4, SN-7 – SN-9');
  });

  it('keeps apart what only looks consecutive: another prefix, another width of zero-padded digits, no digits', () => {
    expect(numberRanges(['A-1', 'B-2', 'B-3'])).toBe('A-1, B-2, B-3');
    expect(numberRanges(['X09', 'X010'])).toBe('X09, X010');
    expect(numberRanges(['LOT-A', 'LOT-B', 'LOT-A'])).toBe('LOT-A, LOT-B');
    expect(numberRanges([])).toBe('');
  });
});
