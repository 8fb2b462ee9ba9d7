import { Alert, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { formatDecimal } from '../../components/decimal';
import { formatDate, formatDateTime } from '../../components/format';
import { PrintButton } from '../../components/PrintButton';
import { RecordPage } from '../../components/RecordPage';
import { InspectionStatus } from '../../components/StatusBadge';
import { problemMessage } from '../../i18n';
import { LotLink, LotStatusBadge } from '../inventory/common';
import { AttachCertificate, CertificateList, RecordedHash, type Uploaded } from './certificates';
import { OnTime } from './OrderPage';
import type { Conditions, ReceiptDetail } from './types';

export function conditionsText(c: Conditions): string {
  const parts = [
    ...(c.temperature ? [`${formatDecimal(c.temperature.value)} °${c.temperature.unit}`] : []),
    ...(c.humidity ? [`${formatDecimal(c.humidity.value)} %RH`] : []),
  ];
  return parts.join(' · ');
}

/** A goods receipt: what came against which order line, the lot it made, conditions, delivery and certificates. */
export function ReceiptPage() {
  const { t } = useTranslation();
  const { receiptId } = useParams({ from: '/app/purchasing/receipts/$receiptId' });
  const me = useMe();
  const queryClient = useQueryClient();
  const [justUploaded, setJustUploaded] = useState<Uploaded | null>(null);
  const receipt = useQuery({
    queryKey: ['purchasing', 'receipt', receiptId],
    queryFn: () => get<ReceiptDetail>(`/purchasing/receipts/${receiptId}`),
  });
  if (receipt.isPending) return <Loader aria-label={t('common.loading')} />;
  if (receipt.isError) return <Alert color="red">{problemMessage(receipt.error)}</Alert>;
  const r = receipt.data;

  return (
    <RecordPage
      list={{ to: '/purchasing/orders', labelKey: 'nav.purchaseOrders' }}
      title={r.number}
      subtitle={`${r.item.code} — ${r.item.name}`}
      status={<OnTime onTime={r.onTime} />}
      record={{ entity: 'receipts', id: r.id }}
      actions={can(me, P.qualityRead) ? <PrintButton path={`/purchasing/receipts/${r.id}/pdf`} /> : undefined}
      details={
        <Stack gap="md">
          <Details
            rows={[
              [
                'purchasing.receipts.order',
                <AnchorLink key="po" to="/purchasing/orders/$orderId" params={{ orderId: r.poId }}>
                  {r.poNumber}
                </AnchorLink>,
              ],
              ['purchasing.receipts.line', `${r.lineNo} · ${r.item.code} — ${r.item.name}`],
              ['purchasing.orders.supplier', `${r.supplier.code} — ${r.supplier.name}`],
              [
                'purchasing.receipts.lot',
                <Group key="lot" gap="xs">
                  <LotLink lotId={r.lotId}>{r.lot.number}</LotLink>
                  <LotStatusBadge status={r.lot.status} />
                </Group>,
              ],
              ['purchasing.receipts.quantity', formatDecimal(r.quantity, r.unit)],
              ['purchasing.receipts.supplierLot', r.supplierLot],
              ['purchasing.receive.manufacturedOn', formatDate(r.manufacturedOn)],
              ['purchasing.receive.expiresOn', formatDate(r.expiresOn)],
              ['purchasing.receipts.conditions', conditionsText(r.conditions)],
              ['purchasing.orders.site', `${r.site.code} — ${r.site.name}`],
              ['purchasing.receipts.receivedAt', formatDateTime(r.receivedAt)],
              ['purchasing.receipts.receivedBy', r.receivedBy],
              ...(can(me, P.qualityRead)
                ? [['purchasing.receipts.inspection', <ReceiptInspection key="inspection" lotId={r.lotId} />] as [string, ReactNode]]
                : []),
              [
                'purchasing.receipts.delivery',
                <Group key="delivery" gap="xs">
                  <OnTime onTime={r.onTime} />
                  <Text size="sm">
                    {t('purchasing.receipts.deliveryDates', { received: formatDate(r.receivedOn), due: formatDate(r.dueDate) })}
                  </Text>
                </Group>,
              ],
            ]}
          />
          <Title order={2} size="h4">
            {t('purchasing.certificates.title')}
          </Title>
          <CertificateList certificates={r.certificates} />
          {justUploaded && <RecordedHash sha256={justUploaded.certificate.sha256} localSha256={justUploaded.localSha256} />}
          {can(me, P.purchasingReceive) && (
            <AttachCertificate
              receiptId={r.id}
              onUploaded={(u) => {
                setJustUploaded(u);
                void queryClient.invalidateQueries({ queryKey: ['purchasing', 'receipt', r.id] });
                void queryClient.invalidateQueries({ queryKey: ['audit', 'receipts', r.id] });
              }}
            />
          )}
        </Stack>
      }
    />
  );
}

interface InspectionRef {
  id: string;
  number: string;
  status: string;
}

/** The incoming inspection the receipt opened, once the quality module has opened it. */
function ReceiptInspection({ lotId }: { lotId: string }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['purchasing', 'receipt-inspection', lotId],
    queryFn: () => get<{ items: InspectionRef[] }>('/quality/inspections', { lotId }),
    refetchInterval: (q) => (q.state.data?.items.length ? false : 3000),
  });
  const inspection = list.data?.items[0];
  if (!inspection) {
    return (
      <Text size="sm" c="dimmed">
        {t('purchasing.receipts.inspectionPending')}
      </Text>
    );
  }
  return (
    <Group gap="xs">
      <AnchorLink to="/quality/inspections/$inspectionId" params={{ inspectionId: inspection.id }}>
        {inspection.number}
      </AnchorLink>
      <InspectionStatus status={inspection.status} />
    </Group>
  );
}
