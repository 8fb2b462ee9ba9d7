import { Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal, ReasonInput } from '../../components/FormModal';
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
  const title = s ? t(s.labelKey) : props.step;
  return (
    <FormModal
      title={title}
      onClose={props.onClose}
      onSubmit={(e) => {
        e.preventDefault();
        run.mutate();
      }}
      save={run}
      submitLabel={title}
      submitColor={s?.color}
      submitDisabled={s?.reasonRequired && !comment.trim()}
      lead={<Text fw={600}>{props.label}</Text>}
    >
      <ReasonInput required={s?.reasonRequired} data-autofocus value={comment} onChange={setComment} />
    </FormModal>
  );
}
