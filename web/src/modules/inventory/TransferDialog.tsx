import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { formatDecimal, typedDecimal } from '../../components/decimal';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import { RecordSelect } from '../../components/RecordSelect';
import { locationOption, refreshInventory } from './common';
import { inventoryProblem, placeProblem } from './problems';
import type { ItemRef, StockAt, StorageLocation } from './types';

export interface StockSubject {
  item: ItemRef;
  /** The lot or serial moved; null for an untracked item. */
  lot: { id: string; number: string } | null;
  /** Where the stock is now. */
  stock: StockAt[];
}

/**
 * Moves stock of one lot (or untracked item) between two locations of the site. The server
 * decides whether the destination takes the lot in its status; its refusal is shown as it says.
 * One Idempotency-Key per opened form: a retried click moves the stock once.
 */
export function TransferDialog({
  subject,
  fromLocationId,
  onClose,
}: {
  subject: StockSubject;
  fromLocationId?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const first = subject.stock.find((s) => s.location.id === fromLocationId) ?? subject.stock[0];
  const form = useSchemaForm(useRequestSchema('POST', '/inventory/transfers'), {
    itemId: subject.item.id,
    lotId: subject.lot?.id ?? '',
    fromLocationId: first?.location.id ?? '',
    toLocationId: '',
    quantity: first && subject.item.tracking === 'serial' ? first.quantity : '',
    reason: '',
  });
  const from = subject.stock.find((s) => s.location.id === form.values.fromLocationId);
  const kindLabel = (k: string) => t(`masterdata.locationKinds.${k}`);
  const move = useMutation({
    mutationFn: (body: typeof form.values) => api<{ operationId: string }>('POST', '/inventory/transfers', { body, idempotencyKey }),
    meta: { handlesErrors: true },
    onError: (err) => placeProblem(form, err),
    onSuccess: () => {
      notifySuccess(
        t('inventory.transfer.done', {
          quantity: formatDecimal(form.values.quantity, subject.item.baseUnit),
          what: subject.lot?.number ?? subject.item.code,
        }),
      );
      refreshInventory(queryClient, subject.lot?.id);
      onClose();
    },
  });
  const what = subject.lot ? `${subject.lot.number} · ${subject.item.code}` : subject.item.code;

  return (
    <Modal opened onClose={onClose} title={t('inventory.transfer.title')} centered size="lg">
      <form noValidate onSubmit={form.submit((body) => move.mutate(body))}>
        <Stack>
          <Text fw={600}>{what}</Text>
          {move.error && !Object.keys(form.errors).length && (
            <Alert color="red" role="alert" title={t('inventory.transfer.refused')}>
              {inventoryProblem(move.error)}
            </Alert>
          )}
          <Select
            label={t('inventory.transfer.from')}
            required
            allowDeselect={false}
            data={subject.stock.map((s) => ({
              value: s.location.id,
              label: `${s.location.code} · ${s.location.name} — ${formatDecimal(s.quantity, subject.item.baseUnit)}`,
            }))}
            {...form.field('fromLocationId')}
          />
          <RecordSelect<StorageLocation>
            label={t('inventory.transfer.to')}
            required
            path="/locations"
            filters={{ siteId: from?.location.siteId }}
            value={(form.values.toLocationId as string) || null}
            onChange={(id) => form.set('toLocationId', id ?? '')}
            option={(l) => locationOption(l, kindLabel)}
            error={form.errors.toLocationId}
            data-autofocus
          />
          <TextInput
            label={t('inventory.transfer.quantity')}
            required
            inputMode="decimal"
            description={
              from ? t('inventory.transfer.available', { quantity: formatDecimal(from.quantity, subject.item.baseUnit) }) : undefined
            }
            rightSectionWidth={72}
            rightSection={
              from && (
                <Button size="compact-xs" variant="light" onClick={() => form.set('quantity', from.quantity)}>
                  {t('inventory.transfer.all')}
                </Button>
              )
            }
            {...form.field('quantity')}
            onChange={(e) => form.set('quantity', typedDecimal(e.currentTarget.value))}
          />
          <Textarea label={t('inventory.transfer.reason')} autosize minRows={2} {...form.field('reason')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={move.isPending}>
              {t('inventory.transfer.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
