import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconGitBranch, IconPencil, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, type Page } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { useSchemaForm } from '../../components/form';
import { formatDate, formatDateTime, formatDecimal } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { RecordPage } from '../../components/RecordPage';
import { problemMessage } from '../../i18n';
import { ActiveBadge, changedFields, FormProblem, formatGtin, Section, StatusTag, UnitSelect, useMe, ValueSelect } from './common';
import { NextRevisionModal } from './NextRevisionModal';
import { placeProblem } from './problems';
import {
  APPROVAL_COLORS,
  ITEM_TYPES,
  type Item,
  type ItemRevision,
  REVISION_COLORS,
  type SupplierApproval,
  type WhereUsedRow,
} from './types';

/** One item: what it is, its unit conversions, its revisions, where it is used and who may supply it. */
export function ItemPage() {
  const { t } = useTranslation();
  const { itemId } = useParams({ from: '/app/items/$itemId' });
  const me = useMe();
  const item = useQuery({ queryKey: ['item', itemId], queryFn: () => get<Item>(`/items/${itemId}`) });
  const revisions = useQuery({
    queryKey: ['item', itemId, 'revisions'],
    queryFn: () => get<{ items: ItemRevision[] }>(`/items/${itemId}/revisions`),
  });
  const [dialog, setDialog] = useState<'edit' | 'revision' | { conversion: string | null } | null>(null);

  if (item.isPending) return <Loader aria-label={t('common.loading')} />;
  if (item.isError) return <Alert color="red">{problemMessage(item.error)}</Alert>;
  const i = item.data;
  const writable = can(me, P.masterdataWrite);
  const inWork = revisions.data?.items.find((r) => r.status === 'draft' || r.status === 'in_review');

  return (
    <>
      <RecordPage
        list={{ to: '/items', labelKey: 'nav.items' }}
        title={i.code}
        subtitle={i.name}
        status={
          <Group gap="xs">
            <Badge variant="outline" color="blue">
              {t(`masterdata.itemTypes.${i.type}`)}
            </Badge>
            <ActiveBadge active={i.active} />
          </Group>
        }
        record={{ entity: 'items', id: i.id }}
        actions={
          writable && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setDialog('edit')}>
                {t('masterdata.edit')}
              </Button>
              <Tooltip
                label={
                  inWork ? t('masterdata.items.revisionInWork', { revision: inWork.revision }) : t('masterdata.items.nextRevisionHelp')
                }
                multiline
                w={280}
              >
                <Button
                  leftSection={<IconGitBranch size={16} />}
                  disabled={!revisions.data || Boolean(inWork)}
                  onClick={() => setDialog('revision')}
                >
                  {t('masterdata.items.nextRevision')}
                </Button>
              </Tooltip>
            </>
          )
        }
        details={
          <Stack gap="xl">
            <Details
              rows={[
                ['masterdata.items.code', i.code],
                ['masterdata.items.name', i.name],
                ['masterdata.items.type', t(`masterdata.itemTypes.${i.type}`)],
                ['masterdata.items.baseUnit', i.baseUnit],
                ['masterdata.items.tracking', t(`masterdata.tracking.${i.tracking}`)],
                ['masterdata.items.shelfLifeDays', i.shelfLifeDays ? t('masterdata.items.days', { count: i.shelfLifeDays }) : null],
                ['masterdata.items.gtin', formatGtin(i.gtin)],
                ['masterdata.status', <ActiveBadge key="a" active={i.active} />],
              ]}
            />
            <Section title={t('masterdata.items.revisions')}>
              <RevisionsTable revisions={revisions.data?.items} />
            </Section>
            <Section
              title={t('masterdata.items.conversions')}
              actions={
                writable && (
                  <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setDialog({ conversion: null })}>
                    {t('masterdata.items.addConversion')}
                  </Button>
                )
              }
            >
              {i.conversions.length === 0 ? (
                <Text c="dimmed" size="sm">
                  {t('masterdata.items.noConversions', { unit: i.baseUnit })}
                </Text>
              ) : (
                <Table withTableBorder maw={520}>
                  <Table.Tbody>
                    {i.conversions.map((c) => (
                      <Table.Tr key={c.unit}>
                        <Table.Td>
                          1 {c.unit} = {formatDecimal(c.factor, i.baseUnit)}
                        </Table.Td>
                        {writable && (
                          <Table.Td w={90}>
                            <Button size="compact-xs" variant="subtle" onClick={() => setDialog({ conversion: c.unit })}>
                              {t('masterdata.edit')}
                            </Button>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
          </Stack>
        }
        related={
          <Stack gap="xl">
            <WhereUsed itemId={i.id} />
            <ApprovedSuppliers itemId={i.id} />
          </Stack>
        }
      />
      {dialog === 'edit' && <EditItemModal item={i} onClose={() => setDialog(null)} />}
      {dialog === 'revision' && <NextRevisionModal item={i} onClose={() => setDialog(null)} />}
      {dialog && typeof dialog === 'object' && <ConversionModal item={i} unit={dialog.conversion} onClose={() => setDialog(null)} />}
    </>
  );
}

function RevisionsTable({ revisions }: { revisions: ItemRevision[] | undefined }) {
  const { t } = useTranslation();
  if (!revisions) return <Loader size="sm" />;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('masterdata.revisions.revision')}</Table.Th>
            <Table.Th>{t('masterdata.status')}</Table.Th>
            <Table.Th>{t('masterdata.revisions.description')}</Table.Th>
            <Table.Th>{t('masterdata.revisions.releasedAt')}</Table.Th>
            <Table.Th>{t('masterdata.revisions.releasedBy')}</Table.Th>
            <Table.Th>{t('masterdata.revisions.obsoletedAt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {revisions.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <AnchorLink to="/item-revisions/$revisionId" params={{ revisionId: r.id }} style={{ whiteSpace: 'nowrap' }}>
                  {t('masterdata.revisions.rev', { revision: r.revision })}
                </AnchorLink>
              </Table.Td>
              <Table.Td>
                <StatusTag prefix="masterdata.revisionStatuses" value={r.status} colors={REVISION_COLORS} />
              </Table.Td>
              <Table.Td>{r.description || '—'}</Table.Td>
              <Table.Td>{formatDateTime(r.releasedAt)}</Table.Td>
              <Table.Td>{r.releasedBy ?? '—'}</Table.Td>
              <Table.Td>{formatDateTime(r.obsoletedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Every revision using the item at any level: the first question of a change's impact analysis. */
function WhereUsed({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const used = useQuery({
    queryKey: ['item', itemId, 'where-used'],
    queryFn: () => get<{ items: WhereUsedRow[] }>(`/items/${itemId}/where-used`),
  });
  return (
    <Section title={t('masterdata.whereUsed.title')}>
      <Text size="sm" c="dimmed">
        {t('masterdata.whereUsed.help')}
      </Text>
      {used.isPending ? (
        <Loader size="sm" />
      ) : used.isError ? (
        <Alert color="red">{problemMessage(used.error)}</Alert>
      ) : used.data.items.length === 0 ? (
        <Text c="dimmed">{t('masterdata.whereUsed.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table withTableBorder striped data-testid="where-used">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('masterdata.whereUsed.level')}</Table.Th>
                <Table.Th>{t('masterdata.whereUsed.usedIn')}</Table.Th>
                <Table.Th>{t('masterdata.revisions.revision')}</Table.Th>
                <Table.Th>{t('masterdata.status')}</Table.Th>
                <Table.Th>{t('masterdata.bom.quantityPer')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {used.data.items.map((u) => (
                <Table.Tr key={`${u.level}-${u.itemRevisionId}-${u.componentItemId}`}>
                  <Table.Td>{u.level}</Table.Td>
                  <Table.Td>
                    <AnchorLink to="/items/$itemId" params={{ itemId: u.itemId }}>
                      {u.itemCode}
                    </AnchorLink>{' '}
                    <Text span size="sm" c="dimmed">
                      {u.itemName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <AnchorLink to="/item-revisions/$revisionId" params={{ revisionId: u.itemRevisionId }} style={{ whiteSpace: 'nowrap' }}>
                      {t('masterdata.revisions.rev', { revision: u.revision })}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <StatusTag prefix="masterdata.revisionStatuses" value={u.revisionStatus} colors={REVISION_COLORS} />
                  </Table.Td>
                  <Table.Td>{formatDecimal(u.quantityPer, u.unit)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

/** The approved supplier list entries of this item, across suppliers. */
function ApprovedSuppliers({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['list', '/supplier-approvals', { itemId }],
    queryFn: () => get<Page<SupplierApproval>>('/supplier-approvals', { itemId, limit: 200 }),
  });
  return (
    <Section title={t('masterdata.asl.forItem')}>
      {list.isPending ? (
        <Loader size="sm" />
      ) : list.isError ? (
        <Alert color="red">{problemMessage(list.error)}</Alert>
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('masterdata.asl.noneForItem')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('masterdata.suppliers.supplier')}</Table.Th>
                <Table.Th>{t('masterdata.status')}</Table.Th>
                <Table.Th>{t('masterdata.asl.expiresOn')}</Table.Th>
                <Table.Th>{t('masterdata.asl.purchasable')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <AnchorLink to="/suppliers/$supplierId" params={{ supplierId: a.supplierId }}>
                      {a.supplierCode}
                    </AnchorLink>{' '}
                    <Text span size="sm" c="dimmed">
                      {a.supplierName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusTag prefix="masterdata.approvalStatuses" value={a.status} colors={APPROVAL_COLORS} />
                  </Table.Td>
                  <Table.Td>{formatDate(a.expiresOn)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={a.approvedToday ? 'green' : 'red'}>
                      {a.approvedToday ? t('masterdata.asl.purchasableYes') : t('masterdata.asl.purchasableNo')}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

interface ItemChangeValues extends Record<string, unknown> {
  name: string;
  type: string;
  shelfLifeDays: number | '';
  gtin: string;
  active: boolean;
}

/** Name, type, shelf life, GTIN and status change; code, base unit and tracking are fixed at creation. */
function EditItemModal({ item, onClose }: { item: Item; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useSchemaForm<ItemChangeValues>(useRequestSchema('PATCH', '/items/:id'), {
    name: item.name,
    type: item.type,
    shelfLifeDays: item.shelfLifeDays ?? '',
    gtin: item.gtin ?? '',
    active: item.active,
  });
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (changes: Record<string, unknown>) => api<Item>('PATCH', `/items/${item.id}`, { body: changes, version: item.version }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(['item', item.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['list', '/items'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'items', item.id] });
      notifySuccess(t('common.saved'));
      onClose();
    },
    onError: (err) => setPlaced(placeProblem(form, err, { 'error.masterdata.item.gtinInUse': 'gtin' })),
  });
  const submit = form.submit((body) => {
    const changes = changedFields(item, body, ['shelfLifeDays', 'gtin']);
    if (Object.keys(changes).length === 0) onClose();
    else save.mutate(changes);
  });
  return (
    <Modal opened onClose={onClose} title={t('masterdata.items.edit', { code: item.code })} centered size="lg">
      <form noValidate onSubmit={submit}>
        <Stack>
          <FormProblem error={save.error} placed={placed} />
          <TextInput label={t('masterdata.items.name')} required data-autofocus {...form.field('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <ValueSelect
              label={t('masterdata.items.type')}
              values={ITEM_TYPES}
              prefix="masterdata.itemTypes"
              allowDeselect={false}
              {...form.field('type')}
            />
            <NumberInput
              label={t('masterdata.items.shelfLifeDays')}
              min={1}
              allowDecimal={false}
              value={form.values.shelfLifeDays}
              error={form.errors.shelfLifeDays}
              onChange={(v) => form.set('shelfLifeDays', typeof v === 'number' ? v : '')}
            />
          </SimpleGrid>
          <TextInput
            label={t('masterdata.items.gtin')}
            description={t('masterdata.items.gtinHelp')}
            inputMode="numeric"
            maxLength={14}
            {...form.field('gtin')}
          />
          <Switch
            label={t('masterdata.active')}
            checked={form.values.active}
            onChange={(e) => form.set('active', e.currentTarget.checked)}
          />
          <Text size="xs" c="dimmed">
            {t('masterdata.items.fixedFields')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** How many base units one other unit is (1 carton = 50 ea); the audit trail keeps the old factor. */
function ConversionModal({ item, unit, onClose }: { item: Item; unit: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const existing = item.conversions.find((c) => c.unit === unit);
  const [chosen, setChosen] = useState<string | null>(unit);
  const form = useSchemaForm(useRequestSchema('PUT', '/items/:id/conversions/:unit'), { factor: existing?.factor ?? '' });
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (body: { factor: string }) =>
      api<Item>('PUT', `/items/${item.id}/conversions/${encodeURIComponent(chosen ?? '')}`, { body, version: item.version }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(['item', item.id], saved);
      notifySuccess(t('common.saved'));
      onClose();
    },
    onError: (err) => setPlaced(placeProblem(form, err)),
  });
  return (
    <Modal opened onClose={onClose} title={t('masterdata.items.conversionTitle', { code: item.code })} centered>
      <form noValidate onSubmit={form.submit((body) => chosen && save.mutate(body))}>
        <Stack>
          <FormProblem error={save.error} placed={placed} />
          <UnitSelect
            label={t('masterdata.items.conversionUnit')}
            exclude={item.baseUnit}
            required
            disabled={unit !== null}
            value={chosen}
            onChange={setChosen}
          />
          <TextInput
            label={t('masterdata.items.factorLabel', { unit: chosen ?? '…', base: item.baseUnit })}
            inputMode="decimal"
            required
            data-autofocus
            {...form.field('factor')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={!chosen} loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
