import { Button, Group, Select, Table, Text, Textarea, TextInput } from '@mantine/core';
import { DEFECT_CLASSES } from '@server/modules/nonconformance/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, type Page } from '../../api/client';
import { decimalString, formatDecimal, isPositive } from '../../components/decimal';
import { FormModal, ReasonInput } from '../../components/FormModal';
import { RETURN_DISPOSITIONS, type ReturnDisposition, type ReturnRecord, type StockPlace } from './types';

export const returnKey = (id: string) => ['sales', 'return', id];

/** The active locations of one kind at the return's site: quarantine to receive into, released to restock to. */
function useLocations(siteId: string, kind: 'quarantine' | 'released') {
  return useQuery({
    queryKey: ['list', '/locations', { siteId, kind }, 'returns'],
    queryFn: () => get<Page<StockPlace>>('/locations', { siteId, kind, limit: 200 }),
    select: (page) => page.items.filter((l) => l.active).map((l) => ({ value: l.id, label: `${l.code} — ${l.name}` })),
  });
}

/** Puts the return the server answered into the page, and lets lists and history refresh. */
function useReturnStep(ret: ReturnRecord, path: string, onDone: () => void) {
  const queryClient = useQueryClient();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  return useMutation({
    mutationFn: (body: object) => api<ReturnRecord>('POST', `/sales/returns/${ret.id}/${path}`, { body, idempotencyKey }),
    meta: { handlesErrors: true },
    onSuccess: (fresh) => {
      queryClient.setQueryData(returnKey(ret.id), fresh);
      void queryClient.invalidateQueries({ queryKey: ['list', '/sales/returns'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'customer_returns', ret.id] });
      void queryClient.invalidateQueries({ queryKey: ['sales', 'shipment', ret.shipmentId] });
      onDone();
    },
  });
}

/** What came back, per line still expected, into a quarantine location of the site the goods left from. */
export function ReceiveReturnForm({ ret, onClose }: { ret: ReturnRecord; onClose: () => void }) {
  const { t } = useTranslation();
  const expected = ret.lines.filter((l) => l.toReceive !== '0');
  const [quantities, setQuantities] = useState<Record<number, string>>(() =>
    Object.fromEntries(expected.map((l) => [l.lineNo, l.toReceive])),
  );
  const locations = useLocations(ret.siteId, 'quarantine');
  const [locationId, setLocationId] = useState<string | null>(null);
  useEffect(() => {
    if (!locationId && locations.data?.length === 1) setLocationId(locations.data[0]!.value);
  }, [locations.data, locationId]);
  const save = useReturnStep(ret, 'receive', onClose);
  const lines = expected
    .map((l) => ({ lineNo: l.lineNo, lotId: l.lotId, quantity: decimalString(quantities[l.lineNo]) }))
    .filter((l) => l.quantity !== undefined && isPositive(l.quantity));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (locationId) save.mutate({ locationId, lines });
  };
  return (
    <FormModal
      title={t('sales.returns.receive.title', { number: ret.number })}
      size="lg"
      onClose={onClose}
      onSubmit={submit}
      save={save}
      submitLabel={t('sales.returns.receive.submit')}
      submitDisabled={!locationId || lines.length === 0}
      lead={<Text size="sm">{t('sales.returns.receive.help')}</Text>}
    >
      <Select
        label={t('sales.returns.quarantine')}
        required
        allowDeselect={false}
        data={locations.data ?? []}
        nothingFoundMessage={t('sales.returns.receive.noQuarantine')}
        value={locationId}
        onChange={setLocationId}
      />
      <Table aria-label={t('sales.returns.lines')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('sales.returns.lot')}</Table.Th>
            <Table.Th>{t('sales.returns.toReceive')}</Table.Th>
            <Table.Th>{t('sales.returns.received')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {expected.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>{l.lotNumber}</Table.Td>
              <Table.Td>{formatDecimal(l.toReceive)}</Table.Td>
              <Table.Td>
                <TextInput
                  aria-label={t('sales.returns.receivedOf', { lot: l.lotNumber })}
                  inputMode="decimal"
                  w={120}
                  value={quantities[l.lineNo] ?? ''}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setQuantities((q) => ({ ...q, [l.lineNo]: value }));
                  }}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </FormModal>
  );
}

interface DraftLine {
  key: string;
  lineNo: number;
  kind: ReturnDisposition;
  quantity: string;
  locationId: string | null;
}

/** A disposition ready to sign: what the dialog says and the request it sends with the signature. */
export interface DispositionDraft {
  meaning: 'released' | 'approved';
  summary: string;
  body: {
    lines: Array<{ lineNo: number; kind: ReturnDisposition; quantity: string; locationId?: string }>;
    justification: string;
    defectClass?: string;
  };
}

/**
 * Quality's decision per received line — restock to a released location, scrap, or a nonconformance —
 * split over several kinds where needed; each line's quantities add up to what it received and has
 * not dispositioned. Signed in the next step (released when anything is restocked, else approved).
 */
export function DispositionReturnForm(props: { ret: ReturnRecord; onClose: () => void; onReady: (draft: DispositionDraft) => void }) {
  const { ret } = props;
  const { t } = useTranslation();
  const open = ret.lines.filter((l) => l.toDisposition !== '0');
  const [lines, setLines] = useState<DraftLine[]>(
    open.map((l) => ({ key: crypto.randomUUID(), lineNo: l.lineNo, kind: 'restock', quantity: l.toDisposition, locationId: null })),
  );
  const [justification, setJustification] = useState('');
  const [defectClass, setDefectClass] = useState<string | null>(null);
  const released = useLocations(ret.siteId, 'released');
  const update = (i: number, patch: Partial<DraftLine>) => setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const chosen = lines.filter((l) => {
    const q = decimalString(l.quantity);
    return q !== undefined && isPositive(q);
  });
  const toNcr = chosen.some((l) => l.kind === 'ncr');
  const incomplete =
    !justification.trim() ||
    chosen.length === 0 ||
    chosen.some((l) => l.kind === 'restock' && !l.locationId) ||
    (toNcr && !defectClass) ||
    lines.some((l) => l.quantity.trim() !== '' && decimalString(l.quantity) === undefined);
  const lotOf = (lineNo: number) => ret.lines.find((l) => l.lineNo === lineNo)!.lotNumber;
  const placeOf = (id: string | null) => released.data?.find((l) => l.value === id)?.label ?? '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onReady({
      meaning: chosen.some((l) => l.kind === 'restock') ? 'released' : 'approved',
      summary: chosen
        .map(
          (l) =>
            `${lotOf(l.lineNo)}: ${t(`sales.returnDispositions.${l.kind}`)} ${formatDecimal(l.quantity)}${l.kind === 'restock' ? ` → ${placeOf(l.locationId)}` : ''}`,
        )
        .join(' · '),
      body: {
        lines: chosen.map((l) => ({
          lineNo: l.lineNo,
          kind: l.kind,
          quantity: decimalString(l.quantity)!,
          ...(l.kind === 'restock' && l.locationId ? { locationId: l.locationId } : {}),
        })),
        justification: justification.trim(),
        ...(toNcr && defectClass ? { defectClass } : {}),
      },
    });
  };
  return (
    <FormModal
      title={t('sales.returns.dispose.title', { number: ret.number })}
      size="xl"
      onClose={props.onClose}
      onSubmit={submit}
      save={{ error: null, isPending: false }}
      submitLabel={t('sales.returns.dispose.toSign')}
      submitDisabled={incomplete}
      lead={
        <>
          <Text size="sm">{t('sales.returns.dispose.help')}</Text>
          <Text size="sm" c="dimmed">
            {t('sales.returns.dispose.receiverNote')}
          </Text>
        </>
      }
    >
      {lines.map((l, i) => {
        const line = ret.lines.find((x) => x.lineNo === l.lineNo)!;
        return (
          <Group key={l.key} align="flex-end" wrap="nowrap">
            <Text w={180} size="sm" fw={600}>
              {line.lotNumber} · {t('sales.returns.dispose.open', { quantity: formatDecimal(line.toDisposition) })}
            </Text>
            <Select
              label={t('sales.returns.disposition')}
              data={RETURN_DISPOSITIONS.map((k) => ({ value: k, label: t(`sales.returnDispositions.${k}`) }))}
              value={l.kind}
              onChange={(v) => update(i, { kind: (v as ReturnDisposition | null) ?? 'restock' })}
              allowDeselect={false}
              w={200}
            />
            <TextInput
              label={t('sales.returns.quantity')}
              inputMode="decimal"
              value={l.quantity}
              onChange={(e) => update(i, { quantity: e.currentTarget.value })}
              w={110}
            />
            {l.kind === 'restock' && (
              <Select
                label={t('sales.returns.restockLocation')}
                required
                data={released.data ?? []}
                value={l.locationId}
                onChange={(v) => update(i, { locationId: v })}
                w={220}
              />
            )}
            <Button
              variant="subtle"
              onClick={() =>
                setLines((ls) => [
                  ...ls.slice(0, i + 1),
                  { key: crypto.randomUUID(), lineNo: l.lineNo, kind: 'scrap', quantity: '', locationId: null },
                  ...ls.slice(i + 1),
                ])
              }
            >
              {t('sales.returns.dispose.split')}
            </Button>
          </Group>
        );
      })}
      {toNcr && (
        <Select
          label={t('sales.returns.dispose.defectClass')}
          required
          data={DEFECT_CLASSES.map((c) => ({ value: c, label: t(`nonconformance.defectClasses.${c}`) }))}
          value={defectClass}
          onChange={setDefectClass}
          w={240}
        />
      )}
      <Textarea
        label={t('sales.returns.justification')}
        required
        autosize
        minRows={2}
        maxLength={4000}
        value={justification}
        onChange={(e) => setJustification(e.currentTarget.value)}
      />
    </FormModal>
  );
}

/** Close a return once what came back is dispositioned (a reason when the rest will not come), or cancel it before anything came back. */
export function EndReturnForm({ ret, step, onClose }: { ret: ReturnRecord; step: 'close' | 'cancel'; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const save = useReturnStep(ret, step, onClose);
  const reasonRequired = step === 'cancel' || ret.status === 'partially_received';
  return (
    <FormModal
      title={t(`sales.returns.${step}.action`)}
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(step === 'cancel' ? { reason: reason.trim() } : reason.trim() ? { comment: reason.trim() } : {});
      }}
      save={save}
      submitLabel={t(`sales.returns.${step}.action`)}
      submitColor={step === 'cancel' ? 'red' : 'green'}
      submitDisabled={reasonRequired && !reason.trim()}
      lead={<Text size="sm">{t(`sales.returns.${step}.help`)}</Text>}
    >
      <ReasonInput required={reasonRequired} maxLength={2000} value={reason} onChange={setReason} />
    </FormModal>
  );
}
