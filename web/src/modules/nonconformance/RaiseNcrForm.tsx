import { MultiSelect, Select, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { notifySuccess } from '../../components/notify';
import { RecordSelect } from '../../components/RecordSelect';
import { DEFECT_CLASSES, type NcrRecord } from './types';

type Source = 'lot' | 'serial' | 'supplier';
interface LotOption {
  id: string;
  number: string;
  kind: string;
  onHand: string;
}
interface SupplierOption {
  id: string;
  code: string;
  name: string;
}

/** Raises an NCR by hand from a lot, a serial or a supplier: the lot goes on hold in the same step. */
export function RaiseNcrForm({ onClose, lotId }: { onClose: () => void; lotId?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [source, setSource] = useState<Source>('lot');
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [lot, setLot] = useState<string | null>(lotId ?? null);
  const [quantity, setQuantity] = useState('');
  const [description, setDescription] = useState('');
  const [defectClass, setDefectClass] = useState<string | null>('major');
  const [codes, setCodes] = useState<string[]>([]);
  const [containment, setContainment] = useState('');
  const defectCodes = useQuery({
    queryKey: ['nonconformance', 'defect-codes'],
    queryFn: () => get<{ items: Array<{ id: string; code: string; name: string }> }>('/nonconformance/defect-codes', { active: true }),
  });
  const raise = useMutation({
    mutationFn: () =>
      api<NcrRecord>('POST', '/nonconformance/ncrs', {
        idempotencyKey,
        body: {
          source,
          sourceId: source === 'supplier' ? supplierId : lot,
          description,
          defectClass,
          defectCodeIds: codes,
          ...(containment.trim() ? { containment } : {}),
          ...(lot && (quantity.trim() || source === 'supplier')
            ? { affected: [{ lotId: lot, ...(quantity.trim() ? { quantity: quantity.trim() } : {}) }] }
            : {}),
        },
      }),
    meta: { handlesErrors: true },
    onSuccess: (ncr) => {
      notifySuccess(t('nonconformance.raise.done', { number: ncr.number }));
      void queryClient.invalidateQueries({ queryKey: ['list', '/nonconformance/ncrs'] });
      onClose();
      void navigate({ to: '/nonconformance/ncrs/$ncrId', params: { ncrId: ncr.id } });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    raise.mutate();
  };
  return (
    <FormModal
      title={t('nonconformance.raise.title')}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      save={{ error: raise.error, isPending: raise.isPending }}
      submitLabel={t('nonconformance.raise.submit')}
      submitColor="orange"
      submitDisabled={!description.trim() || !defectClass || !(source === 'supplier' ? supplierId && lot : lot)}
      lead={t('nonconformance.raise.help')}
    >
      <Select
        label={t('nonconformance.fields.source')}
        data={(['lot', 'serial', 'supplier'] as const).map((s) => ({ value: s, label: t(`nonconformance.sources.${s}`) }))}
        value={source}
        onChange={(v) => setSource((v as Source) ?? 'lot')}
        allowDeselect={false}
      />
      {source === 'supplier' && (
        <RecordSelect<SupplierOption>
          label={t('nonconformance.fields.supplier')}
          path="/suppliers"
          option={(s) => `${s.code} — ${s.name}`}
          value={supplierId}
          onChange={(id) => setSupplierId(id)}
          required
        />
      )}
      <RecordSelect<LotOption>
        label={t('nonconformance.fields.lot')}
        path="/inventory/lots"
        filters={{ inStock: true }}
        option={(l) => `${l.number} (${l.onHand})`}
        value={lot}
        onChange={(id) => setLot(id)}
        required
      />
      <TextInput
        label={t('nonconformance.fields.quantity')}
        description={t('nonconformance.raise.quantityHelp')}
        value={quantity}
        onChange={(e) => setQuantity(e.currentTarget.value)}
        inputMode="decimal"
      />
      <Select
        label={t('nonconformance.fields.defectClass')}
        data={DEFECT_CLASSES.map((c) => ({ value: c, label: t(`nonconformance.defectClasses.${c}`) }))}
        value={defectClass}
        onChange={setDefectClass}
        required
      />
      <MultiSelect
        label={t('nonconformance.fields.defectCodes')}
        data={(defectCodes.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.code} — ${c.name}` }))}
        value={codes}
        onChange={setCodes}
        searchable
      />
      <Textarea
        label={t('nonconformance.fields.description')}
        required
        autosize
        minRows={3}
        maxLength={4000}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
      />
      <Textarea
        label={t('nonconformance.fields.containment')}
        autosize
        minRows={2}
        maxLength={4000}
        value={containment}
        onChange={(e) => setContainment(e.currentTarget.value)}
      />
    </FormModal>
  );
}
