import { Button, Select, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import i18n from '../../i18n';
import { DefectClassBadge, NcrStatus } from './common';
import { RaiseNcrForm } from './RaiseNcrForm';
import { DEFECT_CLASSES, NCR_STATUSES, type NcrSummary } from './types';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const columns: Column<NcrSummary>[] = [
  {
    key: 'number',
    labelKey: 'nonconformance.fields.number',
    render: (n) => (
      <AnchorLink to="/nonconformance/ncrs/$ncrId" params={{ ncrId: n.id }} style={NOWRAP}>
        {n.number}
      </AnchorLink>
    ),
    text: (n) => n.number,
  },
  {
    key: 'defectClass',
    labelKey: 'nonconformance.fields.defectClass',
    render: (n) => <DefectClassBadge value={n.defectClass} />,
    text: (n) => i18n.t(`nonconformance.defectClasses.${n.defectClass}`),
  },
  {
    key: 'source',
    labelKey: 'nonconformance.fields.source',
    text: (n) => i18n.t(`nonconformance.sources.${n.source}`),
  },
  {
    key: 'description',
    labelKey: 'nonconformance.fields.description',
    render: (n) => (
      <Text size="sm" lineClamp={2}>
        {n.description}
      </Text>
    ),
    text: (n) => n.description,
  },
  { key: 'quantity', labelKey: 'nonconformance.fields.quantity' },
  { key: 'openQuantity', labelKey: 'nonconformance.fields.openQuantity' },
  {
    key: 'status',
    labelKey: 'nonconformance.fields.status',
    render: (n) => <NcrStatus status={n.status} />,
    text: (n) => i18n.t(`nonconformance.statuses.${n.status}`),
  },
  { key: 'createdBy', labelKey: 'nonconformance.fields.createdBy', optional: true },
  { key: 'createdAt', labelKey: 'nonconformance.fields.createdAt', text: (n) => formatDateTime(n.createdAt) },
  { key: 'closedAt', labelKey: 'nonconformance.fields.closedAt', text: (n) => formatDateTime(n.closedAt), optional: true },
];

/** Nonconformance reports, newest first: search, status and class filters, CSV export, and raising a new one. */
export function NcrsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [status, setStatus] = useState<string | null>('open');
  const [defectClass, setDefectClass] = useState<string | null>(null);
  const [raising, setRaising] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.ncrs')}
      </Title>
      <DataTable<NcrSummary>
        id="ncrs"
        path="/nonconformance/ncrs"
        columns={columns}
        rowKey={(n) => n.id}
        filters={{ status: status ?? undefined, defectClass: defectClass ?? undefined }}
        filterControls={
          <>
            <Select
              aria-label={t('nonconformance.fields.status')}
              placeholder={t('nonconformance.list.allStatuses')}
              clearable
              data={NCR_STATUSES.map((s) => ({ value: s, label: t(`nonconformance.statuses.${s}`) }))}
              value={status}
              onChange={setStatus}
              w={170}
            />
            <Select
              aria-label={t('nonconformance.fields.defectClass')}
              placeholder={t('nonconformance.list.allClasses')}
              clearable
              data={DEFECT_CLASSES.map((c) => ({ value: c, label: t(`nonconformance.defectClasses.${c}`) }))}
              value={defectClass}
              onChange={setDefectClass}
              w={170}
            />
          </>
        }
        actions={
          can(me, P.ncrRaise) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setRaising(true)}>
              {t('nonconformance.raise.title')}
            </Button>
          )
        }
        emptyKey="nonconformance.list.empty"
      />
      {raising && <RaiseNcrForm onClose={() => setRaising(false)} />}
    </Stack>
  );
}
