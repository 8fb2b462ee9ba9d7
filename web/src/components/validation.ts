import type { TSchema } from 'typebox';
import { Settings } from 'typebox/system';
import { Value } from 'typebox/value';
// The extension is spelled out because the root type check reads this file as Node ESM through its test.
import { DECIMAL_PATTERN } from './decimal.js';

/**
 * What useSchemaForm decides without React: which field each schema error belongs to and what
 * it says, what the request body leaves out, and which errors a change of value makes stale.
 */

export type Values = Record<string, unknown>;
/** Field errors keyed like the form's fields: `supplierId`, `lines.0.quantity`. */
export type Errors = Record<string, string>;
/** Says a catalog key in the person's language (i18next's `t`). */
export type Say = (key: string, params?: Record<string, unknown>) => string;

/** TypeBox error keywords explained in the person's language; any other says "not valid". */
const KEYWORD_KEYS: Record<string, string> = {
  required: 'form.required',
  minLength: 'form.minLength',
  maxLength: 'form.maxLength',
  pattern: 'form.pattern',
  format: 'form.format',
  minimum: 'form.minimum',
  maximum: 'form.maximum',
  minItems: 'form.minItems',
};

/** Errors that repeat what another error of the same value says better. */
const SKIPPED = new Set([
  // Unions report each failed branch and then `anyOf`: the first branch's reason is the useful one.
  'anyOf',
  'additionalProperties',
  'boolean',
]);

/** `/body/roles/0/siteId` and `/roles/0/siteId` both name the form field `roles.0.siteId`. */
export function pointerToField(pointer: string): string {
  return pointer
    .replace(/^\/(body|querystring|params)(?=\/|$)/, '')
    .replace(/^\//, '')
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

/** The value a field name points at (`lines.0.quantity`), undefined when there is none. */
export function valueAt(values: unknown, field: string): unknown {
  if (field === '') return values;
  let at: unknown = values;
  for (const segment of field.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at;
}

/** Nothing entered: what an empty input, select or number field holds. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** The part of a schema that describes an object or an array value, looking into unions. */
function shapeOf(schema: JsonSchema | undefined, value: object): JsonSchema | undefined {
  if (!schema) return undefined;
  if (Array.isArray(value) ? schema.items : schema.properties) return schema;
  for (const branch of schema.anyOf ?? schema.oneOf ?? []) {
    const found = shapeOf(branch, value);
    if (found) return found;
  }
  return undefined;
}

/**
 * The request body: optional fields left empty are absent, as the API expects, not empty
 * strings, at every depth (a line's tolerance, a characteristic's unit). Without a schema every
 * empty field is taken as optional.
 */
export function withoutEmptyOptionals<T>(schema: TSchema | undefined, value: T): T {
  return strip(schema as JsonSchema | undefined, value) as T;
}

function strip(schema: JsonSchema | undefined, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const shape = shapeOf(schema, value);
  if (Array.isArray(value)) return value.map((v) => strip(shape?.items, v));
  const required = new Set(shape?.required ?? []);
  const kept: Values = {};
  for (const [name, v] of Object.entries(value)) {
    if (!required.has(name) && (v === '' || v === undefined)) continue;
    kept[name] = strip(shape?.properties?.[name], v);
  }
  return kept;
}

/** Every error of the value; TypeBox stops at 8 by default, and a long order has more fields than that. */
function allErrors(schema: TSchema, value: unknown) {
  const { maxErrors } = Settings.Get();
  Settings.Set({ maxErrors: Number.MAX_SAFE_INTEGER });
  try {
    return Value.Errors(schema, value);
  } finally {
    Settings.Set({ maxErrors });
  }
}

/** What an error says about a value that is there but not right. */
function explain(keyword: string, params: Record<string, unknown>, say: Say): string {
  if (keyword === 'pattern' && params.pattern === DECIMAL_PATTERN) return say('form.decimal');
  const key = KEYWORD_KEYS[keyword];
  return key ? say(key, params) : say('form.invalid');
}

/**
 * The schema's objections to the values, one per field, in the person's language. A field left
 * empty that the schema refuses is required, whatever rule the empty value breaks first (an
 * empty choice of a record is not "a valid uuid"; it is missing).
 */
export function schemaErrors(schema: TSchema | undefined, values: unknown, say: Say): Errors {
  const found: Errors = {};
  if (!schema) return found;
  for (const e of allErrors(schema, values)) {
    const params = (e.params ?? {}) as Record<string, unknown>;
    if (e.keyword === 'required') {
      for (const name of (params.requiredProperties as string[] | undefined) ?? []) {
        found[pointerToField(`${e.instancePath}/${name}`)] ??= say('form.required');
      }
      continue;
    }
    if (SKIPPED.has(e.keyword)) continue;
    const field = pointerToField(e.instancePath);
    found[field] ??= isEmpty(valueAt(values, field)) ? say('form.required') : explain(e.keyword, params, say);
  }
  return found;
}

/**
 * The server's field errors (problem+json `errors[]`) on the fields they name. The server checks
 * a request with the same schema as the form, so where the form can say the same objection in
 * the person's language (its own check, or "required" for an empty field) it does; a domain
 * rule's message stays as the caller put it.
 */
export function problemErrors(
  problem: {
    code?: string | undefined;
    errors: ReadonlyArray<{ pointer: string; message: string; code?: string | undefined; params?: Record<string, unknown> | undefined }>;
  },
  values: unknown,
  local: Errors,
  say: Say,
): Errors {
  const placed: Errors = {};
  const schemaLevel = problem.code === 'error.validation';
  for (const fe of problem.errors) {
    const field = pointerToField(fe.pointer);
    // A field error with its own code is said in the person's language.
    placed[field] = fe.code
      ? say(fe.code, fe.params)
      : !schemaLevel
        ? fe.message
        : (local[field] ?? (isEmpty(valueAt(values, field)) ? say('form.required') : fe.message));
  }
  return placed;
}

/**
 * The fields under `path` whose value differs between `before` and `after`. An array that gains
 * or loses entries changes as a whole: errors name positions, which then mean other entries.
 */
export function changedPaths(before: unknown, after: unknown, path: string): string[] {
  if (Object.is(before, after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return [path];
    return before.flatMap((b, i) => changedPaths(b, after[i], `${path}.${i}`));
  }
  if (isRecord(before) && isRecord(after)) {
    const names = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...names].flatMap((name) => changedPaths(before[name], after[name], `${path}.${name}`));
  }
  return [path];
}

const isRecord = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);

const within = (field: string, path: string) => field === path || path === '' || field.startsWith(`${path}.`);

/**
 * The errors still true after the fields at `changed` took new values: an error goes when its
 * field changed, when something inside it changed (a line's fields for the line), or when the
 * value it sits in was replaced.
 */
export function withoutStaleErrors(errors: Errors, changed: readonly string[]): Errors {
  if (changed.length === 0) return errors;
  return Object.fromEntries(
    Object.entries(errors).filter(([field]) => !changed.some((path) => within(field, path) || within(path, field))),
  );
}
