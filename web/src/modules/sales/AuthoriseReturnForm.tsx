import { Checkbox, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { decimalString, formatDecimal, isPositive } from '../../components/decimal';
import { FormModal } from '../../components/FormModal';
import type { ReturnableLot, ReturnRecord } from './types';

const keyOf = (l: Pick<ReturnableLot, 'shipmentLineNo' | 'lotId'>) => `${l.shipmentLineNo}:${l.lotId}`;

/**
 * A return the customer asked for, against this shipment: the exact lots and serials it shipped and
 * may still be returned (shipped less what other returns authorised), with why they come back.
 */
export function AuthoriseReturnForm({ shipment, onClose }: { shipment: { id: string; number: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const returnable = useQuery({
    queryKey: ['sales', 'shipment', shipment.id, 'returnable'],
    queryFn: () => get<ReturnableLot[]>(`/sales/shipments/${shipment.id}/returnable`),
    select: (lots) => lots.filter((l) => isPositive(l.returnable)),
  });
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const save = useMutation({
    mutationFn: (body: object) => api<ReturnRecord>('POST', '/sales/returns', { body, idempotencyKey }),
    meta: { handlesErrors: true },
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['sales', 'shipment', shipment.id] });
      void queryClient.invalidateQueries({ queryKey: ['list', '/sales/returns'] });
      onClose();
      void navigate({ to: '/sales/returns/$returnId', params: { returnId: created.id } });
    },
  });
  const lots = returnable.data ?? [];
  const lines = lots
    .map((l) => ({ shipmentLineNo: l.shipmentLineNo, lotId: l.lotId, quantity: decimalString(quantities[keyOf(l)]) }))
    .filter((l): l is { shipmentLineNo: number; lotId: string; quantity: string } => l.quantity !== undefined && isPositive(l.quantity));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ shipmentId: shipment.id, reason: reason.trim(), lines });
  };
  return (
    <FormModal
      title={t('sales.returns.authorise.title', { shipment: shipment.number })}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      save={save}
      submitLabel={t('sales.returns.authorise.submit')}
      submitDisabled={!reason.trim() || lines.length === 0}
      lead={<Text size="sm">{t('sales.returns.authorise.help')}</Text>}
    >
      {returnable.isSuccess && lots.length === 0 ? (
        <Text c="dimmed">{t('sales.returns.authorise.nothing')}</Text>
      ) : (
        <Table aria-label={t('sales.returns.authorise.lots')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sales.returns.shipmentLine')}</Table.Th>
              <Table.Th>{t('sales.returns.lot')}</Table.Th>
              <Table.Th>{t('sales.returns.authorise.shipped')}</Table.Th>
              <Table.Th>{t('sales.returns.authorise.returnable')}</Table.Th>
              <Table.Th>{t('sales.returns.quantity')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lots.map((l) => (
              <Table.Tr key={keyOf(l)}>
                <Table.Td>{l.shipmentLineNo}</Table.Td>
                <Table.Td>{l.lotNumber}</Table.Td>
                <Table.Td>{formatDecimal(l.shipped)}</Table.Td>
                <Table.Td>{formatDecimal(l.returnable)}</Table.Td>
                <Table.Td>
                  {l.lotKind === 'serial' ? (
                    <Checkbox
                      aria-label={t('sales.returns.authorise.quantityOf', { lot: l.lotNumber })}
                      checked={quantities[keyOf(l)] === '1'}
                      onChange={(e) => {
                        const checked = e.currentTarget.checked;
                        setQuantities((q) => ({ ...q, [keyOf(l)]: checked ? '1' : '' }));
                      }}
                    />
                  ) : (
                    <TextInput
                      aria-label={t('sales.returns.authorise.quantityOf', { lot: l.lotNumber })}
                      inputMode="decimal"
                      w={110}
                      value={quantities[keyOf(l)] ?? ''}
                      onChange={(e) => {
                        const value = e.currentTarget.value;
                        setQuantities((q) => ({ ...q, [keyOf(l)]: value }));
                      }}
                    />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Textarea
        label={t('sales.returns.reason')}
        required
        autosize
        minRows={2}
        maxLength={2000}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
    </FormModal>
  );
}
