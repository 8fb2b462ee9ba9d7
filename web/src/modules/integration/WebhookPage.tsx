import { Alert, Badge, Button, Code, Group, Loader, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api/client';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { RecordPage } from '../../components/RecordPage';
import { problemMessage } from '../../i18n';
import { ShownOnce } from '../identity/OneTimePassword';
import type { Delivery, DeliveryStatus, Webhook } from './types';
import { WebhookStatus } from './WebhooksPage';

const STATUS_COLOR: Record<DeliveryStatus, string> = { pending: 'yellow', delivered: 'green', dead: 'red' };
const DELIVERY_STATUS_KEYS: Record<DeliveryStatus, string> = {
  pending: 'webhooks.deliveryStatus.pending',
  delivered: 'webhooks.deliveryStatus.delivered',
  dead: 'webhooks.deliveryStatus.dead',
};

/** One subscription: pause/resume, delete, and its delivery log with replay of any delivery. */
export function WebhookPage() {
  const { t } = useTranslation();
  const { webhookId } = useParams({ from: '/app/admin/webhooks/$webhookId' });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const webhook = useQuery({ queryKey: ['webhook', webhookId], queryFn: () => get<Webhook>(`/webhooks/${webhookId}`) });
  const toggle = useMutation({
    mutationFn: (w: Webhook) => api<Webhook>('PATCH', `/webhooks/${webhookId}`, { body: { active: !w.active }, version: w.version }),
    onSuccess: (w) => queryClient.setQueryData(['webhook', webhookId], w),
  });
  const remove = useMutation({
    mutationFn: (w: Webhook) => api('DELETE', `/webhooks/${webhookId}`, { version: w.version }),
    onSuccess: () => navigate({ to: '/admin/webhooks' }),
  });
  // A new signing secret, shown once; the previous one keeps signing for a day so the receiver can switch.
  const rotate = useMutation({
    mutationFn: (w: Webhook) =>
      api<Webhook & { secret: string }>('POST', `/webhooks/${webhookId}/rotate-secret`, { body: { overlapHours: 24 }, version: w.version }),
    onSuccess: ({ secret: _secret, ...w }) => queryClient.setQueryData(['webhook', webhookId], w),
  });
  const replay = useMutation({
    mutationFn: (id: string) => post(`/webhooks/deliveries/${id}/replay`),
    onSuccess: () => {
      notifySuccess(t('webhooks.replayed'));
      void queryClient.invalidateQueries({ queryKey: ['list', `/webhooks/${webhookId}/deliveries`] });
    },
  });
  if (webhook.isPending) return <Loader aria-label={t('common.loading')} />;
  if (webhook.isError) return <Alert color="red">{problemMessage(webhook.error)}</Alert>;
  const w = webhook.data;

  const columns: Column<Delivery>[] = [
    { key: 'createdAt', labelKey: 'webhooks.queuedAt', text: (d) => formatDateTime(d.createdAt) },
    { key: 'eventType', labelKey: 'webhooks.event' },
    {
      key: 'status',
      labelKey: 'webhooks.status',
      render: (d) => <Badge color={STATUS_COLOR[d.status]}>{t(DELIVERY_STATUS_KEYS[d.status])}</Badge>,
      text: (d) => t(DELIVERY_STATUS_KEYS[d.status]),
    },
    { key: 'attempts', labelKey: 'webhooks.attempts' },
    { key: 'lastStatusCode', labelKey: 'webhooks.lastStatusCode' },
    { key: 'lastError', labelKey: 'webhooks.lastError', optional: true },
    { key: 'deliveredAt', labelKey: 'webhooks.deliveredAt', text: (d) => formatDateTime(d.deliveredAt) },
    {
      key: 'replay',
      labelKey: 'webhooks.replay',
      text: () => '',
      render: (d) => (
        <Button
          size="compact-xs"
          variant="light"
          onClick={() => replay.mutate(d.id)}
          loading={replay.isPending && replay.variables === d.id}
        >
          {t('webhooks.replay')}
        </Button>
      ),
    },
  ];

  return (
    <RecordPage
      list={{ to: '/admin/webhooks', labelKey: 'nav.webhooks' }}
      title={w.url}
      subtitle={w.description}
      status={<WebhookStatus active={w.active} />}
      record={{ entity: 'webhook_subscriptions', id: w.id }}
      actions={
        <>
          <Button variant="default" onClick={() => toggle.mutate(w)} loading={toggle.isPending}>
            {w.active ? t('webhooks.pause') : t('webhooks.resume')}
          </Button>
          <Button variant="default" onClick={() => rotate.mutate(w)} loading={rotate.isPending}>
            {t('webhooks.rotateSecret')}
          </Button>
          {rotate.data && (
            <ShownOnce
              opened
              onClose={() => rotate.reset()}
              title={t('webhooks.secretRotated')}
              help={t('webhooks.rotatedHelp', { until: formatDateTime(rotate.data.previousSecretValidUntil) })}
              secret={rotate.data.secret}
              testId="webhook-rotated-secret"
            />
          )}
          <Button color="red" variant="light" onClick={() => remove.mutate(w)} loading={remove.isPending}>
            {t('common.delete')}
          </Button>
        </>
      }
      details={
        <Stack>
          <Table variant="vertical" withTableBorder>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={200}>{t('webhooks.eventTypes')}</Table.Th>
                <Table.Td>
                  <Group gap={4}>
                    {w.events.map((e) => (
                      <Code key={e}>{e}</Code>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('webhooks.createdAt')}</Table.Th>
                <Table.Td>{formatDateTime(w.createdAt)}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Title order={2} size="h4">
            {t('webhooks.deliveries')}
          </Title>
          <DataTable<Delivery>
            id="webhook-deliveries"
            path={`/webhooks/${w.id}/deliveries`}
            columns={columns}
            rowKey={(d) => d.id}
            searchable={false}
          />
        </Stack>
      }
    />
  );
}
