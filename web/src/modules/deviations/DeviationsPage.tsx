import { Badge, Button, Select, Stack, Title } from '@mantine/core';
import type { DeviationStatus } from '@server/modules/deviations/contract';
import { DEVIATION_STATUSES } from '@server/modules/deviations/contract';
import { useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, meQuery } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDate } from '../../components/format';
import i18n from '../../i18n';
import { DeviationForm } from './DeviationForm';

/** A deviation as the /deviations endpoints return it. */
export interface Deviation {
  id: string;
  number: string;
  title: string;
  reason: string;
  description: string;
  riskAssessment: string;
  itemId: string;
  itemRevisionId: string | null;
  supplierId: string | null;
  lots: string[];
  maxQuantity: string;
  unit: string;
  usedQuantity: string;
  remainingQuantity: string;
  validFrom: string;
  validUntil: string;
  status: DeviationStatus;
  author: { id: string; name: string };
}

export const statusKey = (s: string) => `deviations.statuses.${s}`;
const COLOR: Record<string, string> = { draft: 'gray', approved: 'green', closed: 'blue', expired: 'orange', cancelled: 'gray' };

export function DeviationStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={COLOR[status] ?? 'gray'}>
      {t(statusKey(status))}
    </Badge>
  );
}

const columns: Column<Deviation>[] = [
  {
    key: 'number',
    labelKey: 'deviations.number',
    render: (d) => (
      <AnchorLink to="/deviations/$deviationId" params={{ deviationId: d.id }}>
        {d.number}
      </AnchorLink>
    ),
  },
  { key: 'title', labelKey: 'deviations.title' },
  {
    key: 'status',
    labelKey: 'deviations.status',
    render: (d) => <DeviationStatusBadge status={d.status} />,
    text: (d) => i18n.t(statusKey(d.status)),
  },
  { key: 'remainingQuantity', labelKey: 'deviations.remaining', text: (d) => `${d.remainingQuantity} / ${d.maxQuantity} ${d.unit}` },
  { key: 'validFrom', labelKey: 'deviations.validFrom', text: (d) => formatDate(d.validFrom) },
  { key: 'validUntil', labelKey: 'deviations.validUntil', text: (d) => formatDate(d.validUntil) },
  { key: 'author', labelKey: 'deviations.author', text: (d) => d.author.name, optional: true },
];

/** Deviations and concessions, newest first, with what each still permits. */
export function DeviationsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  const [raising, setRaising] = useState(false);
  const { data: me } = useSuspenseQuery(meQuery);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.deviations')}
      </Title>
      <DataTable<Deviation>
        id="deviations"
        path="/deviations"
        columns={columns}
        rowKey={(d) => d.id}
        emptyKey="deviations.empty"
        actions={can(me, 'deviations:write') && <Button onClick={() => setRaising(true)}>{t('deviations.new')}</Button>}
        filters={{ status: status ?? undefined }}
        filterControls={
          <Select
            aria-label={t('deviations.status')}
            placeholder={t('deviations.allStatuses')}
            clearable
            data={DEVIATION_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
            value={status}
            onChange={setStatus}
            w={170}
          />
        }
      />
      {raising && <DeviationForm onClose={() => setRaising(false)} />}
    </Stack>
  );
}
