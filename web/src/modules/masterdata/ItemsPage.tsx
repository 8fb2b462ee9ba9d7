import { Button, Group, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import type { Column } from '../../components/DataTable';
import i18n from '../../i18n';
import { ActiveSelect, activeColumn, activeFilter, RevisionStatus, ValueSelect } from './common';
import { NewItemModal } from './ItemForms';
import { ListPage } from './ListPage';
import { codeColumn, ITEM } from './records';
import { ITEM_TYPES, type ItemSummary, TRACKING_MODES } from './types';

const columns: Column<ItemSummary>[] = [
  codeColumn(ITEM, 'masterdata.items.code'),
  { key: 'name', labelKey: 'masterdata.items.name' },
  { key: 'type', labelKey: 'masterdata.items.type', text: (i) => i18n.t(`masterdata.itemTypes.${i.type}`) },
  { key: 'baseUnit', labelKey: 'masterdata.items.baseUnit' },
  { key: 'tracking', labelKey: 'masterdata.items.tracking', text: (i) => i18n.t(`masterdata.tracking.${i.tracking}`) },
  { key: 'releasedRevision', labelKey: 'masterdata.items.releasedRevision' },
  {
    key: 'inWorkRevision',
    labelKey: 'masterdata.items.inWorkRevision',
    render: (i) =>
      i.inWorkRevision && i.inWorkStatus ? (
        <Group gap={6} wrap="nowrap">
          <Text size="sm">{i.inWorkRevision}</Text>
          <RevisionStatus status={i.inWorkStatus} />
        </Group>
      ) : (
        '—'
      ),
    text: (i) => (i.inWorkRevision ? `${i.inWorkRevision} (${i18n.t(`masterdata.revisionStatuses.${i.inWorkStatus}`)})` : ''),
  },
  { key: 'gtin', labelKey: 'masterdata.items.gtin', text: (i) => i.gtin ?? '', optional: true },
  {
    key: 'shelfLifeDays',
    labelKey: 'masterdata.items.shelfLifeDays',
    text: (i) => (i.shelfLifeDays ? String(i.shelfLifeDays) : ''),
    optional: true,
  },
  activeColumn(),
];

/** Items (parts, materials, devices): filter by type, tracking and status; search by code, name or GTIN. */
export function ItemsPage() {
  const { t } = useTranslation();
  const [type, setType] = useState<string | null>(null);
  const [tracking, setTracking] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>('true');
  const me = useMe();
  return (
    <ListPage<ItemSummary>
      title={t('nav.items')}
      create={{ label: t(ITEM.createLabel), permission: P.masterdataWrite, form: (close) => <NewItemModal onClose={close} /> }}
      id="masterdata.items"
      path={ITEM.path}
      columns={columns}
      rowKey={(i) => i.id}
      filters={{ type: type ?? undefined, tracking: tracking ?? undefined, active: activeFilter(active) }}
      filterControls={
        <>
          <ValueSelect
            aria-label={t('masterdata.items.type')}
            placeholder={t('masterdata.items.allTypes')}
            clearable
            values={ITEM_TYPES}
            prefix="masterdata.itemTypes"
            value={type}
            onChange={setType}
            w={170}
          />
          <ValueSelect
            aria-label={t('masterdata.items.tracking')}
            placeholder={t('masterdata.items.allTracking')}
            clearable
            values={TRACKING_MODES}
            prefix="masterdata.tracking"
            value={tracking}
            onChange={setTracking}
            w={170}
          />
          {can(me, P.traceabilityRead) && (
            // The UDI database export: every device identifier with NMPA and GUDID fields (docs/DECISIONS.md).
            <Button
              component="a"
              href="/api/v1/traceability/udi/device-identifiers.csv"
              download
              variant="default"
              leftSection={<IconDownload size={16} />}
            >
              {t('traceability.labels.udiExport')}
            </Button>
          )}
          <ActiveSelect value={active} onChange={setActive} />
        </>
      }
    />
  );
}
