import { Alert, Button, Loader, Stack, Table, Text } from '@mantine/core';
import type { RecallNotification, RecallStart } from '@server/modules/recall/contract';
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api/client';
import { P } from '../../app/permissions';
import { can, meQuery } from '../../auth/session';
import { formatDecimal } from '../../components/decimal';
import { formatDate, formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { PrintButton } from '../../components/PrintButton';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import { StatusBadge } from '../../components/StatusBadge';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import { AnswerTotals, CustomersTable, LotsTable, ShipmentsTable } from './AnswerTables';
import { AcknowledgementForm, CancelRecallForm, ClassificationForm, NoticeForm, ReportForm, recallKey } from './RecallForms';
import { levelText, RecallStatusBadge } from './RecallsPage';
import { DEADLINE_COLORS, type RecallDetail } from './types';

type Form = 'classify' | 'cancel' | 'notify' | 'report';
/** The signed steps: initiating (meaning approved, holds the stock) and closing (meaning verified). */
const SIGNED = {
  initiated: { labelKey: 'recall.initiate', meaning: 'approved', helpKey: 'recall.initiateHelp', color: 'orange' },
  closed: { labelKey: 'recall.close', meaning: 'verified', helpKey: 'recall.closeHelp', color: 'green' },
} as const;
type SignedStep = keyof typeof SIGNED;

/** The code and name of a record the starting point names, or its id while it cannot be read. */
function useRecordName(path: string | null, id: string) {
  const record = useQuery({
    queryKey: ['recall', 'start', path],
    queryFn: () => get<{ code: string; name: string }>(path!),
    enabled: path !== null,
    retry: false,
    // Without the right to read it, the record is named by its id: nothing to report.
    meta: { handlesErrors: true },
  });
  return record.data ? `${record.data.code} ${record.data.name}` : id;
}

/** The starting point in words, with the names of what it names. */
function StartText({ start, recall }: { start: RecallStart; recall: RecallDetail }) {
  const { t } = useTranslation();
  const [path, id] =
    start.kind === 'supplier_lot'
      ? [`/suppliers/${start.supplierId}`, start.supplierId]
      : start.kind === 'serial_range'
        ? [`/items/${start.itemId}`, start.itemId]
        : start.kind === 'equipment'
          ? [`/equipment/${start.equipmentId}`, start.equipmentId]
          : [null, ''];
  const name = useRecordName(path, id);
  switch (start.kind) {
    case 'supplier_lot':
      return <>{t('recall.describe.supplier_lot', { supplier: name, lot: start.supplierLot })}</>;
    case 'component_lot': {
      const lot = recall.answer.lots.find((l) => l.lotId === start.lotId);
      const item = lot ? `${lot.itemCode} ${lot.itemName}` : '';
      return <>{t('recall.describe.component_lot', { item, lot: lot?.number ?? start.lotId })}</>;
    }
    case 'serial_range':
      return <>{t('recall.describe.serial_range', { item: name, from: start.from, to: start.to })}</>;
    case 'equipment':
      return <>{t('recall.describe.equipment', { equipment: name, from: formatDate(start.from), to: formatDate(start.to) })}</>;
    case 'operator':
      return <>{t('recall.describe.operator', { operator: start.operatorId, from: formatDate(start.from), to: formatDate(start.to) })}</>;
  }
}

function NoticesTable({ recall, onAcknowledge }: { recall: RecallDetail; onAcknowledge?: (n: RecallNotification) => void }) {
  const { t } = useTranslation();
  if (recall.notifications.length === 0) return <Text c="dimmed">{t('recall.noNotifications')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('recall.customer')}</Table.Th>
            <Table.Th>{t('recall.method')}</Table.Th>
            <Table.Th>{t('recall.sentOn')}</Table.Th>
            <Table.Th>{t('recall.sentTo')}</Table.Th>
            <Table.Th>{t('recall.sentBy')}</Table.Th>
            <Table.Th>{t('recall.acknowledged')}</Table.Th>
            <Table.Th>{t('recall.unitsAccounted')}</Table.Th>
            <Table.Th>{t('recall.note')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {recall.notifications.map((n) => (
            <Table.Tr key={n.id}>
              <Table.Td>{n.customerName}</Table.Td>
              <Table.Td>{t(`recall.methods.${n.method}`)}</Table.Td>
              <Table.Td>{formatDate(n.sentOn)}</Table.Td>
              <Table.Td>{n.sentTo}</Table.Td>
              <Table.Td>{n.sentBy}</Table.Td>
              <Table.Td>
                {n.acknowledgedOn ? (
                  t('recall.acknowledgedBy', { by: n.acknowledgedBy ?? '', on: formatDate(n.acknowledgedOn) })
                ) : onAcknowledge ? (
                  <Button size="xs" variant="light" onClick={() => onAcknowledge(n)}>
                    {t('recall.acknowledge')}
                  </Button>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>{formatDecimal(n.unitsAccounted)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{[n.note, n.acknowledgementNote].filter(Boolean).join('\n')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function DeadlinesTable({ recall }: { recall: RecallDetail }) {
  const { t } = useTranslation();
  if (recall.deadlines.length === 0) return <Text c="dimmed">{t('recall.noDeadlines')}</Text>;
  return (
    <Table withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('recall.deadline')}</Table.Th>
          <Table.Th>{t('recall.due')}</Table.Th>
          <Table.Th>{t('recall.deadlineState')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {recall.deadlines.map((d) => (
          <Table.Tr key={d.kind}>
            <Table.Td>{t(`recall.deadlines.${d.kind}`, { days: d.everyDays ?? '' })}</Table.Td>
            <Table.Td>{formatDate(d.due)}</Table.Td>
            <Table.Td>
              <StatusBadge prefix="recall.deadlineStates" value={d.state} colors={DEADLINE_COLORS} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * A recall: its question and answer as taken, classification, progress and deadlines; refreshed,
 * classified and initiated (signed, holding the stock) while a draft; notices, acknowledgements,
 * the report to the authority and the signed closing once initiated.
 */
export function RecallPage() {
  const { t } = useTranslation();
  const { recallId } = useParams({ from: '/app/recalls/$recallId' });
  const { data: me } = useSuspenseQuery(meQuery);
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: recallKey(recallId), queryFn: () => get<RecallDetail>(`/recalls/${recallId}`) });
  const [form, setForm] = useState<Form | null>(null);
  const [step, setStep] = useState<SignedStep | null>(null);
  const [acknowledging, setAcknowledging] = useState<RecallNotification | null>(null);
  const refresh = useMutation({
    mutationFn: () => post<RecallDetail>(`/recalls/${recallId}/refresh`),
    onSuccess: (fresh) => {
      queryClient.setQueryData(recallKey(recallId), fresh);
      void queryClient.invalidateQueries({ queryKey: ['audit', 'recalls', recallId] });
    },
  });

  if (query.isPending) return <Loader aria-label={t('common.loading')} />;
  if (query.isError) return <Alert color="red">{problemMessage(query.error)}</Alert>;
  const r = query.data;

  const sign = async (to: SignedStep, input: SignatureInput): Promise<Signature> => {
    const moved =
      to === 'initiated'
        ? await api<RecallDetail>('POST', `/recalls/${r.id}/initiate`, {
            body: { ...input, comment: input.comment ?? '' },
            idempotencyKey: crypto.randomUUID(),
          })
        : await post<RecallDetail>(`/recalls/${r.id}/transitions`, { to, ...input });
    queryClient.setQueryData(recallKey(r.id), moved);
    queryClient.setQueryData(['signatures', 'recalls', r.id], { items: moved.signatures });
    void queryClient.invalidateQueries({ queryKey: ['audit', 'recalls', r.id] });
    void queryClient.invalidateQueries({ queryKey: ['list', '/recalls'] });
    const signature = moved.signatures.find((s) => !r.signatures.some((before) => before.id === s.id));
    if (!signature) throw new Error(t('signature.missing'));
    return signature;
  };

  const allowed = (to: string) => r.allowedTransitions.some((s) => s === to);
  const draft = r.status === 'draft';
  const initiated = r.status === 'initiated';
  const canWrite = can(me, P.recallWrite);
  const canNotify = initiated && can(me, P.recallNotify);
  const action = (key: Form, labelKey: string, color?: string) => (
    <Button key={key} variant="light" color={color} onClick={() => setForm(key)}>
      {t(labelKey)}
    </Button>
  );
  const actions = [
    <PrintButton key="print" path={`/recalls/${r.id}/pdf`} />,
    draft && canWrite && action('classify', 'recall.editClassification'),
    draft && canWrite && (
      <Button key="refresh" variant="light" loading={refresh.isPending} onClick={() => refresh.mutate()}>
        {t('recall.refresh')}
      </Button>
    ),
    allowed('initiated') && can(me, P.recallSignApproved) && (
      <Button key="initiate" variant="light" color="orange" onClick={() => setStep('initiated')}>
        {t(SIGNED.initiated.labelKey)}
      </Button>
    ),
    allowed('cancelled') && canWrite && action('cancel', 'recall.cancel', 'red'),
    canNotify && action('notify', 'recall.notify'),
    initiated && canWrite && action('report', 'recall.report'),
    allowed('closed') && can(me, P.recallSignVerified) && (
      <Button key="close" variant="light" color="green" onClick={() => setStep('closed')}>
        {t(SIGNED.closed.labelKey)}
      </Button>
    ),
  ];

  const p = r.progress;
  const notifiedOn = new Map<string, string>();
  for (const n of r.notifications) {
    const first = notifiedOn.get(n.customerId);
    if (!first || n.sentOn < first) notifiedOn.set(n.customerId, n.sentOn);
  }
  const rows: Array<[string, ReactNode]> = [
    ['recall.status', <RecallStatusBadge key="status" status={r.status} />],
    ['recall.start', <StartText key="start" start={r.start} recall={r} />],
    ['recall.reason', r.reason],
    ['recall.chinaLevel', levelText('china', r.chinaLevel)],
    ['recall.fdaClass', levelText('fda', r.fdaClass)],
    ['recall.healthHazard', r.healthHazard ?? '—'],
    ['recall.snapshotAt', formatDateTime(r.snapshotAt)],
    ['recall.initiatedOn', formatDate(r.initiatedOn)],
    ['recall.heldLotCount', r.heldLotCount === null ? '—' : String(r.heldLotCount)],
    [
      'recall.reportedOn',
      r.reportedOn ? t('recall.reportedAs', { on: formatDate(r.reportedOn), reference: r.reportReference ?? '' }) : '—',
    ],
    ['recall.effectiveness', formatDecimal(r.effectiveness ?? p.effectiveness, '%')],
    ['recall.author', r.author.name],
  ];
  const current = step ? SIGNED[step] : undefined;
  return (
    <>
      <RecordPage
        list={{ to: '/recalls', labelKey: 'nav.recalls' }}
        title={r.number}
        subtitle={r.title}
        status={<RecallStatusBadge status={r.status} />}
        record={{ entity: 'recalls', id: r.id }}
        signed
        actions={actions}
        notice={
          draft && r.author.id === me.id && can(me, P.recallSignApproved) && <Alert color="yellow">{t('recall.cannotInitiate')}</Alert>
        }
        details={
          <Stack gap="md">
            {r.signatures.map((s) => (
              <Manifestation key={s.id} signature={s} />
            ))}
            <Table variant="vertical" withTableBorder>
              <Table.Tbody>
                {rows.map(([key, value]) => (
                  <Table.Tr key={key}>
                    <Table.Th w={220}>{t(key)}</Table.Th>
                    <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="sm" data-testid="recall-progress">
              <Text span fw={600}>
                {t('recall.progress')}:{' '}
              </Text>
              {t('recall.progressText', {
                notified: p.customersReached - p.customersNotNotified,
                reached: p.customersReached,
                acknowledged: p.customersAcknowledged,
                accounted: formatDecimal(p.accounted),
                units: formatDecimal(p.units),
                effectiveness: formatDecimal(p.effectiveness),
              })}
            </Text>
            <AnswerTotals answer={r.answer} />
          </Stack>
        }
        tabs={[
          {
            value: 'customers',
            labelKey: 'recall.tabs.customers',
            count: r.answer.customers.length,
            panel: <CustomersTable customers={r.answer.customers} notifiedOn={notifiedOn} />,
          },
          { value: 'lots', labelKey: 'recall.tabs.lots', count: r.answer.lots.length, panel: <LotsTable lots={r.answer.lots} /> },
          {
            value: 'shipments',
            labelKey: 'recall.tabs.shipments',
            count: r.answer.shipments.length,
            panel: <ShipmentsTable shipments={r.answer.shipments} />,
          },
          {
            value: 'notices',
            labelKey: 'recall.tabs.notices',
            count: r.notifications.length,
            panel: <NoticesTable recall={r} {...(canNotify ? { onAcknowledge: setAcknowledging } : {})} />,
          },
          { value: 'deadlines', labelKey: 'recall.tabs.deadlines', panel: <DeadlinesTable recall={r} /> },
        ]}
      />
      {form === 'classify' && <ClassificationForm recall={r} onClose={() => setForm(null)} />}
      {form === 'cancel' && <CancelRecallForm recall={r} onClose={() => setForm(null)} />}
      {form === 'notify' && <NoticeForm recall={r} onClose={() => setForm(null)} />}
      {form === 'report' && <ReportForm recall={r} onClose={() => setForm(null)} />}
      {acknowledging && <AcknowledgementForm recall={r} notice={acknowledging} onClose={() => setAcknowledging(null)} />}
      {step && current && (
        <SignatureDialog
          opened
          onClose={() => setStep(null)}
          meaning={current.meaning}
          recordLabel={`${r.number} — ${r.title}`}
          totp={me.totpEnrolled}
          commentRequired
          description={t(current.helpKey)}
          sign={(input) => sign(step, input)}
        />
      )}
    </>
  );
}
