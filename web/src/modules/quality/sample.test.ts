import { describe, expect, it } from 'vitest';
import { type Limits, limitsText, nonconformingValues, outOfLimits, splitPasted, totalNonconforming, verdictOf } from './sample.js';

const diameter: Limits = { lowerLimit: '4.05', upperLimit: '4.15', unit: 'mm' };

describe('the running count of an inspection screen', () => {
  it('marks values outside the limits, the limits themselves conforming', () => {
    expect(outOfLimits('4.05', diameter)).toBe(false);
    expect(outOfLimits('4.15', diameter)).toBe(false);
    expect(outOfLimits('4.049', diameter)).toBe(true);
    expect(outOfLimits('4.151', diameter)).toBe(true);
    expect(outOfLimits('abc', diameter)).toBeUndefined();
    expect(nonconformingValues(['4.10', '4.03', '', '4.20'], diameter)).toBe(2);
  });

  it('judges the sample as ISO 2859-1 does: up to Ac accepts, from Re rejects, between reinstates normal', () => {
    expect(verdictOf({ accept: 1, reject: 2 }, 1)).toBe('accepted');
    expect(verdictOf({ accept: 1, reject: 2 }, 2)).toBe('not-accepted');
    expect(verdictOf({ accept: 1, reject: 3 }, 2)).toBe('accepted-reinstate-normal');
    expect(totalNonconforming([3, 4], 5)).toBe(5);
  });

  it('takes a column pasted from a spreadsheet, with decimal commas and blank cells', () => {
    expect(splitPasted('4,10\r\n4.12\n\n4.08\t4.11;4.09\n')).toEqual(['4.10', '4.12', '4.08', '4.11', '4.09']);
    expect(limitsText(diameter)).toBe('4.05 – 4.15 mm');
    expect(limitsText({ ...diameter, upperLimit: null, lowerLimit: '6' })).toBe('≥ 6 mm');
  });
});
