import { Alert, Anchor, Badge, Button, Checkbox, Group, NumberInput, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { PACKAGING_LEVELS } from '@server/modules/masterdata/contract';
import {
  LABEL_FORMATS,
  LABEL_TEMPLATES,
  type LabelFormat,
  type LabelJob,
  type LabelTemplate,
  type WorkOrderLabels,
} from '@server/modules/traceability/contract';
import { IconDownload, IconSignature, IconTags } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, type Page } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { FormModal } from '../../components/FormModal';
import { formatDateTime } from '../../components/format';
import { SignatureFields } from '../../components/SignatureDialog';
import { problemMessage } from '../../i18n';

/**
 * UDI labels (21 CFR 820.45): print labels for a lot or serials — each print is recorded with the
 * UDI as printed — download the PDF or ZPL, inspect each job before its labels are used (signed,
 * not by the printer), and reconcile it (used + destroyed = printed).
 * Shown on a lot's page and in a work order's output tab.
 */

type Scope = { lotId: string } | { workOrderId: string };
const labelsKey = (scope: Scope) => ['traceability', 'labels', scope] as const;

function useOutputHref() {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return (job: LabelJob) => `/api/v1/traceability/labels/${job.id}/output?lang=${lang}`;
}

export function PrintLabelsDialog(props: {
  lots: ReadonlyArray<{ id: string; number: string }>;
  workOrderId?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const href = useOutputHref();
  const [selected, setSelected] = useState<string[]>(() => props.lots.map((l) => l.id));
  const [level, setLevel] = useState<string>('each');
  const [template, setTemplate] = useState<LabelTemplate>('single');
  const [format, setFormat] = useState<LabelFormat>('pdf');
  const [copies, setCopies] = useState(1);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const print = useMutation({
    mutationFn: () =>
      api<LabelJob>('POST', '/traceability/labels', {
        body: {
          lotIds: selected,
          packagingLevel: level,
          template,
          format,
          copies,
          ...(props.workOrderId ? { workOrderId: props.workOrderId } : {}),
        },
        idempotencyKey: key,
      }),
    onSuccess: () => {
      setKey(crypto.randomUUID());
      return client.invalidateQueries({ queryKey: ['traceability'] });
    },
  });
  const job = print.data;
  return (
    <FormModal
      title={t('traceability.labels.printTitle')}
      size="lg"
      onClose={props.onClose}
      onSubmit={(e) => {
        e.preventDefault();
        if (selected.length) print.mutate();
      }}
      save={{ error: print.error, isPending: print.isPending }}
      submitLabel={t('traceability.labels.print')}
      submitDisabled={!selected.length || Boolean(job)}
    >
      {job && (
        <Alert color="green" role="status">
          <Group justify="space-between">
            <Text>{t('traceability.labels.printed', { number: job.number })}</Text>
            <Button component="a" href={href(job)} download leftSection={<IconDownload size={16} />} data-testid="download-labels">
              {t('traceability.labels.download')}
            </Button>
          </Group>
        </Alert>
      )}
      {props.lots.length > 1 && (
        <Stack gap={4} mah={200} style={{ overflowY: 'auto' }}>
          <Checkbox
            label={t('traceability.labels.selectAll')}
            checked={selected.length === props.lots.length}
            indeterminate={selected.length > 0 && selected.length < props.lots.length}
            onChange={(e) => setSelected(e.currentTarget.checked ? props.lots.map((l) => l.id) : [])}
          />
          {props.lots.map((l) => (
            <Checkbox
              key={l.id}
              label={l.number}
              checked={selected.includes(l.id)}
              onChange={(e) => setSelected(e.currentTarget.checked ? [...selected, l.id] : selected.filter((s) => s !== l.id))}
            />
          ))}
        </Stack>
      )}
      <Select
        label={t('traceability.labels.level')}
        data={PACKAGING_LEVELS.map((v) => ({ value: v, label: t(`traceability.packagingLevels.${v}`) }))}
        value={level}
        onChange={(v) => v && setLevel(v)}
        allowDeselect={false}
      />
      <Select
        label={t('traceability.labels.template')}
        data={LABEL_TEMPLATES.map((v) => ({ value: v, label: t(`traceability.labelTemplates.${v}`) }))}
        value={template}
        onChange={(v) => v && setTemplate(v as LabelTemplate)}
        allowDeselect={false}
      />
      <Select
        label={t('traceability.labels.format')}
        data={LABEL_FORMATS.map((v) => ({ value: v, label: t(`traceability.labelFormats.${v}`) }))}
        value={format}
        onChange={(v) => v && setFormat(v as LabelFormat)}
        allowDeselect={false}
      />
      <NumberInput
        label={t('traceability.labels.copies')}
        value={copies}
        min={1}
        max={100}
        allowDecimal={false}
        onChange={(v) => setCopies(typeof v === 'number' ? v : 1)}
      />
    </FormModal>
  );
}

function ReconcileDialog({ job, onClose }: { job: LabelJob; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [used, setUsed] = useState<number>(job.quantityPrinted);
  const [destroyed, setDestroyed] = useState<number>(0);
  const [reason, setReason] = useState('');
  const [key] = useState(() => crypto.randomUUID());
  const reconcile = useMutation({
    mutationFn: () =>
      api<LabelJob>('POST', `/traceability/labels/${job.id}/reconcile`, {
        body: { used, destroyed, ...(reason.trim() ? { destroyedReason: reason.trim() } : {}) },
        idempotencyKey: key,
      }),
    onSuccess: () => {
      onClose();
      return client.invalidateQueries({ queryKey: ['traceability'] });
    },
  });
  const balanced = used + destroyed === job.quantityPrinted;
  return (
    <FormModal
      title={t('traceability.labels.reconcileTitle', { number: job.number })}
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        reconcile.mutate();
      }}
      save={{ error: reconcile.error, isPending: reconcile.isPending }}
      submitLabel={t('traceability.labels.reconcile')}
      submitDisabled={!balanced || (destroyed > 0 && !reason.trim())}
      lead={<Text>{t('traceability.labels.balance', { printed: job.quantityPrinted })}</Text>}
    >
      <NumberInput
        label={t('traceability.labels.used')}
        value={used}
        min={0}
        max={100000}
        allowDecimal={false}
        onChange={(v) => setUsed(typeof v === 'number' ? v : 0)}
      />
      <NumberInput
        label={t('traceability.labels.destroyed')}
        value={destroyed}
        min={0}
        max={100000}
        allowDecimal={false}
        onChange={(v) => setDestroyed(typeof v === 'number' ? v : 0)}
      />
      <TextInput
        label={t('traceability.labels.destroyedReason')}
        value={reason}
        maxLength={1000}
        required={destroyed > 0}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
    </FormModal>
  );
}

/**
 * The inspection of a job's labels, signed in the same request (meaning verified): the system
 * compares every label with its lot or serial; the inspector states what only a person can see.
 */
function InspectDialog({ job, onClose }: { job: LabelJob; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const [printLegible, setPrintLegible] = useState(true);
  const [barcodeScans, setBarcodeScans] = useState(true);
  const [scan, setScan] = useState('');
  const [remarks, setRemarks] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [comment, setComment] = useState('');
  const [key] = useState(() => crypto.randomUUID());
  const inspect = useMutation({
    mutationFn: () =>
      api<LabelJob>('POST', `/traceability/labels/${job.id}/inspect`, {
        body: {
          printLegible,
          barcodeScans,
          ...(scan.trim() ? { scan: scan.trim() } : {}),
          ...(remarks.trim() ? { remarks: remarks.trim() } : {}),
          password,
          ...(me.totpEnrolled && totpCode ? { totpCode } : {}),
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        },
        idempotencyKey: key,
      }),
    onError: () => setPassword(''),
    onSuccess: () => client.invalidateQueries({ queryKey: ['traceability'] }),
  });
  const done = inspect.data?.inspection;
  const checksFailed = !printLegible || !barcodeScans;
  return (
    <FormModal
      title={t('traceability.labels.inspectTitle', { number: job.number })}
      size="lg"
      onClose={onClose}
      onSubmit={(e) => {
        e.preventDefault();
        inspect.mutate();
      }}
      save={{ error: inspect.error, isPending: inspect.isPending }}
      submitLabel={t('signature.sign')}
      submitDisabled={Boolean(done) || !password || (checksFailed && !remarks.trim())}
      lead={<Text size="sm">{t('traceability.labels.inspectLead')}</Text>}
    >
      {done && (
        <Alert color={done.result === 'pass' ? 'green' : 'red'} role="status" data-testid="inspection-result">
          <Text>{t('traceability.labels.inspected', { result: t(`traceability.labelInspectionResults.${done.result}`) })}</Text>
          {done.result === 'fail' && <Text size="sm">{t('traceability.labels.failedDestroy')}</Text>}
          <InspectionFindings findings={done.findings} />
        </Alert>
      )}
      <Checkbox
        label={t('traceability.labels.printLegible')}
        checked={printLegible}
        onChange={(e) => setPrintLegible(e.currentTarget.checked)}
      />
      <Checkbox
        label={t('traceability.labels.barcodeScans')}
        checked={barcodeScans}
        onChange={(e) => setBarcodeScans(e.currentTarget.checked)}
      />
      <TextInput label={t('traceability.labels.scan')} value={scan} maxLength={500} onChange={(e) => setScan(e.currentTarget.value)} />
      <Textarea
        label={t('traceability.labels.remarks')}
        required={checksFailed}
        autosize
        minRows={2}
        maxLength={2000}
        value={remarks}
        onChange={(e) => setRemarks(e.currentTarget.value)}
      />
      <SignatureFields
        meaning="verified"
        totp={me.totpEnrolled}
        password={password}
        onPasswordChange={setPassword}
        totpCode={totpCode}
        onTotpCodeChange={setTotpCode}
      />
      <Textarea
        label={t('signature.comment')}
        autosize
        minRows={1}
        maxLength={2000}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
      />
    </FormModal>
  );
}

/** What did not match, per label and field: what the label carries and what it should carry now. */
function InspectionFindings({ findings }: { findings: NonNullable<LabelJob['inspection']>['findings'] }) {
  const { t } = useTranslation();
  if (!findings.length) return null;
  return (
    <Table withRowBorders={false} fz="xs" data-testid="inspection-findings">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('traceability.labels.position')}</Table.Th>
          <Table.Th>{t('traceability.labels.field')}</Table.Th>
          <Table.Th>{t('traceability.labels.onLabel')}</Table.Th>
          <Table.Th>{t('traceability.labels.expected')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {findings.map((f) => (
          <Table.Tr key={`${f.position}:${f.field}`}>
            <Table.Td>{f.position ?? ''}</Table.Td>
            <Table.Td>{t(`traceability.labelFindingFields.${f.field}`)}</Table.Td>
            <Table.Td ff="monospace">{f.onLabel ?? '—'}</Table.Td>
            <Table.Td ff="monospace">{f.expected ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A job's inspection as the table shows it: result, inspector, time and meaning, and any findings. */
function InspectionCell({ job }: { job: LabelJob }) {
  const { t } = useTranslation();
  const i = job.inspection;
  if (!i)
    return (
      <Text size="sm" c="dimmed">
        {t('traceability.labels.notInspected')}
      </Text>
    );
  return (
    <Stack gap={2}>
      <Badge color={i.result === 'pass' ? 'green' : 'red'} variant="light">
        {t(`traceability.labelInspectionResults.${i.result}`)}
      </Badge>
      <Text size="xs" c="dimmed">
        {t('esign.manifestation', {
          name: i.inspectedBy.name,
          login: i.inspectedBy.login,
          time: formatDateTime(i.inspectedAt),
          meaning: t(`esign.meaning.${i.meaning}`),
        })}
      </Text>
      <InspectionFindings findings={i.findings} />
    </Stack>
  );
}

/** The label history of a lot or work order: every print job, its UDI, inspection, counts and reconciliation. */
export function LabelJobsTable({ jobs }: { jobs: readonly LabelJob[] }) {
  const { t } = useTranslation();
  const me = useMe();
  const href = useOutputHref();
  const [reconciling, setReconciling] = useState<LabelJob | null>(null);
  const [inspecting, setInspecting] = useState<LabelJob | null>(null);
  if (!jobs.length) return <Text c="dimmed">{t('traceability.labels.empty')}</Text>;
  return (
    <>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('traceability.labels.number')}</Table.Th>
            <Table.Th>{t('traceability.labels.units')}</Table.Th>
            <Table.Th>{t('traceability.labels.level')}</Table.Th>
            <Table.Th>{t('traceability.labels.quantityPrinted')}</Table.Th>
            <Table.Th>{t('traceability.labels.used')}</Table.Th>
            <Table.Th>{t('traceability.labels.destroyed')}</Table.Th>
            <Table.Th>{t('traceability.labels.status')}</Table.Th>
            <Table.Th>{t('traceability.labels.inspection')}</Table.Th>
            <Table.Th>{t('traceability.labels.printedBy')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((j) => (
            <Table.Tr key={j.id}>
              <Table.Td>{j.number}</Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  {j.units.slice(0, 5).map((u) => (
                    <Text key={u.lotId} size="xs" ff="monospace" title={t('traceability.labels.udi')}>
                      {u.humanReadable}
                    </Text>
                  ))}
                  {j.units.length > 5 && <Text size="xs">… {j.units.length}</Text>}
                </Stack>
              </Table.Td>
              <Table.Td>{t(`traceability.packagingLevels.${j.packagingLevel}`)}</Table.Td>
              <Table.Td>{j.quantityPrinted}</Table.Td>
              <Table.Td>{j.quantityUsed ?? ''}</Table.Td>
              <Table.Td title={j.destroyedReason ?? undefined}>{j.quantityDestroyed ?? ''}</Table.Td>
              <Table.Td>
                <Badge color={j.status === 'reconciled' ? 'green' : 'yellow'} variant="light">
                  {t(`traceability.labelStatuses.${j.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <InspectionCell job={j} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{j.printedBy.name}</Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(j.printedAt)}
                </Text>
                {j.reconciledBy && j.reconciledAt && (
                  <Text size="xs" c="dimmed">
                    {t('traceability.labels.reconciledBy')}: {j.reconciledBy.name}, {formatDateTime(j.reconciledAt)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {can(me, P.traceabilityRead) && (
                    <Anchor href={href(j)} download size="sm">
                      {t('traceability.labels.download')}
                    </Anchor>
                  )}
                  {can(me, P.traceabilitySignVerified) && !j.inspection && (
                    <Button
                      size="compact-xs"
                      variant="light"
                      leftSection={<IconSignature size={14} aria-hidden />}
                      onClick={() => setInspecting(j)}
                      data-testid="inspect-labels"
                    >
                      {t('traceability.labels.inspect')}
                    </Button>
                  )}
                  {can(me, P.traceabilityReconcile) && j.status === 'printed' && (
                    <Button size="compact-xs" variant="light" onClick={() => setReconciling(j)}>
                      {t('traceability.labels.reconcile')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {reconciling && <ReconcileDialog job={reconciling} onClose={() => setReconciling(null)} />}
      {inspecting && <InspectDialog job={inspecting} onClose={() => setInspecting(null)} />}
    </>
  );
}

/** A lot's or serial's labels: print, and the jobs that labelled it. */
export function LotLabels({ lot }: { lot: { id: string; number: string } }) {
  const { t } = useTranslation();
  const me = useMe();
  const [printing, setPrinting] = useState(false);
  const scope = { lotId: lot.id };
  const jobs = useQuery({
    queryKey: labelsKey(scope),
    queryFn: () => get<Page<LabelJob>>('/traceability/labels', { lotId: lot.id, limit: 200 }),
  });
  return (
    <Stack>
      {can(me, P.traceabilityPrint) && (
        <Group justify="flex-end">
          <Button leftSection={<IconTags size={16} />} onClick={() => setPrinting(true)} data-testid="print-labels">
            {t('traceability.labels.print')}
          </Button>
        </Group>
      )}
      {jobs.error ? <Alert color="red">{problemMessage(jobs.error)}</Alert> : <LabelJobsTable jobs={jobs.data?.items ?? []} />}
      {printing && <PrintLabelsDialog lots={[lot]} onClose={() => setPrinting(false)} />}
    </Stack>
  );
}

/** A work order's labels: print for the lots or serials it made, every job with totals, reconcile. */
export function WorkOrderLabelsSection({
  workOrderId,
  lots,
}: {
  workOrderId: string;
  lots: ReadonlyArray<{ id: string; number: string }>;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const [printing, setPrinting] = useState(false);
  const labels = useQuery({
    queryKey: labelsKey({ workOrderId }),
    queryFn: () => get<WorkOrderLabels>(`/traceability/work-orders/${workOrderId}/labels`),
    enabled: can(me, P.traceabilityRead),
  });
  if (!can(me, P.traceabilityRead)) return null;
  const totals = labels.data?.totals;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Group gap="xs">
          <Text fw={600}>{t('traceability.labels.history')}</Text>
          {totals && (
            <Badge variant="light" color={totals.reconciled ? 'green' : 'yellow'}>
              {t('traceability.labels.totals', totals)}
            </Badge>
          )}
          {totals && totals.uninspected > 0 && (
            <Badge variant="light" color="yellow">
              {t('traceability.labels.uninspected', { count: totals.uninspected })}
            </Badge>
          )}
        </Group>
        {can(me, P.traceabilityPrint) && lots.length > 0 && (
          <Button variant="light" leftSection={<IconTags size={16} />} onClick={() => setPrinting(true)} data-testid="print-labels">
            {t('traceability.labels.print')}
          </Button>
        )}
      </Group>
      {labels.error ? <Alert color="red">{problemMessage(labels.error)}</Alert> : <LabelJobsTable jobs={labels.data?.jobs ?? []} />}
      {printing && <PrintLabelsDialog lots={lots} workOrderId={workOrderId} onClose={() => setPrinting(false)} />}
    </Stack>
  );
}
