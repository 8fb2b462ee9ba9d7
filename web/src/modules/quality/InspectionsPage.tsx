import { Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import { RecordSelect } from '../../components/RecordSelect';
import { InspectionStatus } from '../../components/StatusBadge';
import i18n from '../../i18n';
import { LotLink } from '../inventory/common';
import { SeverityBadge } from './common';
import { INSPECTION_STATUSES, type InspectionRow } from './types';

interface ItemOption {
  id: string;
  code: string;
  name: string;
}

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const columns: Column<InspectionRow>[] = [
  {
    key: 'number',
    labelKey: 'quality.inspections.number',
    render: (i) => (
      <AnchorLink to="/quality/inspections/$inspectionId" params={{ inspectionId: i.id }} style={NOWRAP}>
        {i.number}
      </AnchorLink>
    ),
  },
  {
    key: 'item',
    labelKey: 'quality.inspections.item',
    render: (i) => (
      <Stack gap={0}>
        <Text size="sm">{i.item.code}</Text>
        <Text size="xs" c="dimmed">
          {i.item.name}
        </Text>
      </Stack>
    ),
    text: (i) => `${i.item.code} ${i.item.name}`,
  },
  { key: 'supplier', labelKey: 'quality.inspections.supplier', text: (i) => i.supplier.code },
  {
    key: 'lot',
    labelKey: 'quality.inspections.lot',
    render: (i) => (
      <Stack gap={0}>
        <Text size="sm" style={NOWRAP}>
          <LotLink lotId={i.lotId}>{i.lot.number}</LotLink>
        </Text>
        <Text size="xs" c="dimmed">
          {i.lot.supplierLot}
        </Text>
      </Stack>
    ),
    text: (i) => i.lot.number,
  },
  { key: 'lotSize', labelKey: 'quality.inspections.lotSize' },
  {
    key: 'plan',
    labelKey: 'quality.inspections.plan',
    render: (i) => (
      <Text size="sm" style={NOWRAP}>
        {i18n.t('quality.inspections.planShort', { letter: i.codeLetter, n: i.sampleSize, ac: i.accept, re: i.reject })}
      </Text>
    ),
    text: (i) => i18n.t('quality.inspections.planShort', { letter: i.codeLetter, n: i.sampleSize, ac: i.accept, re: i.reject }),
  },
  {
    key: 'severity',
    labelKey: 'quality.sampling.severity',
    render: (i) => <SeverityBadge severity={i.severity} />,
    text: (i) => i18n.t(`quality.severities.${i.severity}`),
    optional: true,
  },
  {
    key: 'status',
    labelKey: 'quality.inspections.status',
    render: (i) => (
      <div style={{ width: 'max-content' }}>
        <InspectionStatus status={i.status} />
      </div>
    ),
    text: (i) => i18n.t(`quality.inspectionStatuses.${i.status}`),
  },
  { key: 'createdAt', labelKey: 'quality.inspections.createdAt', text: (i) => formatDateTime(i.createdAt) },
  { key: 'decidedBy', labelKey: 'quality.inspections.decidedBy', optional: true },
  { key: 'decidedAt', labelKey: 'quality.inspections.decidedAt', text: (i) => formatDateTime(i.decidedAt), optional: true },
];

/** Incoming inspections, newest first: open ones waiting for results and QA's disposition. */
export function InspectionsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>('open');
  const [itemId, setItemId] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.inspections')}
      </Title>
      <DataTable<InspectionRow>
        id="inspections"
        path="/quality/inspections"
        columns={columns}
        rowKey={(i) => i.id}
        filters={{ status: status ?? undefined, itemId: itemId ?? undefined }}
        filterControls={
          <>
            <Select
              aria-label={t('quality.inspections.status')}
              placeholder={t('quality.inspections.allStatuses')}
              clearable
              data={INSPECTION_STATUSES.map((s) => ({ value: s, label: t(`quality.inspectionStatuses.${s}`) }))}
              value={status}
              onChange={setStatus}
              w={170}
            />
            <RecordSelect<ItemOption>
              aria-label={t('quality.inspections.item')}
              placeholder={t('quality.inspections.allItems')}
              path="/items"
              option={(i) => `${i.code} — ${i.name}`}
              value={itemId}
              onChange={(id) => setItemId(id)}
              w={260}
            />
          </>
        }
        emptyKey="quality.inspections.empty"
      />
    </Stack>
  );
}
