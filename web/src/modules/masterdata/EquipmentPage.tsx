import { Alert, Badge, Checkbox, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import type { Column } from '../../components/DataTable';
import { Details } from '../../components/Details';
import { formatDate } from '../../components/format';
import { RecordPage } from '../../components/RecordPage';
import i18n from '../../i18n';
import { EditButton, QueryStatus, StatusTag, ValueSelect } from './common';
import { CodeInput } from './forms';
import { ListPage } from './ListPage';
import { CODE_IN_USE } from './problems';
import { codeColumn, EQUIPMENT, RecordFormModal, useRecord, useRecordForm, WORK_CENTER } from './records';
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

export function EquipmentStatus({ equipment }: { equipment: Pick<Equipment, 'status'> }) {
  return <StatusTag prefix="masterdata.equipmentStatuses" value={equipment.status} colors={EQUIPMENT_COLORS} />;
}

const columns: Column<Equipment>[] = [
  codeColumn(EQUIPMENT, 'masterdata.equipment.code'),
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
    render: (e) => <EquipmentStatus equipment={e} />,
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
    queryKey: ['list', WORK_CENTER.path, 'all'],
    queryFn: () => get<Page<WorkCenter>>(WORK_CENTER.path, { limit: 200 }),
    staleTime: 60_000,
  });
  return (list.data?.items ?? []).map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` }));
}

/** Equipment by work center and status; overdue calibration is flagged and can be listed alone. */
export function EquipmentListPage() {
  const { t } = useTranslation();
  const centers = useWorkCenterOptions();
  const [workCenterId, setWorkCenterId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [overdue, setOverdue] = useState(false);
  return (
    <ListPage<Equipment>
      title={t('nav.equipment')}
      create={{ label: t(EQUIPMENT.createLabel), permission: P.masterdataWrite, form: (close) => <EquipmentModal onClose={close} /> }}
      id="masterdata.equipment"
      path={EQUIPMENT.path}
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
          <Checkbox label={t('masterdata.equipment.overdueOnly')} checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} />
        </>
      }
    />
  );
}

/** One piece of equipment: where it works, whether it may be used, and when it is due for calibration. */
export function EquipmentPage() {
  const { t } = useTranslation();
  const { equipmentId } = useParams({ from: '/app/equipment/$equipmentId' });
  const me = useMe();
  const equipment = useRecord<Equipment>(EQUIPMENT, equipmentId);
  const [editing, setEditing] = useState(false);
  if (!equipment.isSuccess) return <QueryStatus query={equipment} />;
  const e = equipment.data;
  return (
    <>
      <RecordPage
        list={{ to: '/equipment', labelKey: 'nav.equipment' }}
        title={e.code}
        subtitle={e.name}
        status={<EquipmentStatus equipment={e} />}
        record={{ entity: 'equipment', id: e.id }}
        actions={can(me, P.masterdataWrite) && <EditButton onClick={() => setEditing(true)} />}
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
                ['masterdata.status', <EquipmentStatus key="s" equipment={e} />],
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

/** Creates a piece of equipment, or changes one: where it works, its status and calibration due date. */
function EquipmentModal({ equipment, onClose }: { equipment?: Equipment; onClose: () => void }) {
  const { t } = useTranslation();
  const centers = useWorkCenterOptions();
  const { form, ...editor } = useRecordForm(
    EQUIPMENT,
    equipment,
    {
      code: equipment?.code ?? '',
      name: equipment?.name ?? '',
      workCenterId: equipment?.workCenterId ?? '',
      status: equipment?.status ?? 'active',
      calibrationDue: equipment?.calibrationDue ?? '',
    },
    { onClose, nullable: ['calibrationDue'], fieldOf: { ...CODE_IN_USE, 'error.masterdata.workCenter.notFound': 'workCenterId' } },
  );
  return (
    <RecordFormModal kind={EQUIPMENT} record={equipment} editor={editor} onClose={onClose} size="lg">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <CodeInput form={form} label={t('masterdata.equipment.code')} />
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
    </RecordFormModal>
  );
}
