import { describe, expect, it } from 'vitest';
import { BadRequest } from '../../platform/errors.js';
import { completeGtin, gs1CheckDigit, isGtin, toGtin14 } from './gtin.js';

describe('GTIN', () => {
  it('computes the mod-10 check digit for each GTIN length', () => {
    expect(gs1CheckDigit('9638507')).toBe(4); // GTIN-8 96385074
    expect(gs1CheckDigit('03600029145')).toBe(2); // GTIN-12 036000291452
    expect(gs1CheckDigit('400638133393')).toBe(1); // GTIN-13 4006381333931
    expect(gs1CheckDigit('0950600013435')).toBe(2); // GTIN-14 09506000134352
    expect(gs1CheckDigit('1061414100041')).toBe(5);
    expect(completeGtin('0950600013436')).toBe('09506000134369');
  });

  it('normalises GTIN-8, -12 and -13 to GTIN-14 with leading zeros', () => {
    expect(toGtin14('96385074')).toBe('00000096385074');
    expect(toGtin14('036000291452')).toBe('00036000291452');
    expect(toGtin14('4006381333931')).toBe('04006381333931');
    expect(toGtin14('10614141000415')).toBe('10614141000415');
  });

  it('refuses a wrong check digit and says which digit was expected', () => {
    expect(isGtin('4006381333932')).toBe(false);
    try {
      toGtin14('4006381333932', 'items/0/gtin');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BadRequest);
      expect(e).toMatchObject({ code: 'error.gtin.checkDigit', params: { field: 'items/0/gtin', gtin: '4006381333932', expected: 1 } });
    }
  });

  it('refuses lengths other than 8, 12, 13 and 14, non-digits and the all-zero number', () => {
    for (const bad of ['1234567', '123456789', '09506000134', '095060001343521', '4006381 333931', '40063813339X1', '00000000000000', '']) {
      expect(isGtin(bad), bad).toBe(false);
      expect(() => toGtin14(bad), bad).toThrow(expect.objectContaining({ code: 'error.gtin.format' }));
    }
    expect(() => completeGtin('123')).toThrow(BadRequest);
  });
});
