import { Text, Textarea, type TextareaProps } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { useCreateKey, useFormMutation } from './forms';
import { ITEM } from './records';
import type { Item, ItemRevision } from './types';

/** What a revision changes and why: the text reviewers and the release signature read. */
export function ChangeDescriptionInput(props: TextareaProps) {
  const { t } = useTranslation();
  return <Textarea label={t('masterdata.revisions.changeDescription')} autosize minRows={3} data-autofocus {...props} />;
}

/** A change starts as the next revision: a draft copy of the current BOM and routing. */
export function NextRevisionModal({ item, onClose }: { item: Item; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = useCreateKey();
  const form = useSchemaForm(useRequestSchema('POST', '/items/:id/revisions'), { description: '' });
  const start = useFormMutation(form, {
    send: (body: { description: string }) => api<ItemRevision>('POST', `/items/${item.id}/revisions`, { body, idempotencyKey: key }),
    onSaved: (rev) => {
      void queryClient.invalidateQueries({ queryKey: [ITEM.queryKey, item.id] });
      void queryClient.invalidateQueries({ queryKey: ['list', ITEM.path] });
      onClose();
      void navigate({ to: '/item-revisions/$revisionId', params: { revisionId: rev.id } });
    },
  });
  return (
    <FormModal
      title={t('masterdata.items.nextRevision')}
      size="lg"
      onClose={onClose}
      onSubmit={form.submit((body) => start.mutate(body))}
      save={start}
      submitLabel={t('masterdata.items.nextRevision')}
      lead={<Text size="sm">{t('masterdata.items.nextRevisionHelp')}</Text>}
    >
      <ChangeDescriptionInput description={t('masterdata.revisions.changeDescriptionHelp')} required {...form.field('description')} />
    </FormModal>
  );
}
