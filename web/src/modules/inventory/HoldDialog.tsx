import { Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import { refreshInventory } from './common';
import { inventoryProblem, placeProblem } from './problems';
import type { Lot } from './types';

/** Puts a lot on hold, or lifts the hold (it returns to the status the hold interrupted), with the reason the record keeps. */
export function HoldDialog({ lot, step, onClose }: { lot: Lot; step: 'hold' | 'unhold'; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const form = useSchemaForm(useRequestSchema('POST', `/inventory/lots/:id/${step}`), { reason: '' });
  const run = useMutation({
    mutationFn: (body: typeof form.values) => api<Lot>('POST', `/inventory/lots/${lot.id}/${step}`, { body, idempotencyKey }),
    meta: { handlesErrors: true },
    onError: (err) => placeProblem(form, err),
    onSuccess: (moved) => {
      notifySuccess(
        t(step === 'hold' ? 'inventory.hold.done' : 'inventory.hold.liftedTo', {
          number: lot.number,
          status: t(`inventory.lotStatuses.${moved.status}`),
        }),
      );
      refreshInventory(queryClient, lot.id);
      onClose();
    },
  });
  const title = step === 'hold' ? t('inventory.hold.title') : t('inventory.hold.liftTitle');
  return (
    <FormModal
      title={title}
      onClose={onClose}
      onSubmit={form.submit((body) => run.mutate(body))}
      save={{ error: run.error, isPending: run.isPending, placed: Object.keys(form.errors).length > 0 }}
      problem={inventoryProblem}
      submitLabel={step === 'hold' ? t('inventory.steps.hold') : t('inventory.steps.unhold')}
      submitColor={step === 'hold' ? 'orange' : 'blue'}
      lead={
        <>
          <Text fw={600}>
            {lot.number} · {lot.item.code}
          </Text>
          <Text size="sm" c="dimmed">
            {step === 'hold' ? t('inventory.hold.help') : t('inventory.hold.liftHelp')}
          </Text>
        </>
      }
    >
      <Textarea label={t('common.reason')} required autosize minRows={2} data-autofocus {...form.field('reason')} />
    </FormModal>
  );
}
