import { Select, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDecimal } from '../../components/decimal';
import { formatDateTime } from '../../components/format';
import i18n from '../../i18n';
import { ReturnStatusBadge } from './ReturnStatusBadge';
import { RETURN_STATUSES, type ReturnSummary } from './types';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const columns: Column<ReturnSummary>[] = [
  {
    key: 'number',
    labelKey: 'sales.returns.number',
    render: (r) => (
      <AnchorLink to="/sales/returns/$returnId" params={{ returnId: r.id }} style={NOWRAP}>
        {r.number}
      </AnchorLink>
    ),
    text: (r) => r.number,
  },
  {
    key: 'status',
    labelKey: 'sales.returns.status',
    render: (r) => <ReturnStatusBadge status={r.status} />,
    text: (r) => i18n.t(`sales.returnStatuses.${r.status}`),
  },
  { key: 'customer', labelKey: 'sales.returns.customer', text: (r) => `${r.customer.code} — ${r.customer.name}` },
  {
    key: 'shipment',
    labelKey: 'sales.returns.shipment',
    render: (r) => (
      <AnchorLink to="/sales/shipments/$shipmentId" params={{ shipmentId: r.shipmentId }} style={NOWRAP}>
        {r.shipmentNumber}
      </AnchorLink>
    ),
    text: (r) => r.shipmentNumber,
  },
  { key: 'lots', labelKey: 'sales.returns.lots', text: (r) => r.lotNumbers.join(', ') },
  { key: 'authorised', labelKey: 'sales.returns.authorised', text: (r) => formatDecimal(r.authorisedQuantity) },
  { key: 'received', labelKey: 'sales.returns.received', text: (r) => formatDecimal(r.receivedQuantity) },
  { key: 'dispositioned', labelKey: 'sales.returns.dispositioned', text: (r) => formatDecimal(r.dispositionedQuantity), optional: true },
  { key: 'reason', labelKey: 'sales.returns.reason', text: (r) => r.reason, optional: true },
  { key: 'createdAt', labelKey: 'sales.returns.createdAt', text: (r) => formatDateTime(r.createdAt) },
];

/** Customers' returns, newest first: searched by number, lot or serial, or customer; by status; CSV export. */
export function ReturnsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.salesReturns')}
      </Title>
      <DataTable<ReturnSummary>
        id="sales-returns"
        path="/sales/returns"
        columns={columns}
        rowKey={(r) => r.id}
        filters={{ status: status ?? undefined }}
        filterControls={
          <Select
            aria-label={t('sales.returns.status')}
            placeholder={t('sales.returns.allStatuses')}
            clearable
            data={RETURN_STATUSES.map((s) => ({ value: s, label: t(`sales.returnStatuses.${s}`) }))}
            value={status}
            onChange={setStatus}
            w={200}
          />
        }
        emptyKey="sales.returns.empty"
      />
    </Stack>
  );
}
