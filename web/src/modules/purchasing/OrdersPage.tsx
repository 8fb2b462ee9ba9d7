import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { IconPackageImport, IconPlus } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { compareDecimal, formatMoney } from '../../components/decimal';
import { formatDate, formatDateTime } from '../../components/format';
import { RecordSelect } from '../../components/RecordSelect';
import i18n from '../../i18n';
import { OrderStatus } from './common';
import { PO_STATUSES, type PurchaseOrder, type Supplier } from './types';

/** The earliest due date of the order's lines still waiting for goods, else of any line. */
function nextDue(po: PurchaseOrder): string | null {
  const waiting = po.lines.filter((l) => compareDecimal(l.receivedQuantity, l.quantity) < 0);
  const dates = (waiting.length ? waiting : po.lines).map((l) => l.dueDate).sort();
  return dates[0] ?? null;
}

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const columns: Column<PurchaseOrder>[] = [
  {
    key: 'number',
    labelKey: 'purchasing.orders.number',
    render: (po) => (
      <AnchorLink to="/purchasing/orders/$orderId" params={{ orderId: po.id }} style={NOWRAP}>
        {po.number}
      </AnchorLink>
    ),
  },
  {
    key: 'supplier',
    labelKey: 'purchasing.orders.supplier',
    render: (po) => (
      <Stack gap={0}>
        <Text size="sm">{po.supplier.code}</Text>
        <Text size="xs" c="dimmed">
          {po.supplier.name}
        </Text>
      </Stack>
    ),
    text: (po) => `${po.supplier.code} ${po.supplier.name}`,
  },
  { key: 'site', labelKey: 'purchasing.orders.site', text: (po) => po.site.code, optional: true },
  {
    key: 'status',
    labelKey: 'purchasing.orders.status',
    render: (po) => (
      <div style={{ width: 'max-content' }}>
        <OrderStatus status={po.status} />
      </div>
    ),
    text: (po) => i18n.t(`purchasing.orderStatuses.${po.status}`),
  },
  {
    key: 'items',
    labelKey: 'purchasing.orders.items',
    text: (po) => [...new Set(po.lines.map((l) => l.item.code))].join(', '),
  },
  {
    key: 'total',
    labelKey: 'purchasing.orders.total',
    render: (po) => (
      <Text size="sm" style={NOWRAP}>
        {formatMoney(po.total, po.currency)}
      </Text>
    ),
    text: (po) => formatMoney(po.total, po.currency),
  },
  {
    key: 'due',
    labelKey: 'purchasing.orders.due',
    render: (po) => (
      <Text size="sm" style={NOWRAP}>
        {formatDate(nextDue(po))}
      </Text>
    ),
    text: (po) => formatDate(nextDue(po)),
  },
  { key: 'createdAt', labelKey: 'purchasing.orders.createdAt', text: (po) => formatDateTime(po.createdAt), optional: true },
];

/** Purchase orders: by status and supplier, searched by number; buyers start a new one here. */
export function OrdersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [status, setStatus] = useState<string | null>(null);
  const [supplierId, setSupplierId] = useState<string | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('nav.purchaseOrders')}
        </Title>
        {can(me, P.purchasingReceive) && (
          <Button variant="light" component={Link} to="/purchasing/receive" leftSection={<IconPackageImport size={16} />}>
            {t('nav.receiving')}
          </Button>
        )}
      </Group>
      <DataTable<PurchaseOrder>
        id="purchase-orders"
        path="/purchasing/orders"
        columns={columns}
        rowKey={(po) => po.id}
        filters={{ status: status ?? undefined, supplierId: supplierId ?? undefined }}
        filterControls={
          <>
            <Select
              aria-label={t('purchasing.orders.status')}
              placeholder={t('purchasing.orders.allStatuses')}
              clearable
              data={PO_STATUSES.map((s) => ({ value: s, label: t(`purchasing.orderStatuses.${s}`) }))}
              value={status}
              onChange={setStatus}
              w={190}
            />
            <RecordSelect<Supplier>
              aria-label={t('purchasing.orders.supplier')}
              placeholder={t('purchasing.orders.allSuppliers')}
              path="/suppliers"
              option={(s) => `${s.code} — ${s.name}`}
              value={supplierId}
              onChange={(id) => setSupplierId(id)}
              w={260}
            />
          </>
        }
        actions={
          can(me, P.purchasingWrite) && (
            <Button component={Link} to="/purchasing/orders/new" leftSection={<IconPlus size={16} />}>
              {t('purchasing.orders.new')}
            </Button>
          )
        }
        emptyKey="purchasing.orders.empty"
      />
    </Stack>
  );
}
