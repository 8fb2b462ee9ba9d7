import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { ApiError } from '../api/client';

type Values = Record<string, unknown>;
type Errors = Record<string, string>;

/** TypeBox error keywords we explain in the person's language; anything else says "invalid". */
const KEYWORD_KEYS: Record<string, string> = {
  required: 'form.required',
  minLength: 'form.minLength',
  maxLength: 'form.maxLength',
  pattern: 'form.pattern',
  format: 'form.format',
  minimum: 'form.minimum',
  maximum: 'form.maximum',
  minItems: 'form.minItems',
  const: 'form.invalid',
  enum: 'form.invalid',
  type: 'form.invalid',
};

/** `/body/roles/0/siteId` and `/roles/0/siteId` both name the form field `roles.0.siteId`. */
export function pointerToField(pointer: string): string {
  return pointer
    .replace(/^\/(body|querystring|params)(?=\/|$)/, '')
    .replace(/^\//, '')
    .split('/')
    .join('.');
}

/** Optional fields left empty are absent, as the API expects, not empty strings. */
function withoutEmptyOptionals(schema: TSchema | undefined, values: Values): Values {
  const required = new Set<string>((schema as { required?: string[] } | undefined)?.required ?? []);
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => required.has(k) || (v !== '' && v !== undefined)));
}

/**
 * A form checked in the browser by the schema the server validates the request body with (see
 * useRequestSchema), and which shows the server's field errors (problem+json `errors[].pointer`)
 * on the fields they name. `submit` runs only with values the schema accepts.
 */
export function useSchemaForm<Body extends Values>(schema: TSchema | undefined, initial: Body) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Body>(initial);
  const [errors, setErrors] = useState<Errors>({});

  const translate = useCallback(
    (keyword: string, params: Record<string, unknown>, fallback: string) => {
      const key = KEYWORD_KEYS[keyword];
      return key ? t(key, params) : fallback || t('form.invalid');
    },
    [t],
  );

  const validate = (candidate: Values): Errors => {
    const found: Errors = {};
    if (!schema) return found;
    for (const e of Value.Errors(schema, candidate)) {
      const params = (e.params ?? {}) as Record<string, unknown>;
      if (e.keyword === 'required') {
        for (const name of (params.requiredProperties as string[] | undefined) ?? []) {
          found[pointerToField(`${e.instancePath}/${name}`)] ??= t('form.required');
        }
        continue;
      }
      // Unions report each failed branch and then `anyOf`: the first branch's reason is the useful one.
      if (e.keyword === 'additionalProperties' || e.keyword === 'boolean' || e.keyword === 'anyOf') continue;
      found[pointerToField(e.instancePath)] ??= translate(e.keyword, params, e.message);
    }
    return found;
  };

  const set = (name: string, value: unknown) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _, ...rest }) => rest);
  };

  /** Props for a Mantine input bound to `name`. */
  const field = (name: string) => ({
    name,
    value: (values[name] ?? '') as string,
    error: errors[name],
    onChange: (e: { currentTarget: { value: string } } | string | null) =>
      set(name, typeof e === 'string' || e === null ? (e ?? '') : e.currentTarget.value),
  });

  /** Puts the server's field errors on their fields; true when at least one was placed. */
  const showProblem = (err: unknown): boolean => {
    if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
    const placed: Errors = {};
    for (const fe of err.problem.errors) placed[pointerToField(fe.pointer)] = fe.message;
    setErrors(placed);
    return true;
  };

  const submit = (fn: (body: Body) => void) => (event?: FormEvent) => {
    event?.preventDefault();
    const body = withoutEmptyOptionals(schema, values);
    const found = validate(body);
    setErrors(found);
    if (Object.keys(found).length === 0) fn(body as Body);
  };

  return { values, errors, set, field, submit, showProblem, reset: () => setValues(initial) };
}
