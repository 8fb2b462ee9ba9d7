import { IconChecklist, IconClipboardCheck } from '@tabler/icons-react';
import { P } from '../../app/permissions';
import { queueLinkProps as linkProps, type ModuleScreens } from '../../app/screens';
import { AnchorLink } from '../../components/AnchorLink';
import { formatDecimal } from '../../components/format';
import i18n from '../../i18n';

interface InspectionRow {
  id: string;
  number: string;
  item: { code: string; name: string };
  lot: { number: string };
  supplier: { code: string };
  lotSize: number;
}

/** Inspections and plans in the navigation; open inspections on the dashboard. */
export const qualityScreens: ModuleScreens = {
  navigation: [
    { group: 'quality', to: '/quality/inspections', labelKey: 'nav.inspections', icon: IconClipboardCheck, permission: P.qualityRead },
    { group: 'quality', to: '/quality/plans', labelKey: 'nav.inspectionPlans', icon: IconChecklist, permission: P.qualityRead },
  ],
  queues: [
    {
      key: 'inspections',
      titleKey: 'dashboard.queues.inspections',
      permission: P.qualityRead,
      path: '/quality/inspections',
      query: { status: 'open' },
      all: (label) => (
        <AnchorLink to="/quality/inspections" size="sm">
          {label}
        </AnchorLink>
      ),
      row: (i: InspectionRow) => ({
        id: i.id,
        link: (
          <AnchorLink to="/quality/inspections/$inspectionId" params={{ inspectionId: i.id }} {...linkProps}>
            {i.number} · {i.item.code}
          </AnchorLink>
        ),
        detail: `${i.lot.number} · ${i.supplier.code} · ${i18n.t('dashboard.lotSize', { size: formatDecimal(String(i.lotSize)) })}`,
      }),
    },
  ],
};
