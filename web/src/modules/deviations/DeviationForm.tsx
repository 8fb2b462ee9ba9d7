import { Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { RecordSelect } from '../../components/RecordSelect';
import type { Deviation } from './DeviationsPage';

interface Option {
  id: string;
  code: string;
  name: string;
}

/** Raises a deviation as a draft: what departs from which specification, why, the risk, and its bounds. */
export function DeviationForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [itemId, setItemId] = useState<string | null>(null);
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [f, setF] = useState({ title: '', reason: '', riskAssessment: '', lots: '', maxQuantity: '', validFrom: '', validUntil: '' });
  const field = (key: keyof typeof f) => ({
    value: f[key],
    onChange: (e: { currentTarget: { value: string } }) => setF({ ...f, [key]: e.currentTarget.value }),
  });
  const save = useMutation({
    mutationFn: () =>
      post<Deviation>('/deviations', {
        title: f.title.trim(),
        reason: f.reason.trim(),
        riskAssessment: f.riskAssessment.trim(),
        itemId,
        ...(supplierId ? { supplierId } : {}),
        lots: f.lots
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
        maxQuantity: f.maxQuantity.trim(),
        validFrom: f.validFrom,
        validUntil: f.validUntil,
      }),
    meta: { handlesErrors: true },
    onSuccess: (d) => {
      void queryClient.invalidateQueries({ queryKey: ['list', '/deviations'] });
      onClose();
      void navigate({ to: '/deviations/$deviationId', params: { deviationId: d.id } });
    },
  });
  return (
    <FormModal
      title={t('deviations.new')}
      size="lg"
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      save={save}
      submitLabel={t('deviations.raise')}
      submitDisabled={!itemId}
    >
      <Stack>
        <TextInput label={t('deviations.title')} required maxLength={200} data-autofocus {...field('title')} />
        <RecordSelect<Option>
          label={t('deviations.item')}
          path="/items"
          option={(i) => `${i.code} — ${i.name}`}
          value={itemId}
          onChange={(id) => setItemId(id)}
          required
        />
        <RecordSelect<Option>
          label={t('deviations.supplier')}
          path="/suppliers"
          option={(s) => `${s.code} — ${s.name}`}
          value={supplierId}
          onChange={(id) => setSupplierId(id)}
          clearable
        />
        <Textarea label={t('deviations.reason')} required maxLength={2000} autosize minRows={2} {...field('reason')} />
        <Textarea label={t('deviations.riskAssessment')} required maxLength={10000} autosize minRows={3} {...field('riskAssessment')} />
        <TextInput label={t('deviations.lots')} description={t('deviations.lotsHelp')} {...field('lots')} />
        <Group grow>
          <TextInput label={t('deviations.maxQuantity')} required inputMode="decimal" {...field('maxQuantity')} />
          <TextInput label={t('deviations.validFrom')} required type="date" {...field('validFrom')} />
          <TextInput label={t('deviations.validUntil')} required type="date" {...field('validUntil')} />
        </Group>
      </Stack>
    </FormModal>
  );
}
