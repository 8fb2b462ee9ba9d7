import { Alert, Button, SimpleGrid, Text, TextInput } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import type { Column } from '../../components/DataTable';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import i18n from '../../i18n';
import {
  ActiveSelect,
  activeColumn,
  activeFilter,
  defaultSiteId,
  SiteFilter,
  SiteSelect,
  StatusTag,
  siteColumn,
  useSites,
  ValueSelect,
} from './common';
import { ActiveSwitch, sendChanges, useCreateKey, useFormMutation } from './forms';
import { ListPage } from './ListPage';
import { LOCATION_COLORS, LOCATION_KINDS, type Site, type StorageLocation } from './types';

const LOCATIONS = '/locations';

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
  siteColumn(sites),
  {
    key: 'kind',
    labelKey: 'masterdata.locations.kind',
    render: (l) => <StatusTag prefix="masterdata.locationKinds" value={l.kind} colors={LOCATION_COLORS} />,
    text: (l) => i18n.t(`masterdata.locationKinds.${l.kind}`),
  },
  activeColumn(),
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
  const [editing, setEditing] = useState<StorageLocation | null>(null);
  return (
    <ListPage<StorageLocation>
      title={t('nav.locations')}
      create={{
        label: t('masterdata.locations.create'),
        permission: P.masterdataWrite,
        form: (close) => <NewLocationModal onClose={close} />,
      }}
      id="masterdata.locations"
      path={LOCATIONS}
      columns={columns(sites.data?.items, can(me, P.masterdataWrite) ? setEditing : null)}
      rowKey={(l) => l.id}
      filters={{ siteId: siteId ?? undefined, kind: kind ?? undefined, active: activeFilter(active) }}
      filterControls={
        <>
          <SiteFilter value={siteId} onChange={setSiteId} />
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
    >
      {editing && <EditLocationModal location={editing} onClose={() => setEditing(null)} />}
    </ListPage>
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

/** A new location: where it is (fixed from then on), its name, and the kind of stock it holds. */
function NewLocationModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = useCreateKey();
  const form = useSchemaForm<LocationValues>(useRequestSchema('POST', LOCATIONS), {
    siteId: defaultSiteId() ?? '',
    warehouse: '',
    zone: '',
    bin: '',
    name: '',
    kind: 'quarantine',
    active: true,
  });
  const create = useFormMutation(form, {
    send: (body: LocationValues) => api<StorageLocation>('POST', LOCATIONS, { body, idempotencyKey: key }),
    onSaved: (loc) => {
      void queryClient.invalidateQueries({ queryKey: ['list', LOCATIONS] });
      notifySuccess(t('masterdata.locations.created', { code: loc.code }));
      onClose();
    },
    // The place is the location's identity: one already taken is told on its first part.
    fieldOf: { 'error.duplicate': 'warehouse' },
  });
  const code = [form.values.warehouse, form.values.zone, form.values.bin].filter(Boolean).join('/');
  return (
    <FormModal
      title={t('masterdata.locations.create')}
      size="lg"
      onClose={onClose}
      onSubmit={form.submit((body) => create.mutate(body))}
      save={create}
      submitLabel={t('masterdata.locations.create')}
    >
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
    </FormModal>
  );
}

/** Name, kind and active may change; where a location is stays fixed (stock history refers to it). */
function EditLocationModal({ location, onClose }: { location: StorageLocation; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useSchemaForm(useRequestSchema('PATCH', `${LOCATIONS}/:id`), {
    name: location.name,
    kind: location.kind,
    active: location.active,
  });
  const save = useFormMutation(form, {
    send: (body: Partial<typeof form.values>) =>
      api<StorageLocation>('PATCH', `${LOCATIONS}/${location.id}`, { body, version: location.version }),
    onSaved: () => {
      void queryClient.invalidateQueries({ queryKey: ['list', LOCATIONS] });
      notifySuccess(t('common.saved'));
      onClose();
    },
  });
  const submit = form.submit((body) => sendChanges(location, body, { send: save.mutate, unchanged: onClose }));
  return (
    <FormModal
      title={t('masterdata.locations.editOne', { code: location.code })}
      onClose={onClose}
      onSubmit={submit}
      save={save}
      submitLabel={t('common.save')}
    >
      <TextInput label={t('masterdata.locations.name')} required data-autofocus {...form.field('name')} />
      <ValueSelect
        label={t('masterdata.locations.kind')}
        values={LOCATION_KINDS}
        prefix="masterdata.locationKinds"
        allowDeselect={false}
        {...form.field('kind')}
      />
      <ActiveSwitch form={form} />
    </FormModal>
  );
}
