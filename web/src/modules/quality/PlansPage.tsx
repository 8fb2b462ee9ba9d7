import { Badge, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDateTime } from '../../components/format';
import { RecordSelect } from '../../components/RecordSelect';
import i18n from '../../i18n';
import type { PlanSummary } from './types';

interface ItemOption {
  id: string;
  code: string;
  name: string;
}

const columns: Column<PlanSummary>[] = [
  {
    key: 'item',
    labelKey: 'quality.plans.item',
    render: (p) => (
      <Stack gap={0}>
        <AnchorLink to="/quality/plans/$itemId" params={{ itemId: p.itemId }}>
          {p.item.code}
        </AnchorLink>
        <Text size="xs" c="dimmed">
          {p.item.name}
        </Text>
      </Stack>
    ),
    text: (p) => `${p.item.code} ${p.item.name}`,
  },
  { key: 'aql', labelKey: 'quality.sampling.aql' },
  { key: 'inspectionLevel', labelKey: 'quality.sampling.level' },
  { key: 'characteristics', labelKey: 'quality.plans.characteristics' },
  {
    key: 'inUse',
    labelKey: 'quality.plans.inUse',
    render: (p) => (
      <div style={{ width: 'max-content' }}>
        {p.inUse ? (
          <Badge variant="light" color="orange">
            {i18n.t('quality.plans.inUseBadge')}
          </Badge>
        ) : (
          <Badge variant="light" color="gray">
            {i18n.t('quality.plans.editableBadge')}
          </Badge>
        )}
      </div>
    ),
    text: (p) => (p.inUse ? i18n.t('quality.plans.inUseBadge') : i18n.t('quality.plans.editableBadge')),
  },
  { key: 'updatedAt', labelKey: 'quality.plans.updatedAt', text: (p) => formatDateTime(p.updatedAt) },
];

/** Items with their incoming inspection plans: AQL, inspection level, characteristics. */
export function PlansPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [itemId, setItemId] = useState<string | null>(null);
  const [choosing, setChoosing] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.inspectionPlans')}
      </Title>
      <Text c="dimmed" size="sm">
        {t('quality.plans.defaultHelp')}
      </Text>
      <DataTable<PlanSummary>
        id="inspection-plans"
        path="/quality/inspection-plans"
        columns={columns}
        rowKey={(p) => p.id}
        searchable={false}
        filters={{ itemId: itemId ?? undefined }}
        filterControls={
          <RecordSelect<ItemOption>
            aria-label={t('quality.plans.item')}
            placeholder={t('quality.inspections.allItems')}
            path="/items"
            option={(i) => `${i.code} — ${i.name}`}
            value={itemId}
            onChange={(id) => setItemId(id)}
            w={280}
          />
        }
        actions={
          can(me, P.qualityInspect) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setChoosing(true)}>
              {t('quality.plans.forItem')}
            </Button>
          )
        }
        emptyKey="quality.plans.empty"
      />
      {choosing && <ChooseItem onClose={() => setChoosing(false)} />}
    </Stack>
  );
}

/** Opens the plan of any item, with or without a plan yet. */
function ChooseItem({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [itemId, setItemId] = useState<string | null>(null);
  return (
    <Modal opened onClose={onClose} title={t('quality.plans.forItem')} centered>
      <Stack>
        <RecordSelect<ItemOption>
          label={t('quality.plans.item')}
          path="/items"
          option={(i) => `${i.code} — ${i.name}`}
          value={itemId}
          onChange={(id) => setItemId(id)}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!itemId} onClick={() => itemId && navigate({ to: '/quality/plans/$itemId', params: { itemId } })}>
            {t('quality.plans.open')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
