import { describe, expect, it } from 'vitest';
import {
  assertDispositionFollowsSample,
  type Characteristic,
  lotSizeOf,
  nonconformingOf,
  sampleNonconforming,
} from './inspection-model.js';
import { samplingPlan } from './sampling.js';

const diameter: Characteristic = { id: 'c1', name: 'Outer diameter', kind: 'variable', lowerLimit: '2.95', upperLimit: '3.05', unit: 'mm' };
const visual: Characteristic = { id: 'c2', name: 'Visual', kind: 'attribute', lowerLimit: null, upperLimit: null, unit: null };

describe('incoming inspection rules', () => {
  it('counts measured values outside the limits, limits inclusive', () => {
    expect(nonconformingOf(diameter, { measurements: ['2.95', '3.05', '3.051', '2.9499', '3.00'] }, 5)).toBe(2);
    expect(nonconformingOf(visual, { defectives: 1 }, 5)).toBe(1);
  });

  it('refuses results that do not fit the characteristic or the sample', () => {
    expect(() => nonconformingOf(diameter, { measurements: ['3.0'] }, 5)).toThrow(/one value per sampled unit: 5, got 1/);
    expect(() => nonconformingOf(diameter, { defectives: 0 }, 5)).toThrow(/measured values/);
    expect(() => nonconformingOf(visual, { defectives: 6 }, 5)).toThrow(/cannot exceed the sample size 5/);
  });

  it('never counts more nonconforming units than were sampled', () => {
    expect(sampleNonconforming([2, 1], 13)).toBe(3);
    expect(sampleNonconforming([3, 3], 5)).toBe(5);
  });

  it('[Q.ACC] refuses a disposition that contradicts the sampling result', () => {
    // Lot of 500 at level II, AQL 1.0 normal: code letter H, n = 50, Ac 1, Re 2.
    const plan = samplingPlan({ lotSize: 500, aql: '1.0', level: 'II', severity: 'normal' });
    expect(plan).toMatchObject({ codeLetter: 'H', sampleSize: 50, accept: 1, reject: 2 });
    const inspection = { number: 'INS-1', plan };
    expect(assertDispositionFollowsSample(inspection, 1, 'accept')).toBe('accepted');
    expect(() => assertDispositionFollowsSample(inspection, 2, 'accept')).toThrow(/reaches the reject number 2/);
    expect(() => assertDispositionFollowsSample(inspection, 0, 'reject')).toThrow(/the sample accepts the lot/);
    expect(assertDispositionFollowsSample(inspection, 2, 'reject')).toBe('not-accepted');
  });

  it('sizes a lot in whole units, counting a started unit', () => {
    expect(lotSizeOf('500')).toBe(500);
    expect(lotSizeOf('12.25')).toBe(13);
  });
});
