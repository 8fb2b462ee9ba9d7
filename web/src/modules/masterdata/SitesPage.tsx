import { Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/permissions';
import type { Column } from '../../components/DataTable';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { notifySuccess } from '../../components/notify';
import i18n from '../../i18n';
import { activeColumn } from './common';
import { CodeInput, useCreateKey, useFormMutation } from './forms';
import { ListPage } from './ListPage';
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
  activeColumn(),
];

/** The company's sites (plants), each with the time zone its records and signatures are shown in. */
export function SitesPage() {
  const { t } = useTranslation();
  return (
    <ListPage<Site>
      title={t('nav.sites')}
      help={t('masterdata.sites.help')}
      create={{ label: t('masterdata.sites.create'), permission: P.sitesManage, form: (close) => <NewSiteModal onClose={close} /> }}
      id="masterdata.sites"
      path="/sites"
      columns={columns}
      rowKey={(s) => s.id}
      searchable={false}
    />
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
  const create = useFormMutation(form, {
    send: (body: typeof form.values) => api<Site>('POST', '/sites', { body, idempotencyKey: key }),
    onSaved: (site) => {
      void queryClient.invalidateQueries({ queryKey: ['list', '/sites'] });
      void queryClient.invalidateQueries({ queryKey: ['sites'] });
      // The site picker in the header lists the person's sites.
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      notifySuccess(t('masterdata.sites.created', { code: site.code }));
      onClose();
    },
    fieldOf: { 'error.site.exists': 'code', 'error.timeZone': 'timeZone' },
  });
  return (
    <FormModal
      title={t('masterdata.sites.create')}
      onClose={onClose}
      onSubmit={form.submit((body) => create.mutate(body))}
      save={create}
      submitLabel={t('masterdata.sites.create')}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <CodeInput form={form} label={t('masterdata.sites.code')} description={t('masterdata.sites.codeHelp')} />
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
    </FormModal>
  );
}
