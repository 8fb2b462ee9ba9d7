import { Alert, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { formatDecimal, parseDecimal, typedDecimal } from '../../components/decimal';
import { formatDateTime } from '../../components/format';
import { problemMessage } from '../../i18n';
import { DOWNTIME_REASONS, type OperationExecution, type OpParameter, SCRAP_REASONS } from './types';
import { forgetStoredState, useStoredState } from './useStoredState';

/** What the operator has typed, kept on the device until it is posted; one Idempotency-Key per pending action. */
interface Draft {
  equipmentId: string | null;
  values: Record<string, string>;
  good: string;
  scrap: string;
  rework: string;
  scrapReason: string | null;
  downtimeReason: string | null;
  downtimeNote: string;
  notes: Record<string, string>;
  keys: Record<string, string>;
}

const EMPTY: Draft = {
  equipmentId: null,
  values: {},
  good: '',
  scrap: '',
  rework: '',
  scrapReason: null,
  downtimeReason: null,
  downtimeNote: '',
  notes: {},
  keys: {},
};

/** Whether a typed value lies outside the parameter's limits; undefined while it is not a number. */
function outOfLimits(p: OpParameter, typed: string | undefined): boolean | undefined {
  const value = parseDecimal(typed);
  if (!value) return undefined;
  return (p.lowerLimit !== null && value.lt(p.lowerLimit)) || (p.upperLimit !== null && value.gt(p.upperLimit));
}

const limitsText = (p: OpParameter) =>
  p.lowerLimit !== null && p.upperLimit !== null
    ? `${formatDecimal(p.lowerLimit)} – ${formatDecimal(p.upperLimit, p.unit)}`
    : p.lowerLimit !== null
      ? `≥ ${formatDecimal(p.lowerLimit, p.unit)}`
      : `≤ ${formatDecimal(p.upperLimit, p.unit)}`;

/**
 * One operation on a 10-inch tablet: big buttons to start (with the work center's equipment; overdue
 * or out-of-service equipment cannot be chosen), pause with a downtime reason, resume and complete;
 * parameters with their limits shown and out-of-limit values marked before they are sent; inspection
 * points, first article and line clearance as pass/fail; good, scrap (reason) and rework.
 * Everything typed is kept on the device until the server has it, and each action keeps its
 * Idempotency-Key until answered, so a retry after a lost connection posts nothing twice.
 */
export function OperationPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { workOrderId, sequence } = useParams({ strict: false }) as { workOrderId: string; sequence: string };
  const path = `/production/work-orders/${workOrderId}/operations/${sequence}`;
  const storageKey = `mf.production.operation.${workOrderId}.${sequence}`;
  const [draft, setDraft] = useStoredState<Draft>(storageKey, EMPTY);
  const update = (changes: Partial<Draft>) => setDraft({ ...draft, ...changes });
  const queryKey = ['production', 'operation', workOrderId, sequence];
  const operation = useQuery({ queryKey, queryFn: () => get<OperationExecution>(path) });

  const action = useMutation({
    mutationFn: (a: { name: string; suffix: string; body: object; key: string }) =>
      api<OperationExecution>('POST', `${path}/${a.suffix}`, { body: a.body, idempotencyKey: a.key }),
    meta: { handlesErrors: true },
    onSuccess: (result, a) => {
      client.setQueryData(queryKey, result);
      client.invalidateQueries({ queryKey: ['production', 'operation-queue'] });
      const { [a.name]: _used, ...keys } = draft.keys;
      if (a.name === 'complete') {
        forgetStoredState(storageKey);
        navigate({ to: '/production/operations' });
        return;
      }
      update({ keys, ...(a.name === 'parameters' ? { values: {} } : {}), ...(a.name === 'pause' ? { downtimeNote: '' } : {}) });
    },
    onError: (err, a) => {
      // No answer (status 0): keep the key, so the retry is recognised. Any answer: the next try is a new request.
      if ((err as { status?: number }).status !== 0) {
        const { [a.name]: _answered, ...keys } = draft.keys;
        update({ keys });
      }
    },
  });
  const send = (name: string, suffix: string, body: object) => {
    const key = draft.keys[name] ?? crypto.randomUUID();
    update({ keys: { ...draft.keys, [name]: key } });
    action.mutate({ name, suffix, body, key });
  };

  const op = operation.data;
  if (!op) return operation.error ? <Alert color="red">{problemMessage(operation.error)}</Alert> : null;
  const busy = action.isPending;
  const running = op.status === 'running' || op.status === 'paused';
  const lastCheck = (kind: string, point: string | null) =>
    [...op.checks].reverse().find((c) => c.kind === kind && (c.point ?? null) === point)?.result;
  const typedValues = op.parameters
    .map((p) => ({ position: p.position, value: typedDecimal(draft.values[p.position] ?? '') }))
    .filter((v) => parseDecimal(v.value));

  const checkRow = (kind: 'inspection_point' | 'first_article' | 'line_clearance', point: string | null, label: string) => {
    const id = `${kind}:${point ?? ''}`;
    const last = lastCheck(kind, point);
    const note = draft.notes[id] ?? '';
    const record = (result: 'pass' | 'fail') =>
      send(`check:${id}`, 'checks', { kind, ...(point ? { point } : {}), result, ...(note.trim() ? { note: note.trim() } : {}) });
    return (
      <Card key={id} withBorder>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{label}</Text>
          {last ? <Badge color={last === 'pass' ? 'green' : 'red'}>{t(`production.checkResults.${last}`)}</Badge> : null}
        </Group>
        <TextInput
          mt="xs"
          size="lg"
          label={t('production.execution.note')}
          description={t('production.execution.noteHint')}
          value={note}
          onChange={(e) => update({ notes: { ...draft.notes, [id]: e.currentTarget.value } })}
        />
        <SimpleGrid cols={2} mt="sm">
          <Button size="xl" color="green" disabled={busy} onClick={() => record('pass')}>
            {t('production.checkResults.pass')}
          </Button>
          <Button size="xl" color="red" disabled={busy || !note.trim()} onClick={() => record('fail')}>
            {t('production.checkResults.fail')}
          </Button>
        </SimpleGrid>
      </Card>
    );
  };

  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <div>
          <Title order={1} size="h2">
            {op.number} · {t('production.execution.operationLabel', { sequence: op.sequence, name: op.name })}
          </Title>
          <Text c="dimmed">
            {op.itemCode} · {op.itemName} · {formatDecimal(op.orderQuantity, op.unit)}
          </Text>
        </div>
        <Group>
          <Badge size="xl" color={op.status === 'running' ? 'green' : op.status === 'paused' ? 'yellow' : 'gray'}>
            {t(`production.operationStatuses.${op.status}`)}
          </Badge>
          <Button size="lg" variant="default" onClick={() => navigate({ to: '/production/operations' })}>
            {t('production.execution.backToQueue')}
          </Button>
        </Group>
      </Group>

      {action.error ? <Alert color="red">{problemMessage(action.error)}</Alert> : null}
      {op.held ? (
        <Alert color="red" title={t('production.execution.held')}>
          {t('production.execution.heldDetail')}
        </Alert>
      ) : null}

      {op.status === 'pending' ? (
        <Stack>
          {op.lineClearanceRequired ? checkRow('line_clearance', null, t('production.checkKinds.line_clearance')) : null}
          <Select
            size="lg"
            label={t('production.execution.equipment')}
            placeholder={t('production.execution.noEquipment')}
            clearable
            value={draft.equipmentId}
            onChange={(equipmentId) => update({ equipmentId })}
            data={op.equipment.map((e) => ({
              value: e.id,
              disabled: e.status !== 'active' || e.calibrationOverdue,
              label:
                e.status !== 'active'
                  ? t('production.execution.equipmentOutOfService', { code: e.code, name: e.name })
                  : e.calibrationOverdue
                    ? t('production.execution.equipmentOverdue', { code: e.code, name: e.name })
                    : `${e.code} · ${e.name}`,
            }))}
          />
          <Button size="xl" h={80} disabled={busy} onClick={() => send('start', 'start', { equipmentId: draft.equipmentId })}>
            {t('production.execution.start')}
          </Button>
        </Stack>
      ) : null}

      {op.status === 'paused' ? (
        <Button size="xl" h={80} color="green" disabled={busy} onClick={() => send('resume', 'resume', {})}>
          {t('production.execution.resume')}
        </Button>
      ) : null}

      {running && op.parameters.length ? (
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">
            {t('production.execution.parameters')}
          </Title>
          <Stack>
            {op.parameters.map((p) => {
              const typed = draft.values[p.position];
              const out = outOfLimits(p, typed);
              return (
                <Group key={p.position} align="flex-end" wrap="nowrap">
                  <TextInput
                    flex={1}
                    size="lg"
                    inputMode="decimal"
                    label={`${p.name} (${p.unit})`}
                    description={t('production.execution.limits', { limits: limitsText(p) })}
                    value={typed ?? ''}
                    error={out ? t('production.execution.outOfLimits') : undefined}
                    onChange={(e) => update({ values: { ...draft.values, [p.position]: e.currentTarget.value } })}
                  />
                  {p.value !== null ? (
                    <Badge size="lg" color={p.withinLimits ? 'green' : 'red'}>
                      {t('production.execution.lastValue', { value: formatDecimal(p.value, p.unit) })}
                    </Badge>
                  ) : null}
                </Group>
              );
            })}
            <Button
              size="xl"
              disabled={busy || typedValues.length === 0}
              onClick={() => send('parameters', 'parameters', { values: typedValues })}
            >
              {t('production.execution.recordParameters')}
            </Button>
          </Stack>
        </Card>
      ) : null}

      {running && (op.inspectionPoints.length || op.firstArticleRequired) ? (
        <Stack>
          <Title order={2} size="h3">
            {t('production.execution.checks')}
          </Title>
          {op.firstArticleRequired ? checkRow('first_article', null, t('production.checkKinds.first_article')) : null}
          {op.inspectionPoints.map((point) => checkRow('inspection_point', point, point))}
        </Stack>
      ) : null}

      {op.status === 'running' ? (
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">
            {t('production.execution.pauseTitle')}
          </Title>
          <Group align="flex-end" grow>
            <Select
              size="lg"
              label={t('production.execution.downtimeReason')}
              value={draft.downtimeReason}
              onChange={(downtimeReason) => update({ downtimeReason })}
              data={DOWNTIME_REASONS.map((r) => ({ value: r, label: t(`production.downtimeReasons.${r}`) }))}
            />
            <TextInput
              size="lg"
              label={t('production.execution.note')}
              value={draft.downtimeNote}
              onChange={(e) => update({ downtimeNote: e.currentTarget.value })}
            />
          </Group>
          <Button
            mt="sm"
            size="xl"
            color="yellow"
            disabled={busy || !draft.downtimeReason}
            onClick={() =>
              send('pause', 'pause', {
                reason: draft.downtimeReason,
                ...(draft.downtimeNote.trim() ? { note: draft.downtimeNote.trim() } : {}),
              })
            }
          >
            {t('production.execution.pause')}
          </Button>
        </Card>
      ) : null}

      {op.status === 'running' ? (
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">
            {t('production.execution.completeTitle')}
          </Title>
          <SimpleGrid cols={3}>
            {(['good', 'scrap', 'rework'] as const).map((field) => (
              <TextInput
                key={field}
                size="lg"
                inputMode="numeric"
                label={t(`production.execution.${field}`, { unit: op.unit })}
                value={draft[field]}
                onChange={(e) => update({ [field]: e.currentTarget.value })}
              />
            ))}
          </SimpleGrid>
          {parseDecimal(draft.scrap)?.gt(0) ? (
            <Select
              mt="sm"
              size="lg"
              label={t('production.execution.scrapReason')}
              value={draft.scrapReason}
              onChange={(scrapReason) => update({ scrapReason })}
              data={SCRAP_REASONS.map((r) => ({ value: r, label: t(`production.scrapReasons.${r}`) }))}
            />
          ) : null}
          <Button
            mt="md"
            size="xl"
            h={80}
            fullWidth
            disabled={busy || !parseDecimal(draft.good) || op.held}
            onClick={() =>
              send('complete', 'complete', {
                goodQuantity: typedDecimal(draft.good),
                ...(parseDecimal(draft.scrap) ? { scrapQuantity: typedDecimal(draft.scrap) } : {}),
                ...(parseDecimal(draft.rework) ? { reworkQuantity: typedDecimal(draft.rework) } : {}),
                ...(draft.scrapReason && parseDecimal(draft.scrap)?.gt(0) ? { scrapReason: draft.scrapReason } : {}),
              })
            }
          >
            {t('production.execution.complete')}
          </Button>
        </Card>
      ) : null}

      {op.downtime.length ? (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            {t('production.execution.downtime')}
          </Title>
          <Table>
            <Table.Tbody>
              {op.downtime.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{t(`production.downtimeReasons.${d.reason}`)}</Table.Td>
                  <Table.Td>{formatDateTime(d.startedAt)}</Table.Td>
                  <Table.Td>{d.endedAt ? formatDateTime(d.endedAt) : t('production.execution.ongoing')}</Table.Td>
                  <Table.Td>{d.note}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}

      {op.status === 'completed' ? (
        <Alert color="green" title={t('production.operationStatuses.completed')}>
          {t('production.execution.completedSummary', {
            good: formatDecimal(op.goodQuantity),
            scrap: formatDecimal(op.scrapQuantity),
            rework: formatDecimal(op.reworkQuantity),
          })}
        </Alert>
      ) : null}
    </Stack>
  );
}
