import { Badge, Chip, Group, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { P } from '../../app/permissions';
import type { Column } from '../../components/DataTable';
import { formatDecimal } from '../../components/format';
import i18n from '../../i18n';
import {
  ActiveSelect,
  activeColumn,
  activeFilter,
  defaultSiteId,
  SiteFilter,
  SiteSelect,
  siteColumn,
  useSites,
  weekdayName,
} from './common';
import { ActiveSwitch, CodeInput } from './forms';
import { ListPage } from './ListPage';
import { CODE_IN_USE } from './problems';
import { codeColumn, RecordFormModal, useRecordForm, WORK_CENTER } from './records';
import type { Site, WorkCenter } from './types';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export const workingDaysText = (days: number[]) => days.map((d) => weekdayName(d, i18n.language)).join(' ');

const columns = (sites: Site[] | undefined): Column<WorkCenter>[] => [
  codeColumn(WORK_CENTER, 'masterdata.workCenters.code'),
  { key: 'name', labelKey: 'masterdata.workCenters.name' },
  siteColumn(sites),
  {
    key: 'capacityHoursPerDay',
    labelKey: 'masterdata.workCenters.capacity',
    text: (w) => i18n.t('masterdata.workCenters.hoursPerDay', { hours: formatDecimal(w.capacityHoursPerDay) }),
  },
  { key: 'workingDays', labelKey: 'masterdata.workCenters.workingDays', text: (w) => workingDaysText(w.workingDays) },
  {
    key: 'subcontracted',
    labelKey: 'masterdata.workCenters.subcontracted',
    render: (w) => (w.subcontracted ? <SubcontractBadge /> : '—'),
    text: (w) => (w.subcontracted ? i18n.t('common.yes') : i18n.t('common.no')),
  },
  activeColumn(),
];

export function SubcontractBadge() {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color="grape">
      {t('masterdata.workCenters.subcontract')}
    </Badge>
  );
}

/** Where operations run: capacity per working day, the weekdays worked, in-house or subcontracted. */
export function WorkCentersPage() {
  const { t } = useTranslation();
  const sites = useSites();
  const [siteId, setSiteId] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>('true');
  return (
    <ListPage<WorkCenter>
      title={t('nav.workCenters')}
      create={{ label: t(WORK_CENTER.createLabel), permission: P.masterdataWrite, form: (close) => <WorkCenterModal onClose={close} /> }}
      id="masterdata.workCenters"
      path={WORK_CENTER.path}
      columns={columns(sites.data?.items)}
      rowKey={(w) => w.id}
      filters={{ siteId: siteId ?? undefined, active: activeFilter(active) }}
      filterControls={
        <>
          <SiteFilter value={siteId} onChange={setSiteId} />
          <ActiveSelect value={active} onChange={setActive} />
        </>
      }
    />
  );
}

/** Creates a work center, or changes one. */
export function WorkCenterModal({ workCenter, onClose }: { workCenter?: WorkCenter; onClose: () => void }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const { form, ...editor } = useRecordForm(
    WORK_CENTER,
    workCenter,
    {
      code: workCenter?.code ?? '',
      name: workCenter?.name ?? '',
      siteId: workCenter?.siteId ?? defaultSiteId() ?? '',
      capacityHoursPerDay: workCenter?.capacityHoursPerDay ?? '8',
      workingDays: workCenter?.workingDays ?? [1, 2, 3, 4, 5],
      subcontracted: workCenter?.subcontracted ?? false,
      active: workCenter?.active ?? true,
    },
    { onClose, fieldOf: CODE_IN_USE },
  );
  return (
    <RecordFormModal kind={WORK_CENTER} record={workCenter} editor={editor} onClose={onClose} size="lg">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <CodeInput form={form} label={t('masterdata.workCenters.code')} />
        <SiteSelect label={t('masterdata.site')} required allowDeselect={false} {...form.field('siteId')} />
      </SimpleGrid>
      <TextInput label={t('masterdata.workCenters.name')} required {...form.field('name')} />
      <TextInput
        label={t('masterdata.workCenters.capacity')}
        description={t('masterdata.workCenters.capacityHelp')}
        inputMode="decimal"
        required
        w={220}
        {...form.field('capacityHoursPerDay')}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('masterdata.workCenters.workingDays')}
        </Text>
        <Chip.Group multiple value={form.values.workingDays.map(String)} onChange={(v) => form.set('workingDays', v.map(Number).sort())}>
          <Group gap={6}>
            {WEEKDAYS.map((d) => (
              <Chip key={d} value={String(d)} size="sm">
                {weekdayName(d, language)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {form.errors.workingDays && (
          <Text size="xs" c="red">
            {form.errors.workingDays}
          </Text>
        )}
      </Stack>
      <Switch
        label={t('masterdata.workCenters.subcontractedLabel')}
        description={t('masterdata.workCenters.subcontractedHelp')}
        checked={form.values.subcontracted}
        onChange={(e) => form.set('subcontracted', e.currentTarget.checked)}
      />
      <ActiveSwitch form={form} />
    </RecordFormModal>
  );
}
