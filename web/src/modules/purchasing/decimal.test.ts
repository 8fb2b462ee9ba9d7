import { describe, expect, it } from 'vitest';
import { lineTotal, normalizeDecimal, parseDecimal, remainingOf, sumOf } from './decimal.js';

describe('order amounts in the browser', () => {
  it('computes line and order totals exactly from the decimal strings', () => {
    // 0.1 × 0.3 and 0.1 + 0.2 are where binary floats go wrong.
    expect(lineTotal('0.1', '0.3')).toBe('0.03');
    expect(sumOf([lineTotal('1234.5', '1.35'), lineTotal('0.1', '0.1'), '0.2'])).toBe('1666.785');
    expect(lineTotal('123456789012345678', '0.000000000001')).toBe('123456.789012345678');
  });

  it('has no total while a line is not a number yet', () => {
    expect(lineTotal('', '1.35')).toBeUndefined();
    expect(lineTotal('1e3', '1')).toBeUndefined();
    expect(sumOf(['1', undefined])).toBeUndefined();
  });

  it('reads a decimal comma as a point and never goes below zero for what is still to come', () => {
    expect(normalizeDecimal(' 21,5 ')).toBe('21.5');
    expect(parseDecimal('4,050')?.toFixed()).toBe('4.05');
    expect(remainingOf({ quantity: '500', receivedQuantity: '510' })).toBe('0');
    expect(remainingOf({ quantity: '500', receivedQuantity: '199.5' })).toBe('300.5');
  });
});
