import { describe, expect, it } from 'vitest';
import { BadRequest, Conflict } from '../../platform/errors.js';
import { INSPECTION_LEVELS, type InspectionLevel, SEVERITIES, type Severity } from './contract.js';
import {
  AQLS,
  type Aql,
  judgeLot,
  type LotResult,
  nextSamplingState,
  resumeAfterCorrectiveAction,
  type SamplingState,
  START_OF_INSPECTION,
  sampleSizeCodeLetter,
  samplingPlan,
} from './sampling.js';

type Case = [lotSize: number, level: InspectionLevel, aql: Aql, letter: string, planLetter: string, n: number, ac: number, re: number];

/** Cells read off Z1.4 Tables I and II-A/II-B/II-C by hand, arrows followed. */
const NORMAL: Case[] = [
  [1000, 'II', '1.0', 'J', 'J', 80, 2, 3],
  [1000, 'II', '2.5', 'J', 'J', 80, 5, 6],
  [1000, 'II', '4.0', 'J', 'J', 80, 7, 8],
  [1000, 'II', '0.15', 'J', 'J', 80, 0, 1],
  [1000, 'II', '0.10', 'J', 'K', 125, 0, 1], // ↓
  [1000, 'II', '0.25', 'J', 'H', 50, 0, 1], // ↑
  [1000, 'II', '0.40', 'J', 'K', 125, 1, 2], // ↓
  // The ↓ at H/0.65 leads to J: n=80, 1/2 (not n=50).
  [500, 'II', '0.65', 'H', 'J', 80, 1, 2],
  [500, 'II', '1.0', 'H', 'H', 50, 1, 2],
  [3200, 'II', '1.0', 'K', 'K', 125, 3, 4],
  [3201, 'II', '1.0', 'L', 'L', 200, 5, 6],
  [2000, 'II', '10', 'K', 'K', 125, 21, 22],
  [2000, 'II', '15', 'K', 'J', 80, 21, 22], // ↑
  [50, 'II', '6.5', 'D', 'D', 8, 1, 2],
  [50, 'II', '1.5', 'D', 'D', 8, 0, 1],
  [50, 'II', '2.5', 'D', 'C', 5, 0, 1], // ↑
  [200, 'I', '1.0', 'E', 'E', 13, 0, 1],
  [200, 'III', '1.0', 'H', 'H', 50, 1, 2],
  [400, 'II', '40', 'H', 'G', 32, 21, 22], // ↑
  [100000, 'II', '0.065', 'N', 'P', 800, 1, 2], // ↓
  [600000, 'II', '0.010', 'Q', 'Q', 1250, 0, 1],
  [600000, 'III', '0.010', 'R', 'Q', 1250, 0, 1], // ↑
  [600000, 'III', '0.015', 'R', 'P', 800, 0, 1], // ↑ twice
  [600000, 'III', '0.65', 'R', 'R', 2000, 21, 22],
  [600000, 'III', '1.0', 'R', 'Q', 1250, 21, 22], // ↑
  [5, 'S-1', '1000', 'A', 'A', 2, 30, 31],
  [30, 'S-3', '100', 'B', 'B', 3, 7, 8],
  [400, 'S-2', '250', 'C', 'C', 5, 21, 22],
  [400, 'S-4', '150', 'E', 'E', 13, 30, 31],
  [400, 'S-4', '250', 'E', 'E', 13, 44, 45],
  [400, 'S-4', '400', 'E', 'D', 8, 44, 45], // ↑
];

const TIGHTENED: Case[] = [
  [1000, 'II', '1.0', 'J', 'J', 80, 1, 2],
  [2000, 'II', '1.0', 'K', 'K', 125, 2, 3],
  [2000, 'II', '6.5', 'K', 'K', 125, 12, 13],
  [2000, 'II', '10', 'K', 'K', 125, 18, 19],
  [2000, 'II', '0.10', 'K', 'L', 200, 0, 1], // ↓
  [2000, 'II', '0.40', 'K', 'L', 200, 1, 2], // ↓
  [50, 'II', '10', 'D', 'D', 8, 1, 2],
  [30, 'S-3', '400', 'B', 'B', 3, 18, 19],
  [400, 'S-4', '250', 'E', 'E', 13, 41, 42],
  [600000, 'III', '0.010', 'R', 'R', 2000, 0, 1],
  [600000, 'III', '0.025', 'R', 'S', 3150, 1, 2], // ↓ to the tightened-only row S
];

const REDUCED: Case[] = [
  [1000, 'II', '1.0', 'J', 'J', 32, 1, 3],
  [1000, 'II', '2.5', 'J', 'J', 32, 2, 5],
  [2000, 'II', '0.65', 'K', 'K', 50, 1, 3],
  [2000, 'II', '0.40', 'K', 'K', 50, 0, 2],
  [2000, 'II', '0.25', 'K', 'L', 80, 0, 2], // ↓
  [2000, 'II', '4.0', 'K', 'K', 50, 5, 8],
  [2000, 'II', '10', 'K', 'K', 50, 10, 13],
  [2000, 'II', '15', 'K', 'J', 32, 10, 13], // ↑
  [50, 'II', '6.5', 'D', 'D', 3, 0, 2],
  [400, 'S-4', '150', 'E', 'E', 5, 14, 17],
  [30, 'S-3', '40', 'B', 'B', 2, 2, 4],
];

function expectPlan(severity: Severity, [lotSize, level, aql, letter, planLetter, n, ac, re]: Case) {
  const plan = samplingPlan({ lotSize, level, aql, severity });
  expect({ ...plan }, `${severity} lot ${lotSize} level ${level} AQL ${aql}`).toEqual({
    severity,
    aql,
    codeLetter: letter,
    planLetter,
    sampleSize: n,
    accept: ac,
    reject: re,
    hundredPercent: false,
  });
}

describe('ISO 2859-1 / Z1.4 single sampling plans', () => {
  it('picks the code letter from lot size and inspection level at the range boundaries', () => {
    expect(sampleSizeCodeLetter(8, 'II')).toBe('A');
    expect(sampleSizeCodeLetter(9, 'II')).toBe('B');
    expect(sampleSizeCodeLetter(1200, 'II')).toBe('J');
    expect(sampleSizeCodeLetter(1201, 'II')).toBe('K');
    expect(sampleSizeCodeLetter(500000, 'II')).toBe('P');
    expect(sampleSizeCodeLetter(500001, 'II')).toBe('Q');
    expect(sampleSizeCodeLetter(10000, 'S-1')).toBe('C');
    expect(sampleSizeCodeLetter(10001, 'S-4')).toBe('H');
    expect(sampleSizeCodeLetter(2_000_000, 'III')).toBe('R');
    expect(sampleSizeCodeLetter(1, 'III')).toBe('B');
  });

  it.each(NORMAL)('normal: lot %i level %s AQL %s → %s', (...c) => expectPlan('normal', c));
  it.each(TIGHTENED)('tightened: lot %i level %s AQL %s → %s', (...c) => expectPlan('tightened', c));
  it.each(REDUCED)('reduced: lot %i level %s AQL %s → %s', (...c) => expectPlan('reduced', c));

  it('resolves every cell of every table to a plan, with Re = Ac + 1 outside the reduced table', () => {
    const lotSizeRanges = [2, 9, 16, 26, 51, 91, 151, 281, 501, 1201, 3201, 10001, 35001, 150001, 500001];
    for (const severity of SEVERITIES) {
      for (const level of INSPECTION_LEVELS) {
        for (const lotSize of lotSizeRanges) {
          for (const aql of AQLS) {
            const plan = samplingPlan({ lotSize, level, aql, severity });
            expect(plan.accept).toBeLessThan(plan.reject);
            if (severity !== 'reduced') expect(plan.reject).toBe(plan.accept + 1);
          }
        }
      }
    }
  });

  it('inspects the whole lot when the arrow leads to a sample at least as large as the lot', () => {
    // Lot 10, level II → B; ↓ at 0.65 runs to F (n=20 ≥ 10).
    expect(samplingPlan({ lotSize: 10, level: 'II', aql: '0.65', severity: 'normal' })).toMatchObject({
      codeLetter: 'B',
      planLetter: 'F',
      sampleSize: 10,
      accept: 0,
      reject: 1,
      hundredPercent: true,
    });
    // Row A has no plan above at AQL 10: the first plan in the column is C (n=5).
    expect(samplingPlan({ lotSize: 5, level: 'II', aql: '10', severity: 'normal' })).toMatchObject({
      planLetter: 'C',
      sampleSize: 5,
      accept: 1,
      reject: 2,
      hundredPercent: true,
    });
    expect(samplingPlan({ lotSize: 80, level: 'II', aql: '1.0', severity: 'normal' }).hundredPercent).toBe(false);
  });

  it('refuses lot sizes, AQLs and levels outside the tables', () => {
    const bad = [
      { lotSize: 0, level: 'II', aql: '1.0', severity: 'normal' },
      { lotSize: 10.5, level: 'II', aql: '1.0', severity: 'normal' },
      { lotSize: 100, level: 'IV', aql: '1.0', severity: 'normal' },
      { lotSize: 100, level: 'II', aql: '1', severity: 'normal' },
      { lotSize: 100, level: 'II', aql: '1.0', severity: 'skip-lot' },
    ];
    for (const input of bad) {
      expect(() => samplingPlan(input as Parameters<typeof samplingPlan>[0]), JSON.stringify(input)).toThrow(BadRequest);
    }
  });

  it('judges a lot by Ac/Re, accepting a reduced-inspection count inside the gap but reinstating normal', () => {
    const reduced = samplingPlan({ lotSize: 1000, level: 'II', aql: '1.0', severity: 'reduced' }); // n=32, 1/3
    expect(judgeLot(reduced, 1)).toBe('accepted');
    expect(judgeLot(reduced, 2)).toBe('accepted-reinstate-normal');
    expect(judgeLot(reduced, 3)).toBe('not-accepted');
    expect(() => judgeLot(reduced, 33)).toThrow(BadRequest);
    expect(() => judgeLot(reduced, -1)).toThrow(BadRequest);
  });
});

describe('switching rules (ISO 2859-1:1999 clause 9.3)', () => {
  const plans = {
    normal: samplingPlan({ lotSize: 1000, level: 'II', aql: '1.0', severity: 'normal' }), // J 80, 2/3
    tightened: samplingPlan({ lotSize: 1000, level: 'II', aql: '1.0', severity: 'tightened' }), // J 80, 1/2
    reduced: samplingPlan({ lotSize: 1000, level: 'II', aql: '1.0', severity: 'reduced' }), // J 32, 1/3
  };
  const steady = { productionSteady: true, reducedInspectionApproved: true };
  const lot = (state: SamplingState, nonconforming: number, conditions = steady): LotResult => ({
    plan: plans[state.severity as Severity],
    nonconforming,
    ...conditions,
  });
  const run = (state: SamplingState, counts: number[], conditions = steady) =>
    counts.reduce((s, n) => nextSamplingState(s, lot(s, n, conditions)), state);

  it('tightens when two of five or fewer consecutive lots are not accepted', () => {
    expect(run(START_OF_INSPECTION, [3, 0, 0]).severity).toBe('normal');
    expect(run(START_OF_INSPECTION, [3, 0, 0, 0, 5]).severity).toBe('tightened');
    // Five lots after the first rejection it has left the window.
    expect(run(START_OF_INSPECTION, [3, 0, 0, 0, 0, 5]).severity).toBe('normal');
  });

  it('returns from tightened to normal after five consecutive accepted lots', () => {
    const tightened = run(START_OF_INSPECTION, [3, 3]);
    expect(tightened.severity).toBe('tightened');
    expect(run(tightened, [0, 0, 0, 0]).severity).toBe('tightened');
    expect(run(tightened, [0, 0, 0, 0, 2, 0, 0, 0, 0]).severity).toBe('tightened');
    expect(run(tightened, [0, 0, 0, 0, 2, 0, 0, 0, 0, 1])).toEqual(START_OF_INSPECTION);
  });

  it('discontinues inspection when five lots are not accepted on tightened inspection, then resumes on tightened', () => {
    const tightened = run(START_OF_INSPECTION, [3, 3]);
    const discontinued = run(tightened, [2, 0, 2, 0, 2, 0, 2, 2]);
    expect(discontinued.severity).toBe('discontinued');
    expect(() => nextSamplingState(discontinued, lot(tightened, 0))).toThrow(Conflict);
    expect(resumeAfterCorrectiveAction(discontinued)).toMatchObject({ severity: 'tightened', notAcceptedOnTightened: 0 });
    expect(() => resumeAfterCorrectiveAction(tightened)).toThrow(Conflict);
  });

  it('scores +3 per lot accepted at the AQL one step tighter when Ac ≥ 2, and resets otherwise', () => {
    // J at AQL 1.0 is 2/3; one step tighter (0.65) with n=80 is 1/2.
    expect(run(START_OF_INSPECTION, [1, 0, 1]).switchingScore).toBe(9);
    expect(run(START_OF_INSPECTION, [1, 0, 2]).switchingScore).toBe(0);
    expect(run(START_OF_INSPECTION, [1, 0, 2, 0]).switchingScore).toBe(3);
  });

  it('scores +2 per accepted lot when Ac is 0 or 1', () => {
    const zeroAccept = samplingPlan({ lotSize: 1000, level: 'II', aql: '0.15', severity: 'normal' }); // J 80, 0/1
    const after = [0, 0, 0].reduce((s) => nextSamplingState(s, { plan: zeroAccept, nonconforming: 0, ...steady }), START_OF_INSPECTION);
    expect(after.switchingScore).toBe(6);
    expect(nextSamplingState(after, { plan: zeroAccept, nonconforming: 1, ...steady }).switchingScore).toBe(0);
  });

  it('moves to reduced at a switching score of 30 only with steady production and approval', () => {
    const nineGoodLots = run(START_OF_INSPECTION, Array(9).fill(0));
    expect(nineGoodLots).toMatchObject({ severity: 'normal', switchingScore: 27 });
    expect(run(nineGoodLots, [0]).severity).toBe('reduced');
    expect(run(nineGoodLots, [0], { productionSteady: true, reducedInspectionApproved: false })).toMatchObject({
      severity: 'normal',
      switchingScore: 30,
    });
    expect(run(nineGoodLots, [0], { productionSteady: false, reducedInspectionApproved: true }).severity).toBe('normal');
  });

  it('returns from reduced to normal on a lot not accepted, a count in the gap, or unsteady production', () => {
    const reduced = run(START_OF_INSPECTION, Array(10).fill(0));
    expect(reduced.severity).toBe('reduced');
    expect(run(reduced, [1, 0, 1]).severity).toBe('reduced');
    expect(run(reduced, [3])).toEqual(START_OF_INSPECTION);
    expect(run(reduced, [2])).toEqual(START_OF_INSPECTION);
    expect(run(reduced, [0], { productionSteady: false, reducedInspectionApproved: true })).toEqual(START_OF_INSPECTION);
    expect(run(reduced, [0], { productionSteady: true, reducedInspectionApproved: false })).toEqual(START_OF_INSPECTION);
  });

  it('refuses a lot judged with a plan of another severity', () => {
    expect(() => nextSamplingState(START_OF_INSPECTION, { plan: plans.tightened, nonconforming: 0, ...steady })).toThrow(BadRequest);
  });
});
