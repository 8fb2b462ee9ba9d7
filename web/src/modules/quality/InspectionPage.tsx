import { Alert, Button, Card, Group, Loader, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { PrintButton } from '../../components/PrintButton';
import { RecordPage } from '../../components/RecordPage';
import { SignatureDialog } from '../../components/SignatureDialog';
import { InspectionStatus } from '../../components/StatusBadge';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import { LotLink, LotStatusBadge } from '../inventory/common';
import { LotNcrs } from '../nonconformance/LotNcrs';
import { SeverityBadge, VerdictBadge } from './common';
import { type Draft, ResultEntry } from './ResultEntry';
import { totalNonconforming, verdictOf } from './sample';
import type { Inspection, InspectionDetail, SamplingPlan } from './types';

const inspectionKey = (id: string) => ['quality', 'inspection', id];
type Disposition = 'accept' | 'reject';

/**
 * An incoming inspection: the ISO 2859-1 sampling plan (lot size, level, AQL, severity, code
 * letter, n, Ac, Re), the results per characteristic with a running nonconforming count against
 * Ac/Re and the verdict it implies, then QA's signed disposition that releases or rejects the lot.
 */
export function InspectionPage() {
  const { t } = useTranslation();
  const { inspectionId } = useParams({ from: '/app/quality/inspections/$inspectionId' });
  const me = useMe();
  const queryClient = useQueryClient();
  const inspection = useQuery({
    queryKey: inspectionKey(inspectionId),
    queryFn: () => get<InspectionDetail>(`/quality/inspections/${inspectionId}`),
  });
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [disposing, setDisposing] = useState<Disposition | null>(null);
  const onDraft = useCallback((id: string, draft: Draft) => setDrafts((d) => ({ ...d, [id]: draft })), []);

  if (inspection.isPending) return <Loader aria-label={t('common.loading')} />;
  if (inspection.isError) return <Alert color="red">{problemMessage(inspection.error)}</Alert>;
  const i = inspection.data;
  const label = `${i.number} — ${i.lot.number} ${i.item.code}`;
  const open = i.status === 'open';

  const afterChange = (fresh: Inspection & Partial<InspectionDetail>) => {
    queryClient.setQueryData<InspectionDetail>(inspectionKey(i.id), (old) => ({
      ...fresh,
      signatures: fresh.signatures ?? old?.signatures ?? [],
    }));
    void queryClient.invalidateQueries({ queryKey: ['audit', 'inspections', i.id] });
    void queryClient.invalidateQueries({ queryKey: ['list', '/quality/inspections'] });
  };
  const dispose =
    (disposition: Disposition) =>
    async (input: SignatureInput): Promise<Signature> => {
      await api<Inspection>('POST', `/quality/inspections/${i.id}/${disposition}`, { body: input });
      const fresh = await get<InspectionDetail>(`/quality/inspections/${i.id}`);
      afterChange(fresh);
      queryClient.setQueryData(['signatures', 'inspections', i.id], { items: fresh.signatures });
      const signature = fresh.signatures.find((s) => !i.signatures.some((before) => before.id === s.id));
      if (!signature) throw new Error(t('signature.missing'));
      return signature;
    };

  // The running count: what each entry shows now, saved or still being typed.
  const counts = i.characteristics.map(
    (c) => drafts[c.id]?.nonconforming ?? i.results.find((r) => r.characteristicId === c.id)?.defectives,
  );
  const running = totalNonconforming(
    counts.map((n) => n ?? 0),
    i.plan.sampleSize,
  );
  const unsaved = i.characteristics.filter((c) => drafts[c.id]?.dirty).length;
  const recorded = i.characteristics.filter((c) => i.results.some((r) => r.characteristicId === c.id)).length;
  const verdict = open ? verdictOf(i.plan, running) : i.verdict;
  // Counts only grow: a sample at Re rejects whatever is still to come; below it, the verdict waits.
  const provisional = open && counts.some((n) => n === undefined) && verdict !== 'not-accepted';

  const mayAccept = can(me, P.qualitySignReleased) && can(me, P.inventorySignReleased);
  const mayReject = can(me, P.qualitySignRejected) && can(me, P.inventorySignRejected);
  const ready = open && i.complete && unsaved === 0;
  const showAccept = ready && i.verdict !== 'not-accepted' && mayAccept;
  const showReject = ready && i.verdict === 'not-accepted' && mayReject;
  const why = !open
    ? null
    : !i.complete
      ? t('quality.disposition.incomplete', { recorded, total: i.characteristics.length })
      : unsaved > 0
        ? t('quality.disposition.unsaved')
        : !(i.verdict === 'not-accepted' ? mayReject : mayAccept)
          ? t('quality.disposition.notPermitted')
          : null;

  return (
    <>
      <RecordPage
        list={{ to: '/quality/inspections', labelKey: 'nav.inspections' }}
        title={i.number}
        subtitle={`${i.item.code} — ${i.item.name} · ${i.supplier.code}`}
        status={<InspectionStatus status={i.status} />}
        record={{ entity: 'inspections', id: i.id }}
        signed
        actions={
          <>
            {showAccept && (
              <Button color="green" size="md" leftSection={<IconCircleCheck size={18} />} onClick={() => setDisposing('accept')}>
                {t('quality.disposition.accept')}
              </Button>
            )}
            {showReject && (
              <Button color="red" size="md" leftSection={<IconCircleX size={18} />} onClick={() => setDisposing('reject')}>
                {t('quality.disposition.reject')}
              </Button>
            )}
            {can(me, P.purchasingRead) && <PrintButton path={`/purchasing/receipts/${i.receiptId}/pdf`} />}
          </>
        }
        details={
          <Stack gap="md">
            {i.signatures.map((s) => (
              <Manifestation key={s.id} signature={s} />
            ))}
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
              <PlanCard inspection={i} />
              <RunningCount
                plan={i.plan}
                running={running}
                verdict={verdict}
                provisional={provisional}
                recorded={recorded}
                total={i.characteristics.length}
                unsaved={unsaved}
                open={open}
              />
            </SimpleGrid>
            {why && (
              <Alert color="blue" data-testid="disposition-hint">
                {why}
              </Alert>
            )}
            {open && (mayAccept || mayReject) && i.results.some((r) => r.recordedById === me.id) && (
              // Said before anyone tries: the server refuses the recorder's decision (separation of duties).
              <Alert color="yellow" data-testid="sod-notice">
                {t('quality.disposition.recorderCannotDecide', { number: i.number })}
              </Alert>
            )}
            <Details
              rows={[
                [
                  'quality.inspections.item',
                  <Group key="item" gap="sm">
                    <span>{`${i.item.code} — ${i.item.name}`}</span>
                    <AnchorLink to="/quality/plans/$itemId" params={{ itemId: i.itemId }}>
                      {t('quality.inspections.planAndSwitching')}
                    </AnchorLink>
                  </Group>,
                ],
                ['quality.inspections.supplier', `${i.supplier.code} — ${i.supplier.name}`],
                [
                  'quality.inspections.lot',
                  <Group key="lot" gap="xs">
                    <LotLink lotId={i.lotId} testId="inspection-lot">
                      {i.lot.number}
                    </LotLink>
                    <span data-testid="lot-status">
                      <LotStatusBadge status={i.lot.status} />
                    </span>
                    {i.lot.supplierLot && (
                      <Text size="sm" c="dimmed">
                        {t('quality.inspections.supplierLot', { lot: i.lot.supplierLot })}
                      </Text>
                    )}
                  </Group>,
                ],
                [
                  'quality.inspections.receipt',
                  can(me, P.purchasingRead) ? (
                    <AnchorLink key="receipt" to="/purchasing/receipts/$receiptId" params={{ receiptId: i.receiptId }}>
                      {i.receipt.number}
                    </AnchorLink>
                  ) : (
                    i.receipt.number
                  ),
                ],
                ['quality.inspections.decidedBy', i.decidedBy],
                ['quality.inspections.decidedAt', i.decidedAt ? formatDateTime(i.decidedAt) : null],
              ]}
            />
            <LotNcrs lotId={i.lotId} />
            <Title order={2} size="h4">
              {t('quality.results.title')}
            </Title>
            {i.characteristics.map((c) => (
              <ResultEntry
                key={`${c.id}-${i.status}`}
                inspection={i}
                characteristic={c}
                result={i.results.find((r) => r.characteristicId === c.id)}
                editable={open && can(me, P.qualityInspect)}
                onDraft={onDraft}
                onSaved={afterChange}
              />
            ))}
          </Stack>
        }
      />
      {disposing && (
        <SignatureDialog
          opened
          onClose={() => setDisposing(null)}
          meaning={disposing === 'accept' ? 'released' : 'rejected'}
          recordLabel={label}
          totp={me.totpEnrolled}
          commentRequired={disposing === 'reject'}
          sign={dispose(disposing)}
        />
      )}
    </>
  );
}

/** The sampling plan the lot is inspected on, as ISO 2859-1 names its parts. */
function PlanCard({ inspection: i }: { inspection: InspectionDetail }) {
  const { t } = useTranslation();
  const p = i.plan;
  return (
    <Card withBorder padding="md" radius="md" data-testid="sampling-plan">
      <Group justify="space-between" mb="sm">
        <Text fw={700}>{t('quality.sampling.title')}</Text>
        <SeverityBadge severity={p.severity} />
      </Group>
      <SimpleGrid cols={4} spacing="sm">
        <Tile label={t('quality.sampling.lotSize')} value={String(i.lotSize)} testId="lot-size" />
        <Tile label={t('quality.sampling.level')} value={i.inspectionLevel} />
        <Tile label={t('quality.sampling.aql')} value={p.aql} />
        <Tile label={t('quality.sampling.codeLetter')} value={p.codeLetter} testId="code-letter" />
      </SimpleGrid>
      <SimpleGrid cols={3} spacing="sm" mt="sm">
        <Tile label={t('quality.sampling.sampleSize')} value={String(p.sampleSize)} big testId="sample-size" />
        <Tile label={t('quality.sampling.accept')} value={String(p.accept)} big color="green" testId="accept-number" />
        <Tile label={t('quality.sampling.reject')} value={String(p.reject)} big color="red" testId="reject-number" />
      </SimpleGrid>
      {p.planLetter !== p.codeLetter && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('quality.sampling.planLetter', { letter: p.planLetter })}
        </Text>
      )}
      {p.hundredPercent && (
        <Text size="sm" mt="xs">
          {t('quality.sampling.hundredPercent')}
        </Text>
      )}
    </Card>
  );
}

function Tile({ label, value, big, color, testId }: { label: string; value: string; big?: boolean; color?: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size={big ? '28px' : 'lg'} c={color} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** Nonconforming units in the sample so far against Ac and Re, and what that means for the lot. */
function RunningCount(props: {
  plan: SamplingPlan;
  running: number;
  verdict: ReturnType<typeof verdictOf>;
  provisional: boolean;
  recorded: number;
  total: number;
  unsaved: number;
  open: boolean;
}) {
  const { t } = useTranslation();
  const { plan, running } = props;
  const color = props.verdict === 'not-accepted' ? 'red' : props.verdict === 'accepted' ? 'green' : 'yellow';
  return (
    <Card withBorder padding="md" radius="md" data-testid="running-count">
      <Group justify="space-between" mb="sm">
        <Text fw={700}>{t('quality.running.title')}</Text>
        <VerdictBadge verdict={props.verdict} provisional={props.provisional} />
      </Group>
      <Group align="baseline" gap="xs">
        <Text fw={800} size="40px" c={color} data-testid="nonconforming">
          {running}
        </Text>
        <Text>{t('quality.running.ofSample', { n: plan.sampleSize })}</Text>
      </Group>
      <Progress.Root size="lg" mt="xs" aria-label={t('quality.running.title')}>
        <Progress.Section value={Math.min(100, (running / plan.reject) * 100)} color={color} />
      </Progress.Root>
      <Group justify="space-between" mt={4}>
        <Text size="sm">{t('quality.running.acceptUpTo', { ac: plan.accept })}</Text>
        <Text size="sm">{t('quality.running.rejectFrom', { re: plan.reject })}</Text>
      </Group>
      {props.open && (
        <Text size="sm" mt="sm" c="dimmed">
          {t('quality.running.recorded', { recorded: props.recorded, total: props.total })}
          {props.unsaved > 0 && ` · ${t('quality.running.unsaved', { count: props.unsaved })}`}
        </Text>
      )}
    </Card>
  );
}
