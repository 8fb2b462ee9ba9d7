import { Alert, Button, Group, type MantineSize, Modal, Stack, Textarea, type TextareaProps } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../i18n';

/** The problem of a refused request that is not about one field, above the form. */
export function FormProblem(props: { error: unknown; placed: boolean; message?: (error: unknown) => string }) {
  if (!props.error || props.placed) return null;
  return (
    <Alert color="red" role="alert">
      {(props.message ?? problemMessage)(props.error)}
    </Alert>
  );
}

export interface FormModalProps {
  title: string;
  size?: MantineSize;
  onClose: () => void;
  onSubmit: (event: FormEvent) => void;
  /** The request the form makes: pending while it runs, its refusal shown above the fields unless placed on them. */
  save: { error: unknown; isPending: boolean; placed?: boolean };
  /** How the refusal reads: a module's own problem messages, else the shared ones. */
  problem?: (error: unknown) => string;
  submitLabel: string;
  submitColor?: string;
  submitDisabled?: boolean;
  /** What the form is about (the record it belongs to, what the step means), above everything else. */
  lead?: ReactNode;
  children: ReactNode;
}

/** A form in a modal: the fields between the refusal of the last try and Cancel / submit. */
export function FormModal(props: FormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={props.onClose} title={props.title} centered size={props.size}>
      <form noValidate onSubmit={props.onSubmit}>
        <Stack>
          {props.lead}
          <FormProblem error={props.save.error} placed={props.save.placed ?? false} message={props.problem} />
          {props.children}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={props.submitColor} loading={props.save.isPending} disabled={props.submitDisabled}>
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Why a record changes (or a comment on the step): kept in the audit trail with the change. */
export function ReasonInput(props: Omit<TextareaProps, 'onChange'> & { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const { onChange, ...rest } = props;
  return (
    <Textarea
      label={t('common.reason')}
      autosize
      minRows={2}
      maxLength={1000}
      {...rest}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
