import { Alert, Badge, Button, Loader, Stack, Table, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../../api/client';
import { P } from '../../app/nav';
import { can } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { formatDecimal } from '../../components/format';
import { RecordPage } from '../../components/RecordPage';
import { problemMessage } from '../../i18n';
import { ActiveBadge, Section, StatusTag, siteCode, useMe, useSites, yesNo } from './common';
import { CalibrationDue } from './EquipmentPage';
import { EQUIPMENT_COLORS, type Equipment, type WorkCenter } from './types';
import { WorkCenterModal, workingDaysText } from './WorkCentersPage';

/** One work center: capacity and calendar, and the equipment it runs with. */
export function WorkCenterPage() {
  const { t } = useTranslation();
  const { workCenterId } = useParams({ from: '/app/work-centers/$workCenterId' });
  const me = useMe();
  const sites = useSites();
  const wc = useQuery({ queryKey: ['work-center', workCenterId], queryFn: () => get<WorkCenter>(`/work-centers/${workCenterId}`) });
  const equipment = useQuery({
    queryKey: ['list', '/equipment', { workCenterId }],
    queryFn: () => get<Page<Equipment>>('/equipment', { workCenterId, limit: 200 }),
  });
  const [editing, setEditing] = useState(false);
  if (wc.isPending) return <Loader aria-label={t('common.loading')} />;
  if (wc.isError) return <Alert color="red">{problemMessage(wc.error)}</Alert>;
  const w = wc.data;
  const site = sites.data?.items.find((s) => s.id === w.siteId);
  return (
    <>
      <RecordPage
        list={{ to: '/work-centers', labelKey: 'nav.workCenters' }}
        title={w.code}
        subtitle={w.name}
        status={<ActiveBadge active={w.active} />}
        record={{ entity: 'work_centers', id: w.id }}
        actions={
          can(me, P.masterdataWrite) && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              {t('masterdata.edit')}
            </Button>
          )
        }
        details={
          <Stack gap="xl">
            <Details
              rows={[
                ['masterdata.workCenters.code', w.code],
                ['masterdata.workCenters.name', w.name],
                ['masterdata.site', site ? `${site.code} · ${site.name}` : siteCode(sites.data?.items, w.siteId)],
                [
                  'masterdata.workCenters.capacity',
                  t('masterdata.workCenters.hoursPerDay', { hours: formatDecimal(w.capacityHoursPerDay) }),
                ],
                ['masterdata.workCenters.workingDays', workingDaysText(w.workingDays)],
                [
                  'masterdata.workCenters.subcontracted',
                  w.subcontracted ? (
                    <Badge key="s" variant="light" color="grape">
                      {t('masterdata.workCenters.subcontract')}
                    </Badge>
                  ) : (
                    yesNo(t, false)
                  ),
                ],
                ['masterdata.status', <ActiveBadge key="a" active={w.active} />],
              ]}
            />
            <Section title={t('masterdata.equipment.atWorkCenter')}>
              {equipment.isPending ? (
                <Loader size="sm" />
              ) : equipment.isError ? (
                <Alert color="red">{problemMessage(equipment.error)}</Alert>
              ) : equipment.data.items.length === 0 ? (
                <Text c="dimmed">{t('masterdata.equipment.none')}</Text>
              ) : (
                <Table withTableBorder striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('masterdata.equipment.code')}</Table.Th>
                      <Table.Th>{t('masterdata.equipment.name')}</Table.Th>
                      <Table.Th>{t('masterdata.status')}</Table.Th>
                      <Table.Th>{t('masterdata.equipment.calibrationDue')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {equipment.data.items.map((e) => (
                      <Table.Tr key={e.id}>
                        <Table.Td>
                          <AnchorLink to="/equipment/$equipmentId" params={{ equipmentId: e.id }}>
                            {e.code}
                          </AnchorLink>
                        </Table.Td>
                        <Table.Td>{e.name}</Table.Td>
                        <Table.Td>
                          <StatusTag prefix="masterdata.equipmentStatuses" value={e.status} colors={EQUIPMENT_COLORS} />
                        </Table.Td>
                        <Table.Td>
                          <CalibrationDue equipment={e} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
          </Stack>
        }
      />
      {editing && <WorkCenterModal workCenter={w} onClose={() => setEditing(false)} />}
    </>
  );
}
