import { describe, expect, it } from 'vitest';
import {
  decimalString,
  difference,
  formatDecimal,
  formatMoney,
  isNegative,
  isPositive,
  isZero,
  parseDecimal,
  product,
  remaining,
  sumOf,
  typedDecimal,
} from './decimal.js';

describe('quantities and money in the browser', () => {
  it('computes line and order totals exactly from the decimal strings', () => {
    // 0.1 × 0.3 and 0.1 + 0.2 are where binary floats go wrong.
    expect(product('0.1', '0.3')).toBe('0.03');
    expect(sumOf([product('1234.5', '1.35'), product('0.1', '0.1'), '0.2'])).toBe('1666.785');
    expect(product('123456789012', '0.000000000001')).toBe('0.123456789012');
    // A line total may hold more digits than the API takes from a person; the order total keeps them.
    expect(sumOf([product('0.000001', '0.0000001'), '1'])).toBe('1.0000000000001');
  });

  it('has no total while a line is not a number yet', () => {
    expect(product('', '1.35')).toBeUndefined();
    expect(product('1e3', '1')).toBeUndefined();
    expect(sumOf(['1', undefined])).toBeUndefined();
  });

  it('reads what a person types: spaces dropped, a decimal comma read as a point', () => {
    expect(typedDecimal(' 21,5 ')).toBe('21.5');
    expect(typedDecimal('12,50')).toBe('12.50');
    expect(typedDecimal('1 234.5')).toBe('1234.5');
    expect(parseDecimal('4,050')?.toFixed()).toBe('4.05');
    expect(decimalString('4998,0')).toBe('4998');
    expect(decimalString('-2')).toBe('-2');
    expect(decimalString('12.')).toBeUndefined();
    expect(decimalString('1.234,5')).toBeUndefined();
    expect(decimalString('0123')).toBeUndefined();
  });

  it('books a counted difference and never goes below zero for what is still to come', () => {
    expect(difference('4998', '5000')).toBe('-2');
    expect(difference('0.3', '0.1')).toBe('0.2');
    expect(remaining('500', '510')).toBe('0');
    expect(remaining('500', '199.5')).toBe('300.5');
    expect([isZero('0.000'), isNegative('-0'), isNegative('-0.5'), isPositive('0'), isPositive('0.001')]).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  it('writes decimals grouped as the reader’s language groups them, without losing a digit', () => {
    expect(formatDecimal('12345678901234.5678', 'ea', 0, 'en')).toBe('12,345,678,901,234.5678 ea');
    expect(formatDecimal('12345678901234.5678', undefined, 0, 'de')).toBe('12.345.678.901.234,5678');
    expect(formatDecimal('5000.000', 'ea', 0, 'zh-CN')).toBe('5,000 ea');
    expect(formatDecimal('-2.50', undefined, 0, 'en')).toBe('-2.5');
    expect(formatDecimal('', 'ea', 0, 'en')).toBe('—');
  });

  it('writes money with the digits of the currency’s minor unit', () => {
    expect(formatMoney('1666.785', 'EUR', 'en')).toBe('1,666.785 EUR');
    expect(formatMoney('12.5', 'USD', 'en')).toBe('12.50 USD');
    expect(formatMoney('1500', 'JPY', 'en')).toBe('1,500 JPY');
    expect(formatMoney('1.5', 'KWD', 'en')).toBe('1.500 KWD');
    expect(formatMoney('12.5', '', 'en')).toBe('12.50');
    expect(formatMoney(null, 'EUR', 'en')).toBe('—');
  });
});
