import { describe, expect, it } from 'vitest';
import { dec, decText } from './decimal.js';

describe('decimals for quantities and money', () => {
  it('adds without binary floating-point error', () => {
    expect(decText(dec('0.1').plus(dec('0.2')))).toBe('0.3');
    expect(decText(dec('1000000000000.000001').times(3))).toBe('3000000000000.000003');
  });

  it.each(['1e3', 'NaN', 'Infinity', '0x10', '1.', '.5', '', '01', '1.1234567890123'])('refuses %j as a quantity', (v) => {
    expect(() => dec(v, 'quantity')).toThrow(/quantity must be a decimal number/);
  });

  it('keeps scale-free canonical text', () => {
    expect(decText(dec('12.500'))).toBe('12.5');
    expect(decText(dec('-0.000000000001'))).toBe('-0.000000000001');
  });
});
