import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { IconScan } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { Decimal, formatDecimal } from '../../components/decimal';
import { FormModal, ReasonInput } from '../../components/FormModal';
import { formatDate, formatDateTime } from '../../components/format';
import { RecordPage } from '../../components/RecordPage';
import { problemMessage } from '../../i18n';
import { DhrPanel } from './DhrPanel';
import { OutputPanel } from './OutputPanel';
import type { WorkOrderDetail, WoStatus } from './types';

const percent = (fraction: string) => `${formatDecimal(new Decimal(fraction).mul(100).toString())} %`;

/**
 * A work order: what it makes, its frozen material requirements with what is issued and open,
 * its frozen operations, the lots issued and returned, its history; release, complete, close,
 * cancel, and the way to the material screen.
 */
export function WorkOrderPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { workOrderId } = useParams({ strict: false }) as { workOrderId: string };
  const client = useQueryClient();
  const [cancelling, setCancelling] = useState(false);
  const [releasing, setReleasing] = useState(false);
  const [reason, setReason] = useState('');
  const [key] = useState(() => crypto.randomUUID());
  const order = useQuery({
    queryKey: ['production', 'work-order', workOrderId],
    queryFn: () => get<WorkOrderDetail>(`/production/work-orders/${workOrderId}`),
  });
  const step = useMutation({
    mutationFn: ({ verb, comment }: { verb: string; comment?: string }) =>
      api('POST', `/production/work-orders/${workOrderId}/${verb}`, { body: comment ? { comment } : {}, idempotencyKey: `${key}-${verb}` }),
    onSuccess: () => {
      setCancelling(false);
      setReleasing(false);
      return client.invalidateQueries({ queryKey: ['production'] });
    },
  });
  const o = order.data;
  if (!o) return order.error ? <Alert color="red">{problemMessage(order.error)}</Alert> : null;
  const allowed = (s: WoStatus) => o.allowedTransitions.includes(s);
  const open = o.status === 'released' || o.status === 'in_progress';
  const actions = (
    <Group>
      {can(me, P.productionRelease) && allowed('released') && (
        <Button onClick={() => setReleasing(true)}>{t('production.orders.release')}</Button>
      )}
      {can(me, P.productionIssue) && open && (
        <Button
          leftSection={<IconScan size={16} />}
          onClick={() => navigate({ to: '/production/work-orders/$workOrderId/material', params: { workOrderId: o.id } })}
        >
          {t('production.orders.issue')}
        </Button>
      )}
      {can(me, P.productionPlan) && allowed('completed') && (
        <Button variant="light" onClick={() => step.mutate({ verb: 'complete' })}>
          {t('production.orders.complete')}
        </Button>
      )}
      {can(me, P.productionPlan) && allowed('closed') && (
        <Button variant="light" onClick={() => step.mutate({ verb: 'close' })}>
          {t('production.orders.close')}
        </Button>
      )}
      {can(me, P.productionPlan) && allowed('cancelled') && (
        <Button variant="subtle" color="red" onClick={() => setCancelling(true)}>
          {t('production.orders.cancel')}
        </Button>
      )}
    </Group>
  );
  return (
    <>
      <RecordPage
        list={{ to: '/production/work-orders', labelKey: 'nav.workOrders' }}
        title={o.number}
        subtitle={`${o.itemCode} · ${o.itemName}`}
        status={<Badge>{t(`production.statuses.${o.status}`)}</Badge>}
        actions={actions}
        notice={step.error && !cancelling && !releasing ? <Alert color="red">{problemMessage(step.error)}</Alert> : undefined}
        record={{ entity: 'work_orders', id: o.id }}
        details={
          <Stack>
            <Details
              rows={[
                ['production.orders.item', `${o.itemCode} · ${o.itemName}`],
                ['production.orders.revision', o.revision],
                ['production.orders.quantity', formatDecimal(o.quantity, o.unit)],
                ['production.orders.due', formatDate(o.dueDate)],
                ['production.orders.frozenOn', formatDate(o.frozenOn)],
                ['production.orders.releasedBy', o.releasedBy ? `${o.releasedBy.name} · ${formatDateTime(o.releasedAt)}` : '—'],
                ['production.orders.createdBy', o.createdBy?.name ?? '—'],
                ['production.orders.notes', o.notes ?? '—'],
                ...(o.cancelReason ? ([['production.orders.cancelReason', o.cancelReason]] as Array<[string, string]>) : []),
              ]}
            />
            <Text fw={600}>{t('production.materials.title')}</Text>
            {o.materials.length ? (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('production.materials.line')}</Table.Th>
                    <Table.Th>{t('production.materials.component')}</Table.Th>
                    <Table.Th>{t('production.materials.per')}</Table.Th>
                    <Table.Th>{t('production.materials.scrap')}</Table.Th>
                    <Table.Th>{t('production.materials.required')}</Table.Th>
                    <Table.Th>{t('production.materials.issued')}</Table.Th>
                    <Table.Th>{t('production.materials.open')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {o.materials.map((m) => (
                    <Table.Tr key={m.lineNo}>
                      <Table.Td>{m.lineNo}</Table.Td>
                      <Table.Td>
                        {m.componentCode} · {m.componentName}
                      </Table.Td>
                      <Table.Td>{formatDecimal(m.quantityPer, m.unit)}</Table.Td>
                      <Table.Td>{percent(m.scrapFactor)}</Table.Td>
                      <Table.Td>{formatDecimal(m.requiredQuantity, m.baseUnit)}</Table.Td>
                      <Table.Td>{formatDecimal(m.issuedQuantity, m.baseUnit)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" c={m.openQuantity === '0' ? 'teal' : undefined}>
                          {formatDecimal(m.openQuantity, m.baseUnit)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed">{t('production.materials.none')}</Text>
            )}
          </Stack>
        }
        tabs={[
          { value: 'output', labelKey: 'production.output.title', panel: <OutputPanel order={o} /> },
          ...(o.status === 'draft' || o.status === 'cancelled'
            ? []
            : [{ value: 'dhr', labelKey: 'production.dhr.title', panel: <DhrPanel order={o} /> }]),
          {
            value: 'operations',
            labelKey: 'production.operations.title',
            count: o.operations.length,
            panel: o.operations.length ? (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('production.operations.sequence')}</Table.Th>
                    <Table.Th>{t('production.operations.name')}</Table.Th>
                    <Table.Th>{t('production.operations.setup')}</Table.Th>
                    <Table.Th>{t('production.operations.run')}</Table.Th>
                    <Table.Th>{t('production.operations.checks')}</Table.Th>
                    <Table.Th>{t('production.operations.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {o.operations.map((op) => (
                    <Table.Tr key={op.sequence}>
                      <Table.Td>{op.sequence}</Table.Td>
                      <Table.Td>
                        {can(me, P.productionExecute) && open ? (
                          <AnchorLink
                            to="/production/work-orders/$workOrderId/operations/$sequence"
                            params={{ workOrderId: o.id, sequence: String(op.sequence) }}
                          >
                            {op.name}
                          </AnchorLink>
                        ) : (
                          op.name
                        )}
                      </Table.Td>
                      <Table.Td>{formatDecimal(op.setupMinutes)}</Table.Td>
                      <Table.Td>{formatDecimal(op.runMinutesPerUnit)}</Table.Td>
                      <Table.Td>{op.inspectionPoints.join('; ')}</Table.Td>
                      <Table.Td>
                        <Badge color={op.held ? 'red' : op.status === 'completed' ? 'green' : 'gray'} variant="light">
                          {op.held ? t('production.execution.held') : t(`production.operationStatuses.${op.status}`)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed">{t('production.operations.none')}</Text>
            ),
          },
          {
            value: 'movements',
            labelKey: 'production.movements.title',
            count: o.movements.length,
            panel: o.movements.length ? (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('production.materials.line')}</Table.Th>
                    <Table.Th>{t('production.movements.kind')}</Table.Th>
                    <Table.Th>{t('production.movements.lot')}</Table.Th>
                    <Table.Th>{t('production.movements.quantity')}</Table.Th>
                    <Table.Th>{t('production.movements.reason')}</Table.Th>
                    <Table.Th>{t('production.movements.by')}</Table.Th>
                    <Table.Th>{t('production.movements.at')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {o.movements.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td>{m.lineNo}</Table.Td>
                      <Table.Td>{t(`production.movementKinds.${m.kind}`)}</Table.Td>
                      <Table.Td>{m.lotNumber ?? t('production.movements.noLot')}</Table.Td>
                      <Table.Td>{formatDecimal(m.quantity)}</Table.Td>
                      <Table.Td>{m.reason ?? ''}</Table.Td>
                      <Table.Td>{m.createdBy?.name ?? ''}</Table.Td>
                      <Table.Td>{formatDateTime(m.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed">{t('production.movements.none')}</Text>
            ),
          },
        ]}
      />
      {releasing && (
        <FormModal
          title={t('production.orders.release')}
          onClose={() => setReleasing(false)}
          onSubmit={(e) => {
            e.preventDefault();
            step.mutate({ verb: 'release' });
          }}
          save={{ error: step.error, isPending: step.isPending }}
          submitLabel={t('production.orders.release')}
          lead={<Text>{t('production.orders.releaseLead', { number: o.number })}</Text>}
        >
          <Details
            rows={[
              ['production.orders.item', `${o.itemCode} · ${o.itemName}`],
              ['production.orders.revision', o.revision],
              ['production.orders.quantity', formatDecimal(o.quantity, o.unit)],
            ]}
          />
        </FormModal>
      )}
      {cancelling && (
        <FormModal
          title={t('production.orders.cancel')}
          onClose={() => setCancelling(false)}
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) step.mutate({ verb: 'cancel', comment: reason.trim() });
          }}
          save={{ error: step.error, isPending: step.isPending }}
          submitLabel={t('production.orders.cancel')}
          submitColor="red"
          submitDisabled={!reason.trim()}
        >
          <ReasonInput label={t('production.orders.cancelReason')} required value={reason} onChange={setReason} />
        </FormModal>
      )}
    </>
  );
}
