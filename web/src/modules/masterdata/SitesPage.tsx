import { Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { type Column, DataTable } from '../../components/DataTable';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import i18n from '../../i18n';
import { ActiveBadge, FormProblem, useCreateKey, useMe } from './common';
import { placeProblem } from './problems';
import type { Site } from './types';

/** The time now at a site, as its people read their clocks (signatures show this zone). */
function localTime(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(i18n.language, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    }).format(new Date());
  } catch {
    return '—';
  }
}

const columns: Column<Site>[] = [
  { key: 'code', labelKey: 'masterdata.sites.code' },
  { key: 'name', labelKey: 'masterdata.sites.name' },
  { key: 'timeZone', labelKey: 'masterdata.sites.timeZone' },
  { key: 'localTime', labelKey: 'masterdata.sites.localTime', text: (s) => localTime(s.timeZone) },
  {
    key: 'active',
    labelKey: 'masterdata.status',
    render: (s) => <ActiveBadge active={s.active} />,
    text: (s) => i18n.t(s.active ? 'masterdata.active' : 'masterdata.inactive'),
  },
];

/** The company's sites (plants), each with the time zone its records and signatures are shown in. */
export function SitesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [adding, setAdding] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.sites')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('masterdata.sites.help')}
      </Text>
      <DataTable<Site>
        id="masterdata.sites"
        path="/sites"
        columns={columns}
        rowKey={(s) => s.id}
        searchable={false}
        actions={
          can(me, P.sitesManage) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
              {t('masterdata.sites.create')}
            </Button>
          )
        }
      />
      {adding && <NewSiteModal onClose={() => setAdding(false)} />}
    </Stack>
  );
}

function NewSiteModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = useCreateKey();
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const form = useSchemaForm(useRequestSchema('POST', '/sites'), {
    code: '',
    name: '',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai',
  });
  const [placed, setPlaced] = useState(false);
  const create = useMutation({
    mutationFn: (body: { code: string; name: string; timeZone: string }) => api<Site>('POST', '/sites', { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (site) => {
      void queryClient.invalidateQueries({ queryKey: ['list', '/sites'] });
      void queryClient.invalidateQueries({ queryKey: ['sites'] });
      // The site picker in the header lists the person's sites.
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      notifySuccess(t('masterdata.sites.created', { code: site.code }));
      onClose();
    },
    onError: (err) => setPlaced(placeProblem(form, err, { 'error.site.exists': 'code', 'error.timeZone': 'timeZone' })),
  });
  return (
    <Modal opened onClose={onClose} title={t('masterdata.sites.create')} centered>
      <form noValidate onSubmit={form.submit((body) => create.mutate(body))}>
        <Stack>
          <FormProblem error={create.error} placed={placed} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('masterdata.sites.code')}
              description={t('masterdata.sites.codeHelp')}
              required
              data-autofocus
              {...form.field('code')}
              onChange={(e) => form.set('code', e.currentTarget.value.toUpperCase())}
            />
            <TextInput label={t('masterdata.sites.name')} required {...form.field('name')} />
          </SimpleGrid>
          <Select
            label={t('masterdata.sites.timeZone')}
            description={t('masterdata.sites.timeZoneHelp')}
            searchable
            required
            allowDeselect={false}
            limit={100}
            data={zones}
            {...form.field('timeZone')}
          />
          <Text size="sm" c="dimmed">
            {t('masterdata.sites.nowThere', { time: localTime(form.values.timeZone) })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('masterdata.sites.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
