import { Alert, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../../api/client';
import { formatDecimal } from '../../components/decimal';
import { formatDate } from '../../components/format';
import { problemMessage } from '../../i18n';
import type { QueuedOperation, WorkCenterOption } from './types';
import { useStoredState } from './useStoredState';

/**
 * The operator's work queue on a tablet: choose the work center once (remembered on the device),
 * then the open operations of released and in-progress orders there, earliest due first, each a
 * large card; those whose previous operation is not yet completed are shown but cannot be opened.
 */
export function OperationQueuePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [workCenterId, setWorkCenterId] = useStoredState<string | null>('mf.production.workCenter', null);
  const centers = useQuery({
    queryKey: ['list', '/work-centers', { active: true }, 'all'],
    queryFn: () => get<Page<WorkCenterOption>>('/work-centers', { active: true, limit: 200 }),
  });
  const queue = useQuery({
    queryKey: ['production', 'operation-queue', workCenterId],
    queryFn: () => get<{ items: QueuedOperation[] }>('/production/operation-queue', { workCenterId }),
    enabled: Boolean(workCenterId),
    refetchInterval: 30_000,
  });
  const items = queue.data?.items ?? [];

  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        {t('production.execution.queueTitle')}
      </Title>
      <Select
        size="lg"
        label={t('production.execution.workCenter')}
        placeholder={t('production.execution.chooseWorkCenter')}
        data={(centers.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.code} · ${c.name}` }))}
        value={workCenterId}
        onChange={setWorkCenterId}
        searchable
      />
      {queue.error ? <Alert color="red">{problemMessage(queue.error)}</Alert> : null}
      {workCenterId && queue.isSuccess && items.length === 0 ? <Text c="dimmed">{t('production.execution.queueEmpty')}</Text> : null}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {items.map((q) => (
          <Card key={`${q.workOrderId}-${q.sequence}`} withBorder padding="lg">
            <Stack gap="xs">
              <Group justify="space-between">
                <Text fw={700} size="xl">
                  {q.number} · {t('production.execution.operationLabel', { sequence: q.sequence, name: q.name })}
                </Text>
                <Badge size="lg" color={q.held ? 'red' : q.status === 'running' ? 'green' : q.status === 'paused' ? 'yellow' : 'gray'}>
                  {q.held ? t('production.execution.held') : t(`production.operationStatuses.${q.status}`)}
                </Badge>
              </Group>
              <Text>
                {q.itemCode} · {q.itemName} · {formatDecimal(q.orderQuantity, q.unit)}
              </Text>
              <Text c="dimmed">{t('production.execution.due', { date: formatDate(q.dueDate) })}</Text>
              <Button
                size="xl"
                disabled={!q.ready}
                onClick={() =>
                  navigate({
                    to: '/production/work-orders/$workOrderId/operations/$sequence',
                    params: { workOrderId: q.workOrderId, sequence: String(q.sequence) },
                  })
                }
              >
                {q.ready ? t('production.execution.open') : t('production.execution.waiting')}
              </Button>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
