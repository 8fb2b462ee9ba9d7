import {
  ActionIcon,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { useSchemaForm } from '../../components/form';
import i18n from '../../i18n';
import { ActiveBadge, ActiveSelect, activeFilter, FormProblem, StatusTag, UnitSelect, useCreateKey, useMe, ValueSelect } from './common';
import { placeProblem } from './problems';
import { type Conversion, ITEM_TYPES, type Item, type ItemSummary, REVISION_COLORS, TRACKING_MODES } from './types';

const columns: Column<ItemSummary>[] = [
  {
    key: 'code',
    labelKey: 'masterdata.items.code',
    render: (i) => (
      <AnchorLink to="/items/$itemId" params={{ itemId: i.id }} style={{ whiteSpace: 'nowrap' }}>
        {i.code}
      </AnchorLink>
    ),
  },
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
          <StatusTag prefix="masterdata.revisionStatuses" value={i.inWorkStatus} colors={REVISION_COLORS} />
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
  {
    key: 'active',
    labelKey: 'masterdata.status',
    render: (i) => <ActiveBadge active={i.active} />,
    text: (i) => i18n.t(i.active ? 'masterdata.active' : 'masterdata.inactive'),
  },
];

/** Items (parts, materials, devices): filter by type, tracking and status; search by code, name or GTIN. */
export function ItemsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [type, setType] = useState<string | null>(null);
  const [tracking, setTracking] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>('true');
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.items')}
      </Title>
      <DataTable<ItemSummary>
        id="masterdata.items"
        path="/items"
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
            <ActiveSelect value={active} onChange={setActive} />
          </>
        }
        actions={
          can(me, P.masterdataWrite) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('masterdata.items.create')}
            </Button>
          )
        }
      />
      {creating && <NewItemModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

interface NewItemValues extends Record<string, unknown> {
  code: string;
  name: string;
  type: string;
  baseUnit: string;
  tracking: string;
  shelfLifeDays: number | '';
  gtin: string;
  active: boolean;
  conversions: Conversion[];
}

/** A new item with its first revision (A, draft): what it is, how it is counted, traced and labelled. */
function NewItemModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = useCreateKey();
  const form = useSchemaForm<NewItemValues>(useRequestSchema('POST', '/items'), {
    code: '',
    name: '',
    type: 'component',
    baseUnit: 'ea',
    tracking: 'lot',
    shelfLifeDays: '',
    gtin: '',
    active: true,
    conversions: [],
  });
  const [placed, setPlaced] = useState(false);
  const create = useMutation({
    mutationFn: (body: NewItemValues) => api<Item>('POST', '/items', { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (item) => {
      void queryClient.invalidateQueries({ queryKey: ['list', '/items'] });
      onClose();
      void navigate({ to: '/items/$itemId', params: { itemId: item.id } });
    },
    onError: (err) =>
      setPlaced(
        placeProblem(form, err, {
          'error.masterdata.item.gtinInUse': 'gtin',
          'error.duplicate': 'code',
          'error.masterdata.unit.unknown': 'baseUnit',
        }),
      ),
  });
  const conversions = form.values.conversions;
  // An empty unit is left out, so the schema says it is required rather than malformed.
  const setConversion = (i: number, change: Partial<Conversion>) =>
    form.set(
      'conversions',
      conversions.map((c, j) => {
        if (j !== i) return c;
        const { unit, ...rest } = { ...c, ...change };
        return (unit ? { unit, ...rest } : rest) as Conversion;
      }),
    );

  return (
    <Modal opened onClose={onClose} title={t('masterdata.items.create')} centered size="lg">
      <form noValidate onSubmit={form.submit((body) => create.mutate(body))}>
        <Stack>
          <FormProblem error={create.error} placed={placed} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('masterdata.items.code')}
              description={t('masterdata.codeHelp')}
              required
              data-autofocus
              {...form.field('code')}
              onChange={(e) => form.set('code', e.currentTarget.value.toUpperCase())}
            />
            <ValueSelect
              label={t('masterdata.items.type')}
              values={ITEM_TYPES}
              prefix="masterdata.itemTypes"
              allowDeselect={false}
              required
              {...form.field('type')}
            />
          </SimpleGrid>
          <TextInput label={t('masterdata.items.name')} required {...form.field('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <UnitSelect
              label={t('masterdata.items.baseUnit')}
              description={t('masterdata.items.baseUnitHelp')}
              allowDeselect={false}
              required
              {...form.field('baseUnit')}
            />
            <NumberInput
              label={t('masterdata.items.shelfLifeDays')}
              description={t('masterdata.items.shelfLifeHelp')}
              min={1}
              allowDecimal={false}
              value={form.values.shelfLifeDays}
              error={form.errors.shelfLifeDays}
              onChange={(v) => form.set('shelfLifeDays', typeof v === 'number' ? v : '')}
            />
          </SimpleGrid>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('masterdata.items.tracking')}
            </Text>
            <SegmentedControl
              aria-label={t('masterdata.items.tracking')}
              data={TRACKING_MODES.map((m) => ({ value: m, label: t(`masterdata.tracking.${m}`) }))}
              value={form.values.tracking}
              onChange={(v) => form.set('tracking', v)}
            />
            <Text size="xs" c="dimmed">
              {t('masterdata.items.trackingHelp')}
            </Text>
          </Stack>
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
          <Stack gap="xs">
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                {t('masterdata.items.conversions')}
              </Text>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlus size={14} />}
                onClick={() => form.set('conversions', [...conversions, { factor: '' } as Conversion])}
              >
                {t('masterdata.items.addConversion')}
              </Button>
            </Group>
            {conversions.length === 0 && (
              <Text size="xs" c="dimmed">
                {t('masterdata.items.conversionsHelp')}
              </Text>
            )}
            {conversions.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity before they are saved
              <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
                <Text size="sm" mt={8}>
                  1
                </Text>
                <UnitSelect
                  aria-label={t('masterdata.items.conversionUnit')}
                  exclude={form.values.baseUnit}
                  value={c.unit || null}
                  error={form.errors[`conversions.${i}.unit`]}
                  onChange={(v) => setConversion(i, { unit: v ?? '' })}
                  w={160}
                />
                <Text size="sm" mt={8}>
                  =
                </Text>
                <TextInput
                  aria-label={t('masterdata.items.factor')}
                  inputMode="decimal"
                  value={c.factor}
                  error={form.errors[`conversions.${i}.factor`]}
                  onChange={(e) => setConversion(i, { factor: e.currentTarget.value.trim() })}
                  w={120}
                />
                <Text size="sm" mt={8}>
                  {form.values.baseUnit}
                </Text>
                <Tooltip label={t('common.delete')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mt={4}
                    aria-label={t('common.delete')}
                    onClick={() =>
                      form.set(
                        'conversions',
                        conversions.filter((_, j) => j !== i),
                      )
                    }
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ))}
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('masterdata.items.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
