import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../../api/client';
import { P } from '../../app/permissions';
import { can, useMe } from '../../auth/session';
import { AnchorLink } from '../../components/AnchorLink';
import { Details } from '../../components/Details';
import { formatDecimal } from '../../components/format';
import { RecordPage } from '../../components/RecordPage';
import { ActiveBadge, EditButton, QueryStatus, Section, siteCode, useSites } from './common';
import { CalibrationDue, EquipmentStatus } from './EquipmentPage';
import { RowsTable } from './RowsTable';
import { EQUIPMENT, useRecord, WORK_CENTER } from './records';
import type { Equipment, WorkCenter } from './types';
import { SubcontractBadge, WorkCenterModal, workingDaysText } from './WorkCentersPage';

/** One work center: capacity and calendar, and the equipment it runs with. */
export function WorkCenterPage() {
  const { t } = useTranslation();
  const { workCenterId } = useParams({ from: '/app/work-centers/$workCenterId' });
  const me = useMe();
  const sites = useSites();
  const wc = useRecord<WorkCenter>(WORK_CENTER, workCenterId);
  const equipment = useQuery({
    queryKey: ['list', EQUIPMENT.path, { workCenterId }],
    queryFn: () => get<Page<Equipment>>(EQUIPMENT.path, { workCenterId, limit: 200 }),
  });
  const [editing, setEditing] = useState(false);
  if (!wc.isSuccess) return <QueryStatus query={wc} />;
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
        actions={can(me, P.masterdataWrite) && <EditButton onClick={() => setEditing(true)} />}
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
                ['masterdata.workCenters.subcontracted', w.subcontracted ? <SubcontractBadge key="s" /> : t('common.no')],
                ['masterdata.status', <ActiveBadge key="a" active={w.active} />],
              ]}
            />
            <Section title={t('masterdata.equipment.atWorkCenter')}>
              {!equipment.isSuccess ? (
                <QueryStatus query={equipment} size="sm" />
              ) : (
                <RowsTable
                  rows={equipment.data.items}
                  rowKey={(e) => e.id}
                  columns={[
                    {
                      labelKey: 'masterdata.equipment.code',
                      cell: (e) => (
                        <AnchorLink to="/equipment/$equipmentId" params={{ equipmentId: e.id }}>
                          {e.code}
                        </AnchorLink>
                      ),
                    },
                    { labelKey: 'masterdata.equipment.name', cell: (e) => e.name },
                    { labelKey: 'masterdata.status', cell: (e) => <EquipmentStatus equipment={e} /> },
                    { labelKey: 'masterdata.equipment.calibrationDue', cell: (e) => <CalibrationDue equipment={e} /> },
                  ]}
                  empty={t('masterdata.equipment.none')}
                />
              )}
            </Section>
          </Stack>
        }
      />
      {editing && <WorkCenterModal workCenter={w} onClose={() => setEditing(false)} />}
    </>
  );
}
