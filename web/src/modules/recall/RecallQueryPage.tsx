import { Alert, Button, Group, Paper, SegmentedControl, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { RECALL_START_KINDS, type RecallAnswer, type RecallStartKind } from '@server/modules/recall/contract';
import type { ScanResult } from '@server/modules/traceability/contract';
import { useMutation, useSuspenseQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page, type Query } from '../../api/client';
import { P } from '../../app/permissions';
import { can, meQuery } from '../../auth/session';
import { RecordSelect } from '../../components/RecordSelect';
import { problemMessage } from '../../i18n';
import type { Lot } from '../inventory/types';
import { AnswerTotals, CustomersTable, LotsTable, ShipmentsTable } from './AnswerTables';
import { KeepRecallForm } from './RecallForms';

interface Option {
  id: string;
  code: string;
  name: string;
}

const EMPTY = { supplierLot: '', lot: '', fromSerial: '', toSerial: '', operatorId: '', from: '', to: '' };

/** What a scanner sends (a GS1 element string, its printed form, a Digital Link) rather than a typed number. */
const looksScanned = (text: string) => /^(\(|\]|https?:)/i.test(text) || text.includes('\u001d');

/** The lots a typed or scanned number names: a GS1 code's serial or batch, else the number as typed. */
async function lotsNamed(text: string): Promise<{ number: string; lots: Lot[] }> {
  const number = looksScanned(text)
    ? await get<ScanResult>('/traceability/scan', { scan: text }).then((s) => s.data.serial ?? s.data.batch ?? text)
    : text;
  const page = await get<Page<Lot>>('/inventory/lots', { number, limit: 20 });
  return { number, lots: page.items };
}

/**
 * The recall query: from where the suspect material starts to every lot and serial made from it,
 * its stock, and the customers it reached; the answer can be kept as a draft recall.
 */
export function RecallQueryPage() {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const [kind, setKind] = useState<RecallStartKind>('supplier_lot');
  const [f, setF] = useState(EMPTY);
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [itemId, setItemId] = useState<string | null>(null);
  const [equipmentId, setEquipmentId] = useState<string | null>(null);
  // A lot number that several items share is chosen from its lots.
  const [lotId, setLotId] = useState<string | null>(null);
  const [candidates, setCandidates] = useState<Lot[]>([]);
  const [keeping, setKeeping] = useState(false);
  const field = (key: keyof typeof f) => ({
    value: f[key],
    onChange: (e: { currentTarget: { value: string } }) => {
      setF({ ...f, [key]: e.currentTarget.value });
      if (key === 'lot') {
        setLotId(null);
        setCandidates([]);
      }
    },
  });

  const startQuery = async (): Promise<Query | null> => {
    switch (kind) {
      case 'supplier_lot':
        return { supplierId, supplierLot: f.supplierLot.trim() };
      case 'component_lot': {
        if (lotId) return { lotId };
        const { number, lots } = await lotsNamed(f.lot.trim());
        if (lots.length === 0) throw new Error(t('recall.lotNotFound', { number }));
        if (lots.length > 1) {
          setCandidates(lots);
          return null;
        }
        setLotId(lots[0]!.id);
        return { lotId: lots[0]!.id };
      }
      case 'serial_range':
        return { itemId, fromSerial: f.fromSerial.trim(), toSerial: f.toSerial.trim() };
      case 'equipment':
        return { equipmentId, from: f.from, to: f.to };
      case 'operator':
        return { operatorId: f.operatorId.trim(), from: f.from, to: f.to };
    }
  };
  const find = useMutation({
    mutationFn: async () => {
      const start = await startQuery();
      return start ? get<RecallAnswer>('/recalls/query', { kind, ...start }) : null;
    },
    meta: { handlesErrors: true },
  });
  const complete = {
    supplier_lot: Boolean(supplierId && f.supplierLot.trim()),
    component_lot: Boolean(lotId || f.lot.trim()),
    serial_range: Boolean(itemId && f.fromSerial.trim() && f.toSerial.trim()),
    equipment: Boolean(equipmentId && f.from && f.to),
    operator: Boolean(f.operatorId.trim() && f.from && f.to),
  }[kind];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    find.mutate();
  };
  const answer = find.data ?? null;
  const days = (
    <Group grow>
      <TextInput label={t('recall.fromDay')} type="date" required {...field('from')} />
      <TextInput label={t('recall.toDay')} type="date" required {...field('to')} />
    </Group>
  );

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('recall.queryTitle')}
      </Title>
      <Text c="dimmed">{t('recall.queryHelp')}</Text>
      <Paper withBorder p="md" radius="md">
        <form noValidate onSubmit={submit}>
          <Stack>
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('recall.kind')}
              </Text>
              <SegmentedControl
                aria-label={t('recall.kind')}
                data={RECALL_START_KINDS.map((k) => ({ value: k, label: t(`recall.startKinds.${k}`) }))}
                value={kind}
                onChange={(k) => {
                  setKind(k as RecallStartKind);
                  find.reset();
                }}
              />
            </Stack>
            {kind === 'supplier_lot' && (
              <Group grow align="flex-start">
                <RecordSelect<Option>
                  label={t('recall.supplier')}
                  path="/suppliers"
                  option={(s) => `${s.code} — ${s.name}`}
                  value={supplierId}
                  onChange={(id) => setSupplierId(id)}
                  required
                />
                <TextInput label={t('recall.supplierLot')} required maxLength={80} {...field('supplierLot')} />
              </Group>
            )}
            {kind === 'component_lot' && (
              <Group grow align="flex-start">
                <TextInput
                  label={t('recall.componentLot')}
                  description={t('recall.componentLotHelp')}
                  required
                  maxLength={500}
                  {...field('lot')}
                />
                {candidates.length > 1 && (
                  <Select
                    label={t('recall.pickLot')}
                    description={t('recall.pickLotHelp')}
                    required
                    data={candidates.map((l) => ({ value: l.id, label: `${l.number} — ${l.item.code} ${l.item.name}` }))}
                    value={lotId}
                    onChange={setLotId}
                  />
                )}
              </Group>
            )}
            {kind === 'serial_range' && (
              <Group grow align="flex-start">
                <RecordSelect<Option>
                  label={t('recall.item')}
                  path="/items"
                  option={(i) => `${i.code} — ${i.name}`}
                  value={itemId}
                  onChange={(id) => setItemId(id)}
                  required
                />
                <TextInput label={t('recall.fromSerial')} required maxLength={80} {...field('fromSerial')} />
                <TextInput label={t('recall.toSerial')} required maxLength={80} {...field('toSerial')} />
              </Group>
            )}
            {kind === 'equipment' && (
              <>
                <RecordSelect<Option>
                  label={t('recall.equipment')}
                  path="/equipment"
                  option={(e) => `${e.code} — ${e.name}`}
                  value={equipmentId}
                  onChange={(id) => setEquipmentId(id)}
                  required
                />
                {days}
              </>
            )}
            {kind === 'operator' && (
              <>
                <TextInput label={t('recall.operator')} required maxLength={36} {...field('operatorId')} />
                {days}
              </>
            )}
            {find.error && (
              <Alert color="red" role="alert">
                {problemMessage(find.error)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button type="submit" loading={find.isPending} disabled={!complete || (candidates.length > 1 && !lotId)}>
                {t('recall.run')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {answer && (
        <>
          <Group justify="space-between">
            <Title order={2} size="h3">
              {t('recall.summary')}
            </Title>
            {can(me, P.recallWrite) && <Button onClick={() => setKeeping(true)}>{t('recall.keep')}</Button>}
          </Group>
          <AnswerTotals answer={answer} />
          <Tabs defaultValue="customers" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="customers">{`${t('recall.tabs.customers')} (${answer.customers.length})`}</Tabs.Tab>
              <Tabs.Tab value="lots">{`${t('recall.tabs.lots')} (${answer.lots.length})`}</Tabs.Tab>
              <Tabs.Tab value="shipments">{`${t('recall.tabs.shipments')} (${answer.shipments.length})`}</Tabs.Tab>
            </Tabs.List>
            <Paper withBorder p="md" mt="sm" radius="md">
              <Tabs.Panel value="customers">
                <CustomersTable customers={answer.customers} />
              </Tabs.Panel>
              <Tabs.Panel value="lots">
                <LotsTable lots={answer.lots} />
              </Tabs.Panel>
              <Tabs.Panel value="shipments">
                <ShipmentsTable shipments={answer.shipments} />
              </Tabs.Panel>
            </Paper>
          </Tabs>
          {keeping && <KeepRecallForm answer={answer} onClose={() => setKeeping(false)} />}
        </>
      )}
    </Stack>
  );
}
