import { Alert, Badge, Button, Group, List, Stack, Table, Text } from '@mantine/core';
import { IconSignature } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { formatDecimal } from '../../components/decimal';
import { formatDate, formatDateTime } from '../../components/format';
import { Manifestation } from '../../components/Manifestation';
import { PrintButton } from '../../components/PrintButton';
import { SignatureDialog } from '../../components/SignatureDialog';
import type { Signature, SignatureInput } from '../../components/signatures';
import { problemMessage } from '../../i18n';
import { LotLink, LotStatusBadge } from '../inventory/common';
import type { DeviceHistoryRecord, WorkOrder } from './types';

/** Lots and serials listed on the screen; the PDF lists every one. */
const SHOWN_LOTS = 200;

const DHR_COLORS = { open: 'gray', reviewed: 'blue', released: 'green' } as const;

/**
 * The work order's electronic device history record as QA reads it before signing: what still
 * blocks review or release, dates and quantities, the lots consumed, every operation with its
 * operator, equipment and calibration, values against limits, inspection results, NCRs, labels,
 * the lots or serials made and the signatures; review and release are two signatures by two people.
 */
export function DhrPanel({ order }: { order: WorkOrder }) {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const [signing, setSigning] = useState<'review' | 'release' | null>(null);
  const key = ['production', 'work-order', order.id, 'dhr'];
  const query = useQuery({ queryKey: key, queryFn: () => get<DeviceHistoryRecord>(`/production/work-orders/${order.id}/dhr`) });
  const d = query.data;
  if (!d) return query.error ? <Alert color="red">{problemMessage(query.error)}</Alert> : null;
  const unit = d.quantities.unit;

  const sign =
    (step: 'review' | 'release') =>
    async (input: SignatureInput): Promise<Signature> => {
      const fresh = await api<DeviceHistoryRecord>('POST', `/production/work-orders/${order.id}/dhr/${step}`, {
        body: input,
        idempotencyKey: crypto.randomUUID(),
      });
      client.setQueryData(key, fresh);
      void client.invalidateQueries({ queryKey: ['production'] });
      const signature = fresh.signatures.find((s) => !d.signatures.some((before) => before.id === s.id));
      if (!signature) throw new Error(t('signature.missing'));
      return signature;
    };

  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="xs">
          <Text fw={600}>{t('production.dhr.title')}</Text>
          <Badge color={DHR_COLORS[d.workOrder.dhrStatus]} variant="light" data-testid="dhr-status">
            {t(`production.dhr.statuses.${d.workOrder.dhrStatus}`)}
          </Badge>
        </Group>
        <Group gap="xs">
          {d.allowed.review && can(me, P.productionSignReviewed) && (
            <Button leftSection={<IconSignature size={16} aria-hidden />} onClick={() => setSigning('review')}>
              {t('production.dhr.review')}
            </Button>
          )}
          {d.allowed.release && can(me, P.productionSignReleased) && (
            <Button color="green" leftSection={<IconSignature size={16} aria-hidden />} onClick={() => setSigning('release')}>
              {t('production.dhr.release')}
            </Button>
          )}
          <PrintButton path={`/production/work-orders/${order.id}/dhr/pdf`} label={t('production.dhr.pdf')} />
        </Group>
      </Group>

      {d.workOrder.dhrStatus !== 'released' &&
        (d.blockers.length ? (
          <Alert color="yellow" title={t('production.dhr.blockersTitle')} data-testid="dhr-blockers">
            <List size="sm">
              {d.blockers.map((b) => (
                <List.Item key={`${b.code}:${Object.values(b.params).join(':')}`}>
                  {t(`production.dhr.blockers.${b.code}`, b.params)}
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : (
          <Alert color="teal">{t('production.dhr.noBlockers')}</Alert>
        ))}

      <Details
        rows={[
          ['production.dhr.ordered', formatDecimal(d.quantities.ordered, unit)],
          ['production.dhr.made', formatDecimal(d.quantities.made, unit)],
          ['production.dhr.scrapped', formatDecimal(d.quantities.scrapped, unit)],
          ['production.dhr.releasedQuantity', formatDecimal(d.quantities.released, unit)],
          ['production.orders.frozenOn', formatDate(d.workOrder.frozenOn)],
          ['production.dhr.deviation', d.deviation ? `${d.deviation.number} · ${d.deviation.title}` : '—'],
          ['production.dhr.releasedAt', formatDateTime(d.dates.releasedAt)],
          ['production.dhr.firstStartedAt', formatDateTime(d.dates.firstStartedAt)],
          ['production.dhr.lastCompletedAt', formatDateTime(d.dates.lastCompletedAt)],
          ['production.dhr.reviewedAt', formatDateTime(d.dates.reviewedAt)],
          ['production.dhr.outputReleasedAt', formatDateTime(d.dates.releasedOutputAt)],
        ]}
      />

      <Text fw={600}>{t('production.dhr.lots')}</Text>
      {d.materials.length ? (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('production.materials.component')}</Table.Th>
              <Table.Th>{t('production.orders.revision')}</Table.Th>
              <Table.Th>{t('production.materials.issued')}</Table.Th>
              <Table.Th>{t('production.dhr.lots')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.materials.map((m) => (
              <Table.Tr key={m.lineNo}>
                <Table.Td>
                  {m.component.code} · {m.component.name}
                </Table.Td>
                <Table.Td>{m.revision ?? '—'}</Table.Td>
                <Table.Td>{formatDecimal(m.issuedQuantity, m.baseUnit)}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    {m.lots.map((l) => (
                      <LotLink key={l.lotId} lotId={l.lotId}>
                        {l.lotNumber} ({formatDecimal(l.quantity, m.baseUnit)})
                      </LotLink>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text c="dimmed">{t('production.dhr.noMaterials')}</Text>
      )}

      <Text fw={600}>{t('production.dhr.operations')}</Text>
      <Table data-testid="dhr-operations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('production.operations.sequence')}</Table.Th>
            <Table.Th>{t('production.operations.name')}</Table.Th>
            <Table.Th>{t('production.dhr.operator')}</Table.Th>
            <Table.Th>{t('production.execution.equipment')}</Table.Th>
            <Table.Th>{t('production.dhr.calibrationDue')}</Table.Th>
            <Table.Th>{t('production.dhr.completedAt')}</Table.Th>
            <Table.Th>{t('production.dhr.good')}</Table.Th>
            <Table.Th>{t('production.dhr.scrap')}</Table.Th>
            <Table.Th>{t('production.execution.parameters')}</Table.Th>
            <Table.Th>{t('production.dhr.inspections')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d.operations.map((o) => (
            <Table.Tr key={o.sequence}>
              <Table.Td>{o.sequence}</Table.Td>
              <Table.Td>
                {o.name}
                <Text size="xs" c="dimmed">
                  {o.workCenter.code}
                </Text>
              </Table.Td>
              <Table.Td>{o.operator?.name ?? '—'}</Table.Td>
              <Table.Td>{o.equipment ? `${o.equipment.code} · ${o.equipment.name}` : '—'}</Table.Td>
              <Table.Td>
                {o.calibration ? (
                  <Text size="sm" c={o.calibration === 'overdue' ? 'red' : undefined}>
                    {t(`production.dhr.calibration.${o.calibration}`, { due: o.calibrationDue ? formatDate(o.calibrationDue) : '—' })}
                  </Text>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>{formatDateTime(o.completedAt)}</Table.Td>
              <Table.Td>{o.goodQuantity === null ? '—' : formatDecimal(o.goodQuantity, unit)}</Table.Td>
              <Table.Td>
                {o.scrapQuantity === null ? '—' : formatDecimal(o.scrapQuantity, unit)}
                {o.scrapReason && ` (${t(`production.scrapReasons.${o.scrapReason}`)})`}
              </Table.Td>
              <Table.Td>
                {o.parameters.flatMap((p) =>
                  p.values.map((v) => (
                    <Text key={`${p.position}:${v.recordedAt}`} size="sm" c={v.withinLimits ? undefined : 'red'}>
                      {p.name}: {v.value} {p.unit}
                      {v.ncrNumber && ` · ${v.ncrNumber}`}
                    </Text>
                  )),
                )}
              </Table.Td>
              <Table.Td>
                {o.checks.map((c) => (
                  <Text key={`${c.kind}:${c.point}:${c.recordedAt}`} size="sm" c={c.result === 'pass' ? undefined : 'red'}>
                    {c.point ?? t(`production.checkKinds.${c.kind}`)}: {t(`production.checkResults.${c.result}`)}
                  </Text>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Text fw={600}>{t('production.dhr.ncrs')}</Text>
      {d.ncrs.length ? (
        <List size="sm">
          {d.ncrs.map((n) => (
            <List.Item key={n.id}>
              <AnchorLink to="/nonconformance/ncrs/$ncrId" params={{ ncrId: n.id }}>
                {n.number}
              </AnchorLink>{' '}
              · {t(`nonconformance.statuses.${n.status}`)} · {n.description}
            </List.Item>
          ))}
        </List>
      ) : (
        <Text c="dimmed">{t('production.dhr.noNcrs')}</Text>
      )}

      <Text fw={600}>{t('production.dhr.labels')}</Text>
      {d.labels.jobs.length ? (
        <Text size="sm">
          {t('production.dhr.labelsPrinted')}: {d.labels.printed} · {t('production.dhr.labelsUsed')}: {d.labels.used} ·{' '}
          {t('production.dhr.labelsDestroyed')}: {d.labels.destroyed}
        </Text>
      ) : null}
      {d.labels.jobs.length ? (
        <List size="sm" data-testid="dhr-label-jobs">
          {d.labels.jobs.map((j) => (
            <List.Item key={j.id}>
              {j.description} · {t('production.dhr.labelInspection')}:{' '}
              {j.inspection ? (
                <Text span c={j.inspection.result === 'pass' ? undefined : 'red'} size="sm">
                  {t('production.dhr.print.inspected', {
                    result: t(`production.dhr.labelInspectionResult.${j.inspection.result}`),
                    name: j.inspection.inspectedBy?.name ?? '—',
                    at: formatDateTime(j.inspection.inspectedAt),
                    meaning: t('esign.meaning.verified'),
                  })}
                </Text>
              ) : (
                <Text span c="dimmed" size="sm">
                  {t('production.dhr.labelNotInspected')}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      ) : (
        <Text c="dimmed">{t('production.dhr.noLabels')}</Text>
      )}

      <Text fw={600}>
        {t('production.dhr.serials')} ({d.output.lots.length})
      </Text>
      {d.output.lots.length ? (
        <Group gap="xs" data-testid="dhr-lots">
          {d.output.lots.slice(0, SHOWN_LOTS).map((l) => (
            <Group key={l.id} gap={4}>
              <LotLink lotId={l.id}>{l.number}</LotLink>
              <LotStatusBadge status={l.status} />
            </Group>
          ))}
        </Group>
      ) : (
        <Text c="dimmed">{t('production.output.none')}</Text>
      )}

      <Text fw={600}>{t('print.signatures')}</Text>
      {d.signatures.length ? (
        d.signatures.map((s) => <Manifestation key={s.id} signature={s} />)
      ) : (
        <Text c="dimmed">{t('print.noSignatures')}</Text>
      )}

      {signing && (
        <SignatureDialog
          opened
          onClose={() => setSigning(null)}
          meaning={signing === 'review' ? 'reviewed' : 'released'}
          recordLabel={`${order.number} — ${order.itemCode} ${order.itemName}`}
          totp={me.totpEnrolled}
          description={
            signing === 'review' ? t('production.dhr.reviewLead') : t('production.dhr.releaseLead', { count: d.output.lots.length })
          }
          sign={sign(signing)}
        />
      )}
    </Stack>
  );
}
