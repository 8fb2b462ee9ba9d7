import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../i18n';
import { STEPS } from './types';

/** An unsigned lifecycle step: confirm it, with the reason when the step records one. */
export function StepDialog(props: {
  label: string;
  step: string;
  onClose: () => void;
  move: (to: string, input?: { comment?: string }) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const s = STEPS[props.step];
  const run = useMutation({
    mutationFn: () => props.move(props.step, comment.trim() ? { comment: comment.trim() } : undefined),
    meta: { handlesErrors: true },
    onSuccess: props.onClose,
  });
  return (
    <Modal opened onClose={props.onClose} title={s ? t(s.labelKey) : props.step} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <Stack>
          <Text fw={600}>{props.label}</Text>
          {run.error && (
            <Alert color="red" role="alert">
              {problemMessage(run.error)}
            </Alert>
          )}
          <Textarea
            label={t('common.reason')}
            required={s?.reasonRequired}
            autosize
            minRows={2}
            data-autofocus
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={s?.color} loading={run.isPending} disabled={s?.reasonRequired && !comment.trim()}>
              {s ? t(s.labelKey) : props.step}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
