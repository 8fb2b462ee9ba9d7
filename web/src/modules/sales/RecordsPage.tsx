import { Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDecimal } from '../../components/decimal';
import { formatDate } from '../../components/format';
import type { SalesRecord } from './types';

const columns: Column<SalesRecord>[] = [
  { key: 'lot', labelKey: 'sales.records.lot', text: (r) => r.lotNumber },
  { key: 'quantity', labelKey: 'sales.records.quantity', text: (r) => formatDecimal(r.quantity) },
  { key: 'shippedOn', labelKey: 'sales.records.shippedOn', text: (r) => formatDate(r.shippedOn) },
  {
    key: 'shipment',
    labelKey: 'sales.records.shipment',
    render: (r) => (
      <AnchorLink to="/sales/shipments/$shipmentId" params={{ shipmentId: r.shipmentId }}>
        {r.shipmentNumber}
      </AnchorLink>
    ),
    text: (r) => r.shipmentNumber,
  },
  { key: 'shipTo', labelKey: 'sales.records.shipTo', text: (r) => r.shipToText },
  { key: 'udi', labelKey: 'sales.records.udi', text: (r) => r.udiHri ?? '' },
];

/** Sales records (销售记录): where a lot or serial went, to whom and when. */
export function RecordsPage() {
  const { t } = useTranslation();
  const initial = new URLSearchParams(window.location.search).get('lot') ?? '';
  const [lot, setLot] = useState(initial);
  const [debounced] = useDebouncedValue(lot.trim(), 300);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.salesRecords')}
      </Title>
      <TextInput
        size="lg"
        label={t('sales.records.search')}
        placeholder={t('sales.records.searchHint')}
        value={lot}
        onChange={(e) => setLot(e.currentTarget.value)}
        maw={480}
      />
      {debounced ? (
        <DataTable<SalesRecord>
          id="sales-records"
          path="/sales/records"
          columns={columns}
          rowKey={(r) => r.id}
          filters={{ lot: debounced }}
          searchable={false}
          emptyKey="sales.records.empty"
        />
      ) : (
        <Text c="dimmed">{t('sales.records.prompt')}</Text>
      )}
    </Stack>
  );
}
