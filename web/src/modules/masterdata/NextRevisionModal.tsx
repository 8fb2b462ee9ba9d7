import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { useSchemaForm } from '../../components/form';
import { FormProblem, useCreateKey } from './common';
import { placeProblem } from './problems';
import type { Item, ItemRevision } from './types';

/** A change starts as the next revision: a draft copy of the current BOM and routing. */
export function NextRevisionModal({ item, onClose }: { item: Item; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = useCreateKey();
  const form = useSchemaForm(useRequestSchema('POST', '/items/:id/revisions'), { description: '' });
  const [placed, setPlaced] = useState(false);
  const start = useMutation({
    mutationFn: (body: { description: string }) => api<ItemRevision>('POST', `/items/${item.id}/revisions`, { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (rev) => {
      void queryClient.invalidateQueries({ queryKey: ['item', item.id] });
      void queryClient.invalidateQueries({ queryKey: ['list', '/items'] });
      onClose();
      void navigate({ to: '/item-revisions/$revisionId', params: { revisionId: rev.id } });
    },
    onError: (err) => setPlaced(placeProblem(form, err)),
  });
  return (
    <Modal opened onClose={onClose} title={t('masterdata.items.nextRevision')} centered size="lg">
      <form noValidate onSubmit={form.submit((body) => start.mutate(body))}>
        <Stack>
          <Text size="sm">{t('masterdata.items.nextRevisionHelp')}</Text>
          <FormProblem error={start.error} placed={placed} />
          <Textarea
            label={t('masterdata.revisions.changeDescription')}
            description={t('masterdata.revisions.changeDescriptionHelp')}
            required
            autosize
            minRows={3}
            data-autofocus
            {...form.field('description')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={start.isPending}>
              {t('masterdata.items.nextRevision')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
