import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { DECIMAL_PATTERN } from './decimal.js';
import {
  changedPaths,
  type Errors,
  pointerToField,
  problemErrors,
  type Say,
  schemaErrors,
  withoutEmptyOptionals,
  withoutStaleErrors,
} from './validation.js';

/** Says the catalog key, so a test reads which message a person would get. */
const say: Say = (key) => key;

const Decimal = Type.String({ pattern: DECIMAL_PATTERN });
/** A purchase order request as the server's schema has it, with what these scenarios need. */
const NewOrder = Type.Object(
  {
    supplierId: Type.String({ format: 'uuid' }),
    notes: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    lines: Type.Array(
      Type.Object({
        itemId: Type.String({ format: 'uuid' }),
        quantity: Decimal,
        dueDate: Type.String({ format: 'date' }),
        overReceiptTolerancePct: Type.Optional(Decimal),
      }),
      { minItems: 1, maxItems: 3 },
    ),
  },
  { additionalProperties: false },
);
const ITEM = '0b0f9d52-64c8-4e1a-9f4e-2a3d2c1e5b7a';
const SUPPLIER = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const line = (overrides: Record<string, unknown> = {}) => ({ itemId: ITEM, quantity: '10', dueDate: '2026-12-01', ...overrides });
const order = (overrides: Record<string, unknown> = {}) => ({ supplierId: SUPPLIER, lines: [line()], ...overrides });

describe('a form checked by the server’s schema', () => {
  it('says an empty choice of a supplier is required, not that it is not a valid uuid', () => {
    expect(schemaErrors(NewOrder, order({ supplierId: '' }), say)).toEqual({ supplierId: 'form.required' });
    expect(schemaErrors(NewOrder, order({ supplierId: 'SUP-EMS' }), say)).toEqual({ supplierId: 'form.format' });
  });

  it('says required for empty fields inside the lines too, and for a number field left empty', () => {
    const Result = Type.Object({ defectives: Type.Integer({ minimum: 0 }) });
    expect(schemaErrors(NewOrder, order({ lines: [line(), line({ itemId: '', quantity: ' ' })] }), say)).toEqual({
      'lines.1.itemId': 'form.required',
      'lines.1.quantity': 'form.required',
    });
    expect(schemaErrors(Result, { defectives: '' }, say)).toEqual({ defectives: 'form.required' });
    expect(schemaErrors(NewOrder, order({ lines: [{ quantity: '1' }] }), say)).toEqual({
      'lines.0.itemId': 'form.required',
      'lines.0.dueDate': 'form.required',
    });
  });

  it('finds the errors of every line, not only the first eight', () => {
    const Many = Type.Object({ lines: Type.Array(Type.Object({ itemId: Type.String({ format: 'uuid' }), quantity: Decimal })) });
    const lines = Array.from({ length: 6 }, () => ({ itemId: '', quantity: '' }));
    expect(Object.keys(schemaErrors(Many, { lines }, say))).toHaveLength(12);
  });

  it('tells what to type in a decimal field, and says "not valid" in the person’s language for rules it has no words for', () => {
    expect(schemaErrors(NewOrder, order({ lines: [line({ quantity: '1e3' })] }), say)).toEqual({ 'lines.0.quantity': 'form.decimal' });
    expect(schemaErrors(NewOrder, order({ lines: [line(), line(), line(), line()] }), say)).toEqual({ lines: 'form.invalid' });
    expect(schemaErrors(NewOrder, order({ lines: [] }), say)).toEqual({ lines: 'form.minItems' });
  });

  it('leaves optional fields that are empty out of the request, at every depth', () => {
    const body = withoutEmptyOptionals(NewOrder, order({ notes: '', supplierId: '', lines: [line({ overReceiptTolerancePct: '' })] }));
    expect(body).toEqual({ supplierId: '', lines: [line()] });
    expect(schemaErrors(NewOrder, body, say)).toEqual({ supplierId: 'form.required' });
    // Before the schema has loaded, nothing is known to be required.
    expect(withoutEmptyOptionals(undefined, { reason: '', quantity: '2' })).toEqual({ quantity: '2' });
  });
});

describe('errors and the values they are about', () => {
  const errors: Errors = {
    supplierId: 'form.required',
    'lines.0.quantity': 'form.decimal',
    'lines.1.quantity': 'form.required',
    'characteristics.2': 'form.invalid',
    'characteristics.2.unit': 'form.required',
    'characteristics.3.unit': 'form.required',
  };
  const lines = [line({ quantity: 'x' }), line({ quantity: '' })];
  const characteristics = [0, 1, 2, 3].map(() => ({ name: 'Diameter', kind: 'variable', lowerLimit: '4.05' }));
  const errorsAfter = (name: string, before: unknown, value: unknown) => withoutStaleErrors(errors, changedPaths(before, value, name));

  it('drops the error of the line field the person corrected, and keeps the other lines’ errors', () => {
    const corrected = lines.map((l, i) => (i === 0 ? { ...l, quantity: '12' } : l));
    expect(errorsAfter('lines', lines, corrected)).toEqual({
      supplierId: 'form.required',
      'lines.1.quantity': 'form.required',
      'characteristics.2': 'form.invalid',
      'characteristics.2.unit': 'form.required',
      'characteristics.3.unit': 'form.required',
    });
  });

  it('drops a characteristic’s own error with the field changed inside it, and keeps its other fields’ errors', () => {
    const changed = characteristics.map((c, i) => (i === 2 ? { ...c, lowerLimit: '4.1' } : c));
    const left = errorsAfter('characteristics', characteristics, changed);
    expect(left).not.toHaveProperty(['characteristics.2']);
    // Its unit is still missing.
    expect(Object.keys(left)).toEqual([
      'supplierId',
      'lines.0.quantity',
      'lines.1.quantity',
      'characteristics.2.unit',
      'characteristics.3.unit',
    ]);
  });

  it('drops every line error once a line is added or removed, as they name positions', () => {
    expect(Object.keys(errorsAfter('lines', lines, [lines[1]]))).toEqual([
      'supplierId',
      'characteristics.2',
      'characteristics.2.unit',
      'characteristics.3.unit',
    ]);
  });

  it('keeps errors when nothing changed, and drops a whole field’s errors when it is replaced', () => {
    expect(
      errorsAfter(
        'lines',
        lines,
        lines.map((l) => ({ ...l })),
      ),
    ).toEqual(errors);
    expect(errorsAfter('supplierId', '', SUPPLIER)).not.toHaveProperty(['supplierId']);
    expect(Object.keys(errorsAfter('characteristics', characteristics, null))).toEqual([
      'supplierId',
      'lines.0.quantity',
      'lines.1.quantity',
    ]);
  });
});

describe('the server’s field errors', () => {
  it('puts them on the fields the pointers name', () => {
    expect(pointerToField('/body/lines/0/quantity')).toBe('lines.0.quantity');
    expect(pointerToField('/signature/password')).toBe('signature.password');
    expect(pointerToField('/body/conditions/temperature~1value')).toBe('conditions.temperature/value');
  });

  it('says a refused empty field is required, and the schema’s objection in the person’s language', () => {
    const values = { supplierId: '', lines: [line({ quantity: '1e3' })] };
    const local = schemaErrors(NewOrder, values, say);
    const validation = {
      code: 'error.validation',
      errors: [
        { pointer: '/body/supplierId', message: 'must match format "uuid"' },
        { pointer: '/body/lines/0/quantity', message: 'must match pattern' },
      ],
    };
    expect(problemErrors(validation, values, local, say)).toEqual({ supplierId: 'form.required', 'lines.0.quantity': 'form.decimal' });
    expect(problemErrors(validation, values, {}, say)).toEqual({ supplierId: 'form.required', 'lines.0.quantity': 'must match pattern' });
  });

  it('keeps what a domain rule says about a field, even when the field has been emptied since', () => {
    const refused = { code: 'error.esign.badCredentials', errors: [{ pointer: '/body/signature/password', message: 'Wrong password' }] };
    expect(problemErrors(refused, { signature: { password: '' } }, {}, say)).toEqual({ 'signature.password': 'Wrong password' });
  });
});
