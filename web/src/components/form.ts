import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TSchema } from 'typebox';
import { ApiError } from '../api/client';
import {
  changedPaths,
  type Errors,
  problemErrors,
  schemaErrors,
  type Values,
  withoutEmptyOptionals,
  withoutStaleErrors,
} from './validation';

/**
 * A form checked in the browser by the schema the server validates the request body with (see
 * useRequestSchema), and which shows the server's field errors (problem+json `errors[].pointer`)
 * on the fields they name. A field's error goes as soon as that field changes, nested ones too
 * (`lines.0.quantity`). `submit` runs only with values the schema accepts.
 */
export function useSchemaForm<Body extends Values>(schema: TSchema | undefined, initial: Body) {
  const { t } = useTranslation();
  const say = (key: string, params?: Record<string, unknown>) => t(key, params);
  const [{ values, errors }, setState] = useState<{ values: Body; errors: Errors }>({ values: initial, errors: {} });

  const set = (name: string, value: unknown) =>
    setState((s) => ({
      values: { ...s.values, [name]: value },
      errors: withoutStaleErrors(s.errors, changedPaths(s.values[name], value, name)),
    }));

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
    const problem = { code: err.problem.code, errors: err.problem.errors };
    setState((s) => {
      const local = schemaErrors(schema, withoutEmptyOptionals(schema, s.values), say);
      return { ...s, errors: problemErrors(problem, s.values, local, say) };
    });
    return true;
  };

  const submit = (fn: (body: Body) => void) => (event?: FormEvent) => {
    event?.preventDefault();
    const body = withoutEmptyOptionals(schema, values);
    const found = schemaErrors(schema, body, say);
    setState((s) => ({ ...s, errors: found }));
    if (Object.keys(found).length === 0) fn(body);
  };

  return {
    values,
    errors,
    set,
    field,
    submit,
    showProblem,
    /** Back to the values the form started with, without errors. */
    reset: () => setState({ values: initial, errors: {} }),
  };
}
