import { Switch, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ProblemForm, placeProblem } from './problems';

/** Building blocks of the master data forms: their save, and the fields every record has (the modal is the screens' FormModal). */

/** The part of useSchemaForm that field components bind to. */
export interface FieldForm {
  field: (name: string) => {
    name: string;
    value: string;
    error: string | undefined;
    onChange: (e: { currentTarget: { value: string } }) => void;
  };
  set: (name: string, value: unknown) => void;
}

/** One Idempotency-Key per opened form: a retried or double-clicked create happens once. */
export const useCreateKey = () => useState(() => crypto.randomUUID())[0];

/**
 * The request behind a form. A refusal lands where the person looks: field errors on their
 * fields, a problem code that `fieldOf` names on that field, anything else above the form
 * (`placed` is false then).
 */
export function useFormMutation<Body, Saved>(
  form: ProblemForm,
  options: { send: (body: Body) => Promise<Saved>; onSaved: (saved: Saved) => unknown; fieldOf?: Record<string, string> },
) {
  const [placed, setPlaced] = useState(false);
  const mutation = useMutation({
    mutationFn: options.send,
    meta: { handlesErrors: true },
    onSuccess: options.onSaved,
    onError: (err) => setPlaced(placeProblem(form, err, options.fieldOf)),
  });
  return { ...mutation, placed };
}

/**
 * What a PATCH sends: the fields of the form's `after` that differ from the record `before`
 * (arrays by value). A `nullable` field the person emptied is absent from `after` and is cleared.
 */
export function changedFields<T extends Record<string, unknown>>(
  before: object,
  after: Partial<T>,
  nullable: readonly string[] = [],
): Partial<T> {
  const full: Record<string, unknown> = { ...Object.fromEntries(nullable.map((k) => [k, null])), ...after };
  return Object.fromEntries(
    Object.entries(full).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((before as Record<string, unknown>)[k] ?? null)),
  ) as Partial<T>;
}

/** Sends only what changed; a form saved unchanged just closes, so the audit trail records no empty change. */
export function sendChanges<T extends Record<string, unknown>>(
  before: object,
  after: Partial<T>,
  options: { nullable?: readonly string[]; send: (changes: Partial<T>) => void; unchanged: () => void },
): void {
  const changes = changedFields(before, after, options.nullable);
  if (Object.keys(changes).length === 0) options.unchanged();
  else options.send(changes);
}

/** A record's code, typed in upper case as the server's code pattern wants it; the first field of its form. */
export function CodeInput({ form, label, description }: { form: FieldForm; label: string; description?: string }) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={label}
      description={description ?? t('masterdata.codeHelp')}
      required
      data-autofocus
      {...form.field('code')}
      onChange={(e) => form.set('code', e.currentTarget.value.toUpperCase())}
    />
  );
}

/** Whether the record is in use; an inactive one stays for the records that refer to it. */
export function ActiveSwitch({ form }: { form: { values: { active: boolean }; set: (name: 'active', value: boolean) => void } }) {
  const { t } = useTranslation();
  return (
    <Switch label={t('masterdata.active')} checked={form.values.active} onChange={(e) => form.set('active', e.currentTarget.checked)} />
  );
}
