import { Button, Select, Stack, Title } from '@mantine/core';
import { RECALL_STATUSES } from '@server/modules/recall/contract';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDate, formatDecimal } from '../../components/format';
import { StatusBadge } from '../../components/StatusBadge';
import i18n from '../../i18n';
import { type Recall, STATUS_COLORS } from './types';

export const statusKey = (s: string) => `recall.statuses.${s}`;

export function RecallStatusBadge({ status }: { status: string }) {
  return <StatusBadge prefix="recall.statuses" value={status} colors={STATUS_COLORS} />;
}

/** A China recall level or FDA class in words, or that there is none yet. */
export const levelText = (scheme: 'china' | 'fda', level: number | null) =>
  i18n.t(level ? `recall.${scheme}Levels.${level}` : 'recall.noLevel');

const columns: Column<Recall>[] = [
  {
    key: 'number',
    labelKey: 'recall.number',
    render: (r) => (
      <AnchorLink to="/recalls/$recallId" params={{ recallId: r.id }}>
        {r.number}
      </AnchorLink>
    ),
  },
  { key: 'title', labelKey: 'recall.title' },
  {
    key: 'status',
    labelKey: 'recall.status',
    render: (r) => <RecallStatusBadge status={r.status} />,
    text: (r) => i18n.t(statusKey(r.status)),
  },
  { key: 'chinaLevel', labelKey: 'recall.chinaLevel', text: (r) => levelText('china', r.chinaLevel) },
  { key: 'fdaClass', labelKey: 'recall.fdaClass', text: (r) => levelText('fda', r.fdaClass) },
  { key: 'initiatedOn', labelKey: 'recall.initiatedOn', text: (r) => formatDate(r.initiatedOn) },
  { key: 'effectiveness', labelKey: 'recall.effectiveness', text: (r) => formatDecimal(r.effectiveness, '%') },
  { key: 'author', labelKey: 'recall.author', text: (r) => r.author.name, optional: true },
];

/** Recalls and recall simulations, newest first; a new one starts from a recall query. */
export function RecallsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.recalls')}
      </Title>
      <DataTable<Recall>
        id="recalls"
        path="/recalls"
        columns={columns}
        rowKey={(r) => r.id}
        emptyKey="recall.empty"
        actions={
          <Button component={Link} to="/recalls/query">
            {t('recall.newQuery')}
          </Button>
        }
        filters={{ status: status ?? undefined }}
        filterControls={
          <Select
            aria-label={t('recall.status')}
            placeholder={t('recall.allStatuses')}
            clearable
            data={RECALL_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
            value={status}
            onChange={setStatus}
            w={170}
          />
        }
      />
    </Stack>
  );
}
