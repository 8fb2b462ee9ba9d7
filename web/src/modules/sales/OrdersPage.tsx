import { Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { inDays } from '../../app/screens';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatMoney } from '../../components/decimal';
import { formatDate } from '../../components/format';
import i18n from '../../i18n';
import { isLate, type SalesOrder, SO_STATUSES } from './types';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const columns: Column<SalesOrder>[] = [
  {
    key: 'number',
    labelKey: 'sales.orders.number',
    render: (o) => (
      <AnchorLink to="/sales/orders/$orderId" params={{ orderId: o.id }} style={NOWRAP}>
        {o.number}
      </AnchorLink>
    ),
    text: (o) => o.number,
  },
  { key: 'reference', labelKey: 'sales.orders.reference', text: (o) => o.customerReference ?? '' },
  { key: 'status', labelKey: 'sales.orders.status', text: (o) => i18n.t(`sales.orderStatuses.${o.status}`) },
  { key: 'total', labelKey: 'sales.orders.total', text: (o) => formatMoney(o.total, o.currency) },
  {
    key: 'requested',
    labelKey: 'sales.orders.requested',
    render: (o) => (
      <Text size="sm" c={isLate(o, inDays(0)) ? 'red' : undefined} fw={isLate(o, inDays(0)) ? 600 : undefined} style={NOWRAP}>
        {formatDate(o.nextRequestedDate)}
        {isLate(o, inDays(0)) ? ` · ${i18n.t('sales.orders.late')}` : ''}
      </Text>
    ),
    text: (o) => formatDate(o.nextRequestedDate),
  },
];

/** On-time delivery per month over the last six months: a small panel above the order list. */
function OnTimePanel() {
  const { t } = useTranslation();
  const kpi = useQuery({
    queryKey: ['sales', 'on-time'],
    queryFn: () =>
      get<Array<{ period: string; lines: number; onTime: number; percent: string | null }>>('/sales/kpi/on-time-delivery', {
        from: inDays(-183),
        to: inDays(0),
      }),
  });
  if (!kpi.data?.length) return null;
  return (
    <Paper withBorder p="sm">
      <Text fw={600} size="sm" mb="xs">
        {t('sales.kpi.onTime')}
      </Text>
      <SimpleGrid cols={{ base: 3, sm: 6 }}>
        {kpi.data.map((p) => (
          <Stack key={p.period} gap={0}>
            <Text size="xs" c="dimmed">
              {p.period}
            </Text>
            <Text fw={600}>{p.percent === null ? '—' : `${p.percent} %`}</Text>
            <Text size="xs" c="dimmed">
              {t('sales.kpi.lines', { onTime: p.onTime, lines: p.lines })}
            </Text>
          </Stack>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

/** Sales orders: searched by number or customer reference, by status; late orders in red. */
export function OrdersPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('nav.salesOrders')}
        </Title>
      </Group>
      <OnTimePanel />
      <DataTable<SalesOrder>
        id="sales-orders"
        path="/sales/orders"
        columns={columns}
        rowKey={(o) => o.id}
        filters={{ status: status ?? undefined }}
        filterControls={
          <Select
            aria-label={t('sales.orders.status')}
            placeholder={t('sales.orders.allStatuses')}
            clearable
            data={SO_STATUSES.map((s) => ({ value: s, label: t(`sales.orderStatuses.${s}`) }))}
            value={status}
            onChange={setStatus}
            w={200}
          />
        }
        emptyKey="sales.orders.empty"
      />
    </Stack>
  );
}
