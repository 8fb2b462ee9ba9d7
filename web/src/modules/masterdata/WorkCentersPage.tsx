import { Badge, Button, Chip, Group, Modal, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
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
import { formatDecimal } from '../../components/format';
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
  siteCode,
  useCreateKey,
  useMe,
  useSites,
  weekdayName,
} from './common';
import { placeProblem } from './problems';
import type { Site, WorkCenter } from './types';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export const workingDaysText = (days: number[]) => days.map((d) => weekdayName(d, i18n.language)).join(' ');

const columns = (sites: Site[] | undefined): Column<WorkCenter>[] => [
  {
    key: 'code',
    labelKey: 'masterdata.workCenters.code',
    render: (w) => (
      <AnchorLink to="/work-centers/$workCenterId" params={{ workCenterId: w.id }} style={{ whiteSpace: 'nowrap' }}>
        {w.code}
      </AnchorLink>
    ),
  },
  { key: 'name', labelKey: 'masterdata.workCenters.name' },
  { key: 'siteId', labelKey: 'masterdata.site', text: (w) => siteCode(sites, w.siteId) },
  {
    key: 'capacityHoursPerDay',
    labelKey: 'masterdata.workCenters.capacity',
    text: (w) => i18n.t('masterdata.workCenters.hoursPerDay', { hours: formatDecimal(w.capacityHoursPerDay) }),
  },
  { key: 'workingDays', labelKey: 'masterdata.workCenters.workingDays', text: (w) => workingDaysText(w.workingDays) },
  {
    key: 'subcontracted',
    labelKey: 'masterdata.workCenters.subcontracted',
    render: (w) =>
      w.subcontracted ? (
        <Badge variant="light" color="grape">
          {i18n.t('masterdata.workCenters.subcontract')}
        </Badge>
      ) : (
        '—'
      ),
    text: (w) => (w.subcontracted ? i18n.t('common.yes') : i18n.t('common.no')),
  },
  {
    key: 'active',
    labelKey: 'masterdata.status',
    render: (w) => <ActiveBadge active={w.active} />,
    text: (w) => i18n.t(w.active ? 'masterdata.active' : 'masterdata.inactive'),
  },
];

/** Where operations run: capacity per working day, the weekdays worked, in-house or subcontracted. */
export function WorkCentersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const sites = useSites();
  const [siteId, setSiteId] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>('true');
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.workCenters')}
      </Title>
      <DataTable<WorkCenter>
        id="masterdata.workCenters"
        path="/work-centers"
        columns={columns(sites.data?.items)}
        rowKey={(w) => w.id}
        filters={{ siteId: siteId ?? undefined, active: activeFilter(active) }}
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
            <ActiveSelect value={active} onChange={setActive} />
          </>
        }
        actions={
          can(me, P.masterdataWrite) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('masterdata.workCenters.create')}
            </Button>
          )
        }
      />
      {creating && <WorkCenterModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

interface WorkCenterValues extends Record<string, unknown> {
  code: string;
  name: string;
  siteId: string;
  capacityHoursPerDay: string;
  workingDays: number[];
  subcontracted: boolean;
  active: boolean;
}

/** Creates a work center, or changes one (`workCenter` given, with If-Match). */
export function WorkCenterModal({ workCenter, onClose }: { workCenter?: WorkCenter; onClose: () => void }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = useCreateKey();
  const schema = useRequestSchema(workCenter ? 'PATCH' : 'POST', workCenter ? '/work-centers/:id' : '/work-centers');
  const initial: WorkCenterValues = workCenter
    ? {
        code: workCenter.code,
        name: workCenter.name,
        siteId: workCenter.siteId,
        capacityHoursPerDay: workCenter.capacityHoursPerDay,
        workingDays: workCenter.workingDays,
        subcontracted: workCenter.subcontracted,
        active: workCenter.active,
      }
    : {
        code: '',
        name: '',
        siteId: defaultSiteId() ?? '',
        capacityHoursPerDay: '8',
        workingDays: [1, 2, 3, 4, 5],
        subcontracted: false,
        active: true,
      };
  const form = useSchemaForm<WorkCenterValues>(schema, initial);
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (body: Partial<WorkCenterValues>) =>
      workCenter
        ? api<WorkCenter>('PATCH', `/work-centers/${workCenter.id}`, { body, version: workCenter.version })
        : api<WorkCenter>('POST', '/work-centers', { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(['work-center', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['list', '/work-centers'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'work_centers', saved.id] });
      notifySuccess(t('common.saved'));
      onClose();
      if (!workCenter) void navigate({ to: '/work-centers/$workCenterId', params: { workCenterId: saved.id } });
    },
    onError: (err) => setPlaced(placeProblem(form, err, { 'error.duplicate': 'code' })),
  });
  const submit = form.submit((body) => {
    if (!workCenter) return save.mutate(body);
    const changes = changedFields(initial, body);
    if (Object.keys(changes).length === 0) onClose();
    else save.mutate(changes);
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={workCenter ? t('masterdata.workCenters.edit', { code: workCenter.code }) : t('masterdata.workCenters.create')}
      centered
      size="lg"
    >
      <form noValidate onSubmit={submit}>
        <Stack>
          <FormProblem error={save.error} placed={placed} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('masterdata.workCenters.code')}
              description={t('masterdata.codeHelp')}
              required
              data-autofocus
              {...form.field('code')}
              onChange={(e) => form.set('code', e.currentTarget.value.toUpperCase())}
            />
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
            <Chip.Group
              multiple
              value={form.values.workingDays.map(String)}
              onChange={(v) => form.set('workingDays', v.map(Number).sort())}
            >
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
              {workCenter ? t('common.save') : t('masterdata.workCenters.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
