import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { meQuery } from '../../auth/session';
import { decimalString, difference, formatDecimal, isNegative, isZero, typedDecimal } from '../../components/decimal';
import { useSchemaForm } from '../../components/form';
import { Manifestation } from '../../components/Manifestation';
import { RecordSelect } from '../../components/RecordSelect';
import { SignatureFields } from '../../components/SignatureDialog';
import type { Signature } from '../../components/signatures';
import { locationOption, refreshInventory } from './common';
import { inventoryProblem, placeProblem } from './problems';
import type { StockSubject } from './TransferDialog';
import type { StorageLocation } from './types';

type Mode = 'counted' | 'difference';

/** How the form names a field of the signature object (`signature.password`), as the server's pointers do. */
const signatureField = (name: 'password' | 'totpCode') => ['signature', name].join('.');

interface Booked {
  operationId: string;
  movementId: string;
  signature: Signature;
}

/**
 * Books a counted difference to the ledger with its reason, signed by the person who verified
 * it (meaning verified, Part 11 §11.50): password and, when enrolled, the authenticator code,
 * in the same request. Afterwards it shows the signature's manifestation.
 */
export function AdjustDialog({ subject, locationId, onClose }: { subject: StockSubject; locationId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { data: me } = useSuspenseQuery(meQuery);
  const unit = subject.item.baseUnit;
  const first = subject.stock.find((s) => s.location.id === locationId) ?? subject.stock[0];
  const [mode, setMode] = useState<Mode>('counted');
  const [typed, setTyped] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const form = useSchemaForm(useRequestSchema('POST', '/inventory/adjustments'), {
    itemId: subject.item.id,
    lotId: subject.lot?.id ?? '',
    locationId: first?.location.id ?? '',
    quantity: '',
    reason: '',
    signature: { password: '' } as { password: string; totpCode?: string },
  });
  const booked = subject.stock.find((s) => s.location.id === form.values.locationId)?.quantity ?? '0';
  const entered = decimalString(typed);
  const delta = entered === undefined ? undefined : mode === 'counted' ? difference(entered, booked) : entered;

  const update = (nextMode: Mode, text: string, at = booked) => {
    const value = decimalString(text);
    form.set('quantity', value === undefined ? typedDecimal(text) : nextMode === 'counted' ? difference(value, at) : value);
  };
  const sign = (nextPassword: string, nextCode: string) =>
    form.set('signature', { password: nextPassword, ...(me.totpEnrolled && nextCode ? { totpCode: nextCode } : {}) });

  const book = useMutation({
    mutationFn: (body: typeof form.values) => api<Booked>('POST', '/inventory/adjustments', { body }),
    meta: { handlesErrors: true },
    onError: (err) => {
      setPassword('');
      sign('', totpCode);
      placeProblem(form, err);
    },
    onSuccess: () => refreshInventory(queryClient, subject.lot?.id),
  });
  const what = subject.lot ? `${subject.lot.number} · ${subject.item.code}` : subject.item.code;

  if (book.data) {
    return (
      <Modal opened onClose={onClose} title={t('inventory.adjust.title')} centered size="lg">
        <Stack>
          <Alert color="green">
            {t('inventory.adjust.done', {
              quantity: formatDecimal(form.values.quantity, unit),
              what: subject.lot?.number ?? subject.item.code,
            })}
          </Alert>
          <Manifestation signature={book.data.signature} />
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  const kindLabel = (k: string) => t(`masterdata.locationKinds.${k}`);
  const siteId = first?.location.siteId;
  return (
    <Modal opened onClose={onClose} title={t('inventory.adjust.title')} centered size="lg">
      <form noValidate onSubmit={form.submit((body) => book.mutate(body))}>
        <Stack>
          <Text fw={600}>{what}</Text>
          {book.error && !Object.keys(form.errors).length && (
            <Alert color="red" role="alert">
              {inventoryProblem(book.error)}
            </Alert>
          )}
          <RecordSelect<StorageLocation>
            label={t('inventory.adjust.location')}
            required
            path="/locations"
            filters={siteId ? { siteId } : undefined}
            value={(form.values.locationId as string) || null}
            onChange={(id) => {
              form.set('locationId', id ?? '');
              update(mode, typed, subject.stock.find((s) => s.location.id === id)?.quantity ?? '0');
            }}
            option={(l) => locationOption(l, kindLabel)}
            error={form.errors.locationId}
          />
          <Group justify="space-between" align="flex-end">
            <Text size="sm">
              {t('inventory.adjust.booked')}: <b>{formatDecimal(booked, unit)}</b>
            </Text>
            <SegmentedControl
              size="xs"
              value={mode}
              onChange={(m) => {
                setMode(m as Mode);
                update(m as Mode, typed);
              }}
              data={[
                { value: 'counted', label: t('inventory.adjust.byCount') },
                { value: 'difference', label: t('inventory.adjust.byDifference') },
              ]}
            />
          </Group>
          <TextInput
            label={mode === 'counted' ? t('inventory.adjust.counted') : t('inventory.adjust.difference')}
            description={mode === 'difference' ? t('inventory.adjust.differenceHelp') : undefined}
            required
            inputMode="decimal"
            data-autofocus
            value={typed}
            error={form.errors.quantity}
            onChange={(e) => {
              setTyped(e.currentTarget.value);
              update(mode, e.currentTarget.value);
            }}
          />
          {delta !== undefined && (
            <Text size="sm" data-testid="adjust-difference" c={isZero(delta) ? 'dimmed' : isNegative(delta) ? 'red.8' : 'teal.8'} fw={600}>
              {isZero(delta)
                ? t('inventory.adjust.noDifference')
                : t('inventory.adjust.willBook', { quantity: `${isNegative(delta) ? '' : '+'}${formatDecimal(delta, unit)}` })}
            </Text>
          )}
          <Textarea
            label={t('inventory.adjust.reason')}
            description={t('inventory.adjust.reasonHelp')}
            required
            autosize
            minRows={2}
            {...form.field('reason')}
          />
          <SignatureFields
            meaning="verified"
            totp={me.totpEnrolled}
            password={password}
            onPasswordChange={(next) => {
              setPassword(next);
              sign(next, totpCode);
            }}
            totpCode={totpCode}
            onTotpCodeChange={(code) => {
              setTotpCode(code);
              sign(password, code);
            }}
            errors={{ password: form.errors[signatureField('password')], totpCode: form.errors[signatureField('totpCode')] }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="orange" loading={book.isPending} disabled={delta !== undefined && isZero(delta)}>
              {t('inventory.adjust.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
