import { Alert, Button, Drawer, Group, Loader, Paper, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { P } from '../../app/permissions';
import { can, meQuery } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { decimalString, formatDecimal, isPositive, isZero, typedDecimal } from '../../components/decimal';
import { RecordSelect } from '../../components/RecordSelect';
import i18n from '../../i18n';
import { AdjustDialog } from './AdjustDialog';
import { todayIn, useCurrentSite } from './calendar';
import { ExpiryDate, LocationLabel, LotLink, LotStatusBadge, locationOption, Quantity, StockMoves } from './common';
import { MovementsTable } from './MovementsTable';
import { inventoryProblem } from './problems';
import { type OnHandSearch, onHandSearch } from './search';
import { type StockSubject, TransferDialog } from './TransferDialog';
import type { Balance, FefoSuggestion, ItemListed, ItemRef, ItemTotal, StorageLocation } from './types';

function totalColumns(open: (itemId: string) => void): Column<ItemTotal>[] {
  const t = i18n.t.bind(i18n);
  const qty = (key: 'available' | 'quarantine' | 'blocked' | 'quantity', color?: string, strong?: boolean): Column<ItemTotal> => ({
    key,
    labelKey: key === 'quantity' ? 'inventory.onHand.total' : `inventory.onHand.${key}`,
    text: (r) => r[key],
    render: (r) =>
      isZero(r[key]) ? (
        <Text span c="dimmed" size="sm">
          0
        </Text>
      ) : (
        <Text span size="sm" c={color} fw={strong ? 700 : 500} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
          {formatDecimal(r[key], r.item.baseUnit)}
        </Text>
      ),
  });
  return [
    {
      key: 'item',
      labelKey: 'inventory.lot.item',
      text: (r) => r.item.code,
      render: (r) => (
        <UnstyledButton
          onClick={() => open(r.itemId)}
          className="mf-focusable"
          aria-label={t('inventory.onHand.open', { item: r.item.code })}
        >
          <Text size="sm" fw={600} c="blue">
            {r.item.code}
          </Text>
        </UnstyledButton>
      ),
    },
    { key: 'name', labelKey: 'inventory.onHand.itemName', text: (r) => r.item.name },
    qty('available', 'teal.8'),
    qty('quarantine', 'yellow.8'),
    qty('blocked', 'red.8'),
    qty('quantity', undefined, true),
    { key: 'tracking', labelKey: 'inventory.onHand.tracking', optional: true, text: (r) => t(`masterdata.tracking.${r.item.tracking}`) },
  ];
}

/** Stock per item at the site or one location; open an item for its lots and locations and a first-expiry-first-out pick. */
export function OnHandPage() {
  const { t } = useTranslation();
  const search: OnHandSearch = useSearch({ from: '/app/inventory/on-hand' });
  const navigate = useNavigate({ from: '/inventory/on-hand' });
  const site = useCurrentSite();
  const set = (changes: Partial<OnHandSearch>) =>
    void navigate({ search: (s: OnHandSearch) => onHandSearch({ ...s, ...changes }), replace: true });
  const kindLabel = (k: string) => t(`masterdata.locationKinds.${k}`);
  const scope = search.locationId ? { locationId: search.locationId } : { siteId: site?.id };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={0}>
          <Title order={1} size="h2">
            {t('nav.onHand')}
          </Title>
          {site && (
            <Text c="dimmed" size="sm">
              {site.code} · {site.name}
            </Text>
          )}
        </Stack>
      </Group>
      {site ? (
        <DataTable<ItemTotal>
          id="inventory-on-hand"
          path="/inventory/on-hand/by-item"
          columns={totalColumns((item) => set({ item }))}
          rowKey={(r) => r.itemId}
          searchable={false}
          filters={{ ...scope, itemId: search.itemId }}
          emptyKey="inventory.onHand.empty"
          filterControls={
            <>
              <RecordSelect<StorageLocation>
                aria-label={t('inventory.onHand.location')}
                placeholder={t('inventory.onHand.wholeSite')}
                path="/locations"
                filters={{ siteId: site.id }}
                value={search.locationId ?? null}
                onChange={(id) => set({ locationId: id ?? undefined })}
                option={(l) => locationOption(l, kindLabel)}
                w={280}
              />
              <RecordSelect<ItemListed>
                aria-label={t('inventory.lot.item')}
                placeholder={t('inventory.lots.allItems')}
                path="/items"
                value={search.itemId ?? null}
                onChange={(id) => set({ itemId: id ?? undefined })}
                option={(i) => `${i.code} — ${i.name}`}
                w={240}
              />
            </>
          }
        />
      ) : (
        <Alert color="yellow">{t('inventory.onHand.noSite')}</Alert>
      )}
      <Drawer
        opened={Boolean(search.item)}
        onClose={() => set({ item: undefined })}
        position="right"
        size="min(960px, 100%)"
        title={t('inventory.onHand.itemStock')}
      >
        {search.item && site && <ItemStock itemId={search.item} siteId={site.id} locationId={search.locationId} timeZone={site.timeZone} />}
      </Drawer>
    </Stack>
  );
}

type Move = { kind: 'transfer' | 'adjust'; subject: StockSubject; locationId: string } | null;

/** One item's stock: by lot and location, with moves, and which lots to pick first. */
function ItemStock({ itemId, siteId, locationId, timeZone }: { itemId: string; siteId: string; locationId?: string; timeZone: string }) {
  const { t } = useTranslation();
  const { data: me } = useSuspenseQuery(meQuery);
  const today = todayIn(timeZone);
  const [move, setMove] = useState<Move>(null);
  const balances = useQuery({
    queryKey: ['inventory', 'onHand', itemId, siteId, locationId],
    queryFn: () => get<{ items: Balance[] }>('/inventory/on-hand', { itemId, ...(locationId ? { locationId } : { siteId }) }),
  });
  if (balances.isPending) return <Loader aria-label={t('common.loading')} />;
  if (balances.isError) return <Alert color="red">{inventoryProblem(balances.error)}</Alert>;
  const rows = balances.data.items;
  const item: ItemRef | undefined = rows[0]?.item;
  const subjectOf = (b: Balance): StockSubject => ({
    item: b.item,
    lot: b.lotId ? { id: b.lotId, number: b.lotNumber ?? '' } : null,
    // Everywhere this lot (or untracked item) is, so a transfer may start from any of them.
    stock: rows.filter((r) => r.lotId === b.lotId).map((r) => ({ location: r.location, quantity: r.quantity })),
  });
  const mayMove = can(me, P.inventoryMove);
  const mayAdjust = can(me, P.inventoryAdjust);

  return (
    <Stack gap="lg">
      {item && (
        <Group justify="space-between">
          <Stack gap={0}>
            <Text fw={700}>{item.code}</Text>
            <Text size="sm" c="dimmed">
              {item.name}
            </Text>
          </Stack>
          {item.tracking !== 'none' && (
            <AnchorLink to="/inventory/lots" search={{ itemId: item.id, view: 'in_stock' }} size="sm">
              <Group gap={4}>
                <IconListDetails size={16} />
                {t('inventory.onHand.allLots')}
              </Group>
            </AnchorLink>
          )}
        </Group>
      )}
      {item && item.tracking !== 'none' && <FefoPicker item={item} siteId={siteId} today={today} />}
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('inventory.onHand.byLotAndLocation')}
        </Title>
        {rows.length === 0 ? (
          <Text c="dimmed">{t('inventory.onHand.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table withTableBorder striped verticalSpacing="xs" data-testid="item-balances">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('inventory.onHand.location')}</Table.Th>
                  <Table.Th>{t('inventory.lot.number')}</Table.Th>
                  <Table.Th>{t('inventory.lot.status')}</Table.Th>
                  <Table.Th>{t('inventory.lot.supplierLot')}</Table.Th>
                  <Table.Th>{t('inventory.lot.expiresOn')}</Table.Th>
                  <Table.Th ta="right">{t('inventory.onHand.quantity')}</Table.Th>
                  {(mayMove || mayAdjust) && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((b) => (
                  <Table.Tr key={`${b.locationId}-${b.lotId ?? 'none'}`}>
                    <Table.Td>
                      <LocationLabel location={b.location} />
                    </Table.Td>
                    <Table.Td>{b.lotId ? <LotLink lotId={b.lotId}>{b.lotNumber}</LotLink> : '—'}</Table.Td>
                    <Table.Td>{b.lotStatus ? <LotStatusBadge status={b.lotStatus} /> : '—'}</Table.Td>
                    <Table.Td>{b.supplierLot ?? '—'}</Table.Td>
                    <Table.Td>
                      <ExpiryDate expiresOn={b.expiresOn} today={today} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Quantity value={b.quantity} unit={b.item.baseUnit} strong />
                    </Table.Td>
                    {(mayMove || mayAdjust) && (
                      <Table.Td>
                        <StockMoves
                          onTransfer={
                            mayMove ? () => setMove({ kind: 'transfer', subject: subjectOf(b), locationId: b.locationId }) : undefined
                          }
                          onAdjust={
                            mayAdjust ? () => setMove({ kind: 'adjust', subject: subjectOf(b), locationId: b.locationId }) : undefined
                          }
                        />
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('inventory.lot.movements')}
        </Title>
        <MovementsTable itemId={itemId} locationId={locationId} />
      </Stack>
      {move?.kind === 'transfer' && (
        <TransferDialog subject={move.subject} fromLocationId={move.locationId} onClose={() => setMove(null)} />
      )}
      {move?.kind === 'adjust' && <AdjustDialog subject={move.subject} locationId={move.locationId} onClose={() => setMove(null)} />}
    </Stack>
  );
}

/** First-expiry-first-out: for a quantity to pick, the usable lots of the site in the order to take them. */
function FefoPicker({ item, siteId, today }: { item: ItemRef; siteId: string; today: string }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const quantity = decimalString(typed);
  const suggestion = useQuery({
    queryKey: ['inventory', 'fefo', item.id, siteId, asked],
    queryFn: () => get<FefoSuggestion>('/inventory/fefo', { itemId: item.id, siteId, quantity: asked }),
    enabled: asked !== null,
    meta: { handlesErrors: true },
  });
  return (
    <Paper withBorder p="sm" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('inventory.fefo.title')}
        </Title>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (quantity && isPositive(quantity)) setAsked(quantity);
          }}
        >
          <Group align="flex-end" gap="sm">
            <TextInput
              label={t('inventory.fefo.quantity', { unit: item.baseUnit })}
              inputMode="decimal"
              value={typed}
              onChange={(e) => setTyped(typedDecimal(e.currentTarget.value))}
              error={typed && (!quantity || !isPositive(quantity)) ? t('inventory.fefo.positive') : undefined}
              w={200}
            />
            <Button type="submit" variant="light" disabled={!quantity || !isPositive(quantity)} loading={suggestion.isFetching}>
              {t('inventory.fefo.suggest')}
            </Button>
          </Group>
        </form>
        <Text size="xs" c="dimmed">
          {t('inventory.fefo.help')}
        </Text>
        {suggestion.isError && <Alert color="red">{inventoryProblem(suggestion.error)}</Alert>}
        {suggestion.data && (
          <Stack gap="xs" data-testid="fefo">
            {suggestion.data.lines.length === 0 ? (
              <Text size="sm">{t('inventory.fefo.none')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={560}>
                <Table withTableBorder verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>#</Table.Th>
                      <Table.Th>{t('inventory.lot.number')}</Table.Th>
                      <Table.Th>{t('inventory.lot.expiresOn')}</Table.Th>
                      <Table.Th>{t('inventory.onHand.location')}</Table.Th>
                      <Table.Th ta="right">{t('inventory.fefo.available')}</Table.Th>
                      <Table.Th ta="right">{t('inventory.fefo.take')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {suggestion.data.lines.map((l, i) => (
                      <Table.Tr key={`${l.lotId}-${l.location.id}`}>
                        <Table.Td>{i + 1}</Table.Td>
                        <Table.Td>
                          <LotLink lotId={l.lotId}>{l.lotNumber}</LotLink>
                          {l.supplierLot && (
                            <Text size="xs" c="dimmed">
                              {l.supplierLot}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <ExpiryDate expiresOn={l.expiresOn} today={today} />
                        </Table.Td>
                        <Table.Td>
                          <LocationLabel location={l.location} />
                        </Table.Td>
                        <Table.Td ta="right">
                          <Quantity value={l.available} unit={item.baseUnit} />
                        </Table.Td>
                        <Table.Td ta="right">
                          <Quantity value={l.take} unit={item.baseUnit} strong />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            {!isZero(suggestion.data.shortfall) && (
              <Alert color="orange">
                {t('inventory.fefo.shortfall', { quantity: formatDecimal(suggestion.data.shortfall, item.baseUnit) })}
              </Alert>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
