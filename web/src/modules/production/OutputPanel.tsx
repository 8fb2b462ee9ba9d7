import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPackageImport } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { Decimal, formatDecimal, parseDecimal, typedDecimal } from '../../components/decimal';
import { FormModal, ReasonInput } from '../../components/FormModal';
import { formatDate, formatDateTime } from '../../components/format';
import { problemMessage } from '../../i18n';
import { LotLink, LotStatusBadge } from '../inventory/common';
import { WorkOrderLabelsSection } from '../traceability/LabelsPanel';
import type { WorkOrder, WorkOrderOutput } from './types';

/**
 * A work order's output: report what it made (a quantity for a batch, a number of serials for a
 * serial-controlled item; both go into quarantine, linked to the material issued), the reports
 * with who and when, and the lots or serials produced, each a link to its lot page and genealogy.
 */
export function OutputPanel({ order }: { order: WorkOrder }) {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const [reporting, setReporting] = useState(false);
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const [key, setKey] = useState(() => crypto.randomUUID());
  const output = useQuery({
    queryKey: ['production', 'work-order', order.id, 'output'],
    queryFn: () => get<WorkOrderOutput>(`/production/work-orders/${order.id}/output`),
  });
  const report = useMutation({
    mutationFn: () =>
      api('POST', `/production/work-orders/${order.id}/output`, {
        body: { quantity, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        idempotencyKey: key,
      }),
    onSuccess: () => {
      setReporting(false);
      setQuantity('');
      setReason('');
      setKey(crypto.randomUUID());
      return client.invalidateQueries({ queryKey: ['production'] });
    },
  });
  const o = output.data;
  if (!o) return output.error ? <Alert color="red">{problemMessage(output.error)}</Alert> : null;
  const serial = o.tracking === 'serial';
  const typed = parseDecimal(quantity);
  const beyond = typed ? new Decimal(o.reported).plus(typed).gt(new Decimal(o.limit)) : false;
  return (
    <Stack>
      <Group justify="space-between">
        <Text>
          {t('production.output.progress', {
            reported: formatDecimal(o.reported, order.unit),
            ordered: formatDecimal(o.ordered, order.unit),
            limit: formatDecimal(o.limit, order.unit),
          })}
        </Text>
        {can(me, P.productionOutput) && order.status === 'in_progress' && (
          <Button leftSection={<IconPackageImport size={16} />} onClick={() => setReporting(true)} data-testid="report-output">
            {t('production.output.report')}
          </Button>
        )}
      </Group>
      {o.reports.length ? (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('production.output.quantity')}</Table.Th>
              <Table.Th>{t('production.output.lotCount')}</Table.Th>
              <Table.Th>{t('production.output.reason')}</Table.Th>
              <Table.Th>{t('production.output.by')}</Table.Th>
              <Table.Th>{t('production.output.at')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {o.reports.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{formatDecimal(r.quantity, order.unit)}</Table.Td>
                <Table.Td>{r.lotCount}</Table.Td>
                <Table.Td>{r.reason ?? ''}</Table.Td>
                <Table.Td>{r.createdBy?.name ?? ''}</Table.Td>
                <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text c="dimmed">{t('production.output.none')}</Text>
      )}
      {o.lots.length > 0 && (
        <Stack gap="xs">
          <Group gap="xs">
            <Text fw={600}>{serial ? t('production.output.serials') : t('production.output.lots')}</Text>
            <Badge variant="light">{o.lotTotal}</Badge>
            {o.lotTotal > o.lots.length && (
              <Text size="sm" c="dimmed">
                {t('production.output.firstShown', { count: o.lots.length })}
              </Text>
            )}
          </Group>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('production.output.number')}</Table.Th>
                <Table.Th>{t('production.output.status')}</Table.Th>
                <Table.Th>{t('production.output.quantity')}</Table.Th>
                <Table.Th>{t('production.output.expires')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {o.lots.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <LotLink lotId={l.id} strong>
                      {l.number}
                    </LotLink>
                  </Table.Td>
                  <Table.Td>
                    <LotStatusBadge status={l.status} />
                  </Table.Td>
                  <Table.Td>{formatDecimal(l.quantity, order.unit)}</Table.Td>
                  <Table.Td>{l.expiresOn ? formatDate(l.expiresOn) : ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      <WorkOrderLabelsSection workOrderId={order.id} lots={o.lots} />
      {reporting && (
        <FormModal
          title={t('production.output.reportFor', { number: order.number })}
          onClose={() => setReporting(false)}
          onSubmit={(e) => {
            e.preventDefault();
            if (quantity) report.mutate();
          }}
          save={{ error: report.error, isPending: report.isPending }}
          submitLabel={t('production.output.report')}
          submitDisabled={!quantity || (beyond && !reason.trim())}
          lead={<Text>{t(serial ? 'production.output.leadSerial' : 'production.output.leadLot')}</Text>}
        >
          <TextInput
            label={serial ? t('production.output.serialCount') : t('production.output.quantityIn', { unit: order.unit })}
            inputMode={serial ? 'numeric' : 'decimal'}
            required
            data-autofocus
            value={quantity}
            onChange={(e) => setQuantity(typedDecimal(e.currentTarget.value))}
          />
          <ReasonInput
            label={t('production.output.reasonLabel')}
            description={t('production.output.reasonHint', { limit: formatDecimal(o.limit, order.unit) })}
            required={beyond}
            value={reason}
            onChange={setReason}
          />
        </FormModal>
      )}
    </Stack>
  );
}
