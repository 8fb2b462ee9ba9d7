import { Group, SegmentedControl, Select, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconCalendarClock } from '@tabler/icons-react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable';
import { formatDecimal, isZero } from '../../components/decimal';
import { formatDate, formatDateTime } from '../../components/format';
import { RecordSelect } from '../../components/RecordSelect';
import i18n from '../../i18n';
import { addDays, EXPIRY_WARNING_DAYS, todayIn, useCurrentSite } from './calendar';
import { ExpiryDate, LotLink, LotStatusBadge, Quantity } from './common';
import { LOT_VIEWS, type LotsSearch, type LotView, lotsSearch } from './search';
import { type ItemListed, LOT_STATUSES, type Lot, type LotStatus } from './types';

function lotColumns(today: string): Column<Lot>[] {
  const t = i18n.t.bind(i18n);
  return [
    {
      key: 'number',
      labelKey: 'inventory.lot.number',
      sortable: true,
      render: (l) => (
        <LotLink lotId={l.id} strong>
          {l.number}
        </LotLink>
      ),
    },
    {
      key: 'kind',
      labelKey: 'inventory.lot.kind',
      text: (l) => t(`inventory.lotKinds.${l.kind}`),
      render: (l) => (
        <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
          {t(`inventory.lotKinds.${l.kind}`)}
        </Text>
      ),
    },
    {
      key: 'item',
      labelKey: 'inventory.lot.item',
      text: (l) => `${l.item.code} — ${l.item.name}`,
      render: (l) => (
        <Stack gap={0}>
          <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
            {l.item.code}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={1}>
            {l.item.name}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'status',
      labelKey: 'inventory.lot.status',
      text: (l) => t(`inventory.lotStatuses.${l.status}`),
      render: (l) => <LotStatusBadge status={l.status} holdReason={l.holdReason} />,
    },
    {
      key: 'onHand',
      labelKey: 'inventory.lot.onHand',
      text: (l) => formatDecimal(l.onHand, l.item.baseUnit),
      render: (l) => <Quantity value={l.onHand} unit={l.item.baseUnit} strong />,
    },
    {
      key: 'stock',
      labelKey: 'inventory.lot.where',
      optional: true,
      text: (l) => l.stock.map((s) => `${s.location.code} ${s.quantity}`).join('; '),
      render: (l) => (
        <Text size="xs" c="dimmed">
          {l.stock.map((s) => `${s.location.code} ${formatDecimal(s.quantity)}`).join(' · ') || '—'}
        </Text>
      ),
    },
    {
      key: 'supplier',
      labelKey: 'inventory.lot.supplier',
      text: (l) => (l.supplier ? `${l.supplier.code} — ${l.supplier.name}` : '—'),
      render: (l) =>
        l.supplier ? (
          <Tooltip label={l.supplier.name}>
            <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
              {l.supplier.code}
            </Text>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    { key: 'supplierLot', labelKey: 'inventory.lot.supplierLot' },
    {
      key: 'expiresOn',
      labelKey: 'inventory.lot.expiresOn',
      sortable: true,
      text: (l) => l.expiresOn ?? '',
      render: (l) => <ExpiryDate expiresOn={l.expiresOn} today={today} flag={!isZero(l.onHand)} />,
    },
    { key: 'manufacturedOn', labelKey: 'inventory.lot.manufacturedOn', optional: true, text: (l) => formatDate(l.manufacturedOn) },
    { key: 'createdAt', labelKey: 'inventory.lot.createdAt', optional: true, sortable: true, text: (l) => formatDateTime(l.createdAt) },
  ];
}

/** Lots and serials: find one by number, supplier lot or item; see what waits, what is held and what expires. */
export function LotsPage() {
  const { t } = useTranslation();
  const search: LotsSearch = useSearch({ from: '/app/inventory/lots' });
  const navigate = useNavigate({ from: '/inventory/lots' });
  const site = useCurrentSite();
  const today = todayIn(site?.timeZone);
  const view = search.view ?? 'all';
  const set = (changes: Partial<LotsSearch>) =>
    void navigate({ search: (s: LotsSearch) => lotsSearch({ ...s, ...changes }), replace: true });

  const fromView: Record<LotView, Record<string, string | boolean | undefined>> = {
    all: {},
    in_stock: { inStock: true },
    quarantine: { status: 'quarantine' },
    on_hold: { status: 'on_hold' },
    // Through the last day of the window: the API's bound is exclusive.
    expiring: { expiresBefore: addDays(today, EXPIRY_WARNING_DAYS + 1), inStock: true },
  };
  const filters = {
    itemId: search.itemId,
    status: search.status,
    expiresBefore: search.expiresBefore,
    ...fromView[view],
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {t('nav.lots')}
        </Title>
        <SegmentedControl
          aria-label={t('inventory.lots.quickFilter')}
          value={view}
          onChange={(v) => set({ view: v as LotView, status: undefined, expiresBefore: undefined })}
          data={LOT_VIEWS.map((v) => ({ value: v, label: t(`inventory.lots.views.${v}`) }))}
        />
      </Group>
      <DataTable<Lot>
        id="inventory-lots"
        path="/inventory/lots"
        columns={lotColumns(today)}
        rowKey={(l) => l.id}
        // What expires first comes first; otherwise the newest lots.
        defaultSort={view === 'expiring' ? 'expiresOn' : '-createdAt'}
        filters={filters}
        emptyKey="inventory.lots.empty"
        filterControls={
          <>
            <RecordSelect<ItemListed>
              path="/items"
              aria-label={t('inventory.lot.item')}
              placeholder={t('inventory.lots.allItems')}
              value={search.itemId ?? null}
              onChange={(id) => set({ itemId: id ?? undefined })}
              option={(i) => `${i.code} — ${i.name}`}
              w={230}
            />
            <Select
              aria-label={t('inventory.lot.status')}
              placeholder={t('inventory.lots.allStatuses')}
              clearable
              disabled={view === 'quarantine' || view === 'on_hold'}
              data={LOT_STATUSES.map((s) => ({ value: s, label: t(`inventory.lotStatuses.${s}`) }))}
              value={search.status ?? null}
              onChange={(s) => set({ status: (s as LotStatus | null) ?? undefined })}
              w={150}
            />
            <TextInput
              type="date"
              leftSection={<IconCalendarClock size={16} />}
              aria-label={t('inventory.lots.expiresBefore')}
              title={t('inventory.lots.expiresBefore')}
              disabled={view === 'expiring'}
              value={search.expiresBefore ?? ''}
              onChange={(e) => set({ expiresBefore: e.currentTarget.value || undefined })}
              w={160}
            />
          </>
        }
      />
      <Text size="xs" c="dimmed">
        {t('inventory.lots.searchHelp')}
      </Text>
    </Stack>
  );
}
