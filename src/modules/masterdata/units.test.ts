import { describe, expect, it } from 'vitest';
import { type Decimal, decText } from '../../platform/decimal.js';
import { ValidationFailed } from '../../platform/errors.js';
import { convertQuantity, dimensionOf, type UnitConversion, validateItemConversions } from './units.js';

const text = (d: Decimal) => decText(d);
const rejects = (fn: () => unknown, code: string) => expect(fn).toThrow(expect.objectContaining({ code }));

const boxOfTen: UnitConversion[] = [{ from: 'box', to: 'ea', factor: '10' }];
const packOf250mL: UnitConversion[] = [{ from: 'pack', to: 'mL', factor: '250' }];
const saline: UnitConversion[] = [{ from: 'L', to: 'kg', factor: '1.03' }];

describe('units of measure', () => {
  it('converts within a dimension exactly, with no binary floating point', () => {
    expect(text(convertQuantity('1.5', 'kg', 'g'))).toBe('1500');
    expect(text(convertQuantity('250', 'mg', 'g'))).toBe('0.25');
    expect(text(convertQuantity('1', 'mg', 'kg'))).toBe('0.000001');
    expect(text(convertQuantity('0.3', 'L', 'mL'))).toBe('300');
    expect(text(convertQuantity('2500', 'mL', 'L'))).toBe('2.5');
    expect(text(convertQuantity('12', 'mm', 'm'))).toBe('0.012');
    expect(text(convertQuantity('1.005', 'm', 'cm'))).toBe('100.5');
    expect(text(convertQuantity('7', 'ea', 'ea'))).toBe('7');
    expect(text(convertQuantity('-2', 'kg', 'g'))).toBe('-2000');
  });

  it('refuses conversions across dimensions or to packaging without an item conversion', () => {
    rejects(() => convertQuantity('1', 'kg', 'L'), 'error.units.noConversion');
    rejects(() => convertQuantity('1', 'ea', 'g'), 'error.units.noConversion');
    rejects(() => convertQuantity('1', 'box', 'ea'), 'error.units.noConversion');
    rejects(() => convertQuantity('1', 'k g', 'g'), 'error.units.unknown');
    rejects(() => convertQuantity('1e3', 'kg', 'g'), 'error.decimal');
  });

  it('converts a box of 10 to each and back, whole boxes only unless told how to round', () => {
    expect(text(convertQuantity('3', 'box', 'ea', { conversions: boxOfTen }))).toBe('30');
    expect(text(convertQuantity('20', 'ea', 'box', { conversions: boxOfTen }))).toBe('2');
    rejects(() => convertQuantity('25', 'ea', 'box', { conversions: boxOfTen }), 'error.units.notWhole');
    expect(text(convertQuantity('25', 'ea', 'box', { conversions: boxOfTen, rounding: { scale: 0, mode: 'up' } }))).toBe('3');
    expect(text(convertQuantity('25', 'ea', 'box', { conversions: boxOfTen, rounding: { scale: 0, mode: 'down' } }))).toBe('2');
    expect(text(convertQuantity('25', 'ea', 'box', { conversions: boxOfTen, rounding: { scale: 2, mode: 'half-even' } }))).toBe('2');
    expect(text(convertQuantity('-25', 'ea', 'box', { conversions: boxOfTen, rounding: { scale: 0, mode: 'up' } }))).toBe('-3');
    rejects(() => convertQuantity('0.25', 'box', 'ea', { conversions: boxOfTen }), 'error.units.notWhole');
  });

  it('converts packs of 250 mL through the global volume units', () => {
    expect(text(convertQuantity('2', 'pack', 'L', { conversions: packOf250mL }))).toBe('0.5');
    expect(text(convertQuantity('1', 'L', 'pack', { conversions: packOf250mL }))).toBe('4');
    rejects(() => convertQuantity('0.3', 'L', 'pack', { conversions: packOf250mL }), 'error.units.notWhole');
    expect(text(convertQuantity('0.375', 'L', 'pack', { conversions: packOf250mL, rounding: { scale: 0, mode: 'half-even' } }))).toBe('2');
    expect(text(convertQuantity('0.625', 'L', 'pack', { conversions: packOf250mL, rounding: { scale: 0, mode: 'half-even' } }))).toBe('2');
  });

  it('chains packaging levels: a case of 12 boxes of 10', () => {
    const conversions = [...boxOfTen, { from: 'case', to: 'box', factor: '12' }];
    expect(text(convertQuantity('2', 'case', 'ea', { conversions }))).toBe('240');
    expect(dimensionOf('case')).toBe('count');
  });

  it('bridges dimensions with an item density and refuses a result that does not terminate', () => {
    expect(text(convertQuantity('2', 'L', 'g', { conversions: saline }))).toBe('2060');
    expect(text(convertQuantity('10.3', 'kg', 'mL', { conversions: saline }))).toBe('10000');
    rejects(() => convertQuantity('1', 'kg', 'L', { conversions: saline }), 'error.units.inexact'); // 100/103
    expect(text(convertQuantity('1', 'kg', 'L', { conversions: saline, rounding: { scale: 3, mode: 'half-even' } }))).toBe('0.971');
    expect(text(convertQuantity('1', 'kg', 'L', { conversions: saline, rounding: { scale: 3, mode: 'down' } }))).toBe('0.97');
  });

  it('keeps results within the 12 decimal places a stored quantity carries', () => {
    expect(text(convertQuantity('0.000001', 'mg', 'kg'))).toBe('0.000000000001');
    rejects(() => convertQuantity('0.0000001', 'mg', 'kg'), 'error.units.inexact');
  });
});

describe('item unit conversions as master data', () => {
  const pointers = (conversions: UnitConversion[]) => {
    try {
      validateItemConversions(conversions);
      return [];
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationFailed);
      return (e as ValidationFailed).errors.map((error) => error.pointer);
    }
  };

  it('accepts consistent packaging and density conversions', () => {
    expect(
      pointers([...boxOfTen, { from: 'case', to: 'box', factor: '12' }, { from: 'case', to: 'ea', factor: '120' }, ...saline]),
    ).toEqual([]);
  });

  it('points at the conversion that contradicts the ones before it', () => {
    expect(pointers([...boxOfTen, { from: 'case', to: 'box', factor: '12' }, { from: 'case', to: 'ea', factor: '100' }])).toEqual([
      '/conversions/2/factor',
    ]);
    expect(pointers([...saline, { from: 'L', to: 'g', factor: '1000' }])).toEqual(['/conversions/1/factor']);
    rejects(
      () => convertQuantity('1', 'L', 'g', { conversions: [...saline, { from: 'L', to: 'g', factor: '1000' }] }),
      'error.units.conversions',
    );
  });

  it('refuses bad factors, unit codes, self conversions and redefinitions of global conversions', () => {
    expect(
      pointers([
        { from: 'box', to: 'ea', factor: '0' },
        { from: 'box', to: 'ea', factor: '-1' },
        { from: 'box', to: 'ea', factor: '1e3' },
        { from: '', to: 'ea', factor: '1' },
        { from: 'box', to: 'box', factor: '1' },
        { from: 'g', to: 'kg', factor: '0.001' },
      ]),
    ).toEqual([
      '/conversions/0/factor',
      '/conversions/1/factor',
      '/conversions/2/factor',
      '/conversions/3/from',
      '/conversions/4/to',
      '/conversions/5/to',
    ]);
  });
});
