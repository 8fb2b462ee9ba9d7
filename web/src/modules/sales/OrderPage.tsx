import { Alert, Badge, Button, Group, Table, Text } from '@mantine/core';
import { IconScan } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { P } from '../../app/permissions';
import { inDays } from '../../app/screens';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDecimal, formatMoney } from '../../components/decimal';
import { formatDate } from '../../components/format';
import { RecordPage } from '../../components/RecordPage';
import { problemMessage } from '../../i18n';
import { isLate, type OrderDetail } from './types';

/** A sales order: its lines with what is shipped and open, its shipments, its history; confirm, pick, close or cancel. */
export function OrderPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { orderId } = useParams({ strict: false }) as { orderId: string };
  const client = useQueryClient();
  const order = useQuery({ queryKey: ['sales', 'order', orderId], queryFn: () => get<OrderDetail>(`/sales/orders/${orderId}`) });
  const step = useMutation({
    mutationFn: ({ verb, comment }: { verb: string; comment?: string }) =>
      post(`/sales/orders/${orderId}/${verb}`, comment ? { comment } : {}),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sales'] }),
  });
  const o = order.data;
  if (!o) return order.error ? <Alert color="red">{problemMessage(order.error)}</Alert> : null;
  const late = isLate(o, inDays(0));
  const allowed = (s: string) => o.allowedTransitions.includes(s as never);
  const actions =
    can(me, P.salesOrder) || can(me, P.salesShip) ? (
      <Group>
        {can(me, P.salesOrder) && allowed('confirmed') && (
          <Button onClick={() => step.mutate({ verb: 'confirm' })} loading={step.isPending}>
            {t('sales.orders.confirm')}
          </Button>
        )}
        {can(me, P.salesShip) && (o.status === 'confirmed' || o.status === 'partially_shipped') && (
          <Button
            onClick={() => navigate({ to: '/sales/orders/$orderId/pick', params: { orderId: o.id } })}
            leftSection={<IconScan size={16} />}
          >
            {t('sales.orders.pick')}
          </Button>
        )}
        {can(me, P.salesOrder) && allowed('closed') && (
          <Button variant="light" onClick={() => step.mutate({ verb: 'close' })}>
            {t('sales.orders.close')}
          </Button>
        )}
        {can(me, P.salesOrder) && allowed('cancelled') && (
          <Button
            variant="subtle"
            color="red"
            onClick={() => {
              const comment = window.prompt(t('sales.orders.cancelReason'));
              if (comment?.trim()) step.mutate({ verb: 'cancel', comment: comment.trim() });
            }}
          >
            {t('sales.orders.cancel')}
          </Button>
        )}
      </Group>
    ) : undefined;
  return (
    <RecordPage
      list={{ to: '/sales/orders', labelKey: 'nav.salesOrders' }}
      title={o.number}
      subtitle={o.customerReference ?? undefined}
      status={
        <Group gap="xs">
          <Badge>{t(`sales.orderStatuses.${o.status}`)}</Badge>
          {late && <Badge color="red">{t('sales.orders.late')}</Badge>}
        </Group>
      }
      actions={actions}
      notice={step.error ? <Alert color="red">{problemMessage(step.error)}</Alert> : undefined}
      record={{ entity: 'sales_orders', id: o.id }}
      details={
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sales.lines.line')}</Table.Th>
              <Table.Th>{t('sales.lines.quantity')}</Table.Th>
              <Table.Th>{t('sales.lines.shipped')}</Table.Th>
              <Table.Th>{t('sales.lines.open')}</Table.Th>
              <Table.Th>{t('sales.lines.price')}</Table.Th>
              <Table.Th>{t('sales.lines.requested')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {o.lines.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>{l.lineNo}</Table.Td>
                <Table.Td>{formatDecimal(l.quantity)}</Table.Td>
                <Table.Td>{formatDecimal(l.shippedQuantity)}</Table.Td>
                <Table.Td>{formatDecimal(l.openQuantity)}</Table.Td>
                <Table.Td>{formatMoney(l.unitPrice, o.currency)}</Table.Td>
                <Table.Td>
                  <Text size="sm" c={l.openQuantity !== '0' && l.requestedDate < inDays(0) ? 'red' : undefined}>
                    {formatDate(l.requestedDate)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      }
      tabs={[
        {
          value: 'shipments',
          labelKey: 'sales.shipments.title',
          count: o.shipments.length,
          panel: o.shipments.length ? (
            <Table>
              <Table.Tbody>
                {o.shipments.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      <AnchorLink to="/sales/shipments/$shipmentId" params={{ shipmentId: s.id }}>
                        {s.number}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td>{formatDate(s.shippedOn)}</Table.Td>
                    <Table.Td>{t('sales.shipments.lots', { count: s.lotCount })}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text c="dimmed">{t('sales.shipments.none')}</Text>
          ),
        },
      ]}
    />
  );
}
