import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDecimal } from '../../components/decimal';
import { formatDate, formatDateTime } from '../../components/format';
import { PrintButton } from '../../components/PrintButton';
import { problemMessage } from '../../i18n';
import { AuthoriseReturnForm } from './AuthoriseReturnForm';
import { ReturnStatusBadge } from './ReturnStatusBadge';
import type { ShipmentDocument } from './types';

/**
 * A shipment as its packing list shows it: cartons with SSCCs, lines with the exact lots and serials,
 * links to the order and the sales records, and the customer's returns against it (authorised here).
 */
export function ShipmentPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { shipmentId } = useParams({ strict: false }) as { shipmentId: string };
  const [authorising, setAuthorising] = useState(false);
  const doc = useQuery({
    queryKey: ['sales', 'shipment', shipmentId],
    queryFn: () => get<ShipmentDocument>(`/sales/shipments/${shipmentId}`),
  });
  const d = doc.data;
  if (!d) return doc.error ? <Alert color="red">{problemMessage(doc.error)}</Alert> : null;
  return (
    <Stack>
      <Group>
        <Title order={1} size="h2">
          {d.shipment.number}
        </Title>
        <Badge color="green">{t('sales.orderStatuses.shipped')}</Badge>
        <Group gap="xs" ml="auto">
          {can(me, P.salesReturnAuthorise) && (
            <Button variant="light" onClick={() => setAuthorising(true)}>
              {t('sales.returns.authorise.action')}
            </Button>
          )}
          {can(me, P.inventoryRead) && (
            <>
              <PrintButton path={`/sales/shipments/${d.shipment.id}/packing-list/pdf`} label={t('sales.print.printPackingList')} />
              <PrintButton
                path={`/sales/shipments/${d.shipment.id}/certificate-of-conformity/pdf`}
                label={t('sales.print.printCertificate')}
              />
            </>
          )}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('sales.shipments.order')}
          </Text>
          <AnchorLink to="/sales/orders/$orderId" params={{ orderId: d.shipment.orderId }}>
            {d.shipment.orderNumber}
          </AnchorLink>
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('sales.shipments.shipTo')}
          </Text>
          <Text size="sm">
            {d.customer.code} — {d.shipTo.name}, {d.shipTo.addressLine1}, {d.shipTo.city}, {d.shipTo.country}
          </Text>
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('sales.shipments.shippedOn')}
          </Text>
          <Text size="sm">
            {formatDate(d.shipment.shippedOn)} · {d.shipment.shippedBy}
          </Text>
        </Stack>
      </SimpleGrid>
      <Card withBorder>
        <Text fw={600}>{t('sales.shipments.cartons')}</Text>
        {d.cartons.map((c) => (
          <Text key={c.cartonNo} ff="monospace">
            {c.cartonNo}: (00){c.sscc}
          </Text>
        ))}
      </Card>
      {d.lines.map((line) => (
        <Card withBorder key={line.lineNo}>
          <Text fw={600}>
            {t('sales.lines.lineNo', { line: line.lineNo })} · {line.item.code} {line.item.name} · {formatDecimal(line.quantity)}
          </Text>
          <Table aria-label={t('sales.shipments.lotsOf', { line: line.lineNo })}>
            <Table.Tbody>
              {line.lots.map((l) => (
                <Table.Tr key={`${l.lotId}-${l.cartonNo}`}>
                  <Table.Td>
                    <AnchorLink to="/sales/records" search={{ lot: l.number }}>
                      {l.number}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>{formatDecimal(l.quantity)}</Table.Td>
                  <Table.Td>{formatDate(l.expiresOn)}</Table.Td>
                  <Table.Td>{t('sales.shipments.carton', { carton: l.cartonNo })}</Table.Td>
                  <Table.Td ff="monospace">{l.udiHri ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ))}
      <Card withBorder>
        <Text fw={600}>{t('sales.returns.title')}</Text>
        {d.returns.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('sales.returns.none')}
          </Text>
        ) : (
          <Table aria-label={t('sales.returns.title')}>
            <Table.Tbody>
              {d.returns.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <AnchorLink to="/sales/returns/$returnId" params={{ returnId: r.id }}>
                      {r.number}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <ReturnStatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td>{r.lotNumbers.join(', ')}</Table.Td>
                  <Table.Td>{formatDecimal(r.authorisedQuantity)}</Table.Td>
                  <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {authorising && <AuthoriseReturnForm shipment={d.shipment} onClose={() => setAuthorising(false)} />}
    </Stack>
  );
}
