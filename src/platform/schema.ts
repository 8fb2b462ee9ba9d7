import { type TSchema, Type } from 'typebox';

/**
 * Schema pieces every module's contract builds on. TypeBox only: module contracts import this
 * file, and the web app imports the contracts, so nothing here may reach for Node or the database.
 */

export const Id = Type.String({ format: 'uuid' });
/** Upper-case codes shared by items, work centers, suppliers and customers, e.g. `PVC-TUBE-3MM`. */
export const Code = Type.String({ pattern: '^[A-Z0-9][A-Z0-9._/-]{0,39}$', description: 'upper-case code, e.g. PVC-TUBE-3MM' });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
/** A server timestamp as ISO 8601 UTC, e.g. `2026-12-04T05:35:52.123Z`. */
export const DateTime = Type.String({ format: 'date-time' });

/** No exponent, at most twelve digits before the point (a plausible quantity, price or total) and twelve after. */
export const DECIMAL_PATTERN = '^-?(0|[1-9][0-9]{0,11})(\\.[0-9]{1,12})?$';

/** A decimal carried as a string, e.g. "12.500": quantities and money are never JS numbers. */
export const DecimalString = (opts: { description?: string } = {}) =>
  Type.String({ pattern: DECIMAL_PATTERN, examples: ['12.5'], ...opts });

/**
 * A quantity in an item's unit: a decimal string. Whether the unit is counted (whole numbers only)
 * is a rule of the unit, checked by the service (`quantityErrors` in masterdata), not the schema.
 */
export const Quantity = (opts: { description?: string } = {}) => DecimalString({ description: 'quantity in the unit given', ...opts });

/** ISO 4217 currency code. */
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. CNY' });
/** An amount of money: a decimal string and its currency. */
export const Money = Type.Object({ amount: DecimalString(), currency: Currency }, { additionalProperties: false });

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/**
 * An integer or null as one JSON type list: as a union, the app's type coercion would turn 0 into
 * null (the null branch accepts it) instead of refusing it.
 */
export const NullableInteger = (opts: { minimum?: number; maximum?: number; description?: string }) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], ...opts });

/** Who did something, as records show it. */
export const ActorRef = Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String() });

/** A record another one refers to, by id with its code and name. */
export const RecordRef = Type.Object({ id: Id, code: Type.String(), name: Type.String() });

/**
 * Text a person typed, bounded. Control characters, bidirectional overrides and line breaks in
 * single-line fields are refused for every request by the platform's text check
 * (`platform/http/text.ts`), so the schema only bounds the length.
 */
export const PlainText = (max: number, opts: { min?: number; description?: string } = {}) =>
  Type.String({ minLength: opts.min ?? 1, maxLength: max, ...(opts.description ? { description: opts.description } : {}) });
