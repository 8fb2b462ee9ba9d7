import { describe, expect, it } from 'vitest';
import { decisionsFor } from './switching.js';

describe('the decisions the QA manager is offered', () => {
  it('offers consent to reduced inspection on normal or tightened inspection until it is given', () => {
    expect(decisionsFor({ severity: 'normal', reducedPermitted: false })).toEqual(['permitReduced']);
    expect(decisionsFor({ severity: 'tightened', reducedPermitted: false })).toEqual(['permitReduced']);
  });

  it('offers to withdraw the consent once given, on reduced inspection or before it starts', () => {
    expect(decisionsFor({ severity: 'reduced', reducedPermitted: true })).toEqual(['withdrawReduced']);
    expect(decisionsFor({ severity: 'normal', reducedPermitted: true })).toEqual(['withdrawReduced']);
  });

  it('offers to resume a discontinued inspection, and no consent to reduced inspection before that', () => {
    expect(decisionsFor({ severity: 'discontinued', reducedPermitted: false })).toEqual(['resume']);
    expect(decisionsFor({ severity: 'discontinued', reducedPermitted: true })).toEqual(['resume', 'withdrawReduced']);
  });
});
