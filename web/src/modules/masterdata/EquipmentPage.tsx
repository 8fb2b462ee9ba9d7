import { Alert, Badge, Button, Checkbox, Group, Loader, Modal, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconPencil, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, type Page } from '../../api/client';
import { useRequestSchema } from '../../api/schemas';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { type Column, DataTable } from '../../components/DataTable';
import { Details } from '../../components/Details';
import { useSchemaForm } from '../../components/form';
import { formatDate } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { RecordPage } from '../../components/RecordPage';
import i18n, { problemMessage } from '../../i18n';
import { changedFields, FormProblem, StatusTag, useCreateKey, useMe, ValueSelect } from './common';
import { placeProblem } from './problems';
import { EQUIPMENT_COLORS, EQUIPMENT_STATUSES, type Equipment, type WorkCenter } from './types';

/** The calibration due date, flagged when it has passed (ISO 13485 7.6: not to be used for product acceptance). */
export function CalibrationDue({ equipment }: { equipment: Pick<Equipment, 'calibrationDue' | 'calibrationOverdue'> }) {
  const { t } = useTranslation();
  if (!equipment.calibrationDue) return <Text size="sm">{t('masterdata.equipment.noCalibration')}</Text>;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{formatDate(equipment.calibrationDue)}</Text>
      {equipment.calibrationOverdue && (
        <Badge color="red" variant="filled" leftSection={<IconAlertTriangle size={12} />} data-testid="calibration-overdue">
          {t('masterdata.equipment.overdue')}
        </Badge>
      )}
    </Group>
  );
}

const columns: Column<Equipment>[] = [
  {
    key: 'code',
    labelKey: 'masterdata.equipment.code',
    render: (e) => (
      <AnchorLink to="/equipment/$equipmentId" params={{ equipmentId: e.id }} style={{ whiteSpace: 'nowrap' }}>
        {e.code}
      </AnchorLink>
    ),
  },
  { key: 'name', labelKey: 'masterdata.equipment.name' },
  {
    key: 'workCenterCode',
    labelKey: 'masterdata.equipment.workCenter',
    render: (e) => (
      <AnchorLink to="/work-centers/$workCenterId" params={{ workCenterId: e.workCenterId }} style={{ whiteSpace: 'nowrap' }}>
        {e.workCenterCode}
      </AnchorLink>
    ),
  },
  {
    key: 'status',
    labelKey: 'masterdata.status',
    render: (e) => <StatusTag prefix="masterdata.equipmentStatuses" value={e.status} colors={EQUIPMENT_COLORS} />,
    text: (e) => i18n.t(`masterdata.equipmentStatuses.${e.status}`),
  },
  {
    key: 'calibrationDue',
    labelKey: 'masterdata.equipment.calibrationDue',
    render: (e) => <CalibrationDue equipment={e} />,
    text: (e) => `${e.calibrationDue ?? ''}${e.calibrationOverdue ? ` (${i18n.t('masterdata.equipment.overdue')})` : ''}`,
  },
];

function useWorkCenterOptions() {
  const list = useQuery({
    queryKey: ['list', '/work-centers', 'all'],
    queryFn: () => get<Page<WorkCenter>>('/work-centers', { limit: 200 }),
    staleTime: 60_000,
  });
  return (list.data?.items ?? []).map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` }));
}

/** Equipment by work center and status; overdue calibration is flagged and can be listed alone. */
export function EquipmentListPage() {
  const { t } = useTranslation();
  const me = useMe();
  const centers = useWorkCenterOptions();
  const [workCenterId, setWorkCenterId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [overdue, setOverdue] = useState(false);
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('nav.equipment')}
      </Title>
      <DataTable<Equipment>
        id="masterdata.equipment"
        path="/equipment"
        columns={columns}
        rowKey={(e) => e.id}
        filters={{ workCenterId: workCenterId ?? undefined, status: status ?? undefined, calibrationOverdue: overdue ? true : undefined }}
        filterControls={
          <>
            <Select
              aria-label={t('masterdata.equipment.workCenter')}
              placeholder={t('masterdata.equipment.allWorkCenters')}
              clearable
              searchable
              data={centers}
              value={workCenterId}
              onChange={setWorkCenterId}
              w={210}
            />
            <ValueSelect
              aria-label={t('masterdata.status')}
              placeholder={t('masterdata.allStatuses')}
              clearable
              values={EQUIPMENT_STATUSES}
              prefix="masterdata.equipmentStatuses"
              value={status}
              onChange={setStatus}
              w={170}
            />
            <Checkbox
              label={t('masterdata.equipment.overdueOnly')}
              checked={overdue}
              onChange={(e) => setOverdue(e.currentTarget.checked)}
            />
          </>
        }
        actions={
          can(me, P.masterdataWrite) && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              {t('masterdata.equipment.create')}
            </Button>
          )
        }
      />
      {creating && <EquipmentModal onClose={() => setCreating(false)} />}
    </Stack>
  );
}

/** One piece of equipment: where it works, whether it may be used, and when it is due for calibration. */
export function EquipmentPage() {
  const { t } = useTranslation();
  const { equipmentId } = useParams({ from: '/app/equipment/$equipmentId' });
  const me = useMe();
  const equipment = useQuery({ queryKey: ['equipment', equipmentId], queryFn: () => get<Equipment>(`/equipment/${equipmentId}`) });
  const [editing, setEditing] = useState(false);
  if (equipment.isPending) return <Loader aria-label={t('common.loading')} />;
  if (equipment.isError) return <Alert color="red">{problemMessage(equipment.error)}</Alert>;
  const e = equipment.data;
  return (
    <>
      <RecordPage
        list={{ to: '/equipment', labelKey: 'nav.equipment' }}
        title={e.code}
        subtitle={e.name}
        status={<StatusTag prefix="masterdata.equipmentStatuses" value={e.status} colors={EQUIPMENT_COLORS} />}
        record={{ entity: 'equipment', id: e.id }}
        actions={
          can(me, P.masterdataWrite) && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              {t('masterdata.edit')}
            </Button>
          )
        }
        details={
          <Stack gap="md">
            {e.calibrationOverdue && (
              <Alert color="red" icon={<IconAlertTriangle size={18} />}>
                {t('masterdata.equipment.overdueWarning', { date: formatDate(e.calibrationDue) })}
              </Alert>
            )}
            <Details
              rows={[
                ['masterdata.equipment.code', e.code],
                ['masterdata.equipment.name', e.name],
                [
                  'masterdata.equipment.workCenter',
                  <AnchorLink key="w" to="/work-centers/$workCenterId" params={{ workCenterId: e.workCenterId }}>
                    {e.workCenterCode} · {e.workCenterName}
                  </AnchorLink>,
                ],
                [
                  'masterdata.status',
                  <StatusTag key="s" prefix="masterdata.equipmentStatuses" value={e.status} colors={EQUIPMENT_COLORS} />,
                ],
                ['masterdata.equipment.calibrationDue', <CalibrationDue key="c" equipment={e} />],
              ]}
            />
          </Stack>
        }
      />
      {editing && <EquipmentModal equipment={e} onClose={() => setEditing(false)} />}
    </>
  );
}

interface EquipmentValues extends Record<string, unknown> {
  code: string;
  name: string;
  workCenterId: string;
  status: string;
  calibrationDue: string;
}

function EquipmentModal({ equipment, onClose }: { equipment?: Equipment; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = useCreateKey();
  const centers = useWorkCenterOptions();
  const form = useSchemaForm<EquipmentValues>(useRequestSchema(equipment ? 'PATCH' : 'POST', equipment ? '/equipment/:id' : '/equipment'), {
    code: equipment?.code ?? '',
    name: equipment?.name ?? '',
    workCenterId: equipment?.workCenterId ?? '',
    status: equipment?.status ?? 'active',
    calibrationDue: equipment?.calibrationDue ?? '',
  });
  const [placed, setPlaced] = useState(false);
  const save = useMutation({
    mutationFn: (body: Partial<EquipmentValues>) =>
      equipment
        ? api<Equipment>('PATCH', `/equipment/${equipment.id}`, { body, version: equipment.version })
        : api<Equipment>('POST', '/equipment', { body, idempotencyKey: key }),
    meta: { handlesErrors: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(['equipment', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['list', '/equipment'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'equipment', saved.id] });
      notifySuccess(t('common.saved'));
      onClose();
      if (!equipment) void navigate({ to: '/equipment/$equipmentId', params: { equipmentId: saved.id } });
    },
    onError: (err) =>
      setPlaced(placeProblem(form, err, { 'error.duplicate': 'code', 'error.masterdata.workCenter.notFound': 'workCenterId' })),
  });
  const submit = form.submit((body) => {
    if (!equipment) return save.mutate(body);
    const changes = changedFields(equipment, body, ['calibrationDue']);
    if (Object.keys(changes).length === 0) onClose();
    else save.mutate(changes);
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={equipment ? t('masterdata.equipment.edit', { code: equipment.code }) : t('masterdata.equipment.create')}
      centered
      size="lg"
    >
      <form noValidate onSubmit={submit}>
        <Stack>
          <FormProblem error={save.error} placed={placed} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('masterdata.equipment.code')}
              description={t('masterdata.codeHelp')}
              required
              data-autofocus
              {...form.field('code')}
              onChange={(e) => form.set('code', e.currentTarget.value.toUpperCase())}
            />
            <Select label={t('masterdata.equipment.workCenter')} searchable required data={centers} {...form.field('workCenterId')} />
          </SimpleGrid>
          <TextInput label={t('masterdata.equipment.name')} required {...form.field('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <ValueSelect
              label={t('masterdata.status')}
              values={EQUIPMENT_STATUSES}
              prefix="masterdata.equipmentStatuses"
              allowDeselect={false}
              {...form.field('status')}
            />
            <TextInput
              type="date"
              label={t('masterdata.equipment.calibrationDue')}
              description={t('masterdata.equipment.calibrationHelp')}
              {...form.field('calibrationDue')}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {equipment ? t('common.save') : t('masterdata.equipment.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
