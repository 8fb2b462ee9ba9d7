import { Alert, Button, Group, Modal, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { type Column, DataTable } from '../../components/DataTable';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import i18n from '../../i18n';
import {
  ActiveBadge,
  ActiveSelect,
  activeFilter,
  changedFields,
  defaultSiteId,
  FormProblem,
  SiteSelect,
  StatusTag,
  siteCode,
  useCreateKey,
  useMe,
  useSites,
  ValueSelect,
} from './common';
import { placeProblem } from './problems';
import { LOCATION_COLORS, LOCATION_KINDS, type Site, type StorageLocation } from './types';

const columns = (sites: Site[] | undefined, edit: ((l: StorageLocation) => void) | null): Column<StorageLocation>[] => [
  {
    key: 'code',
    labelKey: 'masterdata.locations.code',
    render: (l) => (
      <Text ff="monospace" size="sm">
        {l.code}
      </Text>
    ),
    text: (l) => l.code,
  },
  { key: 'name', labelKey: 'masterdata.locations.name' },
  { key: 'siteId', labelKey: 'masterdata.site', text: (l) => siteCode(sites, l.siteId) },
  {
    key: 'kind',
    labelKey: 'masterdata.locations.kind',
    render: (l) => <StatusTag prefix="masterdata.locationKinds" value={l.kind} colors={LOCATION_COLORS} />,
    text: (l) => i18n.t(`masterdata.locationKinds.${l.kind}`),
  },
  {
    key: 'active',
    labelKey: 'masterdata.status',
    render: (l) => <ActiveBadge active={l.active} />,
    text: (l) => i18n.t(l.active ? 'masterdata.active' : 'masterdata.inactive'),
  },
  ...(edit
    ? [
        {
          key: 'edit',
          labelKey: 'masterdata.edit',
          render: (l: StorageLocation) => (
            <Button
              size="compact-sm"
              variant="subtle"
              leftSection={<IconPencil size={14} />}
              aria-label={i18n.t('masterdata.locations.editOne', { code: l.code })}
              onClick={() => edit(l)}
            >
              {i18n.t('masterdata.edit')}
            </Button>
          ),
          text: () => '',
        },
      ]
    : []),
];

/** Storage locations per site (warehouse / zone / bin), typed by the stock they may hold. */
export function LocationsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const sites = useSites();
  const [siteId, setSiteId] = useState<string | null>(defaultSiteId());
  const [kind, setKind] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>('true');
  const [dialog, setDialog] = useState<StorageLocation | 'new' | null>(null);
  const writable = can(me, P.masterdataWrite);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.locations')}
      </Title>
      <DataTable<StorageLocation>
        id="masterdata.locations"
        path="/locations"
        columns={columns(sites.data?.items, writable ? setDialog : null)}
        rowKey={(l) => l.id}
        filters={{ siteId: siteId ?? undefined, kind: kind ?? undefined, active: activeFilter(active) }}
        filterControls={
          <>
            <SiteSelect
              aria-label={t('masterdata.site')}
              placeholder={t('masterdata.allSites')}
              clearable
              value={siteId}
              onChange={setSiteId}
              w={190}
            />
            <ValueSelect
              aria-label={t('masterdata.locations.kind')}
              placeholder={t('masterdata.locations.allKinds')}
              clearable
              values={LOCATION_KINDS}
              prefix="masterdata.locationKinds"
              value={kind}
              onChange={setKind}
              w={170}
            />
            <ActiveSelect value={active} onChange={setActive} />
          </>
        }
        actions={
          writable && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog('new')}>
              {t('masterdata.locations.create')}
            </Button>
          )
        }
      />
      {dialog === 'new' && <NewLocationModal onClose={() => setDialog(null)} />}
      {dialog && dialog !== 'new' && <EditLocationModal location={dialog} onClose={() => setDialog(null)} />}
    </Stack>
  );
}

interface LocationValues extends Record<string, unknown> {
  siteId: string;
  warehouse: string;
  zone: string;
  bin: string;
  name: string;
  kind: string;
  active: boolean;
}

const upper = (v: string) => v.toUpperCase().trim();

function NewLocationModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = useCreateKey();
  const form = useSchemaForm<LocationValues>(useRequestSchema('POST', '/locations'), {
    siteId: defaultSiteId() ?? '',
    warehouse: '',
    zone: '',
    bin: '',
    name: '',
    kind: 'quarantine',
    active: true,
  });
  const [placed, setPlaced] = useState(false);
  const create = useMutation({
    mutationFn: (body: LocationValues) => api<StorageLocation>('POST', '/locations', { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (loc) => {
      void queryClient.invalidateQueries({ queryKey: ['list', '/locations'] });
      notifySuccess(t('masterdata.locations.created', { code: loc.code }));
      onClose();
    },
    onError: (err) => setPlaced(placeProblem(form, err, { 'error.duplicate': 'warehouse' })),
  });
  const code = [form.values.warehouse, form.values.zone, form.values.bin].filter(Boolean).join('/');
  return (
    <Modal opened onClose={onClose} title={t('masterdata.locations.create')} centered size="lg">
      <form noValidate onSubmit={form.submit((body) => create.mutate(body))}>
        <Stack>
          <FormProblem error={create.error} placed={placed} />
          <SiteSelect label={t('masterdata.site')} required allowDeselect={false} {...form.field('siteId')} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('masterdata.locations.warehouse')}
              required
              data-autofocus
              {...form.field('warehouse')}
              onChange={(e) => form.set('warehouse', upper(e.currentTarget.value))}
            />
            <TextInput
              label={t('masterdata.locations.zone')}
              {...form.field('zone')}
              onChange={(e) => form.set('zone', upper(e.currentTarget.value))}
            />
            <TextInput
              label={t('masterdata.locations.bin')}
              description={t('masterdata.locations.binHelp')}
              {...form.field('bin')}
              onChange={(e) => form.set('bin', upper(e.currentTarget.value))}
            />
          </SimpleGrid>
          {code && (
            <Text size="sm">
              {t('masterdata.locations.willBe')}{' '}
              <Text span ff="monospace" fw={600}>
                {code}
              </Text>
            </Text>
          )}
          <TextInput label={t('masterdata.locations.name')} required {...form.field('name')} />
          <ValueSelect
            label={t('masterdata.locations.kind')}
            description={t('masterdata.locations.kindHelp')}
            values={LOCATION_KINDS}
            prefix="masterdata.locationKinds"
            allowDeselect={false}
            {...form.field('kind')}
          />
          <Alert color="gray" variant="light">
            {t('masterdata.locations.fixedHelp')}
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('masterdata.locations.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Name, kind and active may change; where a location is stays fixed (stock history refers to it). */
function EditLocationModal({ location, onClose }: { location: StorageLocation; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useSchemaForm<{ name: string; kind: string; active: boolean }>(useRequestSchema('PATCH', '/locations/:id'), {
    name: location.name,
    kind: location.kind,
    active: location.active,
  });
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<StorageLocation>('PATCH', `/locations/${location.id}`, { body, version: location.version }),
    meta: { handlesErrors: true },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['list', '/locations'] });
      notifySuccess(t('common.saved'));
      onClose();
    },
    onError: (err) => setPlaced(placeProblem(form, err)),
  });
  const submit = form.submit((body) => {
    const changes = changedFields(location, body);
    if (Object.keys(changes).length === 0) onClose();
    else save.mutate(changes);
  });
  return (
    <Modal opened onClose={onClose} title={t('masterdata.locations.editOne', { code: location.code })} centered>
      <form noValidate onSubmit={submit}>
        <Stack>
          <FormProblem error={save.error} placed={placed} />
          <TextInput label={t('masterdata.locations.name')} required data-autofocus {...form.field('name')} />
          <ValueSelect
            label={t('masterdata.locations.kind')}
            values={LOCATION_KINDS}
            prefix="masterdata.locationKinds"
            allowDeselect={false}
            {...form.field('kind')}
          />
          <Switch
            label={t('masterdata.active')}
            checked={form.values.active}
            onChange={(e) => form.set('active', e.currentTarget.checked)}
          />
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
