import { Card, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { Details } from '../../components/Details';
import { formatDecimal } from '../../components/format';
import { RecordPage } from '../../components/RecordPage';
import { problemMessage } from '../../i18n';
import { ApprovedSupplierList } from './ApprovedSupplierList';
import { ActiveBadge, EditButton, QueryStatus, today } from './common';
import { addressText } from './PartyFields';
import { SUPPLIER, useRecord } from './records';
import { SupplierModal } from './SuppliersPage';
import type { DeliveryPerformance, Supplier } from './types';

/** One supplier: contact and address, its approved supplier list per item, and how it delivers. */
export function SupplierPage() {
  const { supplierId } = useParams({ from: '/app/suppliers/$supplierId' });
  const me = useMe();
  const supplier = useRecord<Supplier>(SUPPLIER, supplierId);
  const [editing, setEditing] = useState(false);
  if (!supplier.isSuccess) return <QueryStatus query={supplier} />;
  const s = supplier.data;
  return (
    <>
      <RecordPage
        list={{ to: '/suppliers', labelKey: 'nav.suppliers' }}
        title={s.code}
        subtitle={s.name}
        status={<ActiveBadge active={s.active} />}
        record={{ entity: 'suppliers', id: s.id }}
        actions={can(me, P.masterdataWrite) && <EditButton onClick={() => setEditing(true)} />}
        details={
          <Stack gap="xl">
            <SimpleGrid cols={{ base: 1, md: can(me, P.purchasingRead) ? 2 : 1 }}>
              <Details
                rows={[
                  ['masterdata.suppliers.code', s.code],
                  ['masterdata.suppliers.name', s.name],
                  ['masterdata.contact.name', s.contactName],
                  ['masterdata.contact.email', s.email],
                  ['masterdata.contact.phone', s.phone],
                  ['masterdata.address.title', addressText(s)],
                  ['masterdata.status', <ActiveBadge key="a" active={s.active} />],
                ]}
                labelWidth={160}
              />
              {can(me, P.purchasingRead) && <DeliveryPerformanceCard supplierId={s.id} />}
            </SimpleGrid>
            <ApprovedSupplierList supplier={s} />
          </Stack>
        }
      />
      {editing && <SupplierModal supplier={s} onClose={() => setEditing(false)} />}
    </>
  );
}

/** On-time delivery from purchasing's receipts: received on or before the line's due date. */
function DeliveryPerformanceCard({ supplierId }: { supplierId: string }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState('365');
  const from = period === 'all' ? undefined : new Date(Date.now() - Number(period) * 86_400_000).toISOString().slice(0, 10);
  const perf = useQuery({
    queryKey: ['delivery-performance', supplierId, from],
    queryFn: () =>
      get<DeliveryPerformance>(`/purchasing/suppliers/${supplierId}/delivery-performance`, { from, to: from ? today() : undefined }),
    meta: { handlesErrors: true },
  });
  return (
    <Card withBorder padding="md" data-testid="delivery-performance">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text fw={600}>{t('masterdata.suppliers.onTime')}</Text>
          <SegmentedControl
            size="xs"
            value={period}
            onChange={setPeriod}
            data={[
              { value: '90', label: t('masterdata.suppliers.days90') },
              { value: '365', label: t('masterdata.suppliers.days365') },
              { value: 'all', label: t('masterdata.suppliers.allTime') },
            ]}
          />
        </Group>
        {perf.isPending ? (
          <Loader size="sm" />
        ) : perf.isError ? (
          <Text size="sm" c="dimmed">
            {problemMessage(perf.error)}
          </Text>
        ) : perf.data.receipts === 0 ? (
          <Text size="sm" c="dimmed">
            {t('masterdata.suppliers.noReceipts')}
          </Text>
        ) : (
          <Stack gap={2}>
            <Text size="xl" fw={700}>
              {perf.data.onTimePercent === null ? '—' : `${formatDecimal(perf.data.onTimePercent)} %`}
            </Text>
            <Text size="sm" c="dimmed">
              {t('masterdata.suppliers.onTimeOf', { onTime: perf.data.onTime, receipts: perf.data.receipts })}
            </Text>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
